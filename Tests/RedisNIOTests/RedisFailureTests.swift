import NIOCore
import RedisNIO
import TestSupport
import Testing

@Suite("Failures: crash, reconnect, backpressure")
struct RedisFailureTests {
    @Test func killedServerFailsPendingCallsAndClientReconnects() async throws {
        // Proves that when redis-server dies (kill -9) every pending call fails with
        // .connectionClosed (not on its deadline, which is far off, and not by hanging), new calls
        // fail fast while it is down, and the client reconnects by itself once the server is back
        // on the same port. No step assumes how long another takes: the kill waits until all 20
        // calls are in flight, and the reconnect is awaited as a condition with a generous bound.
        try await withOwnRedis { server in
            var configuration = testConfiguration(port: server.port)
            configuration.commandTimeout = .seconds(120)
            configuration.reconnectBackoffMin = .milliseconds(20)
            configuration.reconnectBackoffMax = .milliseconds(200)
            try await withClient(configuration) { client in
                let prefix = uniquePrefix("kill")
                let outcomes = try await withThrowingTaskGroup(of: (any Error)?.self) { group in
                    // Blocked on the server, with a deadline minutes away: only the crash can end them.
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
                    let inFlight = await eventually(timeout: .seconds(60)) { client.pendingCommandCount == 20 }
                    #expect(inFlight, "the 20 calls were accepted before the kill")
                    server.kill9()
                    var outcomes: [(any Error)?] = []
                    for try await outcome in group { outcomes.append(outcome) }
                    return outcomes
                }
                #expect(outcomes.count == 20)
                for outcome in outcomes {
                    #expect(outcome as? RedisClientError == .connectionClosed)
                }

                let downError = await #expect(throws: RedisClientError.self) { try await client.ping() }
                #expect([.notConnected, .connectionClosed].contains(downError))

                try await server.restart()
                let back = await eventually(timeout: .seconds(60)) { (try? await client.ping()) != nil }
                #expect(back)
                #expect(try await client.incr(prefix + "after") == 1)
            }
        }
    }

    @Test func pendingBoundFailsFastWithBackpressure() async throws {
        // Proves the bound on commands in flight: with pendingCommandsMax 8 and the connection
        // blocked behind a BLPOP, the ninth call fails at once with .backpressure (it is not
        // queued: the BLPOP blocks until this test pushes, which it does only afterwards), the
        // eight accepted calls still complete, and the connection works again afterwards. The
        // test waits for the eight to be in flight instead of pausing for a guessed time.
        try await withSharedRedis { configuration in
            var configuration = configuration
            configuration.poolSize = 1
            configuration.pendingCommandsMax = 8
            configuration.commandTimeout = .seconds(120)
            try await withClient(configuration) { client in
                let prefix = uniquePrefix("backpressure")
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        let reply = try await client.send(["BLPOP", prefix + "blocked", "0"])
                        #expect(reply.array?.last?.string == "unblock")
                    }
                    #expect(await eventually(timeout: .seconds(60)) { client.pendingCommandCount == 1 })
                    for index in 0..<7 {
                        group.addTask {
                            let value = try await client.incr(prefix + "n\(index)")
                            #expect(value == 1)
                        }
                    }
                    #expect(await eventually(timeout: .seconds(60)) { client.pendingCommandCount == 8 })
                    await #expect(throws: RedisClientError.backpressure(pendingCommandsMax: 8)) {
                        _ = try await client.send(["PING"], timeout: .seconds(60))
                    }
                    try await withClient(configuration) { pusher in
                        _ = try await pusher.send(["LPUSH", prefix + "blocked", "unblock"])
                    }
                    try await group.waitForAll()
                }
                try await client.ping()
                try await client.del((0..<7).map { prefix + "n\($0)" } + [prefix + "blocked"])
            }
        }
    }

    @Test func unreachableServerFailsConnect() async throws {
        // Proves that connect reports a server that is not there instead of hanging, and that a
        // client made without waiting answers .notConnected rather than queueing forever.
        let server = try await RedisServerProcess.start()
        let port = server.port
        await server.stop()
        var configuration = testConfiguration(port: port)
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
