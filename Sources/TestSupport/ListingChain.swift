import Foundation
import HTTPTypes
import HummingbirdTesting
import PostgresNIO
import Testing
import VoucherServices

/// Listed products for tests, the way production gets them: the provider uploads its files,
/// creates the listing, submits it, and an operator, an expert and an authority approve it in the
/// inbox — every step through the real routes. The expert and authority users are added to the
/// world's platform organisation on first use. Eight requests a product.
public struct ListingChain: Sendable {
    public let client: any TestClientProtocol
    public let postgres: PostgresClient
    public let tokens: TokenService
    /// The platform organisation and the operator who decides the first stage.
    public let platformOrgID: String
    public let operatorUserID: String

    public static let expertUserID = "usr_listing_expert"
    public static let authorityUserID = "usr_listing_authority"

    public init(
        client: any TestClientProtocol, postgres: PostgresClient, tokens: TokenService, platformOrgID: String = "org_platform",
        operatorUserID: String = "usr_op"
    ) {
        self.client = client
        self.postgres = postgres
        self.tokens = tokens
        self.platformOrgID = platformOrgID
        self.operatorUserID = operatorUserID
    }

    /// A spec as the body sends it.
    public static func spec(name: String = "标准版", unitPriceFen: Int64, pricing: String = "simple", mode: String = "quantity") -> [String: Any] {
        ["name": name, "purchaseMode": mode, "pricing": pricing, "unitPriceFen": unitPriceFen]
    }

    /// A complete listing body naming `image` and `document` (file ids of the provider's uploads).
    public static func body(
        name: String = "企业数字化诊断", category: String = "diagnostic_consulting", specs: [[String: Any]], image: String, document: String
    ) -> [String: Any] {
        let study: [String: Any] = [
            "customer": "某制造企业", "annualOutputCentiWan": 1_234_56, "salesCentiWan": 50_00, "deliveryMonths": 3, "documentFileId": document,
        ]
        return [
            "name": name, "category": category, "productNames": ["诊断平台"], "tags": ["诊断", "制造业"], "imageFileId": image,
            "solutionClasses": ["研发设计"], "industries": ["制造业"], "priceLowFen": 100_000, "priceHighFen": 5_000_000,
            "deliveryCycleDays": 30, "personDays": 20, "caseStudies": [study, study, study],
            "contact": ["name": "张三", "phone": "13200000000"],
            "intro": [
                "bannerTitle": name, "bannerText": "一站式诊断", "bannerImageFileId": image, "highlights": ["快速"], "description": "服务说明",
                "modules": [["title": "商品截图", "text": "截图", "mediaFileIds": [image]]],
                "afterSales": ["hours": "9:00-18:00", "scope": "远程支持", "hotline": "400-000-0000"],
            ],
            "specs": specs,
        ]
    }

    /// Uploads a small PNG as an image and as a document; returns their file ids (the same bytes).
    public func uploadFiles(providerToken: String) async throws -> (image: String, document: String) {
        let image = try await client.call(.post, "/v1/provider/product-files?kind=image", token: providerToken, raw: Files.png)
        #expect(image.status == .created, "\(image.json)")
        let document = try await client.call(.post, "/v1/provider/product-files?kind=document", token: providerToken, raw: Files.png)
        #expect(document.status == .created, "\(document.json)")
        return (try #require(image.string("fileId")), try #require(document.string("fileId")))
    }

    /// A draft product with complete content; returns the created answer.
    public func draft(
        providerToken: String, name: String = "企业数字化诊断", category: String = "diagnostic_consulting", specs: [[String: Any]]
    ) async throws -> Answer {
        let files = try await uploadFiles(providerToken: providerToken)
        let created = try await client.call(
            .post, "/v1/provider/products", token: providerToken,
            json: Self.body(name: name, category: category, specs: specs, image: files.image, document: files.document))
        #expect(created.status == .created, "\(created.json)")
        return created
    }

    /// Submits the product and has every stage approve it; returns the application id.
    @discardableResult
    public func submitAndApprove(productID: String, providerToken: String) async throws -> String {
        let submitted = try await client.call(.post, "/v1/provider/products/\(productID)/submit", token: providerToken)
        #expect(submitted.status == .ok, "\(submitted.json)")
        let approval = try #require(submitted.string("approvalId"))
        for token in [try await token(.operator), try await token(.expert), try await token(.authority)] {
            let decided = try await client.call(.post, "/v1/approvals/\(approval)/approve", token: token, json: [:])
            #expect(decided.status == .ok, "\(decided.json)")
        }
        return approval
    }

    /// A listed product; returns its id and its specs' ids in order.
    public func listedProduct(
        providerToken: String, name: String = "企业数字化诊断", category: String = "diagnostic_consulting", specs: [[String: Any]]
    ) async throws -> (productID: String, specIDs: [String]) {
        let created = try await draft(providerToken: providerToken, name: name, category: category, specs: specs)
        let id = try #require(created.string("id"))
        try await submitAndApprove(productID: id, providerToken: providerToken)
        let product = try await client.call(.get, "/v1/products/\(id)", token: providerToken)
        #expect(product.string("status") == "listed", "\(product.json)")
        let specIDs = (product.json["specs"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        return (id, specIDs)
    }

    /// A token of a platform user deciding the chain's stage of `role` (operator, expert, authority).
    public func token(_ role: Role) async throws -> String {
        let user: String
        switch role {
        case .expert: user = Self.expertUserID
        case .authority: user = Self.authorityUserID
        default: user = operatorUserID
        }
        if role == .expert || role == .authority {
            try await postgres.query(
                """
                INSERT INTO users (id, org_id, username, password_hash, role, is_main)
                VALUES (\(user), \(platformOrgID), \("listing_" + role.rawValue), 'x', \(role.rawValue), false) ON CONFLICT DO NOTHING
                """)
        }
        return try await tokens.issueAccessToken(
            for: Identity(userID: user, orgID: platformOrgID, role: role, certified: true, permissions: ["*"]))
    }
}
