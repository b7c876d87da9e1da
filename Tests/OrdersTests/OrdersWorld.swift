import API
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresNIO
import PostgresStore
import TestSupport
import Testing
import VoucherConfig
import VoucherCore
import VoucherServices

/// The world of one orders test: a fresh migrated database; the service's router over it (built
/// by `Services`, with a manual clock and a file folder of its own); a platform operator, one
/// provider, enterprises, tokens; vouchers inserted by SQL with their grant entries, as the grab
/// sink and the apply flow write them.
struct OrdersWorld: Sendable {
    let client: any TestClientProtocol
    let postgres: PostgresClient
    let tokens: TokenService
    let orders: OrdersEnvironment
    let accounts: AccountsEnvironment

    static let operatorUser = "usr_op"
    static let provider = "org_prov"

    static func run(_ body: @escaping @Sendable (OrdersWorld) async throws -> Void) async throws {
        try await TestDatabase.with { postgres, config in
            let folder = TestEnvironment.stateDirectory + "/orders-files-" + UUID().uuidString
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let overrides = Services.Overrides(clock: TestClock(), files: LocalDiskFileStore(root: folder), bcryptCost: 4)
            try await TestServices.with(postgres: postgres, config: config, overrides: overrides) { services in
                let app = Application(router: VoucherApp.buildRouter(services: services), logger: TestEnvironment.logger)
                try await seedPlatform(postgres)
                try await app.test(.router) { client in
                    let world = OrdersWorld(
                        client: client, postgres: postgres, tokens: services.tokens, orders: services.orders, accounts: services.accounts)
                    try await body(world)
                }
            }
        }
    }

    static func seedPlatform(_ postgres: PostgresClient) async throws {
        try await postgres.query(
            """
            INSERT INTO organisations (id, kind, name, certification) VALUES
                ('org_platform', 'platform', 'Platform', 'certified'), (\(provider), 'provider', '数字服务商', 'certified')
            """)
        try await postgres.query(
            """
            INSERT INTO users (id, org_id, username, password_hash, role, is_main) VALUES
                (\(operatorUser), 'org_platform', 'operator', 'x', 'operator', true),
                ('usr_org_prov', \(provider), 'provider', 'x', 'provider', true)
            """)
        try await postgres.query(
            """
            INSERT INTO campaigns (id, name, starts_at, ends_at, status, created_by)
            VALUES ('cmp_test', '双十二数字化转型服务券', now() - interval '1 day', now() + interval '30 days', 'published', \(operatorUser))
            """)
    }

    /// Adds a certified enterprise `org` with its main user `usr_<org>`.
    func enterprise(_ org: String, kind: String = "enterprise") async throws {
        try await postgres.query("INSERT INTO organisations (id, kind, name, certification) VALUES (\(org), \(kind), \(org), 'certified')")
        let username = "user_" + org
        try await postgres.query(
            """
            INSERT INTO users (id, org_id, username, password_hash, role, is_main) VALUES (\("usr_" + org), \(org), \(username), 'x', \(kind), true)
            """)
    }

    /// Grants a voucher by SQL (a lot of its own, a `grant` ledger entry) and returns its id.
    func voucher(
        org: String, faceFen: Int64, kind: String = "diagnostic", direction: String? = nil, validFor seconds: TimeInterval = 86_400 * 90
    ) async throws -> String {
        try await TestVouchers.grant(postgres, org: org, faceFen: faceFen, kind: kind, direction: direction, validFor: seconds)
    }

    /// Ages a voucher past its validity (as if time had passed).
    func expireValidity(_ voucherID: String) async throws {
        try await postgres.query("UPDATE vouchers SET valid_until = now() - interval '1 hour' WHERE id = \(voucherID)")
    }

    func token(_ org: String, role: Role = .enterprise) async throws -> String {
        try await tokens.issueAccessToken(for: Identity(userID: "usr_" + org, orgID: org, role: role, certified: true, permissions: ["*"]))
    }

    func operatorToken() async throws -> String {
        try await tokens.issueAccessToken(
            for: Identity(
                userID: Self.operatorUser, orgID: "org_platform", role: .operator, certified: true, permissions: ["*"]))
    }

