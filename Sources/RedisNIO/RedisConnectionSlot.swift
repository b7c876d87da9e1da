import Logging
import NIOCore
import Synchronization

/// One place in the pool: holds at most one live connection and, when it drops, reconnects on
/// its event loop with exponential backoff until the client shuts down.
///
/// Sendable: all mutable state is behind the `state` mutex.
final class RedisConnectionSlot: Sendable {
    private struct State {
        var connection: RedisConnection?
        var isShutdown = false
        var backoff: Duration
        var reconnectTask: Scheduled<Void>?
        var attempts = 0
        var firstAttemptReported = false
    }

    /// The event loop all of this slot's connections live on.
    let eventLoop: any EventLoop
    private let index: Int
    private let connector: RedisConnector
    private let logger: Logger
    private let state: Mutex<State>
    /// Completed after the first connection attempt, with its outcome.
    private let firstAttempt: EventLoopPromise<Void>

    init(index: Int, eventLoop: any EventLoop, connector: RedisConnector, logger: Logger) {
        self.index = index
        self.eventLoop = eventLoop
        self.connector = connector
        var logger = logger
        logger[metadataKey: "redis.slot"] = "\(index)"
        self.logger = logger
        self.state = Mutex(State(backoff: connector.configuration.reconnectBackoffMin))
        self.firstAttempt = eventLoop.makePromise(of: Void.self)
    }

    /// The live connection, or `nil` while (re)connecting.
    var connection: RedisConnection? {
        state.withLock { $0.connection }
    }

    /// Starts connecting; later attempts follow on their own until shutdown.
    func start() {
        attempt()
    }

    /// Completes with the outcome of the first connection attempt.
    var firstAttemptResult: EventLoopFuture<Void> { firstAttempt.futureResult }

    private func reportFirstAttempt(_ result: Result<Void, any Error>) {
        let isFirst = state.withLock { state -> Bool in
            defer { state.firstAttemptReported = true }
            return !state.firstAttemptReported
        }
        if isFirst { firstAttempt.completeWith(result) }
    }

    private func attempt() {
        let id = state.withLock { state -> Int? in
            if state.isShutdown { return nil }
            state.attempts += 1
            return state.attempts
        }
        guard let id else {
            reportFirstAttempt(.failure(RedisClientError.shutdown))
            return
        }
        connector.connect(on: eventLoop, id: id).whenComplete { result in
            switch result {
            case .success(let connection): self.connected(connection)
            case .failure(let error): self.failed(error)
            }
        }
    }

    private func connected(_ connection: RedisConnection) {
        let isShutdown = state.withLock { state -> Bool in
            if state.isShutdown { return true }
            state.connection = connection
            state.backoff = connector.configuration.reconnectBackoffMin
            return false
        }
        if isShutdown {
            _ = connection.close()
            reportFirstAttempt(.failure(RedisClientError.shutdown))
            return
        }
        logger.info("redis.connection.up", metadata: ["redis.connection": "\(connection.id)"])
        connection.channel.closeFuture.whenComplete { _ in self.lost(connection) }
        reportFirstAttempt(.success(()))
    }

    private func failed(_ error: any Error) {
        logger.warning("redis.connection.connect_failed", metadata: ["redis.error": "\(error)"])
        reportFirstAttempt(.failure(error))
        scheduleReconnect()
    }

    private func lost(_ connection: RedisConnection) {
        let wasCurrent = state.withLock { state -> Bool in
            guard state.connection === connection else { return false }
            state.connection = nil
            return true
        }
        guard wasCurrent else { return }
        logger.warning("redis.connection.down", metadata: ["redis.connection": "\(connection.id)"])
        scheduleReconnect()
    }

    private func scheduleReconnect() {
        let maximum = connector.configuration.reconnectBackoffMax
        state.withLock { state in
            guard !state.isShutdown else { return }
            let delay = state.backoff
            state.backoff = min(delay * 2, maximum)
            state.reconnectTask = eventLoop.scheduleTask(in: TimeAmount(delay)) { self.attempt() }
        }
    }

    /// Stops reconnecting and closes the live connection (its pending commands fail).
    func shutdown() -> EventLoopFuture<Void> {
        let (task, connection) = state.withLock { state in
            state.isShutdown = true
            let taken = (state.reconnectTask, state.connection)
            state.reconnectTask = nil
            state.connection = nil
            return taken
        }
        task?.cancel()
        return connection?.close() ?? eventLoop.makeSucceededVoidFuture()
    }
}
