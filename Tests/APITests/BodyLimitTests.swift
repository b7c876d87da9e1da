import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import TestSupport
import Testing

/// `http.bodyBytesMax` bounds the JSON bodies Hummingbird collects (a campaign is the largest JSON
/// an operator sends); a larger body is a 413 problem and creates nothing.
@Suite struct BodyLimitTests {
    @Test func aCampaignBodyOverTheConfiguredLimitIsRefused() async throws {
        // Proves the config key is the bound: with 2 KiB configured, the same campaign padded past it
        // is refused (413 payload_too_large), and unpadded it is created.
        try await RushWorld.with(overrides: ["http.bodyBytesMax": "2048"]) { world in
            let token = try await world.operatorToken()
            try await (try await world.app()).test(.router) { client in
                var padded = campaignBody(stock: 10)
                padded["description"] = String(repeating: "券", count: 1_000)
                let refused = try await client.call(.post, "/v1/campaigns", token: token, json: padded)
                #expect(refused.status == .contentTooLarge)
                #expect(refused.headers[.contentType] == "application/problem+json")
                #expect(refused.code == "payload_too_large")
                var count = 0
                for try await n in try await world.postgres.query("SELECT count(*)::int FROM campaigns").decode(Int.self) { count = n }
                #expect(count == 0)
                let created = try await client.call(.post, "/v1/campaigns", token: token, json: campaignBody(stock: 10))
                #expect(created.status == .created)
            }
        }
    }
}
