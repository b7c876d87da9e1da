import Hummingbird
import Logging
import Ledger
import PostgresNIO
import Prometheus
import ServiceLifecycle
import VoucherConfig

/// The stores the application talks to, created from configuration. They are `Service`s and must
/// run in the application's service group (postgres-nio's pool does nothing until it runs).
public struct AppStores: Sendable {
    public let postgres: PostgresClient

    public init(postgres: PostgresClient) {
        self.postgres = postgres
    }

    /// Builds the clients without connecting; connections open when the services run.
    public static func make(config: AppConfig, logger: Logger) -> AppStores {
        AppStores(postgres: PostgresClient(configuration: config.postgres.clientConfiguration, backgroundLogger: logger))
    }
}

/// Everything `main` and the tests need to run one VoucherRush server.
public enum VoucherApp {
    /// The router with every controller and the middleware chain.
    public static func buildRouter(
        config: AppConfig, stores: AppStores, tokens: TokenService, checks: [ReadinessCheck],
        registry: PrometheusCollectorRegistry, logger: Logger
    ) -> Router<AppRequestContext> {
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: LogRequestsMiddleware(.info))
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: ProblemMiddleware())
        HealthController(checks: checks, registry: registry).addRoutes(to: router)
        let v1 = router.group("v1").add(middleware: AuthMiddleware(tokens: tokens))
        AccountsRoutes.add(to: v1, environment: .live(config: config, postgres: stores.postgres, tokens: tokens, logger: logger))
        return router
    }

    /// The standard readiness checks: PostgreSQL answers `SELECT 1`.
    public static func postgresCheck(_ client: PostgresClient) -> ReadinessCheck {
        ReadinessCheck(name: "postgres") {
            try await client.query("SELECT 1")
        }
    }

    /// The application with its stores as services, so they start before and stop after the server.
    public static func buildApplication(
        config: AppConfig,
        stores: AppStores,
        checks: [ReadinessCheck],
        extraServices: [any Service] = [],
        registry: PrometheusCollectorRegistry,
        logger: Logger
    ) async -> some ApplicationProtocol {
        let tokens = await TokenService(config: config.jwt)
        let router = buildRouter(config: config, stores: stores, tokens: tokens, checks: checks, registry: registry, logger: logger)
        return Application(
            router: router,
            configuration: .init(address: .hostname(config.http.host, port: config.http.port), serverName: "VoucherRush"),
            services: [stores.postgres] + extraServices,
            logger: logger)
    }
}
