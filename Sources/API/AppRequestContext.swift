import Foundation
import Hummingbird
import Logging
import VoucherServices

/// The request context of every route. Authentication fills `identity` later in the chain.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `AuthMiddleware` from a verified bearer token; nil for anonymous requests.
    public var identity: Identity?

    /// The peer's IP address, for per-address rate limits (the load balancer's, behind one).
    public var clientAddress: String?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.clientAddress = source.channel.remoteAddress?.ipAddress
    }

    /// The largest JSON body `request.decode(as:context:)` collects: config `http.bodyBytesMax`,
    /// set by `BodyLimitMiddleware` at the head of the chain (a request context is built from the
    /// channel alone, so the configured bound arrives through middleware). Raw uploads (licences,
    /// proofs, archives, statements) are read by `Upload.read` with their own bounds.
    public var jsonBodyBytesMax = AppRequestContext.jsonBodyBytesDefault
    /// The bound before the middleware has run: the default of `http.bodyBytesMax`.
    public static let jsonBodyBytesDefault = 1 << 20

    public var maxUploadSize: Int { jsonBodyBytesMax }

    /// Every `Date` in a JSON answer is RFC 3339 in China Standard Time (`…+08:00`), the one
    /// convention of SPEC §9, whichever controller encodes it; keys are sorted, so answers,
    /// logs and diffs are stable.
    public var responseEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom(RFC3339.encode)
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }

    /// Every `Date` in a JSON body is read as RFC 3339 with any offset (SPEC §9), whichever
    /// controller decodes it (Hummingbird's default, `.iso8601`, refuses fractional seconds).
    /// Text the stores cannot hold is refused first (`TextInputGuard`).
    public var requestDecoder: GuardedJSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom(RFC3339.decode)
        return GuardedJSONDecoder(json: decoder)
    }
}
