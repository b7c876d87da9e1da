import API
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresNIO
import PostgresStore
import Prometheus
import RedisNIO
import Rush
import TestSupport
import Testing
import VoucherConfig
import VoucherCore
import VoucherServices

/// One test's world for the grab path: a fresh database, the shared test Redis (keys are per
/// campaign, so tests do not meet), an operator, enterprises, and tokens minted with the
/// configured secret.
struct RushWorld: Sendable {
    let postgres: PostgresClient
    let config: AppConfig
    let tokens: TokenService
    static let operatorID = "usr_test_operator"

    /// Runs `body` with a migrated database and generous rate limits unless overridden.
    static func with<T: Sendable>(
        overrides: [String: String] = [:],
        _ body: @escaping @Sendable (RushWorld) async throws -> T
    ) async throws -> T {
        try await TestDatabase.with { client, config in
            var merged = [
                "grab.enterpriseBurst": "1000", "grab.enterprisePerSecond": "1000", "grab.addressBurst": "100000", "grab.addressPerSecond": "100000",
            ]
            merged.merge(overrides) { $1 }
            let config = try TestEnvironment.config(database: config.postgres.database, overrides: merged)
            let world = RushWorld(postgres: client, config: config, tokens: await TokenService(config: config.jwt))
            try await world.seedOperator()
            return try await body(world)
        }
    }

    private func seedOperator() async throws {
        try await postgres.query(
            "INSERT INTO organisations (id, kind, name, certification) VALUES ('org_platform', 'platform', 'Platform', 'certified')")
        // A provider, whose (existing, live) account a grab refuses by role.
        try await postgres.query(
            "INSERT INTO organisations (id, kind, name, certification) VALUES ('org_provider', 'provider', 'Provider', 'certified')")
        try await postgres.query(
            """
            INSERT INTO users (id, org_id, username, password_hash, role, is_main)
            VALUES ('usr_org_provider', 'org_provider', 'provider', 'x', 'provider', true)
            """)
        try await postgres.query(
            """
            INSERT INTO users (id, org_id, username, password_hash, role, is_main)
            VALUES (\(Self.operatorID), 'org_platform', 'operator', 'x', 'operator', true)
            """)
    }

    /// Inserts `count` certified enterprises (or not certified) and returns their ids.
    func enterprises(_ count: Int, prefix: String = "ent", certified: Bool = true) async throws -> [String] {
        let status = certified ? "certified" : "under_review"
        try await postgres.query(
            PostgresQuery(
                unsafeSQL: """
                    INSERT INTO organisations (id, kind, name, certification)
                    SELECT '\(prefix)_' || i, 'enterprise', 'Enterprise ' || i, '\(status)' FROM generate_series(1, \(count)) AS i
                    """))
        try await postgres.query(
            PostgresQuery(
                unsafeSQL: """
                    INSERT INTO users (id, org_id, username, password_hash, role, is_main)
                    SELECT 'usr_\(prefix)_' || i, '\(prefix)_' || i, 'user_\(prefix)_' || i, 'x', 'enterprise', true FROM generate_series(1,
                        \(count)) AS i
                    """))
        return (1...count).map { "\(prefix)_\($0)" }
    }

    /// `count` certified enterprises and an access token for each, in the same order.
    func enterprisesWithTokens(_ count: Int) async throws -> (orgs: [String], tokens: [String]) {
        let orgs = try await enterprises(count)
        var tokens: [String] = []
        for org in orgs { tokens.append(try await token(org: org)) }
        return (orgs, tokens)
    }

    func token(org: String, role: Role = .enterprise, certified: Bool = true) async throws -> String {
        try await tokens.issueAccessToken(for: Identity(userID: "usr_\(org)", orgID: org, role: role, certified: certified, permissions: ["*"]))
    }

    func operatorToken() async throws -> String {
        try await tokens.issueAccessToken(
            for: Identity(userID: Self.operatorID, orgID: "org_platform", role: .operator, certified: true, permissions: ["*"]))
    }

    /// The application against this world's stores; with `clock`, the grab path's in-memory
    /// limits (rate buckets, sold-out recheck, lot freshness) run on it instead of the machine's.
    func app(config: AppConfig? = nil, clock: TestClock? = nil) async throws -> some ApplicationProtocol {
        let config = config ?? self.config
        let stores = try AppStores.make(config: config, logger: TestEnvironment.logger)
        let services = await Services.live(
            config: config, stores: stores, logger: TestEnvironment.logger, overrides: Services.Overrides(rushClock: clock))
        return VoucherApp.buildApplication(services: services, registry: PrometheusCollectorRegistry())
    }

