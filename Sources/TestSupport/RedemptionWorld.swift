import API
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresNIO
import PostgresStore
import Reconciliation
import Testing
import VoucherConfig
import VoucherCore
import VoucherServices

/// The world of one redemption test: a fresh migrated database; the service's router over it
/// (built by `Services`, with a manual clock and a file folder of its own); an operator, an
/// auditor, a finance user, two providers, enterprises. Usages come from orders driven to
/// completion over HTTP, as in production.
public struct RedemptionWorld: Sendable {
    public let client: any TestClientProtocol
    public let postgres: PostgresClient
    public let tokens: TokenService
    public let clock: TestClock
    /// The uploads' folder, to see what is on disk.
    public let files: LocalDiskFileStore

    public static let provider = "org_prov"
    public static let providerName = "数字服务商"
    public static let otherProvider = "org_prov2"
    public static let abcNumber = "6228480402564890018"

    public static func run(_ body: @escaping @Sendable (RedemptionWorld) async throws -> Void) async throws {
        try await TestDatabase.with { postgres, config in
            let folder = TestEnvironment.stateDirectory + "/redemption-files-" + UUID().uuidString
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let files = LocalDiskFileStore(root: folder)
            let clock = TestClock()
            let overrides = Services.Overrides(clock: clock, files: files, bcryptCost: 4)
            try await TestServices.with(postgres: postgres, config: config, overrides: overrides) { services in
                let app = Application(router: VoucherApp.buildRouter(services: services), logger: TestEnvironment.logger)
                try await seedPlatform(postgres)
                try await app.test(.router) { client in
                    try await body(RedemptionWorld(client: client, postgres: postgres, tokens: services.tokens, clock: clock, files: files))
                }
            }
        }
    }

    public static func seedPlatform(_ postgres: PostgresClient) async throws {
        try await postgres.query(
            """
            INSERT INTO organisations (id, kind, name, certification) VALUES
                ('org_platform', 'platform', 'Platform', 'certified'), (\(provider), 'provider', \(providerName), 'certified'),
                (\(otherProvider), 'provider', '另一家服务商', 'certified'), ('ent_x', 'enterprise', '某企业', 'certified')
            """)
        try await postgres.query(
            """
            INSERT INTO users (id, org_id, username, password_hash, role, is_main) VALUES
                ('usr_op', 'org_platform', 'operator', 'x', 'operator', true),
                ('usr_op2', 'org_platform', 'operator_two', 'x', 'operator', false),
                ('usr_aud', 'org_platform', 'auditor', 'x', 'auditor', false),
                ('usr_fin', 'org_platform', 'finance', 'x', 'finance', false),
                ('usr_org_prov', \(provider), 'provider', 'x', 'provider', true),
                ('usr_org_prov2', \(otherProvider), 'provider2', 'x', 'provider', true),
                ('usr_ent_x', 'ent_x', 'enterprise_x', 'x', 'enterprise', true)
            """)
        try await postgres.query(
            """
            INSERT INTO campaigns (id, name, starts_at, ends_at, status, created_by)
            VALUES ('cmp_test', '双十二数字化转型服务券', now() - interval '1 day', now() + interval '30 days', 'published', 'usr_op')
            """)
    }

    /// The batch chain's deciders, one person a stage (four-eyes): the auditor, an operator for
    /// settlement and a second operator for payment.
    public static let batchDeciders: [(role: Role, user: String)] = [(.auditor, "usr_aud"), (.operator, "usr_op"), (.operator, "usr_op2")]

    /// A token of the platform's `role` (`user` picks one of the two operators, `usr_op` by default).
    public func platformToken(_ role: Role, user chosen: String? = nil) async throws -> String {
        let standard =
            switch role {
            case .auditor: "usr_aud"
            case .finance: "usr_fin"
            default: "usr_op"
            }
        let user = chosen ?? standard
        return try await tokens.issueAccessToken(for: Identity(userID: user, orgID: "org_platform", role: role, certified: true, permissions: ["*"]))
    }

    public func token(_ org: String, role: Role = .enterprise) async throws -> String {
        try await tokens.issueAccessToken(for: Identity(userID: "usr_" + org, orgID: org, role: role, certified: true, permissions: ["*"]))
    }

    public func providerToken(_ org: String = Self.provider) async throws -> String { try await token(org, role: .provider) }

    /// One request through this world's client (`TestClientProtocol.call` in TestSupport).
    public func call(
        _ method: HTTPRequest.Method, _ path: String, token: String?, json: [String: Any]? = nil, raw: [UInt8]? = nil, headers: HTTPFields = [:]
    ) async throws -> Answer {
        try await client.call(method, path, token: token, json: json, raw: raw, headers: headers)
    }

