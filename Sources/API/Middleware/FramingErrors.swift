import Hummingbird
import NIOCore
import NIOHTTP1

extension Problem {
    /// The stable code of a request whose HTTP framing is broken.
    static let requestMalformedCode = "request_malformed"

    /// 400 for framing the HTTP parser refused after the head was read (the body's
    /// `Transfer-Encoding` or a chunk); the connection is closed after it, as nothing after a
    /// broken frame can be read. (Framing refused before the head, in the request line or the
    /// headers, is answered by Hummingbird itself: a bare 400 and a closed connection.)
    static func requestMalformed(_ error: HTTPParserError) -> Problem {
        Problem(
            .badRequest, code: requestMalformedCode,
            detail: "The request's HTTP framing is malformed (\(error)). Send a valid Content-Length or Transfer-Encoding: chunked body.",
            headers: [.connection: "close"])
    }
}

/// Answers `CONNECT` with 405 and closes the connection. The request never reaches the router:
/// after a CONNECT head NIO's decoder stops parsing (the rest would be a tunnel) and its encoder
/// strips every response's framing and body, so a routed answer left the client waiting for the
/// end of a response that never came. The 405 therefore has no body (a problem could not be
/// framed); closing the connection ends it. Installed beside NIO's HTTP/1 decoder by
/// `ConnectGuard.Installer`, one of Hummingbird's `additionalChannelHandlers`.
final class ConnectGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private var refusing = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if case .head(let head) = part, head.method == .CONNECT {
            refusing = true
            let headers: HTTPHeaders = ["Allow": "GET, HEAD, POST, PUT, PATCH, DELETE", "Connection": "close"]
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .methodNotAllowed, headers: headers))), promise: nil)
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in bound.value.close(promise: nil) }
            return
        }
        guard !refusing else { return }
        context.fireChannelRead(data)
    }

    /// Hummingbird adds its extra handlers after its own HTTP/1 codec, where a CONNECT head is
    /// already past the point of no return; this one puts `ConnectGuard` right after NIO's decoder.
    /// Inbound (NIO requires a direction), passing everything on untouched.
    final class Installer: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = Never

        func handlerAdded(context: ChannelHandlerContext) {
            let pipeline = context.pipeline.syncOperations
            guard let decoder = try? pipeline.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self) else { return }
            try? pipeline.addHandler(ConnectGuard(), position: .after(decoder))
        }
    }
}
