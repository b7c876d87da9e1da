import Foundation

/// Whether the process may invent what it is missing. Production never does: a missing secret
/// stops the process with a sentence naming the variable, instead of starting with a guess.
public enum RunMode: String, Sendable, Codable {
    case dev
    case production
}

/// The resolved settings of a VoucherRush process. Built once in `main` by `ConfigLoader` and
/// passed down by value, so nothing below reads the environment on its own.
public struct AppConfig: Sendable, Equatable {
    /// `dev` generates missing secrets, `production` refuses to start without them.
    public var mode: RunMode
    /// swift-log level name: trace, debug, info, notice, warning, error, critical.
    public var logLevel: String
    public var http: HTTP
    public var postgres: Postgres
    public var redis: Redis
    public var jwt: JWT
    /// Folder for uploaded files (stored by content hash); relative paths are taken from the working directory.
    public var dataDir: String
    /// Bytes of uploaded files one organisation may keep stored (its licence, payment proofs,
    /// redemption archives and materials, counted from what the database refers to); an upload
    /// past it is refused before anything is written (issue 20, item 10).
    public var orgStoredBytesMax: Int
    public var grab: Grab
    /// Whether this process drains claim streams into PostgreSQL (every server may; the
    /// consumer group shares the work).
    public var sinkEnabled: Bool
    public var reconciliation: ReconciliationSettings
    /// The bearer token `/metrics` requires; only ever from `VOUCHER_METRICS_TOKEN`. Without
    /// one, `/metrics` answers 401 to everybody.
    public var metricsToken: String?
    /// The web pages' sessions.
    public var web = Web()

    /// The web pages' sessions (issue 16).
    public struct Web: Sendable, Equatable {
        /// A session unused this long ends (30 minutes by default).
        public var idleTimeoutSeconds = 1_800
        /// A session ends this long after its login however busy (12 hours by default).
        public var absoluteTimeoutSeconds = 43_200
        /// The session cookie is `Secure`: set it when the server is reached over TLS (behind a proxy).
        public var secureCookies = false
        /// Test servers only (production mode refuses it): a file holding seconds the web sessions'
        /// clock is moved on by, so the browser tests pass an idle timeout without waiting.
        public var clockOffsetFile = ""

        public init() {}
    }

    /// How statement lines are matched to redemption batches.
    public struct ReconciliationSettings: Sendable, Equatable {
        /// Days a receipt's booking day may be from the recorded transfer day when it is matched by
        /// account and amount (no reference in the memo); 0...`dateWindowDaysMax`.
        public var dateWindowDays: Int
        /// The widest window accepted (the matcher's `MatchPolicy.dateWindowDaysMax`).
        public static let dateWindowDaysMax = 31
    }

    /// Rate limits of the grab route (token buckets: burst, then so many per second).
    public struct Grab: Sendable, Equatable {
        public var enterpriseBurst: Int
        public var enterprisePerSecond: Int
        public var addressBurst: Int
        public var addressPerSecond: Int
        /// Grab-script calls of one lot pipelined at once on a single Redis (`grab.callsInFlightPerLot`;
        /// 1 unless set; cluster mode always 1): with more, the next batch is on its way while one call's
        /// fsync runs.
        public var callsInFlightPerLot = 1
        /// Servers behind the load balancer that share these budgets (`grab.servers`, default 1):
        /// the buckets live in each process, so each enforces 1/servers of every budget and a
        /// round-robin balancer adds the shares back up to the budget (docs/SCALING.md).
        public var servers: Int = 1
        /// The most servers one budget is split between.
        public static let serversMax = 1_000
    }

    /// Where the HTTP server listens and how much it reads.
    public struct HTTP: Sendable, Equatable {
        public var host: String
        public var port: Int
        /// Largest request body accepted, in bytes (uploads have their own limits).
        public var bodyBytesMax: Int
        /// Reverse proxies whose `X-Forwarded-For` / `X-Real-IP` name the client (IP addresses,
        /// comma-separated in the file); empty by default: nobody's headers are believed.
        public var trustedProxies: [String]
        /// A connection that sends or receives no complete request part for this long is closed:
        /// a request head must arrive within it, a body must not stall longer, an idle keep-alive ends.
        public var idleTimeoutSeconds: Int
    }

    /// PostgreSQL, the source of truth.
    public struct Postgres: Sendable, Equatable {
        public var host: String
        public var port: Int
        public var user: String
        /// Only ever from `VOUCHER_DB_PASSWORD`; never from a file or the command line.
        public var password: String?
        public var database: String
        public var connectionsMax: Int
        public var tls: Bool
    }

    /// Redis, the fast gate of the grab path.
    public struct Redis: Sendable, Equatable {
        public var host: String
        public var port: Int
        /// Only ever from `VOUCHER_REDIS_PASSWORD`.
        public var password: String?
        public var database: Int
        /// Connections in the pool; 0 means one per event-loop thread.
        public var poolSize: Int
        public var commandTimeoutMs: Int
        public var tls: Bool
        /// Redis Cluster mode when not empty: `host:port` of some of the cluster's nodes, from
        /// `redis.cluster.seeds` (comma-separated); `host` and `port` are then unused. Empty: one
        /// server, the default.
        public var clusterSeeds: [String] = []
        /// Cluster mode: replicas that must confirm a grab's claim (`WAIT`) before it is announced
        /// won, from `redis.cluster.waitReplicas`; 0 announces on the master's word alone.
        public var clusterWaitReplicas = 1
        /// How long the master waits for them (`redis.cluster.waitTimeoutMs`).
        public var clusterWaitTimeoutMs = 250
        /// Bound on a connection's TCP connect and handshake (`redis.connectTimeoutMs`; 3 s unless set).
        public var connectTimeoutMs = 3_000
    }

    /// Access-token signing. The secret is at least `JWT.secretBytesMin` bytes (HS256).
    public struct JWT: Sendable, Equatable {
        /// Only ever from `VOUCHER_JWT_SECRET`; generated per process in dev mode when absent.
        public var secret: String
        public var secretWasGenerated: Bool
        public var accessTtlSeconds: Int
        public var refreshTtlSeconds: Int
        public var issuer: String
        /// jwt-kit asserts on shorter HS256 keys; we refuse them with a sentence instead.
        public static let secretBytesMin = 32
    }
}
