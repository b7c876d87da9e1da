import Logging
import NIOCore
import NIOPosix
import Synchronization

/// The Redis client: a small pool of pipelined connections behind an async/await API.
///
/// Many concurrent callers share each connection; their commands are batched into one write per
/// event-loop turn and their replies come back in order. Every call has a deadline, a bound on
/// commands in flight, and fails with a `RedisClientError` instead of hanging when Redis is slow,
/// overloaded or gone. Connections that drop are re-established in the background.
///
/// With `configuration.clusterSeeds` set, the client talks to a Redis Cluster instead: each command
/// goes to the master of its first key's slot (see `RedisClusterRouter`); the API is the same.
///
/// Sendable: slots guard their own state; the round-robin cursor and shutdown flag are atomics.
public final class RedisClient: Sendable {
    /// The configuration the client was made with.
    public let configuration: RedisConfiguration
    private let slots: [RedisConnectionSlot]
    private let cursor = Atomic<Int>(0)
    private let isShutdown = Atomic<Bool>(false)
    /// Cluster mode's router; `nil` for one server, where `send` costs one extra branch.
    let cluster: RedisClusterRouter?
    /// The client's logger, with `redis.address` set; helpers in extensions log through it.
    let logger: Logger

    /// Creates the pool and starts connecting in the background; calls fail with `.notConnected`
    /// until a connection is up. Use `connect(...)` to wait for that.
    public init(
        configuration: RedisConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "redis")
    ) throws(RedisClientError) {
        let loops = Array(eventLoopGroup.makeIterator())
        let poolSize = configuration.poolSize ?? loops.count
        guard (1...RedisLimits.poolSizeMax).contains(poolSize) else {
            throw .invalidConfiguration("poolSize must be 1...\(RedisLimits.poolSizeMax)")
        }
        guard configuration.pendingCommandsMax > 0 else {
            throw .invalidConfiguration("pendingCommandsMax must be positive")
        }
        var logger = logger
        if !configuration.clusterSeeds.isEmpty {
            logger[metadataKey: "redis.cluster"] = "\(configuration.clusterSeeds.map(\.description))"
            self.configuration = configuration
            self.logger = logger
            self.slots = []
            self.cluster = try RedisClusterRouter(configuration: configuration, eventLoopGroup: eventLoopGroup, logger: logger)
            return
        }
        logger[metadataKey: "redis.address"] = "\(configuration.host):\(configuration.port)"
        self.cluster = nil
        let connector = try RedisConnector(configuration: configuration, logger: logger)
        self.configuration = configuration
        self.logger = logger
        self.slots = (0..<poolSize).map { index in
            RedisConnectionSlot(index: index, eventLoop: loops[index % loops.count], connector: connector, logger: logger)
        }
        for slot in slots { slot.start() }
    }

    /// Creates the pool and waits for every connection's first attempt; throws the first
    /// connection error (after shutting the pool down) when no connection came up.
    public static func connect(
        configuration: RedisConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "redis")
    ) async throws -> RedisClient {
        let client = try RedisClient(configuration: configuration, eventLoopGroup: eventLoopGroup, logger: logger)
        if let cluster = client.cluster {
            do {
                try await cluster.start()
            } catch {
                await client.shutdown()
                throw error
            }
            return client
        }
        var firstError: (any Error)?
        var connected = 0
        for slot in client.slots {
            do {
                try await slot.firstAttemptResult.get()
                connected += 1
            } catch {
                firstError = firstError ?? error
            }
        }
        if connected == 0, let firstError {
            await client.shutdown()
            throw firstError
        }
        return client
    }

    /// Waits until every pool connection has made its first attempt, whatever came of it (outside
    /// cluster mode; a cluster client starts in `connect`). For callers that made the client with
    /// `init` and must not race its first connection (the test worlds), without failing when Redis
    /// is down on purpose.
    public func firstAttemptsMade() async {
        for slot in slots { _ = try? await slot.firstAttemptResult.get() }
    }

    /// Closes every connection and stops reconnecting; later calls fail with `.shutdown`.
    /// Idempotent.
    public func shutdown() async {
        guard !isShutdown.exchange(true, ordering: .relaxed) else { return }
        await cluster?.shutdown()
        for slot in slots {
            try? await slot.shutdown().get()
        }
        logger.info("redis.client.shutdown")
    }

    /// Commands accepted and not yet answered or failed, across the pool's live connections (what
    /// `pendingCommandsMax` bounds per connection); lets a test wait for a state instead of a time.
    public var pendingCommandCount: Int {
        if let cluster { return cluster.nodeClients.reduce(0) { $0 + $1.pendingCommandCount } }
        return slots.reduce(0) { $0 + ($1.connection?.pendingCount ?? 0) }
    }

    /// How many pool connections are up right now (for readiness checks).
    public var connectedCount: Int {
        if let cluster { return cluster.nodeClients.reduce(0) { $0 + $1.connectedCount } }
        return slots.reduce(0) { $0 + ($1.connection == nil ? 0 : 1) }
    }

    /// Sends any command and returns the raw reply, error replies included (they are values
    /// here; the typed helpers throw them). `timeout` overrides `configuration.commandTimeout`.
    public func send(_ command: RESPCommand, timeout: Duration? = nil) async throws -> RESPValue {
        if let cluster { return try await cluster.send(command, timeout: timeout) }
        let deadline = NIODeadline.now() + TimeAmount(timeout ?? configuration.commandTimeout)
        let connection = try pickConnection()
        return try await connection.send(command, deadline: deadline)
    }

    /// Single-node mode: puts `command` on the connection that serves `orderingKey` before it
    /// returns, and gives its reply as a future (completed on that connection's event loop). Commands
    /// enqueued one after the other with the same key reach Redis, and run, in that order, even
    /// with several in flight: the group-commit path uses this to keep several script calls of one
    /// lot at Redis without giving up first-come-first-served between them. `nil` in cluster mode
    /// (redirects and retries need `send`); throws at once when that connection is down.
    public func enqueue(_ command: RESPCommand, orderingKey: String, timeout: Duration? = nil) throws -> EventLoopFuture<RESPValue>? {
        guard cluster == nil else { return nil }
        let deadline = NIODeadline.now() + TimeAmount(timeout ?? configuration.commandTimeout)
        let slot = slots[RedisClusterHash.slot(of: orderingKey) % slots.count]
        guard let connection = slot.connection else {
            if isShutdown.load(ordering: .relaxed) { throw RedisClientError.shutdown }
            throw RedisClientError.notConnected
        }
        return connection.sendFuture(command, deadline: deadline)
    }

    /// Sends a command given as text arguments, e.g. `send(["SET", "k", "v"])`.
    public func send(_ arguments: [String], timeout: Duration? = nil) async throws -> RESPValue {
        try await send(RESPCommand(arguments), timeout: timeout)
    }

    /// Sends a command given as binary arguments.
    public func send(_ arguments: [ByteBuffer], timeout: Duration? = nil) async throws -> RESPValue {
        try await send(RESPCommand(arguments), timeout: timeout)
    }

    /// Sends `commands` back to back on one connection, nothing of another caller between them,
    /// and returns their replies in order: for commands that speak of the connection's own
    /// previous command (`WAIT` after a write, `ASKING` before one). In cluster mode they go to
    /// the master of the first command's key. Off the hot path: one promise per command.
    public func sendSequence(_ commands: [RESPCommand], timeout: Duration? = nil) async throws -> [RESPValue] {
        precondition(!commands.isEmpty, "a sequence needs a command")
        if let cluster { return try await cluster.sendSequence(commands, timeout: timeout) }
        let deadline = NIODeadline.now() + TimeAmount(timeout ?? configuration.commandTimeout)
        return try await pickConnection().sendSequence(commands, deadline: deadline)
    }

    /// Sends `command` to every master (the one server outside cluster mode) and returns their
    /// replies: for commands every node must see, such as `SCRIPT LOAD`.
    public func sendToEveryMaster(_ command: RESPCommand, timeout: Duration? = nil) async throws -> [RESPValue] {
        guard let cluster else { return [try await send(command, timeout: timeout)] }
        var replies: [RESPValue] = []
        for master in cluster.masterClients { replies.append(try await master.send(command, timeout: timeout)) }
        return replies
    }

    /// Whether the client runs in cluster mode.
    public var isCluster: Bool { cluster != nil }

    /// Cluster mode: the master that serves `key` as the client's map says now (`nil` outside
    /// cluster mode or when no master serves it); for tests and operators.
    public func clusterMaster(ofKey key: String) -> RedisNodeAddress? {
        cluster?.master(ofSlot: RedisClusterHash.slot(of: key))
    }

    /// Waits for every pool connection's first attempt, whatever its outcome.
    func waitForFirstAttempts() async {
        for slot in slots { try? await slot.firstAttemptResult.get() }
    }

    /// Round-robin over the slots, skipping those that are reconnecting.
    private func pickConnection() throws(RedisClientError) -> RedisConnection {
        let start = cursor.wrappingAdd(1, ordering: .relaxed).oldValue
        for offset in 0..<slots.count {
            let slot = slots[((start &+ offset) & Int.max) % slots.count]
            if let connection = slot.connection { return connection }
        }
        if isShutdown.load(ordering: .relaxed) { throw .shutdown }
        throw .notConnected
    }
}
