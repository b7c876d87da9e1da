import NIOCore
import RedisNIO
import TestSupport
import Testing

@Suite("Failures: crash, reconnect, backpressure")
struct RedisFailureTests {
    @Test func killedServerFailsPendingCallsAndClientReconnects() async throws {
        // Proves that when redis-server dies (kill -9) every pending call fails well within its
        // deadline instead of hanging, new calls fail fast while it is down, and the client
        // reconnects by itself once the server is back on the same port.
        try await withOwnRedis { server in
            var configuration = RedisConfiguration(port: server.port)
            configuration.commandTimeout = .seconds(5)
            configuration.reconnectBackoffMin = .milliseconds(20)
            configuration.reconnectBackoffMax = .milliseconds(200)
            try await withClient(configuration) { client in
                let prefix = uniquePrefix("kill")
                let started = ContinuousClock.now
                let outcomes = try await withThrowingTaskGroup(of: (any Error)?.self) { group in
                    // Blocked on the server, with a 5 s deadline: only the crash can end them early.
                    for index in 0..<20 {
                        group.addTask {
                            do {
                                _ = try await client.send(["BLPOP", "\(prefix)list\(index)", "0"])
                                return nil
                            } catch {
                                return error
                            }
                        }
                    }
                    try await Task.sleep(for: .milliseconds(200))
                    server.kill9()
                    var outcomes: [(any Error)?] = []
                    for try await outcome in group { outcomes.append(outcome) }
                    return outcomes
                }
                #expect(ContinuousClock.now - started < .seconds(3))
                #expect(outcomes.count == 20)
                for outcome in outcomes {
                    #expect(outcome as? RedisClientError == .connectionClosed)
                }

                let downError = await #expect(throws: RedisClientError.self) { try await client.ping() }
                #expect([.notConnected, .connectionClosed].contains(downError))

                try await server.restart()
                let back = await eventually(timeout: .seconds(5)) { (try? await client.ping()) != nil }
                #expect(back)
                #expect(try await client.incr(prefix + "after") == 1)
            }
        }
    }

    @Test func pendingBoundFailsFastWithBackpressure() async throws {
        // Proves the bound on commands in flight: with pendingCommandsMax 8 and the connection
        // blocked behind a BLPOP, the ninth call fails at once with .backpressure, the eight
        // accepted calls still complete, and the connection works again afterwards.
        try await withSharedRedis { configuration in
            var configuration = configuration
            configuration.poolSize = 1
            configuration.pendingCommandsMax = 8
            // Generous deadlines and pauses: on a loaded 2-core CI machine 100 ms was not enough
            // for the blocking call and the seven fillers to be on the wire before the probe.
            configuration.commandTimeout = .seconds(10)
            try await withClient(configuration) { client in
                let prefix = uniquePrefix("backpressure")
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        let reply = try await client.send(["BLPOP", prefix + "empty", "3"])
                        #expect(reply == .null)
                    }
                    try await Task.sleep(for: .milliseconds(500))
                    for index in 0..<7 {
                        group.addTask {
                            let value = try await client.incr(prefix + "n\(index)")
                            #expect(value == 1)
                        }
                    }
                    try await Task.sleep(for: .milliseconds(500))
                    let started = ContinuousClock.now
                    await #expect(throws: RedisClientError.backpressure(pendingCommandsMax: 8)) {
                        try await client.ping()
                    }
                    // Fast means: not queued behind the BLPOP's remaining ~2 s.
                    #expect(ContinuousClock.now - started < .seconds(1))
                    try await group.waitForAll()
                }
                try await client.ping()
                try await client.del((0..<7).map { prefix + "n\($0)" })
            }
        }
    }

    @Test func unreachableServerFailsConnect() async throws {
        // Proves that connect reports a server that is not there instead of hanging, and that a
        // client made without waiting answers .notConnected rather than queueing forever.
        let server = try await RedisServerProcess.start()
        let port = server.port
        await server.stop()
        var configuration = RedisConfiguration(port: port)
        configuration.connectTimeout = .milliseconds(500)
        await #expect(throws: (any Error).self) {
            _ = try await RedisClient.connect(configuration: configuration)
        }
        let client = try RedisClient(configuration: configuration)
        await #expect(throws: RedisClientError.notConnected) { try await client.ping() }
        await client.shutdown()
        await #expect(throws: RedisClientError.shutdown) { try await client.ping() }
    }
}
