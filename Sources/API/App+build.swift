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

/// Everything `main` and the tests need to run one VoucherRush server.
public enum VoucherApp {
    /// The only router, of the service and of the tests: every controller over `services`, behind
    /// the whole middleware chain. `checks` default to the standard ones; `registry` is what
    /// `/metrics` serves.
    public static func buildRouter(
        services: Services, checks: [ReadinessCheck]? = nil, registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
        readinessTimeout: Duration? = nil
    ) -> Router<AppRequestContext> {
        let config = services.config
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: ClientAddressMiddleware(proxies: TrustedProxies(config.http.trustedProxies)))
        router.add(middleware: BodyLimitMiddleware(jsonBodyBytesMax: config.http.bodyBytesMax))
        router.add(middleware: LogRequestsMiddleware(.info))
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: ProblemMiddleware())
        let web = WebController.make(services: services)
        router.add(middleware: WebNotFoundMiddleware(controller: web))
        router.add(middleware: TextInputMiddleware())
        let health = HealthController(
            checks: checks ?? standardChecks(services.stores, logger: services.logger), registry: registry, metricsToken: config.metricsToken,
            probeTimeout: readinessTimeout ?? HealthController.probeTimeoutDefault)
        router.addRoutes(health.endpoints)
        OpenAPIController().addRoutes(to: router)
        let v1 = router.group("v1").add(middleware: services.accounts.authMiddleware)
        v1.addRoutes(CampaignsController(campaigns: services.campaigns, rush: services.rush, publisher: services.publisher).endpoints)
        v1.addRoutes(
            VoucherApplicationsController(applications: services.applications, campaigns: services.campaigns, clock: services.clock).endpoints)
        v1.addRoutes(AuthController(env: services.accounts).endpoints)
        v1.addRoutes(RegistrationController(env: services.accounts).endpoints)
        v1.addRoutes(AccountController(env: services.accounts).endpoints)
        v1.addRoutes(SubAccountsController(env: services.accounts).endpoints)
        v1.addRoutes(ApprovalsController(env: services.accounts, platform: services.platform).endpoints)
        v1.addRoutes(OrdersController(env: services.orders).endpoints)
        v1.addRoutes(ProviderOrdersController(env: services.orders).endpoints)
        v1.addRoutes(PlatformController(env: services.platform).endpoints)
        v1.addRoutes(ProductsController(env: services.orders).endpoints)
        v1.addRoutes(
            ExpertsController(env: services.orders, experts: ExpertsRepository(client: services.stores.postgres, logger: services.logger)).endpoints)
        v1.addRoutes(RedemptionController(env: services.redemption).endpoints)
        v1.addRoutes(ReconciliationController(env: services.reconciliation).endpoints)
        v1.addRoutes(CatalogueController(catalogue: services.catalogue, files: services.files, reviews: services.reviews).endpoints)
        v1.addRoutes(AnnouncementsController(announcements: services.announcements, clock: services.clock).endpoints)
        v1.addRoutes(ReviewsController(reviews: services.reviews, catalogue: services.catalogue, clock: services.clock).endpoints)
        v1.addRoutes(WorkbenchController(services: services).endpoints)
        router.group().add(middleware: WebErrorMiddleware(controller: web)).addRoutes(web.endpoints)
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

    /// The application with its stores and `services.backgroundServices` as services, so they
    /// start before and stop after the server.
    public static func buildApplication(
        services: Services,
        checks: [ReadinessCheck]? = nil,
        extraServices: [any Service] = [],
        registry: PrometheusCollectorRegistry
    ) -> some ApplicationProtocol {
        let config = services.config
        let stores = services.stores
        let router = buildRouter(services: services, checks: checks, registry: registry)
        let running: [any Service] = [stores.postgres, RedisService(client: stores.redis)] + services.backgroundServices
        return Application(
            router: router,
            server: .http1(
                configuration: .init(
                    additionalChannelHandlers: [ConnectGuard.Installer()], idleTimeout: .seconds(Int64(config.http.idleTimeoutSeconds)))),
            configuration: .init(address: .hostname(config.http.host, port: config.http.port), serverName: "VoucherRush"),
            services: running + extraServices,
            logger: services.logger)
    }
}
