import NIOSSL
import PostgresNIO
import VoucherConfig

extension AppConfig.Postgres {
    /// postgres-nio settings from ours; one place, so the server, the CLI and the tests agree.
    public var clientConfiguration: PostgresClient.Configuration {
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: user, password: password, database: database,
            tls: tls ? .require(.makeClientConfiguration()) : .disable)
        configuration.options.maximumConnections = connectionsMax
        configuration.options.connectTimeout = .seconds(3)
        return configuration
    }
}
