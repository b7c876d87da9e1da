import PostgresNIO
import RedisNIO

/// Classifies errors that mean "a store is unreachable or overloaded right now" rather than "the
/// server has a bug": such a request is answered 503 `unavailable` with `Retry-After`, and the
/// client may simply retry. Everything else stays a 500.
enum StoreOutage {
    /// True for Redis transport failures (deadline, closed or missing connection, backpressure,
    /// shutdown). Server replies (`-ERR …`) and protocol errors are bugs, not outages.
    static func isOutage(_ error: RedisClientError) -> Bool {
        switch error {
        case .backpressure, .timeout, .connectionClosed, .notConnected, .shutdown, .clusterUnavailable: true
        case .server, .unexpectedReply, .protocolError, .invalidConfiguration: false
        }
    }

    /// True for PostgreSQL connection failures and for the server refusing work while it starts,
    /// stops or is being administered (SQLSTATE classes 08 and 57P0x).
    static func isOutage(_ error: PSQLError) -> Bool {
        switch error.code {
        case .clientClosedConnection, .serverClosedConnection, .connectionError, .uncleanShutdown, .poolClosed:
            return true
        case .server:
            let state = error.serverInfo?[.sqlState] ?? ""
            return state.hasPrefix("08") || state.hasPrefix("57P0")
        default:
            return false
        }
    }
}

extension Problem {
    /// A store is unreachable or overloaded: retry shortly; nothing was changed that the client
    /// cannot read back (every money movement is one transaction, every grab one script call).
    static let storeUnavailable = Problem(
        .serviceUnavailable, code: "unavailable",
        detail: "The service cannot reach its data store at the moment. Retry after the given seconds; nothing half-done was kept.",
        headers: [.retryAfter: "1"])
}
