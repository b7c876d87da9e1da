import Logging
import NIOCore
import NIOSSL

/// The connection's protocol engine, confined to its channel's event loop: writes batches from the
/// `SubmissionQueue`, parses replies with hiredis and completes the FIFO of pending promises in
/// order, fails commands past their deadline, and fails everything when the channel goes away.
final class RESPChannelHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Where callers' commands arrive from other threads.
    let queue: SubmissionQueue
    private let reader: HiredisReader
    private var pending = CircularBuffer<PendingReply>(initialCapacity: 64)
    private var context: ChannelHandlerContext?
    private var deadlineTimer: RepeatedTask?
    /// How long the head command may stay unanswered past its deadline before the connection is
    /// declared unresponsive and closed (its replies can no longer be trusted to come).
    private let unresponsiveGrace: TimeAmount
    private var logger: Logger
    /// A subscriber connection's (`RedisSubscriber`) receiver of published messages — replies
    /// `["message", channel, payload]` that no command asked for; nil on every pipelined connection,
    /// where such a reply is a protocol error as before.
    private let onMessage: (@Sendable (RESPValue) -> Void)?

    init(
        queue: SubmissionQueue, unresponsiveGrace: TimeAmount, logger: Logger, onMessage: (@Sendable (RESPValue) -> Void)? = nil
    ) throws(RedisClientError) {
        self.onMessage = onMessage
        self.queue = queue
        self.reader = try HiredisReader()
        self.unresponsiveGrace = unresponsiveGrace
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        let tick = TimeAmount(RedisLimits.deadlineTick)
        deadlineTimer = context.eventLoop.scheduleRepeatedTask(initialDelay: tick, delay: tick) { _ in
            loopBound.value.checkDeadlines()
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        failAll(.connectionClosed)
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(.connectionClosed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A TLS peer closing without close_notify (e.g. on our own shutdown) is routine.
        let level: Logger.Level = (error as? NIOSSLError) == .uncleanShutdown ? .debug : .warning
        logger.log(level: level, "redis.connection.error", metadata: ["redis.error": "\(error)"])
        failAll(.connectionClosed)
        context.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        do {
            try reader.feed(buffer)
            while let reply = try reader.next(allocator: context.channel.allocator) {
                if let onMessage, reply.array?.first?.string == "message" {
                    onMessage(reply)
                    continue
                }
                guard let head = pending.popFirst() else {
                    // A reply nobody asked for: the stream is out of step, nothing after it can be trusted.
                    throw RedisClientError.protocolError("reply without a pending command")
                }
                // Free the slot before resuming the caller, so its next call sees the room.
                queue.release(1)
                if !head.expired { head.succeed(reply) }
            }
        } catch {
            logger.error("redis.connection.protocol_error", metadata: ["redis.error": "\(error)"])
            failAll(.connectionClosed)
            context.close(promise: nil)
        }
    }

    /// Moves the queued batch into the FIFO and writes it with a single flush. Runs on the loop,
    /// scheduled by the first caller of each batch.
    func drain() {
        guard let batch = queue.takeBatch() else { return }
        guard let context, context.channel.isActive else {
            fail(batch.replies, with: .connectionClosed)
            return
        }
        pending.append(contentsOf: batch.replies)
        context.writeAndFlush(wrapOutboundOut(batch.bytes), promise: nil)
    }

    /// Fails every pending command whose deadline passed, keeping its FIFO slot; closes the
    /// connection when the oldest command is overdue by more than `unresponsiveGrace`.
    private func checkDeadlines() {
        guard !pending.isEmpty else { return }
        let now = NIODeadline.now()
        var index = pending.startIndex
        while index != pending.endIndex {
            if !pending[index].expired && pending[index].deadline <= now {
                pending[index].expired = true
                pending[index].fail(.timeout)
            }
            index = pending.index(after: index)
        }
        if let head = pending.first, head.deadline + unresponsiveGrace <= now, let context {
            logger.warning("redis.connection.unresponsive", metadata: ["redis.pending": "\(pending.count)"])
            failAll(.connectionClosed)
            context.close(promise: nil)
        }
    }

    /// Fails the FIFO and everything still queued, and refuses later commands: nothing hangs.
    private func failAll(_ error: RedisClientError) {
        deadlineTimer?.cancel()
        deadlineTimer = nil
        let queued = queue.close(with: error)
        fail(queued, with: error)
        let inPipeline = pending
        pending.removeAll()
        fail(Array(inPipeline), with: error)
    }

    private func fail(_ replies: [PendingReply], with error: RedisClientError) {
        queue.release(replies.count)
        for reply in replies where !reply.expired {
            reply.fail(error)
        }
    }
}
