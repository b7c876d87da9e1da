import NIOCore
import RedisNIO
import Testing

@Suite("Reply types")
struct RedisReplyTypeTests {
    @Test func everyReplyTypeIsDecoded() async throws {
        // Proves that each RESP reply type reaches the caller as the matching RESPValue case:
        // status, error, integer, bulk, empty bulk, binary bulk, nil, array and nested array.
        try await withSharedRedis { configuration in
            try await withClient(configuration) { client in
                let prefix = uniquePrefix("types")
                #expect(try await client.send(["SET", prefix + "s", "hello"]) == .status("OK"))
                #expect(try await client.send(["GET", prefix + "s"]) == .bulk(ByteBuffer(string: "hello")))
                #expect(try await client.send(["INCR", prefix + "n"]) == .integer(1))
                #expect(try await client.send(["SET", prefix + "e", ""]) == .status("OK"))
                #expect(try await client.send(["GET", prefix + "e"]) == .bulk(ByteBuffer()))
                #expect(try await client.send(["GET", prefix + "missing"]) == .null)

                let binary = ByteBuffer(bytes: [0, 13, 10, 255, 36, 42, 0])
                #expect(try await client.send([ByteBuffer(string: "SET"), ByteBuffer(string: prefix + "b"), binary]) == .status("OK"))
                #expect(try await client.send(["GET", prefix + "b"]) == .bulk(binary))

                guard case .error(let message) = try await client.send(["NO-SUCH-COMMAND"]) else {
                    Issue.record("expected an error reply")
                    return
                }
                #expect(message.hasPrefix("ERR"))
                await #expect(throws: RedisClientError.self) { try await client.incr(prefix + "s") }

                _ = try await client.send(["RPUSH", prefix + "l", "a", "", "c"])
                #expect(
                    try await client.send(["LRANGE", prefix + "l", "0", "-1"])
                        == .array([.bulk(ByteBuffer(string: "a")), .bulk(ByteBuffer()), .bulk(ByteBuffer(string: "c"))])
                )
                #expect(try await client.send(["LRANGE", prefix + "none", "0", "-1"]) == .array([]))

                let nested = try await client.send(["EVAL", "return {1, {2, 'x', {}}, redis.status_reply('FINE')}", "0"])
                #expect(
                    nested
                        == .array([
                            .integer(1),
                            .array([.integer(2), .bulk(ByteBuffer(string: "x")), .array([])]),
                            .status("FINE"),
                        ])
                )
                try await client.del([prefix + "s", prefix + "n", prefix + "e", prefix + "b", prefix + "l"])
            }
        }
    }

    @Test func typedHelpersRoundTrip() async throws {
        // Proves the typed helpers the service uses decode their replies: PING, SET NX/PX, GET,
        // DEL, INCR, HSET/HGETALL and TIME.
        try await withSharedRedis { configuration in
            try await withClient(configuration) { client in
                let prefix = uniquePrefix("helpers")
                try await client.ping()
                #expect(try await client.set(prefix + "k", to: "v", expireMilliseconds: 60_000))
                #expect(try await client.set(prefix + "k", to: "w", onlyIfAbsent: true) == false)
                #expect(try await client.getString(prefix + "k") == "v")
                #expect(try await client.incr(prefix + "c") == 1)
                #expect(try await client.hset(prefix + "h", fields: [("a", "1"), ("b", "2")]) == 2)
                #expect(try await client.hgetall(prefix + "h") == ["a": "1", "b": "2"])
                #expect(try await client.hgetall(prefix + "nothing") == [:])
                let time = try await client.time()
                #expect(time.seconds > 1_600_000_000)
                #expect((0..<1_000_000).contains(time.microseconds))
                #expect(try await client.del([prefix + "k", prefix + "c", prefix + "h"]) == 3)
                #expect(try await client.get(prefix + "k") == nil)
            }
        }
    }
}
