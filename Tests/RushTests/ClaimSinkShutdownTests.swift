import Foundation
import PostgresNIO
import PostgresStore
import RedisNIO
import Synchronization
import TestSupport
import Testing
import VoucherServices

@testable import Rush

@Suite struct ClaimSinkShutdownTests {
    @Test func aCancelledSinkEndsWhilePostgresKeepsItsQueryWaiting() async throws {
        // Proves the sink ends on cancellation (graceful shutdown) even while a PostgreSQL call of
        // its own never answers: postgres-nio ignores cancellation there, and a sink that waited for
        // it once held a whole test run's shutdown for 20 minutes. A lock on `campaigns` keeps the
        // sink's query waiting here, for real, until the test lets go.
        try await TestDatabase.with { client, config in
            let redis = try await RedisClient.connect(configuration: config.redis.clientConfiguration)
            let logger = TestEnvironment.logger
            let sink = ClaimSink(
                redis: redis, claims: ClaimsRepository(client: client, logger: logger),
                campaigns: CampaignsRepository(client: client, logger: logger), consumer: "blocked", logger: logger)
            let ended = EndFlag()
            try await client.transaction(logger: logger) { connection in
                try await connection.query("LOCK TABLE campaigns IN ACCESS EXCLUSIVE MODE", logger: logger)
                let running = Task {
                    try? await sink.run()
                    ended.set()
                }
                #expect(try await Self.lockWaitSeen(client, within: .seconds(120)))
                running.cancel()
                // Bounded generously: it ends at once, or only once the lock goes (at the commit).
                let deadline = ContinuousClock.now + .seconds(60)
                while !ended.isSet, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
                #expect(ended.isSet, "the cancelled sink still waits for its PostgreSQL call")
            }
            await redis.shutdown()
        }
    }

    /// True once a query of this database waits for a lock (the sink's), polling until `bound` passes.
    static func lockWaitSeen(_ client: PostgresClient, within bound: Duration) async throws -> Bool {
        let deadline = ContinuousClock.now + bound
        while ContinuousClock.now < deadline {
            let rows = try await client.query(
                """
                SELECT count(*) FROM pg_stat_activity
                WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%FROM campaigns%'
                """, logger: TestEnvironment.logger)
            for try await count in rows.decode(Int.self) where count > 0 { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }
}

/// Set once the sink's `run()` returned.
final class EndFlag: Sendable {
    private let value = Atomic(false)
    var isSet: Bool { value.load(ordering: .acquiring) }
    func set() { value.store(true, ordering: .releasing) }
}
