import API
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import TestSupport
import Testing
import VoucherServices

@Suite struct ApplyTests {
    @Test func applicationsAreApprovedWithinStockOrRejectedWithAReason() async throws {
        // Proves apply-mode lots: one pending application per enterprise, approval issues a
        // voucher with its ledger grant, stock bounds approvals, rejection needs a reason that
        // the applicant sees, decisions are final, and other organisations see nothing.
        try await RushWorld.with { world in
            let orgs = try await world.enterprises(2)
            let alice = try await world.token(org: orgs[0])
            let bob = try await world.token(org: orgs[1])
            let operatorToken = try await world.operatorToken()
            try await (try await world.app()).test(.router) { client in
                var campaign = campaignBody(stock: 1)
                campaign["lots"] = [
                    ["kind": "general", "direction": "dcmm", "faceValueFen": 3_000_000, "stock": 1, "mode": "apply", "validityDays": 365]
                ]
                let (campaignID, lot) = try await client.publishCampaign(world, campaign)
                let path = "/v1/campaigns/\(campaignID)/lots/\(lot)/applications"
                let first = try await client.call(.post, path, token: alice)
                #expect(first.status == .created)
                let aliceApplication = try #require(first.string("id"))
                let again = try await client.call(.post, path, token: alice)
                #expect(again.status == .conflict)
                #expect(again.code == "application_pending")
                let bobApplication = try #require(try await client.call(.post, path, token: bob).string("id"))
                let grab = try await client.grab(campaignID, lot, token: alice)
                #expect(grab.code == "lot_not_grabbable")

                // An enterprise cannot decide, nor see another organisation's application.
                let applications = "/v1/voucher-applications"
                #expect(try await client.call(.post, "\(applications)/\(aliceApplication)/approve", token: alice).status == .forbidden)
                #expect(try await client.call(.get, "\(applications)/\(bobApplication)", token: alice).status == .notFound)

                let approved = try await client.call(.post, "\(applications)/\(aliceApplication)/approve", token: operatorToken)
                #expect(approved.status == .ok)
                #expect(approved.string("status") == "approved")
                let voucherID = try #require(approved.string("voucherId"))
                let decided = try await client.call(.post, "\(applications)/\(aliceApplication)/approve", token: operatorToken)
                #expect(decided.code == "application_decided")
                let soldOut = try await client.call(.post, "\(applications)/\(bobApplication)/approve", token: operatorToken)
                #expect(soldOut.status == .conflict)
                #expect(soldOut.code == "sold_out")
                let blank = try await client.call(.post, "\(applications)/\(bobApplication)/reject", token: operatorToken, json: ["reason": "  "])
                #expect(blank.code == "reason_missing")
                let rejected = try await client.call(
                    .post, "\(applications)/\(bobApplication)/reject", token: operatorToken, json: ["reason": "库存已发完"])
                #expect(rejected.status == .ok)
                let seen = try await client.call(.get, "\(applications)/\(bobApplication)", token: bob)
                #expect(seen.string("status") == "rejected")
                #expect(seen.string("reason") == "库存已发完")
                #expect(try await client.call(.get, applications, token: bob).json["total"] as? Int == 1)
                let rows = try await world.voucherRows(campaign: campaignID)
                #expect(rows.map(\.id) == [voucherID])
                var grants = 0
                for try await (count) in try await world.postgres.query(
                    "SELECT count(*)::int FROM voucher_ledger WHERE voucher_id = \(voucherID) AND entry = 'grant' AND amount_fen = 3000000"
                ).decode(Int.self) {
                    grants = count
                }
                #expect(grants == 1)
            }
        }
    }

    @Test func theApplicationWindowIsReadOnTheInjectedClock() async throws {
        // Proves 立即申请 reads the campaign's window on the services' clock, not the machine's: a
        // campaign opening in an hour is not open yet, is open once the test clock passes its start
        // (the application stamped with that clock's time), and has ended once it passes its end.
        try await RushWorld.with { world in
            let orgs = try await world.enterprises(3)
            let clock = TestClock()
            try await (try await world.app(wallClock: clock)).test(.router) { client in
                var campaign = campaignBody(stock: 5, opensIn: 3_600, closesIn: 7_200)
                campaign["lots"] = [
                    ["kind": "general", "direction": "dcmm", "faceValueFen": 3_000_000, "stock": 5, "mode": "apply", "validityDays": 365]
                ]
                let (campaignID, lot) = try await client.publishCampaign(world, campaign)
                let path = "/v1/campaigns/\(campaignID)/lots/\(lot)/applications"
                let early = try await client.call(.post, path, token: try await world.token(org: orgs[0]))
                #expect(early.status == .conflict, "\(early.json)")
                #expect(early.code == "not_open")

                clock.advance(seconds: 3_660)
                let open = try await client.call(.post, path, token: try await world.token(org: orgs[1]))
                #expect(open.status == .created, "\(open.json)")
                #expect(open.string("createdAt") == RFC3339.format(clock.now()))

                clock.advance(seconds: 3_600)
                let late = try await client.call(.post, path, token: try await world.token(org: orgs[2]))
                #expect(late.code == "ended", "\(late.json)")
            }
        }
    }
}