    /// Completed orders of `provider`, each paid partly with a fresh diagnostic voucher of a new
    /// enterprise; returns the usage ids (one per order). Deductions are 30 % of each price.
    public func completedUsages(pricesFen: [Int64], provider: String = Self.provider, kind: String = "diagnostic") async throws -> [String] {
        var usages: [String] = []
        for price in pricesFen {
            let listed = try await ListingChain(client: client, postgres: postgres, tokens: tokens).listedProduct(
                providerToken: try await providerToken(provider), category: kind == "general" ? "cloud" : "diagnostic_consulting",
                specs: [ListingChain.spec(unitPriceFen: price)])
            let productID = listed.productID
            let specID = try #require(listed.specIDs.first)

            let org = "ent_" + String(OpaqueID.make(prefix: "e").suffix(8))
            try await postgres.query("INSERT INTO organisations (id, kind, name, certification) VALUES (\(org), 'enterprise', \(org), 'certified')")
            try await postgres.query(
                """
                INSERT INTO users (id, org_id, username, password_hash, role, is_main) VALUES (\("usr_" + org), \(org), \("u_" + org), 'x',
                    'enterprise', true)
                """)
            let voucher = try await grantVoucher(org: org, faceFen: price, kind: kind)
            let placed = try await call(
                .post, "/v1/orders", token: try await token(org),
                json: [
                    "productId": productID, "specId": specID, "quantity": 1, "voucherIds": [voucher],
                ], headers: [.idempotencyKey: UUID().uuidString])
            #expect(placed.status == .created, "\(placed.json)")
            let orderID = try #require(placed.string("id"))
            let proof = try await call(.post, "/v1/orders/\(orderID)/proofs", token: try await token(org), raw: Files.png)
            #expect(proof.status == .ok, "\(proof.json)")
            let submitted = try await call(.post, "/v1/orders/\(orderID)/payment", token: try await token(org))
            let approval = try #require(submitted.string("approvalId"))
            let paid = try await call(.post, "/v1/approvals/\(approval)/approve", token: try await platformToken(.operator), json: [:])
            #expect(paid.status == .ok, "\(paid.json)")
            let delivered = try await call(.post, "/v1/provider/orders/\(orderID)/deliver", token: try await providerToken(provider))
            #expect(delivered.string("state") == "delivered", "\(delivered.json)")
            let accepted = try await call(.post, "/v1/orders/\(orderID)/accept", token: try await token(org))
            #expect(accepted.string("state") == "completed", "\(accepted.json)")
            for try await id in try await postgres.query("SELECT id FROM usages WHERE order_id = \(orderID)").decode(String.self) {
                usages.append(id)
            }
        }
        return usages
    }

    public func grantVoucher(org: String, faceFen: Int64, kind: String) async throws -> String {
        try await TestVouchers.grant(postgres, org: org, faceFen: faceFen, kind: kind, direction: kind == "general" ? "cloud" : nil)
    }

    /// Adds the provider's ABC account under its registered name.
    public func payeeAccount(_ org: String = Self.provider, name: String = Self.providerName) async throws -> String {
        let added = try await call(
            .post, "/v1/provider/payee-accounts", token: try await providerToken(org),
            json: [
                "bank": "ABC", "accountName": name, "accountNumber": Self.abcNumber,
            ])
        #expect(added.status == .created, "\(added.json)")
        return try #require(added.string("id"))
    }

    public func submit(
        _ usages: [String], payee: String, archive: [UInt8] = Files.zip, org: String = Self.provider, key: String? = nil
    ) async throws -> Answer {
        var headers: HTTPFields = [:]
        if let key { headers[.idempotencyKey] = key }
        return try await call(
            .post, "/v1/redemption/batches?usageIds=\(usages.joined(separator: ","))&payeeAccountId=\(payee)",
            token: try await providerToken(org), raw: archive, headers: headers)
    }

    public func decide(_ approvalID: String, role: Role, approve: Bool, user: String? = nil) async throws -> Answer {
        try await call(
            .post, "/v1/approvals/\(approvalID)/\(approve ? "approve" : "reject")", token: try await platformToken(role, user: user),
            json: approve ? [:] : ["reason": "材料不全：缺少发票"])
    }

    /// Walks a batch's approvals chain: the auditor, an operator (settlement), a second operator (payment).
    public func approveChain(_ approval: String) async throws {
        for (role, user) in Self.batchDeciders {
            let answer = try await decide(approval, role: role, approve: true, user: user)
            #expect(answer.status == .ok, "\(role): \(answer.json)")
        }
    }

    public func batch(_ id: String, token: String? = nil) async throws -> Answer {
        let bearer = if let token { token } else { try await providerToken() }
        return try await call(.get, "/v1/redemption/batches/\(id)", token: bearer)
    }

    public func usageStates(_ ids: [String]) async throws -> [String] {
        var states: [String] = []
        for try await state in try await postgres.query("SELECT state FROM usages WHERE id = ANY(\(ids)) ORDER BY id").decode(String.self) {
            states.append(state)
        }
        return states
    }

    public func count(_ sql: String) async throws -> Int {
        for try await value in try await postgres.query(PostgresQuery(unsafeSQL: sql)).decode(Int.self) { return value }
        return 0
    }

    public func expectLedgerConsistent(sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let report = try await LedgerVerifier(client: postgres, logger: TestEnvironment.logger).verify()
        #expect(report.isConsistent, "\(report.breaches)", sourceLocation: sourceLocation)
    }
}

/// Small files by their magic bytes.
public enum Files {
    public static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + [UInt8](repeating: 7, count: 64)
    public static let zip: [UInt8] = [0x50, 0x4B, 0x03, 0x04] + [UInt8](repeating: 3, count: 128)
    public static let rar: [UInt8] = [0x52, 0x61, 0x72, 0x21, 0x1A, 0x07, 0x01, 0x00] + [UInt8](repeating: 5, count: 128)
    public static let notZip: [UInt8] = Array("this file claims to be a .zip but is text".utf8)
}
