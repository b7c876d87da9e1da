import Foundation
import RedisNIO

/// One reader/writer gate for every test of the shared local Redis Cluster, in every suite of the
/// test process. Tests that only use the cluster hold it shared and run together; tests that change
/// its topology or health (failover, slot migration, SCRIPT FLUSH, a stopped replica) hold it alone,
/// so a test that counts grabs exactly never meets their 503s. FIFO: a waiting writer is served
/// before the readers that came after it, so writers are not starved. Waiters sleep on a
/// continuation (no polling, no time bound). `TestCluster.withShared` / `withExclusive` use it.
public actor ClusterTestGate {
    /// The one gate of the process.
    public static let shared = ClusterTestGate()

    private var readers = 0
    private var writing = false
    private var waiting: [(exclusive: Bool, continuation: CheckedContinuation<Void, Never>)] = []

    /// Waits until the gate is granted shared (`exclusive == false`) or alone.
    public func acquire(exclusive: Bool) async {
        if waiting.isEmpty && isFree(exclusive: exclusive) {
            grant(exclusive: exclusive)
            return
        }
        await withCheckedContinuation { continuation in waiting.append((exclusive, continuation)) }
    }

    /// Gives back what `acquire(exclusive:)` granted and wakes the waiters now allowed, in order.
    public func release(exclusive: Bool) {
        if exclusive { writing = false } else { readers -= 1 }
        while let next = waiting.first, isFree(exclusive: next.exclusive) {
            waiting.removeFirst()
            grant(exclusive: next.exclusive)
            next.continuation.resume()
        }
    }

    private func isFree(exclusive: Bool) -> Bool { exclusive ? !writing && readers == 0 : !writing }

    private func grant(exclusive: Bool) {
        if exclusive { writing = true } else { readers += 1 }
    }
}

extension TestCluster {
    /// Runs `body` while no test that disturbs the cluster runs (other shared tests may).
    public static func withShared(_ body: () async throws -> Void) async throws {
        await ClusterTestGate.shared.acquire(exclusive: false)
        do {
            try await body()
        } catch {
            await ClusterTestGate.shared.release(exclusive: false)
            throw error
        }
        await ClusterTestGate.shared.release(exclusive: false)
    }

    /// Runs `body` alone on the cluster, then waits until the cluster is healthy again
    /// (`waitUntilHealthy`) before any other cluster test may start — whether `body` threw or not.
    public static func withExclusive(_ body: () async throws -> Void) async throws {
        await ClusterTestGate.shared.acquire(exclusive: true)
        var failure: (any Error)?
        do { try await body() } catch { failure = error }
        do { try await waitUntilHealthy() } catch { failure = failure ?? error }
        await ClusterTestGate.shared.release(exclusive: true)
        if let failure { throw failure }
    }

    /// How often `waitUntilHealthy` looks before it gives up, and the pause between looks
    /// (a failover settles within a few cluster-node-timeouts; this bound is far beyond that).
    public static let healthChecks = 1200
    static let healthCheckPause: Duration = .milliseconds(100)

    /// Polls every node until the cluster is healthy (`healthProblem() == nil`); leftover
    /// MIGRATING/IMPORTING marks of a slot (a migration test that failed half-way) are cleared
    /// with SETSLOT STABLE. Throws naming the last problem after `healthChecks` looks.
    public static func waitUntilHealthy() async throws {
        var problem = "not checked"
        for _ in 0..<healthChecks {
            guard let found = await healthProblem() else { return }
            problem = found
            try? await Task.sleep(for: healthCheckPause)
        }
        throw TestSetupError("the test cluster did not become healthy again: \(problem)")
    }

    /// Why the cluster is not healthy yet, or nil when it is: every node answers with
    /// cluster_state:ok and all 16384 slots ok, knows no failing node, all nodes agree on which
    /// master serves which slots, and every replica's link to its master is up.
    static func healthProblem() async -> String? {
        var views: Set<[String]> = []
        for port in ports {
            var configuration = RedisConfiguration(
                host: "127.0.0.1", port: port, commandTimeout: TestEnvironment.redisCommandTimeout,
                connectTimeout: TestEnvironment.redisConnectTimeout)
            configuration.poolSize = 1
            guard let node = try? await RedisClient.connect(configuration: configuration) else { return "node \(port) unreachable" }
            let problem = await nodeProblem(node, port: port, views: &views)
            await node.shutdown()
            if let problem { return problem }
        }
        return views.count == 1 ? nil : "nodes disagree on the slot map"
    }

    private static func nodeProblem(_ node: RedisClient, port: Int, views: inout Set<[String]>) async -> String? {
        guard let info = try? await node.send(["CLUSTER", "INFO"]).checked().string,
            let nodes = try? await node.send(["CLUSTER", "NODES"]).checked().string,
            let replication = try? await node.send(["INFO", "replication"]).checked().string
        else { return "node \(port) does not answer" }
        let infoLines = Set(info.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) })
        guard infoLines.contains("cluster_state:ok"), infoLines.contains("cluster_slots_ok:16384") else {
            return "node \(port): cluster state not ok"
        }
        var masters: [String] = []
        for line in nodes.split(whereSeparator: \.isNewline) {
            let fields = line.split(separator: " ")
            guard fields.count >= 8 else { continue }
            let flags = fields[2].split(separator: ",")
            if flags.contains("fail") || flags.contains("fail?") { return "node \(port) sees \(fields[1]) failing" }
            let slots = fields.dropFirst(8).filter { !$0.hasPrefix("[") }
            if flags.contains("myself") {
                for mark in fields.dropFirst(8) where mark.hasPrefix("[") {
                    guard let slot = Int(mark.dropFirst().prefix { $0.isNumber }) else { continue }
                    _ = try? await node.send(RESPCommand(["CLUSTER", "SETSLOT", .integer(Int64(slot)), "STABLE"]))
                    return "node \(port): slot \(slot) was left migrating"
                }
            }
            if flags.contains("master") && !slots.isEmpty { masters.append("\(fields[0]) \(slots.joined(separator: " "))") }
        }
        views.insert(masters.sorted())
        let replicationLines = replication.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        if replicationLines.contains("role:slave") && !replicationLines.contains("master_link_status:up") {
            return "replica \(port) not linked to its master"
        }
        return nil
    }
}
