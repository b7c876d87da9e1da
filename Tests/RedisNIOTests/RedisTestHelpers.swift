import Foundation
import Logging
import NIOCore
import RedisNIO
import TestSupport

/// Where shared-server tests find Redis: `VOUCHER_TEST_REDIS_PORT` (set by ops/test), else a
/// throwaway server started for the one test.
func withSharedRedis(_ body: (RedisConfiguration) async throws -> Void) async throws {
    if let port = TestEnvironment.redisPort {
        try await body(testConfiguration(port: port))
        return
    }
    try await withOwnRedis { server in
        try await body(testConfiguration(port: server.port))
    }
}

/// A client configuration with the tests' generous deadlines (TestEnvironment.redisCommandTimeout).
func testConfiguration(port: Int) -> RedisConfiguration {
    RedisConfiguration(
        host: "127.0.0.1", port: port, commandTimeout: TestEnvironment.redisCommandTimeout,
        connectTimeout: TestEnvironment.redisConnectTimeout)
}

/// Runs `body` against a server only this test uses, and stops it afterwards.
func withOwnRedis(tls: Bool = false, _ body: (RedisServerProcess) async throws -> Void) async throws {
    let server = try await RedisServerProcess.start(tls: tls)
    do {
        try await body(server)
    } catch {
        await server.stop()
        throw error
    }
    await server.stop()
}

/// Connects a client, runs `body`, and shuts the client down whatever happens.
func withClient(_ configuration: RedisConfiguration, _ body: (RedisClient) async throws -> Void) async throws {
    var logger = Logger(label: "redis-test")
    logger.logLevel = .warning
    let client = try await RedisClient.connect(configuration: configuration, logger: logger)
    do {
        try await body(client)
    } catch {
        await client.shutdown()
        throw error
    }
    await client.shutdown()
}

/// A key prefix no other test uses, so tests can share one server and run in parallel.
func uniquePrefix(_ test: String) -> String {
    "test:\(test):\(UUID().uuidString):"
}

/// Polls `condition` until it holds or `timeout` passes; returns whether it held.
func eventually(timeout: Duration, _ condition: () async -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return await condition()
}
