import Hummingbird
import Logging
import PostgresNIO
import PostgresStore
import Prometheus
import Reconciliation
import RedisNIO
import Rush
import ServiceLifecycle
import VoucherConfig
import VoucherCore
import VoucherServices

/// The stores the application talks to, created from configuration. They are `Service`s and must
/// run in the application's service group (postgres-nio's pool does nothing until it runs).
public struct AppStores: Sendable {
    public let postgres: PostgresClient
    public let redis: RedisClient

    public init(postgres: PostgresClient, redis: RedisClient) {
        self.postgres = postgres
        self.redis = redis
    }

    /// Builds the clients; PostgreSQL connects when its service runs, Redis starts connecting
    /// in the background at once (and keeps retrying with backoff).
    public static func make(config: AppConfig, logger: Logger) throws -> AppStores {
        AppStores(
            postgres: PostgresClient(configuration: config.postgres.clientConfiguration, backgroundLogger: logger),
            redis: try RedisClient(configuration: config.redis.clientConfiguration, logger: logger))
    }
}

/// Everything `main` and the tests need to run one VoucherRush server.
public enum VoucherApp {
    /// The router with every controller and the middleware chain; `rushClock` is the time of the
    /// grab path's in-memory limits and `sms` the code sender (tests move the one, read the other).
    public static func buildRouter(
        config: AppConfig, stores: AppStores, tokens: TokenService, checks: [ReadinessCheck],
        registry: PrometheusCollectorRegistry, logger: Logger, rushClock: any MonotonicClock = SystemMonotonicClock(),
        sms: (any SMSSender)? = nil
    ) -> Router<AppRequestContext> {
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: ClientAddressMiddleware(proxies: TrustedProxies(config.http.trustedProxies)))
        router.add(middleware: BodyLimitMiddleware(jsonBodyBytesMax: config.http.bodyBytesMax))
        router.add(middleware: LogRequestsMiddleware(.info))
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: ProblemMiddleware())
        router.add(middleware: TextInputMiddleware())
        HealthController(checks: checks, registry: registry, metricsToken: config.metricsToken).addRoutes(to: router)
        OpenAPIController().addRoutes(to: router)
        let accounts = AccountsEnvironment.live(config: config, postgres: stores.postgres, tokens: tokens, logger: logger, sms: sms)
        let v1 = router.group("v1").add(middleware: accounts.authMiddleware)
        let rush = RushServices(redis: stores.redis, postgres: stores.postgres, limits: config.grab, logger: logger, clock: rushClock)
        let campaigns = CampaignsRepository(client: stores.postgres, logger: logger)
        let publisher = CampaignPublisher(campaigns: campaigns, loader: rush.loader, directory: rush.directory, gate: rush.gate)
        CampaignsController(campaigns: campaigns, rush: rush, publisher: publisher).addRoutes(to: v1)
        VoucherApplicationsController(
            applications: VoucherApplicationsRepository(client: stores.postgres, logger: logger), campaigns: campaigns
        ).addRoutes(to: v1)
        AccountsRoutes.add(to: v1, environment: accounts)
        OrdersRoutes.add(
            to: v1,
            environment: OrdersEnvironment(
                postgres: stores.postgres, files: LocalDiskFileStore(root: config.dataDir), clock: SystemWallClock(),
                orgStoredBytesMax: config.orgStoredBytesMax, logger: logger))
        RedemptionRoutes.add(
            to: v1,
            environment: RedemptionEnvironment(
                postgres: stores.postgres, files: LocalDiskFileStore(root: config.dataDir), clock: SystemWallClock(),
                orgStoredBytesMax: config.orgStoredBytesMax, logger: logger))
        ReconciliationRoutes.add(
            to: v1,
            environment: ReconciliationEnvironment(
                postgres: stores.postgres, policy: MatchPolicy(dateWindowDays: config.reconciliation.dateWindowDays), clock: SystemWallClock(),
                logger: logger, parse: { try StatementParser.parse($0) }))
        return router
    }

    /// The standard readiness checks: PostgreSQL answers `SELECT 1`, Redis answers `PING`.
    public static func standardChecks(_ stores: AppStores, logger: Logger) -> [ReadinessCheck] {
        let postgres = stores.postgres
        let redis = stores.redis
        return [
            ReadinessCheck(name: "postgres") {
                // withConnection returns the lease even when the deadline cancels us mid-query;
                // `PostgresClient.query` lost it then (the row stream was never handed over), and
                // the pool's shutdown waited for it forever.
                try await postgres.withConnection { connection in
                    for try await _ in try await connection.query("SELECT 1", logger: logger) {}
                }
            },
            ReadinessCheck(name: "redis") { try await redis.ping() },
        ]
    }

    /// The application with its stores as services, so they start before and stop after the server.
    public static func buildApplication(
        config: AppConfig,
        stores: AppStores,
        checks: [ReadinessCheck]? = nil,
        extraServices: [any Service] = [],
        registry: PrometheusCollectorRegistry,
        logger: Logger,
        rushClock: any MonotonicClock = SystemMonotonicClock(),
        sms: (any SMSSender)? = nil
    ) async -> some ApplicationProtocol {
        let tokens = await TokenService(config: config.jwt)
        let router = buildRouter(
            config: config, stores: stores, tokens: tokens, checks: checks ?? standardChecks(stores, logger: logger), registry: registry,
            logger: logger, rushClock: rushClock, sms: sms)
        var services: [any Service] = [stores.postgres, RedisService(client: stores.redis)]
        services.append(VoucherExpiryService(postgres: stores.postgres, logger: logger))
        if config.sinkEnabled {
            services.append(
                ClaimSink(
                    redis: stores.redis, claims: ClaimsRepository(client: stores.postgres, logger: logger),
                    campaigns: CampaignsRepository(client: stores.postgres, logger: logger), logger: logger))
        }
        return Application(
            router: router,
            server: .http1(
                configuration: .init(
                    additionalChannelHandlers: [ConnectGuard.Installer()], idleTimeout: .seconds(Int64(config.http.idleTimeoutSeconds)))),
            configuration: .init(address: .hostname(config.http.host, port: config.http.port), serverName: "VoucherRush"),
            services: services + extraServices,
            logger: logger)
    }
}
