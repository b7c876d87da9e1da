import Logging
import PostgresNIO
import RedisNIO
import VoucherConfig

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
