import ArgumentParser
import Logging
import PostgresNIO
import PostgresStore
import RedisNIO
import VoucherConfig
import VoucherServices

/// What every subcommand does the same way: load configuration, log, borrow a running pool.
enum CLI {
    static func loadConfig(_ options: ConfigOptions) throws -> AppConfig {
        do {
            return try options.load()
        } catch let error as ConfigError {
            throw ValidationError(error.description)
        }
    }

    static func logger(_ config: AppConfig) -> Logger {
        var logger = Logger(label: "voucherctl")
        logger.logLevel = Logger.Level(rawValue: config.logLevel) ?? .info
        return logger
    }

    /// Runs `body` with a PostgreSQL pool that is running, and stops the pool afterwards.
    static func withPostgres<T: Sendable>(
        _ config: AppConfig, logger: Logger, _ body: @escaping @Sendable (PostgresClient) async throws -> T
    ) async throws -> T {
        let client = PostgresClient(configuration: config.postgres.clientConfiguration, backgroundLogger: logger)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                await client.run()
                return nil
            }
            defer { group.cancelAll() }
            let result = try await body(client)
            return result
        }
    }

    /// Runs `body` with a Redis client and a running PostgreSQL pool, and closes both afterwards,
    /// whether `body` returns or throws.
    static func withStores<T: Sendable>(
        _ config: AppConfig, logger: Logger, _ body: @escaping @Sendable (RedisClient, PostgresClient) async throws -> T
    ) async throws -> T {
        let redis = try await RedisClient.connect(configuration: config.redis.clientConfiguration, logger: logger)
        do {
            let result = try await withPostgres(config, logger: logger) { try await body(redis, $0) }
            await redis.shutdown()
            return result
        } catch {
            await redis.shutdown()
            throw error
        }
    }
}
