import Foundation
import Logging
import NIOCore
import TestSupport
import Testing

@testable import RedisNIO

/// Cluster mode against the real local cluster of `ops/cluster` (3 masters + 3 replicas): keys
/// land on the master of their slot, a stale map is corrected by MOVED, a slot in migration is
/// served through ASK, a split multi-key command ends in `.clusterUnavailable` after bounded
/// retries, scripts reload per node, and a failover is followed. Serialized, and the migration,
/// SCRIPT FLUSH and failover tests hold the cluster gate alone (ClusterTestGate): they change the
/// cluster that the other suites' cluster tests read.
@Suite("Redis Cluster", .serialized)
struct RedisClusterTests {
    static func configuration() -> RedisConfiguration {
        var configuration = testConfiguration(port: TestCluster.port)
        configuration.clusterSeeds = [RedisNodeAddress(host: "127.0.0.1", port: TestCluster.port)]
        configuration.poolSize = 1
        return configuration
    }

    /// A cluster-mode client on the test cluster (started if needed), under the process-wide
    /// cluster gate: `exclusive` for a test that changes the cluster (failover, migration, SCRIPT
    /// FLUSH), which then waits for the cluster to be healthy again before others run.
    static func withCluster(exclusive: Bool = false, _ body: (RedisClient) async throws -> Void) async throws {
        try await TestCluster.ensureRunning()
        if exclusive {
            try await TestCluster.withExclusive { try await withClient(configuration(), body) }
        } else {
            try await TestCluster.withShared { try await withClient(configuration(), body) }
        }
    }

    /// A single-server client straight to one node, to see what that node alone holds.
    static func withNode(_ address: RedisNodeAddress, _ body: (RedisClient) async throws -> Void) async throws {
        try await withClient(testConfiguration(port: address.port), body)
    }

    static func nodeID(_ node: RedisClient) async throws -> String {
        guard let id = try await node.send(["CLUSTER", "MYID"]).checked().string else { throw TestSetupError("no node id") }
        return id
    }

    /// Keys with different tags spread over all three masters, each stored on the master the
    /// map names (that node alone answers it; the others redirect).
    @Test func keysLandOnTheirSlotsMaster() async throws {
        try await Self.withCluster { client in
            #expect(client.isCluster)
            let prefix = UUID().uuidString
            var masters: Set<RedisNodeAddress> = []
            for index in 0..<30 {
                let key = "{\(prefix)-\(index)}:k"
                try await client.set(key, to: "v\(index)")
                #expect(try await client.getString(key) == "v\(index)")
                let master = try #require(client.clusterMaster(ofKey: key))
                masters.insert(master)
                try await Self.withNode(master) { node throws in
                    #expect(try await node.getString(key) == "v\(index)")
                }
            }
            #expect(masters.count == 3)
            try await client.ping()
            #expect(try await client.time().seconds > 0)
        }
    }

    /// A stale map (the slot said to be at another master) is corrected by the MOVED reply: the
    /// command is answered and the map names the right master again.
    @Test func movedIsFollowedAndLearned() async throws {
        try await Self.withCluster { client in
            let key = "{\(UUID().uuidString)}:moved"
            try await client.set(key, to: "here")
            let router = try #require(client.cluster)
            let owner = try #require(client.clusterMaster(ofKey: key))
            let other = try #require(router.masterClients.map(\.configuration).first { $0.port != owner.port })
            router.pretend(slot: RedisClusterHash.slot(of: key), isAt: RedisNodeAddress(host: other.host, port: other.port))
            #expect(client.clusterMaster(ofKey: key)?.port == other.port)
            #expect(try await client.getString(key) == "here")
            #expect(client.clusterMaster(ofKey: key) == owner)
        }
    }

