import Logging
import NIOCore
import NIOEmbedded
import Synchronization
import Testing

@testable import RedisNIO

/// The channel handler alone, on an `EmbeddedChannel`: no socket and no Redis, so the FIFO, the
/// deadlines, the failure of everything on close and the backpressure bound are each driven
/// step by step. Time on the embedded loop moves only when a test advances it.
@Suite("RESP channel handler")
struct RESPChannelHandlerTests {
    /// A handler on an embedded channel with a queue of `pendingMax` slots.
    struct Rig {
        let channel: EmbeddedChannel
        let handler: RESPChannelHandler
        let queue: SubmissionQueue

        init(pendingMax: Int = 16, unresponsiveGrace: TimeAmount = .hours(1)) throws {
            queue = SubmissionQueue(allocator: ByteBufferAllocator(), pendingCommandsMax: pendingMax)
            handler = try RESPChannelHandler(queue: queue, unresponsiveGrace: unresponsiveGrace, logger: Logger(label: "test"))
            channel = EmbeddedChannel(handler: handler)
            try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 6379)).wait()
        }

        /// Enqueues a command whose reply completes the returned future.
        func send(_ arguments: [String], deadline: NIODeadline = .now() + .hours(1)) throws -> EventLoopFuture<RESPValue> {
            let promise = channel.eventLoop.makePromise(of: RESPValue.self)
            do {
                _ = try queue.enqueue(RESPCommand(arguments), waiter: .promise(promise), deadline: deadline)
            } catch {
                // Refused before it was recorded: the caller still owns the promise.
                promise.fail(error)
                throw error
            }
            return promise.futureResult
        }

        /// What the handler wrote, as text.
        func written() throws -> String {
            var text = ""
            while let buffer = try channel.readOutbound(as: ByteBuffer.self) { text += String(buffer: buffer) }
            return text
        }

        func reply(_ wire: String) throws {
            try channel.writeInbound(ByteBuffer(string: wire))
        }
    }

    /// The result of a future that must be complete already (the embedded loop runs inline).
    static func result(_ future: EventLoopFuture<RESPValue>) -> Result<RESPValue, any Error>? {
        let outcome = Mutex<Result<RESPValue, any Error>?>(nil)
        future.whenComplete { result in outcome.withLock { $0 = result } }
        return outcome.withLock { $0 }
    }

    static func error(_ future: EventLoopFuture<RESPValue>) -> RedisClientError? {
        guard case .failure(let error) = result(future) else { return nil }
        return error as? RedisClientError
    }

    /// Proves a batch is written with one flush in submission order and replies complete the callers
    /// in the same order, however the reply bytes are split.
    @Test func repliesCompleteCallersInOrder() throws {
        let rig = try Rig()
        let first = try rig.send(["GET", "a"])
        let second = try rig.send(["INCR", "b"])
        let third = try rig.send(["GET", "c"])
        rig.handler.drain()
        #expect(try rig.written() == "*2\r\n$3\r\nGET\r\n$1\r\na\r\n*2\r\n$4\r\nINCR\r\n$1\r\nb\r\n*2\r\n$3\r\nGET\r\n$1\r\nc\r\n")
        #expect(Self.result(first) == nil)
        try rig.reply("$1\r\nx\r\n:4")
        try rig.reply("2\r\n$-1\r\n")
        #expect(try Self.result(first)?.get() == .bulk(ByteBuffer(string: "x")))
        #expect(try Self.result(second)?.get() == .integer(42))
        #expect(try Self.result(third)?.get() == .null)
        _ = try rig.channel.finish()
    }

    /// Proves a command past its deadline fails with `timeout` while keeping its FIFO slot: its late reply
    /// is dropped and the next caller still gets its own reply, not the late one.
    @Test func deadlineFailsTheCallerButKeepsTheSlot() throws {
        let rig = try Rig()
        let late = try rig.send(["GET", "slow"], deadline: .now() - .seconds(1))
        let next = try rig.send(["GET", "fast"])
        rig.handler.drain()
        _ = try rig.written()
        (rig.channel.eventLoop as? EmbeddedEventLoop)?.advanceTime(by: .milliseconds(50))
        #expect(Self.error(late) == .timeout)
        #expect(Self.result(next) == nil)
        try rig.reply("$4\r\nslow\r\n$4\r\nfast\r\n")
        #expect(try Self.result(next)?.get() == .bulk(ByteBuffer(string: "fast")))
        _ = try rig.channel.finish()
    }

    /// Proves a head command overdue past the grace closes the connection and fails everything pending.
    @Test func unresponsiveConnectionIsClosed() throws {
        let rig = try Rig(unresponsiveGrace: .zero)
        let stuck = try rig.send(["GET", "a"], deadline: .now() - .seconds(1))
        let behind = try rig.send(["GET", "b"])
        rig.handler.drain()
        (rig.channel.eventLoop as? EmbeddedEventLoop)?.advanceTime(by: .milliseconds(50))
        #expect(Self.error(stuck) == .timeout)
        #expect(Self.error(behind) == .connectionClosed)
        #expect(!rig.channel.isActive)
    }

    /// Proves closing the channel fails both the written commands and the ones still queued, and that
    /// later commands are refused at once instead of hanging.
    @Test func closeFailsEverythingAndRefusesMore() throws {
        let rig = try Rig()
        let written = try rig.send(["GET", "a"])
        rig.handler.drain()
        let queued = try rig.send(["GET", "b"])
        rig.channel.pipeline.fireChannelInactive()
        #expect(Self.error(written) == .connectionClosed)
        #expect(Self.error(queued) == .connectionClosed)
        #expect(throws: RedisClientError.connectionClosed) { _ = try rig.send(["PING"]) }
    }

    /// Proves the backpressure bound: past `pendingCommandsMax` commands in flight the call is refused as
    /// `backpressure` without being sent, and a reply frees a slot for the next call.
    @Test func backpressureRefusesPastTheBoundAndAReplyFreesASlot() throws {
        let rig = try Rig(pendingMax: 2)
        let one = try rig.send(["GET", "a"])
        _ = try rig.send(["GET", "b"])
        #expect(throws: RedisClientError.backpressure(pendingCommandsMax: 2)) { _ = try rig.send(["GET", "c"]) }
        rig.handler.drain()
        #expect(try rig.written().components(separatedBy: "GET").count == 3)
        try rig.reply("+OK\r\n")
        #expect(try Self.result(one)?.get() == .status("OK"))
        _ = try rig.send(["GET", "d"])
        _ = try rig.channel.finish()
    }

    /// Proves a reply with no command waiting for it (the stream out of step) closes the connection.
    @Test func replyWithoutCommandClosesTheConnection() throws {
        let rig = try Rig()
        try rig.reply("+OK\r\n")
        #expect(!rig.channel.isActive)
    }
}
