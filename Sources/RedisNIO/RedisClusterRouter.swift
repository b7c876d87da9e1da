import Logging
import NIOCore
import Synchronization

/// Cluster mode of `RedisClient`: keeps the slot map and one single-server `RedisClient` (a pool
/// of pipelined connections) per master, sends each command to the master of its first key's
/// slot, and follows the cluster's answers — MOVED (update the map, refresh it, go there), ASK
/// (`ASKING` and the command once at the target, back to back on one connection), TRYAGAIN and
/// CLUSTERDOWN (bounded retries, then `.clusterUnavailable`). A master without a connection
/// (failing over) triggers a refresh of the map and a bounded retry; a command that may have run
/// (timeout, connection closed while pending) is never retried here, its error is thrown.
///
/// Sendable: all mutable state is behind the `state` mutex.
final class RedisClusterRouter: Sendable {
    private struct State {
        var topology = RedisClusterTopology()
        var nodes: [RedisNodeAddress: RedisClient] = [:]
        var isRefreshing = false
        var isShutdown = false
    }

    private let configuration: RedisConfiguration
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    private let state = Mutex(State())

    /// Checks that a node client can be made from `configuration` (so later ones cannot fail).
    init(configuration: RedisConfiguration, eventLoopGroup: any EventLoopGroup, logger: Logger) throws(RedisClientError) {
        guard configuration.database == 0 else { throw .invalidConfiguration("a Redis Cluster has only database 0") }
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        _ = try RedisConnector(configuration: configuration, logger: logger)
    }

    /// Learns the slot map from the seeds; throws when no seed answered with a usable map.
    func start() async throws {
        try await refresh(force: true)
    }

    /// Shuts every node's pool down; later calls fail with `.shutdown`.
    func shutdown() async {
        let nodes = state.withLock { state in
            state.isShutdown = true
            defer { state.nodes = [:] }
            return Array(state.nodes.values)
        }
        for node in nodes { await node.shutdown() }
    }

    /// The node clients, for counts and broadcasts.
    var nodeClients: [RedisClient] { state.withLock { Array($0.nodes.values) } }

    /// The current masters' clients, each once (for `SCRIPT LOAD` and other commands every
    /// master must see).
    var masterClients: [RedisClient] {
        state.withLock { state in state.topology.masters.compactMap { state.nodes[$0] } }
    }

    /// The master serving `slot` as the map says now, for tests and logs.
    func master(ofSlot slot: Int) -> RedisNodeAddress? { state.withLock { $0.topology.master(of: slot) } }

    /// Test hook: makes the map say `slot` is at `address` (a master it knows), as a stale map would.
    func pretend(slot: Int, isAt address: RedisNodeAddress) {
        state.withLock { state in
            precondition(state.nodes[address] != nil, "pretend only with a known node")
            state.topology.assign(slot...slot, to: address)
        }
    }

    // MARK: Sending

    /// Sends one command to the master of its key's slot (any master for a command without keys),
    /// following redirects.
    func send(_ command: RESPCommand, timeout: Duration?) async throws -> RESPValue {
        try await route(command) { node, asking in
            if asking {
                return try await node.sendSequence([RESPCommand(["ASKING"]), command], timeout: timeout)[1]
            }
            return try await node.send(command, timeout: timeout)
        }
    }

    /// Sends `commands` back to back on one connection of the master of the first command's key
    /// (e.g. a script and `WAIT`), following redirects of the first command; returns all replies.
    func sendSequence(_ commands: [RESPCommand], timeout: Duration?) async throws -> [RESPValue] {
        precondition(!commands.isEmpty, "a sequence needs a command")
        var replies: [RESPValue] = []
        _ = try await route(commands[0]) { node, asking in
            replies = try await node.sendSequence(asking ? [RESPCommand(["ASKING"])] + commands : commands, timeout: timeout)
            if asking { replies.removeFirst() }
            return replies[0]
        }
        return replies
    }

    /// The routing loop: `attempt` sends to a node (with `ASKING` first when told) and returns the
    /// reply of the routed command, which decides whether to follow a redirect or retry.
    private func route(
        _ command: RESPCommand,
        _ attempt: (RedisClient, _ asking: Bool) async throws -> RESPValue
    ) async throws -> RESPValue {
        let slot = command.routingKey.map(RedisClusterHash.slot(of:))
        var target: RedisNodeAddress? = nil
        var asking = false
        var redirects = 0
        var retries = 0
        var pause = RedisLimits.clusterRetryPauseMin
        while true {
            let node: RedisClient
            do {
                node = try await self.node(slot: slot, address: target)
            } catch RedisClientError.clusterUnavailable(let reason) {
                // No master serves the slot in the map: a failover may be under way.
                try await retryAfter(&retries, &pause, reason: reason)
                target = nil
                asking = false
                continue
            }
            let reply: RESPValue
            do {
                reply = try await attempt(node, asking)
            } catch RedisClientError.notConnected {
                // Not sent: the master is down or reconnecting; maybe a replica took over.
                try await retryAfter(&retries, &pause, reason: "no connection to the master of slot \(slot.map(String.init) ?? "any")")
                target = nil
                asking = false
                continue
            } catch let error as RedisClientError where error == .connectionClosed || error == .timeout {
                // It may have run: never sent again here. The map is refreshed for the next caller.
                try? await refresh(force: false)
                throw error
            }
            guard case .error(let message) = reply, let redirect = RedisClusterRedirect(errorMessage: message) else {
                return reply
            }
            switch redirect {
            case .moved(let movedSlot, let address):
                redirects += 1
                guard redirects <= RedisLimits.clusterRedirectsMax else {
                    throw RedisClientError.clusterUnavailable("too many redirects: \(message)")
                }
                try await learn(slot: movedSlot, address: address)
                target = address
                asking = false
            case .ask(_, let address):
                redirects += 1
                guard redirects <= RedisLimits.clusterRedirectsMax else {
                    throw RedisClientError.clusterUnavailable("too many redirects: \(message)")
                }
                try await ensureNode(address)
                target = address
                asking = true
            case .tryAgain, .clusterDown:
                try await retryAfter(&retries, &pause, reason: message)
                target = nil
                asking = false
            }
        }
    }

