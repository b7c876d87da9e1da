import NIOCore
import NIOPosix

/// One keep-alive HTTP/1.1 connection to 127.0.0.1 with one request in flight at a time, for
/// `rush-load failover`: clarity over speed (the failover test checks correctness, not rates).
/// A request is written through the pipeline together with its promise; the handler completes
/// the promise with the parsed answer, or fails it when the connection closes first.
struct KeepAliveConnection: Sendable {
    /// The connection closed (or timed out) before its answer came.
    struct Closed: Error {}

    let channel: any Channel

    /// Connects within `connectTimeout`.
    static func connect(port: Int, connectTimeout: TimeAmount) async throws -> KeepAliveConnection {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .connectTimeout(connectTimeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Handler()) }
            }
            .connect(host: Limits.host, port: port).get()
        return KeepAliveConnection(channel: channel)
    }

    /// Sends `request` and answers its response; a request unanswered after `timeout` closes the
    /// connection (HTTP/1.1 cannot skip an answer) and throws `Closed`.
    func send(_ request: ByteBuffer, timeout: TimeAmount) async throws -> ParsedResponse {
        let promise = channel.eventLoop.makePromise(of: ParsedResponse.self)
        let channel = self.channel
        let deadline = channel.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
        defer { deadline.cancel() }
        channel.writeAndFlush(Outgoing(request: request, promise: promise), promise: nil)
        return try await promise.futureResult.get()
    }

    /// Closes the connection; an answer still pending fails with `Closed`.
    func close() { channel.close(promise: nil) }

    /// A request and the promise of its answer.
    struct Outgoing: Sendable {
        var request: ByteBuffer
        var promise: EventLoopPromise<ParsedResponse>
    }

    /// Keeps the promises of the requests written, in order, and completes them as answers parse.
    /// Lives on the channel's event loop only.
    private final class Handler: ChannelDuplexHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundIn = Outgoing
        typealias OutboundOut = ByteBuffer

        private var pending = CircularBuffer<EventLoopPromise<ParsedResponse>>(initialCapacity: 2)
        private var buffer = ByteBuffer()
        private var isOpen = true

        func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
            let outgoing = unwrapOutboundIn(data)
            guard isOpen else {
                outgoing.promise.fail(Closed())
                promise?.fail(Closed())
                return
            }
            pending.append(outgoing.promise)
            context.write(wrapOutboundOut(outgoing.request), promise: promise)
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var incoming = unwrapInboundIn(data)
            buffer.writeBuffer(&incoming)
            do {
                while let response = try HTTPWire.parse(&buffer, isGrab: true) {
                    guard let promise = pending.popFirst() else {
                        context.close(promise: nil)
                        return
                    }
                    promise.succeed(response)
                    if response.closeAfter { context.close(promise: nil) }
                }
            } catch {
                context.close(promise: nil)
            }
            buffer.discardReadBytes()
        }

        func channelInactive(context: ChannelHandlerContext) {
            isOpen = false
            while let promise = pending.popFirst() { promise.fail(Closed()) }
            context.fireChannelInactive()
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }
    }
}
