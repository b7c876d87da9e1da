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

    /// Queues `command` for the next batch of this connection; the future completes on the
    /// channel's event loop. Throws at once (nothing sent) on backpressure or a closed connection.
    func send(_ command: RESPCommand, deadline: NIODeadline) throws(RedisClientError) -> EventLoopFuture<RESPValue> {
        let eventLoop = channel.eventLoop
        let promise = eventLoop.makePromise(of: RESPValue.self)
        do {
            switch try queue.enqueue(command, promise: promise, deadline: deadline) {
            case .scheduleDrain:
                let handler = self.handler
                eventLoop.execute { handler.value.drain() }
            case .batched:
                break
            }
        } catch {
            // Nobody else holds this promise; complete it so NIO does not report a leak.
            promise.fail(error)
            throw error
        }
        return promise.futureResult
    }

    /// Commands accepted and not yet answered, for tests and metrics.
    var pendingCount: Int { queue.inFlightCount }

    /// Closes the channel; pending commands fail with `.connectionClosed`.
    func close() -> EventLoopFuture<Void> {
        channel.close().recover { _ in }
    }
}
