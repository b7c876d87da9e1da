import Foundation
import PostgresNIO
import PostgresStore
import RedisNIO
import Rush
import TestSupport

/// What only the grab path's tests ask of their world: waiting for the claim sink, and
/// Redis against PostgreSQL.
extension RushWorld {
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
