import Foundation
import HTTPTypes
import Hummingbird

/// Which peers may say who the client is. `X-Forwarded-For` and `X-Real-IP` are only headers: any
/// client can send them, so they are believed only when the socket's peer is one of the configured
/// reverse proxies (config `http.trustedProxies`, empty by default: nobody). Otherwise the client
/// is the socket's peer. The login throttle and the grab's per-address limit both count by this.
public struct TrustedProxies: Sendable, Equatable {
    public let addresses: Set<String>

    public init(_ addresses: [String]) {
        self.addresses = Set(addresses.map(Self.normalised))
    }

    /// The longest text taken as an address (an IPv6 address with an embedded IPv4 is 45).
    static let addressLengthMax = 45

    /// The client's address for a request from `peer`: the socket's peer unless it is a trusted
    /// proxy; then the nearest `X-Forwarded-For` hop that is not itself a trusted proxy (walking
    /// from the right, as each proxy appends the address it saw), else `X-Real-IP`, else the peer.
    func clientAddress(peer: String?, headers: HTTPFields) -> String? {
        guard let peer, addresses.contains(Self.normalised(peer)) else { return peer }
        let hops = headers[values: .xForwardedFor].flatMap { $0.split(separator: ",") }
            .map { Self.normalised(String($0)) }
        if !hops.isEmpty {
            for hop in hops.reversed() where !addresses.contains(hop) {
                return Self.isAddress(hop) ? hop : peer
            }
            return Self.isAddress(hops[0]) ? hops[0] : peer
        }
        if let real = headers[.xRealIP].map(Self.normalised), Self.isAddress(real) { return real }
        return peer
    }

    /// Without the spaces and tabs around it, in lower case (IPv6 hex). A byte scan: Foundation's
    /// `trimmingCharacters` bridged every request's peer address to an NSString.
    static func normalised(_ text: String) -> String {
        let bytes = text.utf8
        func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        guard let first = bytes.firstIndex(where: { !isBlank($0) }), let last = bytes.lastIndex(where: { !isBlank($0) }) else { return "" }
        let trimmed = Substring(text.utf8[first...last])
        return trimmed.utf8.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) ? trimmed.lowercased() : String(trimmed)
    }

    /// Digits, hex letters, dots and colons of bounded length: an IPv4 or IPv6 address, not a
    /// free text that would name a bucket of its own.
    static func isAddress(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= addressLengthMax
            && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) || $0 == 46 || $0 == 58 }
    }
}

extension HTTPField.Name {
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
    static let xRealIP = HTTPField.Name("X-Real-IP")!
}

/// Sets `context.clientAddress` from the socket's peer and, behind a trusted proxy, its headers.
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let proxies: TrustedProxies

    func handle(
        _ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.clientAddress = proxies.clientAddress(peer: context.clientAddress, headers: request.headers)
        return try await next(request, context)
    }
}
