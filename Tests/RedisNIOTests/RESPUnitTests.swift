import NIOCore
import Testing

@testable import RedisNIO

@Suite("RESP encoding, hiredis parsing, configuration")
struct RESPUnitTests {
    @Test func commandsEncodeAsRESPArrays() {
        // Proves the direct-to-ByteBuffer encoder writes what redisFormatCommandArgv would:
        // an array of bulk strings with byte lengths (UTF-8, binary and integers alike).
        var buffer = ByteBuffer()
        buffer.writeRESPCommand(RESPCommand([.string("SET"), .string("ké"), .integer(-1234), .bytes(ByteBuffer(bytes: [0, 13]))]))
        #expect(String(buffer: buffer) == "*4\r\n$3\r\nSET\r\n$3\r\nké\r\n$5\r\n-1234\r\n$2\r\n\u{0}\r\r\n")
        for value: Int64 in [0, 9, 10, -1, Int64.max, Int64.min] {
            var digits = ByteBuffer()
            digits.writeDecimal(value)
            #expect(String(buffer: digits) == String(value))
            #expect(ByteBuffer.decimalLength(value) == String(value).count)
        }
    }

    @Test func hiredisParsesRepliesSplitAcrossReads() throws {
        // Proves replies are reassembled by hiredis however TCP splits them: feeding a pipelined
        // byte stream one byte at a time yields every reply, in order, exactly once.
        let wire = "+OK\r\n-ERR bad\r\n:42\r\n$5\r\nhello\r\n$0\r\n\r\n$-1\r\n*2\r\n*1\r\n:1\r\n$1\r\nx\r\n*-1\r\n*0\r\n"
        let reader = try HiredisReader()
        var replies: [RESPValue] = []
        for byte in Array(wire.utf8) {
            try reader.feed(ByteBuffer(bytes: [byte]))
            while let reply = try reader.next(allocator: ByteBufferAllocator()) { replies.append(reply) }
        }
        #expect(
            replies == [
                .status("OK"), .error("ERR bad"), .integer(42), .bulk(ByteBuffer(string: "hello")), .bulk(ByteBuffer()), .null,
                .array([.array([.integer(1)]), .bulk(ByteBuffer(string: "x"))]), .null, .array([]),
            ])
    }

    @Test func hiredisRejectsGarbage() throws {
        // Proves a corrupt byte stream is reported as a protocol error, not silently skipped.
        let reader = try HiredisReader()
        #expect(throws: RedisClientError.self) {
            try reader.feed(ByteBuffer(string: "?what\r\n"))
            _ = try reader.next(allocator: ByteBufferAllocator())
        }
    }

    @Test func sha1MatchesKnownVectors() {
        // Proves the local SHA-1 (used to name scripts) against FIPS 180 test vectors, including
        // a message longer than one block.
        #expect(SHA1.hexDigest("abc".utf8) == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(
            SHA1.hexDigest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
                == "84983e441c3bd26ebaae4aa1f95129e5e54670f1"
        )
    }

    @Test func urlsParse() throws {
        // Proves redis:// and rediss:// URLs fill host, port, credentials, database and TLS, and
        // that malformed ones are refused.
        let plain = try RedisConfiguration(url: "redis://:p%40ss@cache.local:6380/3")
        #expect(plain.host == "cache.local" && plain.port == 6380 && plain.password == "p@ss" && plain.database == 3)
        #expect(plain.username == nil && plain.tls == nil)
        let tls = try RedisConfiguration(url: "rediss://app:pw@[::1]:7000")
        #expect(tls.host == "::1" && tls.port == 7000 && tls.username == "app" && tls.password == "pw" && tls.tls != nil)
        let bare = try RedisConfiguration(url: "redis://localhost")
        #expect(bare.host == "localhost" && bare.port == 6379 && bare.database == 0)
        #expect(throws: RedisClientError.self) { try RedisConfiguration(url: "http://x") }
        #expect(throws: RedisClientError.self) { try RedisConfiguration(url: "redis://x:99999") }
        #expect(throws: RedisClientError.self) { try RedisConfiguration(url: "redis://x/abc") }
    }
}
