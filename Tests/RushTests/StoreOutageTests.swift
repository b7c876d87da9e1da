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
                    let created = try await client.call(.post, "/v1/campaigns", token: token, json: campaignBody(stock: 10))
                    #expect(created.status == .created)
                    let id = try #require(created.string("id"))
                    redisServer.kill9()
                    let published = try await client.call(.post, "/v1/campaigns/\(id)/publish", token: token)
                    #expect(published.status == .serviceUnavailable)
                    #expect(published.headers[.retryAfter] == "1")
                    #expect(published.string("code") == "unavailable")
                    let campaign = try await client.call(.get, "/v1/campaigns/\(id)", token: token)
                    #expect(campaign.status == .ok)
                    #expect(campaign.string("status") == "draft")
                }
            }
        } catch {
            await redisServer.stop()
            throw error
        }
        await redisServer.stop()
    }
}