    func providerToken() async throws -> String { try await token(Self.provider, role: .provider) }

    /// One request through this world's client (`TestClientProtocol.call` in TestSupport).
    func call(
        _ method: HTTPRequest.Method, _ path: String, token: String?, json: [String: Any]? = nil, raw: [UInt8]? = nil, headers: HTTPFields = [:]
    ) async throws -> Answer {
        try await client.call(method, path, token: token, json: json, raw: raw, headers: headers)
    }

    /// Walks listings through the chain over HTTP (`ListingChain`).
    var listings: ListingChain { ListingChain(client: client, postgres: postgres, tokens: tokens, operatorUserID: Self.operatorUser) }

    /// A listed product of the provider with one spec; returns (product id, spec id).
    func listedProduct(category: String = "diagnostic_consulting", unitPriceFen: Int64, pricing: String = "simple") async throws -> (String, String) {
        let listed = try await listings.listedProduct(
            providerToken: try await providerToken(), category: category,
            specs: [ListingChain.spec(unitPriceFen: unitPriceFen, pricing: pricing)])
        return (listed.productID, try #require(listed.specIDs.first))
    }

    /// Places an order over HTTP with a fresh Idempotency-Key unless one is given.
    func placeOrder(
        org: String, product: (String, String), quantity: Int = 1, vouchers: [String]? = nil, key: String = UUID().uuidString
    ) async throws -> Answer {
        var body: [String: Any] = ["productId": product.0, "specId": product.1, "quantity": quantity]
        if let vouchers { body["voucherIds"] = vouchers }
        return try await call(.post, "/v1/orders", token: try await token(org), json: body, headers: [.idempotencyKey: key])
    }

    /// The voucher's (available, held, captured, expired).
    func balances(_ voucherID: String) async throws -> (Int64, Int64, Int64, Int64) {
        let rows = try await postgres.query(
            """
            SELECT available_fen, held_fen, captured_fen, expired_fen FROM vouchers WHERE id = \(voucherID)
            """)
        for try await row in rows.decode((Int64, Int64, Int64, Int64).self) { return row }
        throw TestSetupError("no voucher \(voucherID)")
    }

    /// Runs `ledger verify` and fails the test with every breach.
    func expectLedgerConsistent(_ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let report = try await LedgerVerifier(client: postgres, logger: TestEnvironment.logger).verify()
        #expect(report.isConsistent, "\(comment?.description ?? ""): \(report.breaches)", sourceLocation: sourceLocation)
    }

    /// Uploads a small PNG proof, submits the payment and decides it as the operator.
    func pay(org: String, orderID: String, approve: Bool = true) async throws -> Answer {
        let proof = try await call(.post, "/v1/orders/\(orderID)/proofs", token: try await token(org), raw: Proofs.png)
        #expect(proof.status == .ok, "\(proof.json)")
        let submitted = try await call(.post, "/v1/orders/\(orderID)/payment", token: try await token(org))
        #expect(submitted.status == .ok, "\(submitted.json)")
        let approval = try #require(submitted.string("approvalId"))
        return try await decide(approval, approve: approve)
    }

    func decide(_ approvalID: String, approve: Bool) async throws -> Answer {
        let path = "/v1/approvals/\(approvalID)/\(approve ? "approve" : "reject")"
        return try await call(.post, path, token: try await operatorToken(), json: approve ? [:] : ["reason": "转账凭证不清晰，请重新上传"])
    }
}

/// Small files by their magic bytes.
enum Proofs {
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + [UInt8](repeating: 7, count: 64)
    static let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0] + [UInt8](repeating: 1, count: 64)
    static let bmp: [UInt8] = Array("BM".utf8) + [UInt8](repeating: 0, count: 64)
    static let pdf: [UInt8] = Array("%PDF-1.7\n".utf8) + [UInt8](repeating: 0x20, count: 64)
    static let gif: [UInt8] = Array("GIF89a".utf8) + [UInt8](repeating: 0, count: 64)
    static let text: [UInt8] = Array("this is not a proof".utf8)
}
