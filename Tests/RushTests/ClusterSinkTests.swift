import Foundation
import PostgresStore
import RedisNIO
import TestSupport
import Testing

@testable import Rush

#if canImport(Glibc)
import Glibc
#endif

/// The claim sink on the Redis Cluster: what it stores must survive a failover.
@Suite("Claim sink on Redis Cluster")
struct ClusterSinkTests {
    /// Retries of the confirmation once the replica runs again, before the test gives up.
    static let confirmRetriesMax = 50

    /// Proves that the sink stores only claims a replica holds (`ClaimSink.confirmed`): with the
    /// stream's master's replica stopped (SIGSTOP), entries the sink has read are not confirmed and
    /// nothing is handed on (a claim stored now and lost with the master would be a voucher the
    /// promoted replica issues again); once the replica runs, the same entries are confirmed; an
    /// id that is not pending with the sink is left out.
    @Test func onlyClaimsAReplicaHoldsAreStored() async throws {
        try await TestCluster.ensureRunning()
        let overrides = ["redis.cluster.seeds": "127.0.0.1:\(TestCluster.port)", "redis.cluster.waitTimeoutMs": "100"]
        // Alone on the cluster: a stopped replica makes every WAIT of another cluster test fail.
        try await TestCluster.withExclusive {
            try await RushWorld.with(overrides: overrides) { world in
                let redis = try await RedisClient.connect(configuration: world.config.redis.clientConfiguration)
                let stream = CampaignKeys(campaignID: "cmp_sink_\(UUID().uuidString.prefix(8))").stream
                let sink = ClaimSink(
                    redis: redis, claims: ClaimsRepository(client: world.postgres, logger: TestEnvironment.logger),
                    campaigns: CampaignsRepository(client: world.postgres, logger: TestEnvironment.logger), consumer: "sink-test",
                    logger: TestEnvironment.logger, replication: GrabReplication(replicas: 1, timeoutMilliseconds: 100))
                do {
                    _ = try await redis.xgroupCreate(stream, group: ClaimSink.group, startID: "0")
                    let replicaPID = try await ClusterGrabTests.replicaPID(ofKey: stream, world: world)
                    let read: [RedisStreamEntry]
                    let whileStopped: [RedisStreamEntry]
                    do {
                        #expect(kill(replicaPID, SIGSTOP) == 0)
                        // The replica runs again however this ends (answer, throw or failed expectation).
                        defer { #expect(kill(replicaPID, SIGCONT) == 0) }
                        _ = try await redis.send(["XADD", stream, "*", "v", "lot_x-1", "lot", "lot_x", "ent", "org_x", "n", "1", "at", "0"])
                        read = try await redis.xreadgroup(group: ClaimSink.group, consumer: "sink-test", stream: stream, count: 10)
                        whileStopped = try await sink.confirmed(read, stream: stream)
                    }
                    #expect(read.count == 1)
                    #expect(whileStopped.isEmpty)
                    let stranger = RedisStreamEntry(id: "1-1", fields: [:])
                    var confirmed = try await sink.confirmed(read + [stranger], stream: stream)
                    for _ in 0..<Self.confirmRetriesMax where confirmed.isEmpty {
                        confirmed = try await sink.confirmed(read + [stranger], stream: stream)
                    }
                    #expect(confirmed.map(\.id) == read.map(\.id))
                } catch {
                    _ = try? await redis.send(["DEL", stream])
                    await redis.shutdown()
                    throw error
                }
                _ = try await redis.send(["DEL", stream])
                await redis.shutdown()
            }
        }
    }
}
