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
    /// never grab get one too, because the router is the service's. The body starts once each pool
    /// connection has made its first attempt: a command while it is not connected fails at once
    /// (`notConnected`, by design for the service), and under load a test's first grab or publish
    /// came before the connection and was a 503 (seen in a GrabTests run at load 13).
    public static func with<T: Sendable>(
        postgres: PostgresClient, config: AppConfig, overrides: Services.Overrides = Services.Overrides(),
        _ body: (Services) async throws -> T
    ) async throws -> T {
        let redis = try RedisClient(configuration: config.redis.clientConfiguration, logger: TestEnvironment.logger)
        await redis.firstAttemptsMade()
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
