import NIOSSL
import PostgresNIO
import RedisNIO
import Rush
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
    /// With `clusterSeeds` the client runs in cluster mode (the loader checked every seed).
    public var clientConfiguration: RedisConfiguration {
        var configuration = RedisConfiguration(
            host: host, port: port, password: password, database: database,
            tls: tls ? .init() : nil, poolSize: poolSize == 0 ? nil : poolSize,
            commandTimeout: .milliseconds(commandTimeoutMs), connectTimeout: .milliseconds(connectTimeoutMs))
        configuration.clusterSeeds = clusterSeeds.compactMap { RedisNodeAddress($0) }
        return configuration
    }

    /// Cluster mode with `redis.cluster.waitReplicas` > 0: a grab is announced won only once that
    /// many replicas hold it (`WAIT` after the script); `nil` on one server or with 0.
    public var grabReplication: GrabReplication? {
        guard !clusterSeeds.isEmpty, clusterWaitReplicas > 0 else { return nil }
        return GrabReplication(replicas: clusterWaitReplicas, timeoutMilliseconds: Int64(clusterWaitTimeoutMs))
    }
}
