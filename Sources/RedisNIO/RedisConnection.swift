import Logging
import NIOCore

/// One TCP (or TLS) connection to Redis: one NIO channel, shared by any number of concurrent
/// callers, whose commands are pipelined in FIFO order.
///
/// Sendable: the channel is Sendable, the queue guards itself with its mutex, and the handler is
/// only touched on its event loop (`NIOLoopBound` checks that).
final class RedisConnection: Sendable {
    /// The channel; its `closeFuture` tells the pool when to reconnect.
    let channel: any Channel
    /// Sequence number within the pool slot, for logs.
    let id: Int
    private let queue: SubmissionQueue
    private let handler: NIOLoopBound<RESPChannelHandler>

    /// Wraps a connected channel whose pipeline ends in `handler`; call on the channel's loop.
    init(channel: any Channel, handler: RESPChannelHandler, id: Int) {
        self.channel = channel
        self.id = id
        self.queue = handler.queue
        self.handler = NIOLoopBound(handler, eventLoop: channel.eventLoop)
    }

    /// Sends `command` in the next batch of this connection and waits for its reply. Throws at
    /// once (nothing sent) on backpressure or a closed connection; otherwise the handler resumes
    /// the caller exactly once, with the reply, `.timeout` or `.connectionClosed`.
    func send(_ command: RESPCommand, deadline: NIODeadline) async throws -> RESPValue {
        try await withUnsafeThrowingContinuation { continuation in
            do {
                try enqueue(command, waiter: .continuation(continuation), deadline: deadline)
            } catch {
                continuation.resume(throwing: error)
            }
        }
    }

    /// `send` for future-based internal code (the handshake runs in a future chain on the loop).
    func sendFuture(_ command: RESPCommand, deadline: NIODeadline) -> EventLoopFuture<RESPValue> {
        let promise = channel.eventLoop.makePromise(of: RESPValue.self)
        do {
            try enqueue(command, waiter: .promise(promise), deadline: deadline)
        } catch {
            promise.fail(error)
        }
        return promise.futureResult
    }

    /// Sends `commands` back to back on this connection (no other caller's command between them)
    /// and waits for all their replies, in order. Off the hot path: one promise per command.
    func sendSequence(_ commands: [RESPCommand], deadline: NIODeadline) async throws -> [RESPValue] {
        let promises = commands.map { _ in channel.eventLoop.makePromise(of: RESPValue.self) }
        do {
            switch try queue.enqueue(commands, waiters: promises.map { .promise($0) }, deadline: deadline) {
            case .scheduleDrain:
                let handler = self.handler
                channel.eventLoop.execute { handler.value.drain() }
            case .batched:
                break
            }
        } catch {
            for promise in promises { promise.fail(error) }
            throw error
        }
        var replies: [RESPValue] = []
        replies.reserveCapacity(promises.count)
        for promise in promises { replies.append(try await promise.futureResult.get()) }
        return replies
    }

    private func enqueue(_ command: RESPCommand, waiter: PendingReply.Waiter, deadline: NIODeadline) throws(RedisClientError) {
        switch try queue.enqueue(command, waiter: waiter, deadline: deadline) {
        case .scheduleDrain:
            let handler = self.handler
            channel.eventLoop.execute { handler.value.drain() }
        case .batched:
            break
        }
    }

    /// Commands accepted and not yet answered, for tests and metrics.
    var pendingCount: Int { queue.inFlightCount }

    /// Closes the channel; pending commands fail with `.connectionClosed`.
    func close() -> EventLoopFuture<Void> {
        channel.close().recover { _ in }
    }
}
