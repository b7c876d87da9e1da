import Foundation
import HummingbirdTesting
import TestSupport
import Testing

@Suite struct StoreOutageTests {
    @Test func publishWithRedisDownIs503AndLeavesTheDraft() async throws {
        // Proves that a store outage outside the grab path is a retryable 503 `unavailable` with
        // Retry-After (not a 500), and changes nothing: the campaign stays a draft to publish again.
        let redisServer = try await RedisServerProcess.start()
        do {
            try await RushWorld.with(overrides: ["redis.port": String(redisServer.port)]) { world in
                try await (try await world.app()).test(.router) { client in
                    let token = try await world.operatorToken()
                    let created = try await client.execute(
                        uri: "/v1/campaigns", method: .post, headers: bearer(token), body: try body(campaignBody(stock: 10))
                    ) { response in
                        #expect(response.status == .created)
                        return try json(response.body)
                    }
                    let id = try #require(created["id"] as? String)
                    redisServer.kill9()
                    try await client.execute(uri: "/v1/campaigns/\(id)/publish", method: .post, headers: bearer(token)) { response in
                        #expect(response.status == .serviceUnavailable)
                        #expect(response.headers[.retryAfter] == "1")
                        let answer = try json(response.body)
                        #expect(answer["code"] as? String == "unavailable")
                    }
                    try await client.execute(uri: "/v1/campaigns/\(id)", method: .get, headers: bearer(token)) { response in
                        #expect(response.status == .ok)
                        let campaign = try json(response.body)
                        #expect(campaign["status"] as? String == "draft")
                    }
                }
            }
        } catch {
            await redisServer.stop()
            throw error
        }
        await redisServer.stop()
    }
}
