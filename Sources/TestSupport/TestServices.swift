import Logging
import PostgresNIO
import RedisNIO
import VoucherConfig
import VoucherServices

/// The server's one composition root (`Services.live`) over a test's stores, so the test worlds
/// build the app exactly as `voucher-server` does, overriding only what they must.
public enum TestServices {
    /// Runs `body` with the services over `postgres` (a test database's running pool) and a new
    /// Redis client of the test Redis (`config.redis`), then shuts that client down. Worlds that
    /// never grab get one too, because the router is the service's: it connects in the background,
    /// and a command while it is not connected fails at once instead of waiting.
    public static func with<T: Sendable>(
        postgres: PostgresClient, config: AppConfig, overrides: Services.Overrides = Services.Overrides(),
        _ body: (Services) async throws -> T
    ) async throws -> T {
        let redis = try RedisClient(configuration: config.redis.clientConfiguration, logger: TestEnvironment.logger)
        let services = await Services.live(
            config: config, stores: AppStores(postgres: postgres, redis: redis), logger: TestEnvironment.logger, overrides: overrides)
        do {
            let result = try await body(services)
            await redis.shutdown()
            return result
        } catch {
            await redis.shutdown()
            throw error
        }
    }
}
