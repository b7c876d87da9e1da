import NIOCore
import RedisNIO
import Testing

@Suite("Pipelining under concurrency")
struct RedisPipelineTests {
    @Test func tenThousandConcurrentIncrsAllLand() async throws {
        // Proves that 10,000 concurrent callers sharing the pool each get a reply and none is lost
        // or duplicated: the counter ends at exactly 10,000 and the replies are 1...10,000.
        // The pending bound is raised past 10,000 so that a slow machine (all calls queued on one
        // connection before Redis answers) is not refused by backpressure, which its own test covers.
        try await withSharedRedis { configuration in
            var configuration = configuration
            configuration.pendingCommandsMax = 10_000
            try await withClient(configuration) { client in
                let key = uniquePrefix("incr") + "counter"
                let replies = try await withThrowingTaskGroup(of: Int64.self) { group in
                    for _ in 0..<10_000 { group.addTask { try await client.incr(key) } }
                    var replies: [Int64] = []
                    for try await reply in group { replies.append(reply) }
                    return replies
                }
                #expect(try await client.getString(key) == "10000")
                #expect(Set(replies) == Set(1...10_000))
                try await client.del([key])
            }
        }
    }

    @Test func concurrentGetsOfDistinctKeysGetTheirOwnValues() async throws {
        // Proves that replies are matched to their own callers in order: 2,000 concurrent GETs of
        // distinct keys each return the value written under that very key.
        try await withSharedRedis { configuration in
            var configuration = configuration
            configuration.poolSize = 2
            try await withClient(configuration) { client in
                let prefix = uniquePrefix("get")
                let count = 2_000
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for index in 0..<count { group.addTask { try await client.set("\(prefix)\(index)", to: "value-\(index)") } }
                    try await group.waitForAll()
                }
                try await withThrowingTaskGroup(of: (Int, String?).self) { group in
                    for index in 0..<count {
                        group.addTask { (index, try await client.getString("\(prefix)\(index)")) }
                    }
                    for try await (index, value) in group {
                        #expect(value == "value-\(index)")
                    }
                }
                try await client.del((0..<count).map { "\(prefix)\($0)" })
            }
        }
    }

    @Test func commandsEnqueuedWithOneOrderingKeyRunInTheirOrder() async throws {
        // Proves `enqueue(_:orderingKey:)` keeps order with many in flight on a pool of 4: 2,000
        // RPUSHes put on the connection one after the other without waiting for replies land in
        // the list in the order they were enqueued, and their replies count 1...2,000 in order.
        try await withSharedRedis { configuration in
            var configuration = configuration
            configuration.poolSize = 4
            configuration.pendingCommandsMax = 10_000
            try await withClient(configuration) { client in
                let key = uniquePrefix("ordered") + "list"
                var futures: [EventLoopFuture<RESPValue>] = []
                for index in 0..<2_000 {
                    let future = try #require(try client.enqueue(RESPCommand(["RPUSH", key, String(index)]), orderingKey: key))
                    futures.append(future)
                }
                var lengths: [Int64] = []
                for future in futures { lengths.append(try await future.get().checked().int64 ?? -1) }
                #expect(lengths == (1...2_000).map(Int64.init))
                let list = try await client.send(["LRANGE", key, "0", "-1"]).checked()
                #expect(list.array?.compactMap(\.string) == (0..<2_000).map(String.init))
                try await client.del([key])
            }
        }
    }

    @Test func timedOutCommandKeepsTheConnectionInStep() async throws {
        // Proves that a command failing on its deadline does not shift later replies: a BLPOP that
        // outlives its 200 ms deadline fails with .timeout, and calls sent after it on the same
        // connection still get their own replies, not the BLPOP's late one.
        try await withSharedRedis { configuration in
            var configuration = configuration
            configuration.poolSize = 1
            try await withClient(configuration) { client in
                let prefix = uniquePrefix("deadline")
                // The BLPOP blocks until this test pushes, which it does only after the deadline
                // fired, so .timeout is the only possible outcome however slow the machine is.
                await #expect(throws: RedisClientError.timeout) {
                    _ = try await client.send(["BLPOP", prefix + "empty", "0"], timeout: .milliseconds(200))
                }
                try await withClient(configuration) { pusher in
                    _ = try await pusher.send(["LPUSH", prefix + "empty", "late"])
                }
                try await client.set(prefix + "a", to: "A")
                try await client.set(prefix + "b", to: "B")
                #expect(try await client.getString(prefix + "a") == "A")
                #expect(try await client.getString(prefix + "b") == "B")
                try await client.del([prefix + "a", prefix + "b", prefix + "empty"])
            }
        }
    }
}