    /// Vouchers of a campaign in PostgreSQL.
    func voucherRows(campaign: String) async throws -> [(id: String, org: String)] {
        var rows: [(String, String)] = []
        for try await row in try await postgres.query("SELECT id, org_id FROM vouchers WHERE campaign_id = \(campaign)").decode((String, String).self)
        {
            rows.append(row)
        }
        return rows.map { (id: $0.0, org: $0.1) }
    }

    /// Waits until PostgreSQL holds `count` vouchers of the campaign (the sink drained), or fails;
    /// the bound is generous because it only ends a wait for a condition (a loaded CI machine is slow).
    func waitForRows(campaign: String, count: Int, timeout: Duration = .seconds(90)) async throws -> [(id: String, org: String)] {
        let deadline = ContinuousClock.now + timeout
        var rows = try await voucherRows(campaign: campaign)
        while rows.count < count, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
            rows = try await voucherRows(campaign: campaign)
        }
        return rows
    }

    /// Consistency of Redis and PostgreSQL for the campaign, waiting for pending claims to clear.
    func verify(campaign: String, redisPort: Int? = nil, timeout: Duration = .seconds(90)) async throws -> CampaignVerifier.Report {
        var redisConfig = config.redis.clientConfiguration
        if let redisPort { redisConfig.port = redisPort }
        let redis = try await RedisClient.connect(configuration: redisConfig)
        defer { Task { await redis.shutdown() } }
        let verifier = CampaignVerifier(
            redis: redis, campaigns: CampaignsRepository(client: postgres, logger: TestEnvironment.logger),
            claims: ClaimsRepository(client: postgres, logger: TestEnvironment.logger))
        let deadline = ContinuousClock.now + timeout
        while true {
            guard let report = try await verifier.verify(campaignID: campaign) else { throw TestSetupError("no campaign \(campaign)") }
            if report.isConsistent || ContinuousClock.now >= deadline { return report }
            try await Task.sleep(for: .milliseconds(200))
        }
    }
}

/// What a grab answered, in a Sendable shape.
struct GrabAnswer: Sendable {
    let status: HTTPResponse.Status
    let voucherID: String?
    let code: String?
}

/// JSON helpers for responses.
func json(_ buffer: ByteBuffer) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(buffer: buffer)) as? [String: Any] ?? [:]
}

func body(_ object: [String: Any]) throws -> ByteBuffer {
    ByteBuffer(data: try JSONSerialization.data(withJSONObject: object))
}

func bearer(_ token: String, _ extra: HTTPFields = [:]) -> HTTPFields {
    var fields: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "application/json"]
    fields.append(contentsOf: extra)
    return fields
}

/// A campaign body opening a minute ago and closing in an hour, with one grab lot.
func campaignBody(
    stock: Int, limit: Int = 1, opensIn: TimeInterval = -60, closesIn: TimeInterval = 3600, kind: String = "diagnostic"
) -> [String: Any] {
    var lot: [String: Any] = [
        "kind": kind, "faceValueFen": 1_500_000, "stock": stock, "perEnterpriseLimit": limit, "mode": "grab", "validityDays": 180,
    ]
    if kind == "general" { lot["direction"] = "cloud" }
    return [
        "name": "双十二数字化转型服务券",
        "startsAt": RFC3339.format(Date().addingTimeInterval(opensIn)),
        "endsAt": RFC3339.format(Date().addingTimeInterval(closesIn)),
        "lots": [lot],
    ]
}

extension TestClientProtocol {
    /// Creates and publishes a campaign as the operator; returns (campaign id, lot id).
    func publishCampaign(_ world: RushWorld, _ campaign: [String: Any]) async throws -> (String, String) {
        let operatorToken = try await world.operatorToken()
        let created = try await execute(uri: "/v1/campaigns", method: .post, headers: bearer(operatorToken), body: try body(campaign)) { response in
            #expect(response.status == .created)
            return try json(response.body)
        }
        let id = try #require(created["id"] as? String)
        let lots = try #require(created["lots"] as? [[String: Any]])
        let lot = try #require(lots.first?["id"] as? String)
        try await execute(uri: "/v1/campaigns/\(id)/publish", method: .post, headers: bearer(operatorToken)) { response in
            #expect(response.status == .ok)
        }
        return (id, lot)
    }

    /// Grabs and returns the status with the voucher id or the problem code.
    func grab(_ campaign: String, _ lot: String, token: String, key: String? = nil) async throws -> GrabAnswer {
        var extra: HTTPFields = [:]
        if let key { extra[.idempotencyKey] = key }
        return try await execute(uri: "/v1/campaigns/\(campaign)/lots/\(lot)/grab", method: .post, headers: bearer(token, extra)) { response in
            let object = try json(response.body)
            return GrabAnswer(status: response.status, voucherID: object["voucherId"] as? String, code: object["code"] as? String)
        }
    }
}
