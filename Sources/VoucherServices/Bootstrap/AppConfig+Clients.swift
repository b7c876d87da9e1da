import NIOSSL
import PostgresNIO
import RedisNIO
import VoucherConfig

// The one place where our configuration becomes the clients' settings, so the server, the CLI
// and the tests agree on timeouts, pool sizes and TLS.

extension AppConfig.Postgres {
    /// postgres-nio settings from ours.
    public var clientConfiguration: PostgresClient.Configuration {
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: user, password: password, database: database,
            tls: tls ? .require(.makeClientConfiguration()) : .disable)
        configuration.options.maximumConnections = connectionsMax
        configuration.options.connectTimeout = .seconds(3)
        return configuration
    }
}

extension AppConfig.Redis {
    /// RedisNIO settings from ours.
    public var clientConfiguration: RedisConfiguration {
        RedisConfiguration(
            host: host, port: port, password: password, database: database,
            tls: tls ? .init() : nil, poolSize: poolSize == 0 ? nil : poolSize,
            commandTimeout: .milliseconds(commandTimeoutMs))
    }
}