    /// Counts one retry, refreshes the map and pauses; throws `.clusterUnavailable` once the
    /// retries are spent.
    private func retryAfter(_ retries: inout Int, _ pause: inout Duration, reason: String) async throws {
        retries += 1
        guard retries <= RedisLimits.clusterRetriesMax else { throw RedisClientError.clusterUnavailable(reason) }
        logger.debug("redis.cluster.retry", metadata: ["redis.reason": "\(reason)", "redis.retry": "\(retries)"])
        try await Task.sleep(for: pause)
        pause = pause * 2
        try? await refresh(force: false)
    }

    /// The client of `address` when given (a redirect), else of the slot's master, else of any master.
    private func node(slot: Int?, address: RedisNodeAddress?) async throws -> RedisClient {
        let found = state.withLock { state -> Result<RedisClient?, RedisClientError> in
            if state.isShutdown { return .failure(.shutdown) }
            if let address { return .success(state.nodes[address]) }
            let master = slot.flatMap { state.topology.master(of: $0) } ?? (slot == nil ? state.topology.masters.first : nil)
            return .success(master.flatMap { state.nodes[$0] })
        }
        if let client = try found.get() { return client }
        if let address {
            try await ensureNode(address)
            return try await node(slot: slot, address: address)
        }
        throw RedisClientError.clusterUnavailable("no master serves slot \(slot.map(String.init) ?? "any")")
    }

    // MARK: The slot map

    /// A MOVED reply: the slot is at `address` from now on; the full map is refreshed too
    /// (a MOVED usually means a failover or a resharding moved many slots). The MOVED slot is
    /// assigned after the refresh: the node the map was read from may not have heard of the
    /// change yet (gossip is not instant), and the redirect is the fresher news.
    private func learn(slot: Int, address: RedisNodeAddress) async throws {
        try await ensureNode(address)
        try? await refresh(force: false)
        state.withLock { $0.topology.assign(slot...slot, to: address) }
    }

    /// Makes sure a pool to `address` exists (it connects in the background; its first attempt
    /// is awaited so the next command does not fail with `.notConnected` at once).
    private func ensureNode(_ address: RedisNodeAddress) async throws {
        if state.withLock({ $0.nodes[address] != nil }) { return }
        var nodeConfiguration = configuration
        nodeConfiguration.clusterSeeds = []
        nodeConfiguration.host = address.host
        nodeConfiguration.port = address.port
        var nodeLogger = logger
        nodeLogger[metadataKey: "redis.node"] = "\(address)"
        let client = try RedisClient(configuration: nodeConfiguration, eventLoopGroup: eventLoopGroup, logger: nodeLogger)
        let (kept, isShutdown) = state.withLock { state -> (RedisClient, Bool) in
            if let existing = state.nodes[address] { return (existing, state.isShutdown) }
            if !state.isShutdown { state.nodes[address] = client }
            return (client, state.isShutdown)
        }
        if kept !== client || isShutdown {
            await client.shutdown()
            if isShutdown { throw RedisClientError.shutdown }
            return
        }
        await client.waitForFirstAttempts()
    }

    /// Reads the map from a known node (masters first, then the seeds) with CLUSTER SHARDS, or
    /// CLUSTER SLOTS where SHARDS is unknown, and installs it. Only one refresh runs at a time;
    /// a caller that finds one running goes on with the map it has, unless `force`.
    func refresh(force: Bool) async throws {
        let candidates = state.withLock { state -> [RedisNodeAddress]? in
            if state.isRefreshing && !force { return nil }
            state.isRefreshing = true
            return state.topology.masters + configuration.clusterSeeds.filter { !state.topology.masters.contains($0) }
        }
        guard let candidates else { return }
        defer { state.withLock { $0.isRefreshing = false } }
        var lastError: any Error = RedisClientError.clusterUnavailable("no seed answered")
        for address in candidates {
            do {
                try await ensureNode(address)
                let node = try await self.node(slot: nil, address: address)
                let topology = try await Self.readTopology(from: node)
                guard topology.assignedSlotCount > 0 else { throw RedisClientError.clusterUnavailable("\(address) knows no slots") }
                for master in topology.masters { try await ensureNode(master) }
                let changed = state.withLock { state -> Bool in
                    defer { state.topology = topology }
                    return state.topology != topology
                }
                if changed {
                    logger.info(
                        "redis.cluster.topology",
                        metadata: ["redis.masters": "\(topology.masters.map(\.description))", "redis.from": "\(address)"])
                }
                return
            } catch {
                lastError = error
            }
        }
        throw lastError
    }

    private static func readTopology(from node: RedisClient) async throws -> RedisClusterTopology {
        let shards = try await node.send(RESPCommand(["CLUSTER", "SHARDS"]))
        if case .error(let message) = shards {
            guard message.uppercased().contains("UNKNOWN") else { throw RedisClientError.server(message) }
            return try RedisClusterTopology.parse(slots: try await node.send(RESPCommand(["CLUSTER", "SLOTS"])).checked())
        }
        return try RedisClusterTopology.parse(shards: shards)
    }
}
