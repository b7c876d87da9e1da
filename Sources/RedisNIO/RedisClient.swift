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
/// Sendable: slots guard their own state; the round-robin cursor and shutdown flag are atomics.
public final class RedisClient: Sendable {
    /// The configuration the client was made with.
    public let configuration: RedisConfiguration
    private let slots: [RedisConnectionSlot]
    private let cursor = Atomic<Int>(0)
    private let isShutdown = Atomic<Bool>(false)
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
        logger[metadataKey: "redis.address"] = "\(configuration.host):\(configuration.port)"
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

    /// Closes every connection and stops reconnecting; later calls fail with `.shutdown`.
    /// Idempotent.
    public func shutdown() async {
        guard !isShutdown.exchange(true, ordering: .relaxed) else { return }
        for slot in slots {
            try? await slot.shutdown().get()
        }
        logger.info("redis.client.shutdown")
    }

    /// Commands accepted and not yet answered or failed, across the pool's live connections (what
    /// `pendingCommandsMax` bounds per connection); lets a test wait for a state instead of a time.
    public var pendingCommandCount: Int {
        slots.reduce(0) { $0 + ($1.connection?.pendingCount ?? 0) }
    }

    /// How many pool connections are up right now (for readiness checks).
    public var connectedCount: Int {
        slots.reduce(0) { $0 + ($1.connection == nil ? 0 : 1) }
    }

    /// Sends any command and returns the raw reply, error replies included (they are values
    /// here; the typed helpers throw them). `timeout` overrides `configuration.commandTimeout`.
    public func send(_ command: RESPCommand, timeout: Duration? = nil) async throws -> RESPValue {
        let deadline = NIODeadline.now() + TimeAmount(timeout ?? configuration.commandTimeout)
        let connection = try pickConnection()
        return try await connection.send(command, deadline: deadline)
    }

    /// Sends a command given as text arguments, e.g. `send(["SET", "k", "v"])`.
    public func send(_ arguments: [String], timeout: Duration? = nil) async throws -> RESPValue {
        try await send(RESPCommand(arguments), timeout: timeout)
    }

    /// Sends a command given as binary arguments.
    public func send(_ arguments: [ByteBuffer], timeout: Duration? = nil) async throws -> RESPValue {
        try await send(RESPCommand(arguments), timeout: timeout)
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
