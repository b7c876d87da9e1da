import ServiceLifecycle

/// Keeps the Redis pool alive for the service group's lifetime and closes it on shutdown.
public struct RedisService: Service {
    public let client: RedisClient
    public init(client: RedisClient) { self.client = client }

    public func run() async throws {
        try? await gracefulShutdown()
        await client.shutdown()
    }
}
