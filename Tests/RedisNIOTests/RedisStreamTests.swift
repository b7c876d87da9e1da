import RedisNIO
import Testing

@Suite("Streams")
struct RedisStreamTests {
    @Test func consumerGroupLifecycle() async throws {
        // Proves the stream helpers cover a consumer group's life: create (twice, BUSYGROUP
        // tolerated), XADD, XLEN, XREADGROUP, XPENDING (both forms), XAUTOCLAIM by another
        // consumer, XACK, and an empty blocking read that returns [] instead of timing out.
        try await withSharedRedis { configuration in
            try await withClient(configuration) { client in
                let stream = uniquePrefix("stream") + "claims"
                #expect(try await client.xgroupCreate(stream, group: "sink", startID: "0"))
                #expect(try await client.xgroupCreate(stream, group: "sink", startID: "0") == false)
                let first = try await client.xadd(stream, fields: [("voucher", "1"), ("user", "u1")])
                let second = try await client.xadd(stream, fields: [("voucher", "2")], approximateMaxLength: 1000)
                #expect(try await client.xlen(stream) == 2)

                let read = try await client.xreadgroup(group: "sink", consumer: "a", stream: stream, count: 10)
                #expect(
                    read == [
                        RedisStreamEntry(id: first, fields: ["voucher": "1", "user": "u1"]),
                        RedisStreamEntry(id: second, fields: ["voucher": "2"]),
                    ])
                let summary = try await client.xpending(stream, group: "sink")
                #expect(summary.count == 2 && summary.smallestID == first && summary.largestID == second)
                #expect(summary.consumers == ["a": 2])
                let lines = try await client.xpending(stream, group: "sink", count: 10)
                #expect(lines.map(\.id) == [first, second] && lines.allSatisfy { $0.consumer == "a" && $0.deliveries == 1 })

                let claimed = try await client.xautoclaim(stream, group: "sink", consumer: "b", minIdleMilliseconds: 0, count: 1)
                #expect(claimed.entries.map(\.id) == [first])
                #expect(try await client.xack(stream, group: "sink", ids: [first, second]) == 2)
                #expect(try await client.xpending(stream, group: "sink").count == 0)

                let empty = try await client.xreadgroup(group: "sink", consumer: "a", stream: stream, count: 10, blockMilliseconds: 50)
                #expect(empty.isEmpty)
                try await client.del([stream])
            }
        }
    }
}
