/// Why a Redis call failed, so that callers can tell "Redis said no" from "Redis is unreachable"
/// from "we are overloaded" and map each on purpose (e.g. 409, 503, 429).
public enum RedisClientError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The connection already had `pendingCommandsMax` commands in flight; the call was not sent.
    case backpressure(pendingCommandsMax: Int)
    /// No reply arrived before the command's deadline. The command may still run on the server.
    case timeout
    /// The connection closed (or broke) while the command was pending; it may or may not have run.
    case connectionClosed
    /// No connection of the pool is up (Redis down or reconnecting); the call was not sent.
    case notConnected
    /// The client was shut down.
    case shutdown
    /// The server replied with an error (e.g. `WRONGTYPE ...`, `NOSCRIPT ...`).
    case server(String)
    /// The reply had a shape the helper did not expect (a bug, or a key of the wrong type).
    case unexpectedReply(RESPValue)
    /// The byte stream was not valid RESP, as reported by hiredis; the connection is closed.
    case protocolError(String)
    /// The configuration or URL is invalid.
    case invalidConfiguration(String)
    /// Cluster mode: the slot's master did not serve the command after bounded retries
    /// (TRYAGAIN, CLUSTERDOWN during a failover, no connection to it, or redirects without end).
    /// The command was not run by the last node asked; retry after a moment.
    case clusterUnavailable(String)

    /// A readable summary for logs and test failures.
    public var description: String {
        switch self {
        case .backpressure(let max): return "redis: more than \(max) commands pending on the connection"
        case .timeout: return "redis: command deadline passed"
        case .connectionClosed: return "redis: connection closed while the command was pending"
        case .notConnected: return "redis: no connection available"
        case .shutdown: return "redis: client shut down"
        case .server(let message): return "redis: server error: \(message)"
        case .unexpectedReply(let reply): return "redis: unexpected reply: \(reply)"
        case .protocolError(let message): return "redis: protocol error: \(message)"
        case .invalidConfiguration(let message): return "redis: invalid configuration: \(message)"
        case .clusterUnavailable(let message): return "redis: cluster unavailable: \(message)"
        }
    }
}
