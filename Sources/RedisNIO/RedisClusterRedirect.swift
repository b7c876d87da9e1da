/// An error reply by which a cluster node says "not here" or "not now", parsed from its text:
/// `MOVED <slot> <host>:<port>`, `ASK <slot> <host>:<port>`, `TRYAGAIN ...`, `CLUSTERDOWN ...`.
/// Pure, so redirects are tested without a server.
enum RedisClusterRedirect: Sendable, Hashable {
    /// The slot lives on another master for good: update the slot map and go there.
    case moved(slot: Int, address: RedisNodeAddress)
    /// The slot is being migrated and this key is already at the target: send `ASKING` and the
    /// command there once, without updating the map.
    case ask(slot: Int, address: RedisNodeAddress)
    /// A multi-key command during a migration, or a node still loading: retry shortly.
    case tryAgain
    /// The cluster (or the slot) is not served right now, e.g. during a failover: retry shortly.
    case clusterDown

    /// Parses an error reply's text; `nil` for any other error (the caller's own business).
    init?(errorMessage message: String) {
        if message.hasPrefix("TRYAGAIN") {
            self = .tryAgain
            return
        }
        if message.hasPrefix("CLUSTERDOWN") {
            self = .clusterDown
            return
        }
        let parts = message.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 3, let slot = Int(parts[1]), (0..<RedisClusterHash.slotCount).contains(slot),
            let address = RedisNodeAddress(parts[2])
        else { return nil }
        switch parts[0] {
        case "MOVED": self = .moved(slot: slot, address: address)
        case "ASK": self = .ask(slot: slot, address: address)
        default: return nil
        }
    }
}

/// A cluster node's address as the cluster announces it (`host:port`, IPv6 as `[addr]:port` or
/// the bare `addr:port` Redis writes in redirects).
public struct RedisNodeAddress: Sendable, Hashable, CustomStringConvertible {
    /// Host name or IP address.
    public var host: String
    /// TCP port.
    public var port: Int

    /// An address from its parts.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port`; the port is after the last colon, so IPv6 literals work bracketed or not.
    public init?<S: StringProtocol>(_ text: S) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (1...65535).contains(port)
        else { return nil }
        var host = text[..<colon]
        if host.hasPrefix("["), host.hasSuffix("]") { host = host.dropFirst().dropLast() }
        guard !host.isEmpty else { return nil }
        self.init(host: String(host), port: port)
    }

    /// `host:port`, as in redirects and logs.
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
