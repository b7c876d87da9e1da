import Foundation
import Logging
import PostgresNIO
import VoucherConfig

/// Where `ops/test` started the test stores. Tests fail with a sentence naming the command to
/// run, rather than hanging, when the variables are missing.
public enum TestEnvironment {
    static var environment: [String: String] { ProcessInfo.processInfo.environment }

    public static var redisPort: Int? { environment["VOUCHER_TEST_REDIS_PORT"].flatMap(Int.init) }

    public static var postgresPort: Int {
        get throws {
            guard let port = environment["VOUCHER_TEST_PG_PORT"].flatMap(Int.init) else {
                throw TestSetupError("VOUCHER_TEST_PG_PORT is not set: run the tests with ops/test, which starts the test stores")
            }
            return port
        }
    }

    public static var postgresUser: String { environment["VOUCHER_TEST_PG_USER"] ?? "voucher" }
    public static var postgresPassword: String? { environment["VOUCHER_TEST_PG_PASSWORD"] }

    /// The project's root folder, found from this file's path (tests run from anywhere).
    public static var rootDirectory: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }

    /// Folder for per-test state (throwaway clusters and servers), under the git-ignored .local.
    public static var stateDirectory: String {
        environment["VOUCHER_TEST_STATE_DIR"] ?? rootDirectory + "/.local/test"
    }

    /// The project's defaults with the test stores' ports, a fixed JWT secret and the given database.
    public static func config(database: String = "voucherrush", overrides: [String: String] = [:]) throws -> AppConfig {
        let defaults = try ConfigLoader.flatten(jsonFile: rootDirectory + "/config/default.json")
        var environment: [String: String] = [
            "VOUCHER_JWT_SECRET": String(repeating: "t", count: 40),
            "VOUCHER_POSTGRES_PORT": String(try postgresPort),
            "VOUCHER_POSTGRES_USER": postgresUser,
            "VOUCHER_POSTGRES_DATABASE": database,
        ]
        environment["VOUCHER_HTTP_PORT"] = "8080"
        if let password = postgresPassword { environment["VOUCHER_DB_PASSWORD"] = password }
        if let redisPort { environment["VOUCHER_REDIS_PORT"] = String(redisPort) }
        // A loaded CI machine can stall a Redis reply for seconds: the app's 2 s command deadline
        // is a production bound, not something a test may rely on. Tests of deadlines set their own.
        // The same for connecting: a test that opens clients of its own on a busy machine saw the
        // 3 s handshake bound pass (GrabBatchTests, load ~5 with a cold build beside it).
        let generous = [
            "redis.commandTimeoutMs": String(redisCommandTimeout.components.seconds * 1000),
            "redis.connectTimeoutMs": String(redisConnectTimeout.components.seconds * 1000),
        ]
        return try ConfigLoader.resolve(
            defaults: defaults, environment: environment, overrides: generous.merging(overrides) { $1 })
    }

    /// Command and connect deadlines of the tests' Redis clients, far above any stall a busy
    /// machine causes, so only a real hang fails a test.
    public static let redisCommandTimeout: Duration = .seconds(60)
    public static let redisConnectTimeout: Duration = .seconds(30)

    /// A logger that stays quiet unless a test asks for more.
    public static let logger: Logger = {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        return logger
    }()
}

/// A test could not set up its world; the message says how to fix that.
public struct TestSetupError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
