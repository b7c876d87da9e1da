/// Every bound of the client in one place (house habit 5), so a reviewer sees all limits at once.
public enum RedisLimits {
    /// Default command deadline: long enough for a slow Lua script, short enough that an HTTP
    /// request waiting on Redis still answers within its own budget.
    public static let commandTimeoutDefault: Duration = .seconds(2)
    /// Default bound on commands in flight per connection. 64 callers at pipeline depth 16 fit
    /// many times over; beyond it Redis is not keeping up and queueing more only adds latency.
    public static let pendingCommandsMaxDefault = 4096
    /// Default bound on establishing one connection, TLS and AUTH included.
    public static let connectTimeoutDefault: Duration = .seconds(3)
    /// Default first reconnect wait.
    public static let reconnectBackoffMinDefault: Duration = .milliseconds(50)
    /// Default longest reconnect wait.
    public static let reconnectBackoffMaxDefault: Duration = .seconds(2)
    /// Largest pool accepted: more connections than this to one single-threaded Redis only costs.
    public static let poolSizeMax = 64
    /// How often each connection checks the deadlines of its pending commands.
    static let deadlineTick: Duration = .milliseconds(10)
    /// Initial capacity of a connection's outgoing batch buffer.
    static let outgoingBufferCapacity = 16 * 1024
    /// Redirects (MOVED/ASK) one cluster command may follow before it gives up: a healthy cluster
    /// needs at most two (one MOVED, one ASK during a migration); more means the map churns.
    public static let clusterRedirectsMax = 5
    /// Retries of one cluster command after TRYAGAIN, CLUSTERDOWN or a master without a
    /// connection, before it fails with `.clusterUnavailable` (the API's 503 with Retry-After).
    public static let clusterRetriesMax = 3
    /// First pause before such a retry; doubles each time (100 + 200 + 400 ms at most in all).
    public static let clusterRetryPauseMin: Duration = .milliseconds(100)
}
