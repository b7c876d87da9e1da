/// Everything needed to reach one Redis server, in one value, so the service builds it once from
/// its own config (or a `redis://` URL) and tests can tweak single fields.
public struct RedisConfiguration: Sendable, Hashable {
    /// How the client checks the server's TLS certificate.
    public enum CertificateVerification: Sendable, Hashable {
        /// Chain and host name (the default; what production wants).
        case full
        /// Chain only: for servers reached by an address not in their certificate.
        case noHostname
        /// Nothing: encryption without authentication, for local experiments only.
        case none
    }

    /// TLS settings; `nil` in `RedisConfiguration.tls` means plain TCP.
    public struct TLS: Sendable, Hashable {
        /// PEM file with the CA (or self-signed) certificates to trust; `nil` trusts the system roots.
        public var trustRootsPEMPath: String?
        /// How much of the server certificate to check.
        public var certificateVerification: CertificateVerification
        /// Name sent as SNI and checked against the certificate; `nil` uses `host` unless it is an
        /// IP address (then the address is checked).
        public var serverName: String?

        /// Defaults to full verification against the system roots.
        public init(
            trustRootsPEMPath: String? = nil,
            certificateVerification: CertificateVerification = .full,
            serverName: String? = nil
        ) {
            self.trustRootsPEMPath = trustRootsPEMPath
            self.certificateVerification = certificateVerification
            self.serverName = serverName
        }
    }

    /// Server host name or IP address.
    public var host: String
    /// Server TCP port.
    public var port: Int
    /// ACL user for `AUTH username password`; `nil` sends `AUTH password` (the default user).
    public var username: String?
    /// Password for `AUTH`; `nil` skips AUTH.
    public var password: String?
    /// Database index for `SELECT`; 0 skips SELECT.
    public var database: Int
    /// TLS settings, or `nil` for plain TCP.
    public var tls: TLS?
    /// Connections in the pool; `nil` means one per event-loop thread of the group.
    public var poolSize: Int?
    /// Deadline of a command that does not name its own.
    public var commandTimeout: Duration
    /// Commands in flight per connection beyond which calls fail with `.backpressure`.
    public var pendingCommandsMax: Int
    /// Bound on establishing TCP (and TLS, AUTH, SELECT) for one connection.
    public var connectTimeout: Duration
    /// First wait before reconnecting a dropped connection; doubles on each failed attempt.
    public var reconnectBackoffMin: Duration
    /// Longest wait between reconnect attempts.
    public var reconnectBackoffMax: Duration
    /// Cluster mode when not empty: nodes of a Redis Cluster to learn the slot map from (any
    /// subset of its nodes will do). `host` and `port` are then unused, and each master gets a pool
    /// of `poolSize` connections with the other settings here. Empty: one server (the default).
    public var clusterSeeds: [RedisNodeAddress] = []

    /// A configuration with the defaults of `RedisLimits`; only the address is required.
    public init(
        host: String = "127.0.0.1",
        port: Int = 6379,
        username: String? = nil,
        password: String? = nil,
        database: Int = 0,
        tls: TLS? = nil,
        poolSize: Int? = nil,
        commandTimeout: Duration = RedisLimits.commandTimeoutDefault,
        pendingCommandsMax: Int = RedisLimits.pendingCommandsMaxDefault,
        connectTimeout: Duration = RedisLimits.connectTimeoutDefault,
        reconnectBackoffMin: Duration = RedisLimits.reconnectBackoffMinDefault,
        reconnectBackoffMax: Duration = RedisLimits.reconnectBackoffMaxDefault
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.tls = tls
        self.poolSize = poolSize
        self.commandTimeout = commandTimeout
        self.pendingCommandsMax = pendingCommandsMax
        self.connectTimeout = connectTimeout
        self.reconnectBackoffMin = reconnectBackoffMin
        self.reconnectBackoffMax = reconnectBackoffMax
    }

    /// Parses `redis://[[username]:password@]host[:port][/db]` or `rediss://...` (TLS with full
    /// verification against the system roots), so one environment variable can carry the address.
    public init(url: String) throws(RedisClientError) {
        self.init()
        var rest = Substring(url)
        if rest.hasPrefix("rediss://") {
            tls = TLS()
            port = 6379
            rest = rest.dropFirst("rediss://".count)
        } else if rest.hasPrefix("redis://") {
            rest = rest.dropFirst("redis://".count)
        } else {
            throw .invalidConfiguration("URL scheme must be redis:// or rediss://")
        }
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = userInfo.firstIndex(of: ":") {
                let user = userInfo[..<colon]
                username = user.isEmpty ? nil : try Self.percentDecoded(user)
                password = try Self.percentDecoded(userInfo[userInfo.index(after: colon)...])
            } else if !userInfo.isEmpty {
                password = try Self.percentDecoded(userInfo)
            }
        }
        var hostPort = rest
        if let slash = rest.firstIndex(of: "/") {
            hostPort = rest[..<slash]
            let path = rest[rest.index(after: slash)...]
            if !path.isEmpty {
                guard let db = Int(path), db >= 0 else { throw .invalidConfiguration("database must be a number") }
                database = db
            }
        }
        if hostPort.hasPrefix("["), let close = hostPort.firstIndex(of: "]") {
            // IPv6 literal: [::1]:6379
            host = String(hostPort[hostPort.index(after: hostPort.startIndex)..<close])
            let after = hostPort[hostPort.index(after: close)...]
            if after.hasPrefix(":") { port = try Self.port(after.dropFirst()) }
        } else if let colon = hostPort.lastIndex(of: ":") {
            host = String(hostPort[..<colon])
            port = try Self.port(hostPort[hostPort.index(after: colon)...])
        } else {
            host = String(hostPort)
        }
        guard !host.isEmpty else { throw .invalidConfiguration("URL has no host") }
    }

    private static func port(_ text: Substring) throws(RedisClientError) -> Int {
        guard let port = Int(text), (1...65535).contains(port) else {
            throw .invalidConfiguration("port must be 1...65535")
        }
        return port
    }

    private static func percentDecoded(_ text: Substring) throws(RedisClientError) -> String {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next(), let low = iterator.next(),
                    let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
                else { throw .invalidConfiguration("bad percent-escape in URL") }
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
