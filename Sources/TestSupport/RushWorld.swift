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
import Testing
import VoucherConfig
import VoucherCore
import VoucherServices

/// One test's world over the whole application (the grab path, campaigns, the middleware): a
/// fresh database, the shared test Redis (keys are per campaign, so tests do not meet), an
/// operator, enterprises, and tokens minted with the configured secret.
public struct RushWorld: Sendable {
    public let postgres: PostgresClient
    public let config: AppConfig
    public let tokens: TokenService
    public static let operatorID = "usr_test_operator"

    /// A world over stores the test set up itself (a PostgreSQL server it stops and starts, say).
    public init(postgres: PostgresClient, config: AppConfig, tokens: TokenService) {
        self.postgres = postgres
        self.config = config
        self.tokens = tokens
    }

    /// Where a world's Redis is: the test Redis, or the test Redis Cluster (`ops/cluster`, started by
    /// ops/test). The grab suites run in both.
    public enum RedisMode: String, Sendable, CaseIterable, CustomStringConvertible {
        case single, cluster
        public var description: String { rawValue }
    }

    /// `with(overrides:_:)` on the Redis of `mode`. On the cluster the world's grabs wait for one
    /// replica (`WAIT`) with a long timeout, so a live replica on a loaded machine always confirms in
    /// time, and the cluster gate is held shared: no test fails a node over, migrates a slot or stops
    /// a replica meanwhile.
    public static func with<T: Sendable>(
        redis mode: RedisMode,
        overrides: [String: String] = [:],
        _ body: @escaping @Sendable (RushWorld) async throws -> T
    ) async throws -> T {
        guard mode == .cluster else { return try await with(overrides: overrides, body) }
        try await TestCluster.ensureRunning()
        var merged = ["redis.cluster.seeds": "127.0.0.1:\(TestCluster.port)", "redis.cluster.waitTimeoutMs": "10000"]
        merged.merge(overrides) { $1 }
        var result: T?
        try await TestCluster.withShared {
            result = try await with(overrides: merged) { world in
                guard world.config.redis.clusterSeeds == ["127.0.0.1:\(TestCluster.port)"] else {
                    throw TestClusterError.notClusterMode
                }
                return try await body(world)
            }
        }
        guard let result else { throw TestClusterError.notClusterMode }
        return result
    }

    /// Runs `body` with a migrated database and generous rate limits unless overridden.
    public static func with<T: Sendable>(
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
    public func enterprises(_ count: Int, prefix: String = "ent", certified: Bool = true) async throws -> [String] {
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
    public func enterprisesWithTokens(_ count: Int) async throws -> (orgs: [String], tokens: [String]) {
        let orgs = try await enterprises(count)
        var tokens: [String] = []
        for org in orgs { tokens.append(try await token(org: org)) }
        return (orgs, tokens)
    }

    public func token(org: String, role: Role = .enterprise, certified: Bool = true) async throws -> String {
        try await tokens.issueAccessToken(for: Identity(userID: "usr_\(org)", orgID: org, role: role, certified: certified, permissions: ["*"]))
    }

    public func operatorToken() async throws -> String {
        try await tokens.issueAccessToken(
            for: Identity(userID: Self.operatorID, orgID: "org_platform", role: .operator, certified: true, permissions: ["*"]))
    }

    /// The application against this world's stores; with `clock`, the grab path's in-memory
    /// limits (rate buckets, sold-out recheck, lot freshness) run on it instead of the machine's;
    /// with `wallClock`, the use cases' calendar time (`Services.clock`) does.
    public func app(config: AppConfig? = nil, clock: TestClock? = nil, wallClock: TestClock? = nil) async throws -> some ApplicationProtocol {
        let config = config ?? self.config
        let stores = try AppStores.make(config: config, logger: TestEnvironment.logger)
        await stores.redis.firstAttemptsMade()
        let services = await Services.live(
            config: config, stores: stores, logger: TestEnvironment.logger, overrides: Services.Overrides(clock: wallClock, rushClock: clock))
        return VoucherApp.buildApplication(services: services, registry: PrometheusCollectorRegistry())
    }

    /// Vouchers of a campaign in PostgreSQL.
    public func voucherRows(campaign: String) async throws -> [(id: String, org: String)] {
        var rows: [(String, String)] = []
        for try await row in try await postgres.query("SELECT id, org_id FROM vouchers WHERE campaign_id = \(campaign)").decode((String, String).self)
        {
            rows.append(row)
        }
        return rows.map { (id: $0.0, org: $0.1) }
    }
}

/// What a grab answered, in a Sendable shape.
public struct GrabAnswer: Sendable {
    public let status: HTTPResponse.Status
    public let voucherID: String?
    public let code: String?
}

/// A campaign body opening a minute ago and closing in an hour, with one grab lot.
public func campaignBody(
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
    public func publishCampaign(_ world: RushWorld, _ campaign: [String: Any]) async throws -> (String, String) {
        let operatorToken = try await world.operatorToken()
        let created = try await call(.post, "/v1/campaigns", token: operatorToken, json: campaign)
        #expect(created.status == .created, "\(created.json)")
        let id = try #require(created.string("id"))
        let lot = try #require((created.json["lots"] as? [[String: Any]])?.first?["id"] as? String)
        let published = try await call(.post, "/v1/campaigns/\(id)/publish", token: operatorToken)
        #expect(published.status == .ok, "\(published.json)")
        return (id, lot)
    }

    /// Grabs and returns the status with the voucher id or the problem code.
    public func grab(_ campaign: String, _ lot: String, token: String, key: String? = nil) async throws -> GrabAnswer {
        var extra: HTTPFields = [:]
        if let key { extra[.idempotencyKey] = key }
        let answer = try await call(.post, "/v1/campaigns/\(campaign)/lots/\(lot)/grab", token: token, headers: extra)
        return GrabAnswer(status: answer.status, voucherID: answer.string("voucherId"), code: answer.code)
    }
}

/// A cluster-mode world that did not come up in cluster mode.
public enum TestClusterError: Error, Sendable {
    case notClusterMode
}
