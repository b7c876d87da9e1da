import API
import Foundation
import HTTPTypes
import HummingbirdTesting
import PostgresNIO
import RedisNIO
import Rush
import TestSupport
import Testing
import VoucherServices

@Suite struct GrabMenuPermissionTests {
    @Test func aSubAccountNeedsTheVouchersMenuToGrab() async throws {
        // Proves the vouchers menu (SPEC §7) on the grab path: an enterprise sub-account without it
        // gets 403 permission_denied on grab, apply and the campaign list, and the lot's stock in
        // Redis and the vouchers in PostgreSQL do not move; the same grab (same key) with the menu
        // is granted, persisted once, and Redis and PostgreSQL agree.
        try await RushWorld.with { world in
            let org = try await world.enterprises(1)[0]
            let without = try await world.subAccount("ent_clerk_a", org: org, permissions: ["orders", "inbox"])
            let with = try await world.subAccount("ent_clerk_b", org: org, permissions: ["vouchers"])
            let main = try await world.token(org: org)
            try await (try await world.app()).test(.router) { client in
                let (campaign, lot) = try await client.publishCampaign(world, campaignBody(stock: 1))
                let denied = try await client.grab(campaign, lot, token: without, key: "clerk-grab-1")
                #expect(denied.status == .forbidden)
                #expect(denied.code == "permission_denied")
                for (method, path) in [
                    (HTTPRequest.Method.get, "/v1/campaigns"), (.get, "/v1/campaigns/\(campaign)"),
                    (.post, "/v1/campaigns/\(campaign)/lots/\(lot)/applications"),
                ] {
                    let refused = try await client.call(method, path, token: without)
                    #expect(refused.status == .forbidden, "\(method) \(path)")
                    #expect(refused.code == "permission_denied")
                }
                let lots = try await client.call(.get, "/v1/campaigns/\(campaign)", token: main).json["lots"] as? [[String: Any]]
                let remaining = lots?.first?["remaining"] as? Int
                #expect(remaining == 1, "the refused grab took no stock")
                // Every voucher row comes from a claim in the campaign's stream: none there means
                // none will ever be stored (checked as a state, not after a pause).
                let redis = try await RedisClient.connect(configuration: world.config.redis.clientConfiguration)
                let claims = try await redis.xlen(CampaignKeys(campaignID: campaign).stream)
                await redis.shutdown()
                #expect(claims == 0, "the refused grab appended no claim")
                #expect(try await world.voucherRows(campaign: campaign).isEmpty)

                let granted = try await client.grab(campaign, lot, token: with, key: "clerk-grab-1")
                #expect(granted.status == .created)
                let rows = try await world.waitForRows(campaign: campaign, count: 1)
                #expect(rows.map(\.id) == [granted.voucherID].compactMap { $0 })
                #expect(rows.map(\.org) == [org])
                let report = try await world.verify(campaign: campaign)
                #expect(report.isConsistent, "\(report.problems)")
            }
        }
    }
}

extension RushWorld {
    /// A sub-account of `org` holding `permissions`, and the access token its login would carry.
    func subAccount(_ username: String, org: String, permissions: [String]) async throws -> String {
        let id = "usr_" + username
        try await postgres.query(
            """
            INSERT INTO users (id, org_id, username, password_hash, role, is_main, permissions)
            VALUES (\(id), \(org), \(username), 'x', 'enterprise', false, \(permissions))
            """)
        return try await tokens.issueAccessToken(for: Identity(userID: id, orgID: org, role: .enterprise, certified: true, permissions: permissions))
    }
}
