import Foundation
import Logging
import PostgresNIO
import PostgresStore
import VoucherConfig
import VoucherServices

/// A fresh database per test, so tests run in parallel without seeing each other's rows.
public enum TestDatabase {
    /// Runs `body` with a running pool connected to a new, empty database (migrated when asked),
    /// and drops the database afterwards.
    public static func with<T: Sendable>(
        migrated: Bool = true,
        _ body: @escaping @Sendable (PostgresClient, AppConfig) async throws -> T
    ) async throws -> T {
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
        let admin = try TestEnvironment.config(database: "postgres")
        _ = try await withRunningClient(admin.postgres) { client in
            try await client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"))
        }
        let config = try TestEnvironment.config(database: String(name))
        do {
            let result = try await withRunningClient(config.postgres) { client in
                if migrated { try await Migrator(client: client, logger: TestEnvironment.logger).apply() }
                return try await body(client, config)
            }
            try await drop(String(name), admin: admin)
            return result
        } catch {
            try? await drop(String(name), admin: admin)
            throw error
        }
    }

    private static func drop(_ name: String, admin: AppConfig) async throws {
        _ = try await withRunningClient(admin.postgres) { client in
            try await client.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"))
        }
    }

    /// A pool that runs for the duration of `body` only.
    public static func withRunningClient<T: Sendable>(
        _ settings: AppConfig.Postgres,
        _ body: @escaping @Sendable (PostgresClient) async throws -> T
    ) async throws -> T {
        var configuration = settings.clientConfiguration
        configuration.options.maximumConnections = 8
        let client = PostgresClient(configuration: configuration, backgroundLogger: TestEnvironment.logger)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                await client.run()
                return nil
            }
            defer { group.cancelAll() }
            return try await body(client)
        }
    }
}
