import Foundation
import Hummingbird
import Synchronization
import VoucherCore
import VoucherServices

/// An RFC 9457 problem response. Every error a client can see is one of these, with a stable
/// snake_case `code` that programs branch on and a `detail` sentence that says what to fix.
public struct Problem: HTTPResponseError, Sendable {
    public let status: HTTPResponse.Status
    public let code: String
    public let detail: String
    /// Extra headers, such as `Retry-After` on 429 or `WWW-Authenticate` on 401.
    public var headers: HTTPFields
    /// Extra members of the problem object (`opensAt`, `retryAfterSeconds`…), already JSON-ready.
    public var extensions: [String: ProblemValue]

    public init(
        _ status: HTTPResponse.Status, code: String, detail: String,
        headers: HTTPFields = [:], extensions: [String: ProblemValue] = [:]
    ) {
        self.status = status
        self.code = code
        self.detail = detail
        self.headers = headers
        self.extensions = extensions
    }

    /// The media type of RFC 9457.
    public static let contentType = "application/problem+json"

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        prebuiltResponse()
    }

    /// The response, which depends on nothing of the request: a route may build it once and
    /// return it for every answer (`CampaignsController.soldOutResponse`).
    func prebuiltResponse() -> Response {
        var headers = self.headers
        headers[.contentType] = Problem.contentType
        return Response(status: status, headers: headers, body: .init(byteBuffer: cachedBody()))
    }

    /// Problems without extensions repeat (every `sold_out` of a rush is the same bytes), so
    /// their bodies are encoded once and the buffer is shared by every answer (no copy, no key
    /// text built per answer). Bounded: past `renderedMax` the cache starts over.
    func cachedBody() -> ByteBuffer {
        guard extensions.isEmpty else { return ByteBuffer(bytes: bodyBytes()) }
        let key = RenderedKey(status: status.code, code: code, detail: detail)
        if let body = Problem.rendered.withLock({ $0[key] }) { return body }
        let body = ByteBuffer(bytes: bodyBytes())
        Problem.rendered.withLock { cache in
            if cache.count >= Problem.renderedMax { cache.removeAll() }
            cache[key] = body
        }
        return body
    }

    struct RenderedKey: Hashable, Sendable {
        let status: Int
        let code: String
        let detail: String
    }

    static let renderedMax = 1_000
    /// Encoded bodies by status, code and detail. Guarded by the mutex.
    static let rendered = Mutex<[RenderedKey: ByteBuffer]>([:])

    /// The JSON body: `type`, `title`, `status`, `detail`, `code`, then the extensions; a code
    /// renamed to the convention also carries its old names in `aliases` (`ErrorCode.aliases`).
    func bodyBytes() -> [UInt8] {
        var object: [String: ProblemValue] = extensions
        if let aliases = ErrorCode.aliases[code] { object["aliases"] = .array(aliases.map { .string($0) }) }
        object["type"] = .string("https://voucherrush.example/problems/\(code)")
        object["title"] = .string(status.reasonPhrase)
        object["status"] = .int(Int64(status.code))
        object["detail"] = .string(detail)
        object["code"] = .string(code)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Array((try? encoder.encode(object)) ?? Data("{\"code\":\"internal_error\"}".utf8))
    }
}

/// The few JSON shapes problem extensions need, so a `Problem` stays `Sendable`. Arrays and
/// objects carry lists such as the unreadable lines of a statement (`lines: [{line, reason}]`).
public indirect enum ProblemValue: Sendable, Encodable, Equatable {
    case string(String)
    case int(Int64)
    case bool(Bool)
    case array([ProblemValue])
    case object([String: ProblemValue])

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .array(let values): try container.encode(values)
        case .object(let members): try container.encode(members)
        }
    }
}

extension Problem {
    /// 400 for a body that is not the JSON the route expects.
    static func invalidBody(_ detail: String) -> Problem {
        Problem(.badRequest, code: "body_invalid", detail: detail)
    }

    /// 500 that hides the cause from the client; the cause goes to the log.
    static let internalError = Problem(
        .internalServerError, code: "internal_error", detail: "The server failed to handle the request; it has been logged. Try again later.")
}