    /// During a slot migration a key not yet on the source is written and read on the target
    /// through ASK (ASKING and the command back to back), a key still on the source is read there,
    /// a command over both ends in `.clusterUnavailable` after its bounded TRYAGAIN retries, and
    /// once the slot has moved the stale map is corrected by MOVED.
    @Test func migrationIsServedThroughAsk() async throws {
        try await Self.withCluster(exclusive: true) { client in
            let tag = "{\(UUID().uuidString)}"
            let (old, new) = ("\(tag):old", "\(tag):new")
            let slot = RedisClusterHash.slot(of: old)
            try await client.set(old, to: "1")
            let router = try #require(client.cluster)
            let source = try #require(client.clusterMaster(ofKey: old))
            let targetConfiguration = try #require(router.masterClients.map(\.configuration).first { $0.port != source.port })
            let target = RedisNodeAddress(host: targetConfiguration.host, port: targetConfiguration.port)
            try await Self.withNode(source) { sourceNode in
                try await Self.withNode(target) { targetNode in
                    let (sourceID, targetID) = (try await Self.nodeID(sourceNode), try await Self.nodeID(targetNode))
                    _ = try await targetNode.send(RESPCommand(["CLUSTER", "SETSLOT", .integer(Int64(slot)), "IMPORTING", .string(sourceID)]))
                        .checked()
                    _ = try await sourceNode.send(RESPCommand(["CLUSTER", "SETSLOT", .integer(Int64(slot)), "MIGRATING", .string(targetID)]))
                        .checked()

                    try await client.set(new, to: "2")
                    #expect(try await client.getString(new) == "2")
                    #expect(try await client.getString(old) == "1")
                    #expect(client.clusterMaster(ofKey: old) == source)
                    do {
                        _ = try await client.send(["MGET", old, new])
                        Issue.record("a command over both sides of a migration must not be answered")
                    } catch let error as RedisClientError {
                        guard case .clusterUnavailable = error else { throw error }
                    }

                    _ = try await sourceNode.send(
                        RESPCommand([
                            "MIGRATE", .string(target.host), .integer(Int64(target.port)), "", 0, 5000, "KEYS", .string(old),
                        ])
                    ).checked()
                    // The target first, as the cluster specification asks; then every other master.
                    for node in router.masterClients.sorted(by: { a, _ in a.configuration.port == target.port }) {
                        _ = try await node.send(RESPCommand(["CLUSTER", "SETSLOT", .integer(Int64(slot)), "NODE", .string(targetID)])).checked()
                    }
                }
            }
            #expect(client.clusterMaster(ofKey: old) == source)
            #expect(try await client.getString(old) == "1")
            #expect(try await client.getString(new) == "2")
            #expect(client.clusterMaster(ofKey: old) == target)
        }
    }

    /// Scripts are cached per node: after SCRIPT FLUSH on every master, EVALSHA on keys of each
    /// master reloads the script there (NOSCRIPT, load, retry) and runs.
    @Test func scriptsReloadOnEveryMaster() async throws {
        try await Self.withCluster(exclusive: true) { client in
            let script = RedisScript("return redis.call('INCR', KEYS[1])")
            for reply in try await client.sendToEveryMaster(RESPCommand(["SCRIPT", "FLUSH"])) { #expect(reply == .status("OK")) }
            let prefix = UUID().uuidString
            var masters: Set<RedisNodeAddress> = []
            for index in 0..<20 {
                let key = "{\(prefix)-\(index)}:n"
                #expect(try await client.evalsha(script, keys: [key]).int64 == 1)
                masters.insert(try #require(client.clusterMaster(ofKey: key)))
            }
            #expect(masters.count == 3)
            for reply in try await client.sendToEveryMaster(RESPCommand(["SCRIPT", "EXISTS", .string(script.sha1)])) {
                #expect(reply == .array([.integer(1)]))
            }
        }
    }

    /// A manual failover (the replica takes over, the old master steps down) is followed: the
    /// next command reaches the new master through MOVED and the map names it.
    @Test func failoverIsFollowed() async throws {
        try await Self.withCluster(exclusive: true) { client in
            let key = "{\(UUID().uuidString)}:failover"
            try await client.set(key, to: "before")
            let master = try #require(client.clusterMaster(ofKey: key))
            var replica: RedisNodeAddress?
            try await Self.withNode(master) { node in
                let id = try await Self.nodeID(node)
                let lines = try #require(try await node.send(["CLUSTER", "REPLICAS", id]).checked().array)
                let first = try #require(lines.first?.string)
                // "<id> <ip:port@cport> slave <master> ..."
                let address = try #require(first.split(separator: " ").dropFirst().first?.split(separator: "@").first)
                replica = RedisNodeAddress(address)
            }
            let promoted = try #require(replica)
            try await Self.withNode(promoted) { node in
                _ = try await node.send(["CLUSTER", "FAILOVER"]).checked()
                let tookOver = await eventually(timeout: .seconds(60)) {
                    (try? await node.send(["ROLE"]))?.array?.first?.string == "master"
                }
                #expect(tookOver)
            }
            #expect(try await client.getString(key) == "before")
            try await client.set(key, to: "after")
            #expect(client.clusterMaster(ofKey: key) == promoted)
            try await Self.withNode(promoted) { node throws in #expect(try await node.getString(key) == "after") }
        }
    }
}
