import NIOCore
import NIOPosix

/// One administrative request (create a campaign, read its remaining stock) with
/// `Connection: close`: the answer is everything the server sends before it closes. Not the load
/// path; clarity over speed.
enum AdminHTTP {
    /// The server gave no HTTP answer.
    struct Failure: Error, CustomStringConvertible {
        /// What was asked and what came back instead.
        let description: String
    }

    /// Status and body of one request to 127.0.0.1:`port`.
    static func request(port: Int, method: String, path: String, bearer: String?, json: String? = nil) async throws -> (status: Int, body: String) {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(Limits.host):\(port)\r\nConnection: close\r\n"
        if let bearer { head += "Authorization: Bearer \(bearer)\r\n" }
        let body = json ?? ""
        if json != nil { head += "Content-Type: application/json\r\n" }
        head += "Content-Length: \(body.utf8.count)\r\n\r\n" + body
        let group = MultiThreadedEventLoopGroup.singleton
        let loop = group.next()
        let promise = loop.makePromise(of: ByteBuffer.self)
        let channel = try await ClientBootstrap(group: loop)
            .connectTimeout(.seconds(Int64(Limits.adminRequestSeconds)))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Collector(promise: promise))
                }
            }
            .connect(host: Limits.host, port: port).get()
        let timeout = loop.scheduleTask(in: .seconds(Int64(Limits.adminRequestSeconds))) { channel.close(promise: nil) }
        try await channel.writeAndFlush(ByteBuffer(string: head))
        var answer = try await promise.futureResult.get()
        timeout.cancel()
        let text = answer.readString(length: answer.readableBytes) ?? ""
        guard text.hasPrefix("HTTP/1."), text.count >= 12,
            let status = Int(text.dropFirst(9).prefix(3)),
            let split = text.range(of: "\r\n\r\n")
        else {
            throw Failure(description: "\(method) \(path): no HTTP answer (\(text.prefix(80)))")
        }
        return (status, String(text[split.upperBound...]))
    }

    /// Collects bytes until the server closes.
    private final class Collector: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        private let promise: EventLoopPromise<ByteBuffer>
        private var buffer = ByteBuffer()
        private var completed = false

        init(promise: EventLoopPromise<ByteBuffer>) { self.promise = promise }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var incoming = unwrapInboundIn(data)
            if buffer.readableBytes + incoming.readableBytes > Limits.responseBytesMax * 16 {
                context.close(promise: nil)
                return
            }
            buffer.writeBuffer(&incoming)
        }

        func channelInactive(context: ChannelHandlerContext) {
            guard !completed else { return }
            completed = true
            promise.succeed(buffer)
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            if !completed {
                completed = true
                promise.fail(error)
            }
            context.close(promise: nil)
        }
    }
}
