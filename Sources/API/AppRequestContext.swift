import Foundation
import Hummingbird
import Logging
import Synchronization

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
    /// stored by `VoucherApp.buildRouter` before the server accepts a request (a request context
    /// is built from the channel alone, so the bound cannot travel with the router). Raw uploads
    /// (licences, proofs, archives, statements) are read by `Upload.read` with their own bounds.
    public static let jsonBodyBytesMax = Atomic<Int>(1 << 20)

    public var maxUploadSize: Int { Self.jsonBodyBytesMax.load(ordering: .relaxed) }

    /// Every `Date` in a JSON answer is RFC 3339 in China Standard Time (`…+08:00`), the one
    /// convention of SPEC §9, whichever controller encodes it.
    public var responseEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom(RFC3339.encode)
        return encoder
    }

    /// Every `Date` in a JSON body is read as RFC 3339 with any offset (SPEC §9), whichever
    /// controller decodes it (Hummingbird's default, `.iso8601`, refuses fractional seconds).
    public var requestDecoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom(RFC3339.decode)
        return decoder
    }
}
