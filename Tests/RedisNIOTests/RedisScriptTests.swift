import RedisNIO
import TestSupport
import Testing

@Suite("Scripts")
struct RedisScriptTests {
    @Test func scriptSHA1MatchesRedis() async throws {
        // Proves the locally computed SHA-1 is the name Redis gives the script, so EVALSHA can
        // be sent without a prior SCRIPT LOAD round trip.
        let script = RedisScript("return redis.call('INCRBY', KEYS[1], ARGV[1])")
        try await withSharedRedis { configuration in
            try await withClient(configuration) { client in
                let reply = try await client.send(["SCRIPT", "LOAD", script.source])
                #expect(reply.string == script.sha1)
            }
        }
        #expect(RedisScript("").sha1 == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
    }

    @Test func evalshaRecoversAfterScriptFlush() async throws {
        // Proves that EVALSHA survives a flushed script cache (as after a Redis restart): the
        // NOSCRIPT reply triggers one SCRIPT LOAD and one retry, invisible to the caller. Uses its
        // own server because SCRIPT FLUSH is server-wide.
        try await withOwnRedis { server in
            try await withClient(testConfiguration(port: server.port)) { client in
                let script = RedisScript("return redis.call('INCRBY', KEYS[1], ARGV[1])")
                let key = uniquePrefix("script") + "n"
                let first = try await client.evalsha(script, keys: [key], arguments: ["2"])
                #expect(first == .integer(2))
                #expect(try await client.send(["SCRIPT", "FLUSH"]) == .status("OK"))
                #expect(try await client.send(["SCRIPT", "EXISTS", script.sha1]) == .array([.integer(0)]))
                #expect(try await client.evalsha(script, keys: [key], arguments: ["3"]) == .integer(5))
                #expect(try await client.send(["SCRIPT", "EXISTS", script.sha1]) == .array([.integer(1)]))
            }
        }
    }

    @Test func scriptErrorsThrow() async throws {
        // Proves that an error raised inside a script reaches the caller as RedisClientError.server
        // and is not mistaken for NOSCRIPT.
        try await withSharedRedis { configuration in
            try await withClient(configuration) { client in
                let script = RedisScript("return redis.error_reply('SOLD_OUT')")
                let error = await #expect(throws: RedisClientError.self) {
                    _ = try await client.evalsha(script)
                }
                guard case .server(let message) = error else {
                    Issue.record("expected a server error, got \(String(describing: error))")
                    return
                }
                #expect(message.contains("SOLD_OUT"))
            }
        }
    }
}
