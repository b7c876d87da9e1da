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
                let first = try await client.execute(uri: path, method: .post, headers: bearer(alice)) { response in
                    #expect(response.status == .created)
                    return try json(response.body)["id"] as? String
                }
                let aliceApplication = try #require(first)
                try await client.execute(uri: path, method: .post, headers: bearer(alice)) { response in
                    #expect(response.status == .conflict)
                    let code = try json(response.body)["code"] as? String
                    #expect(code == "application_pending")
                }
                let second = try await client.execute(uri: path, method: .post, headers: bearer(bob)) { response in
                    try json(response.body)["id"] as? String
                }
                let bobApplication = try #require(second)
                let grab = try await client.grab(campaignID, lot, token: alice)
                #expect(grab.code == "lot_not_grabbable")

                // An enterprise cannot decide, nor see another organisation's application.
                try await client.execute(uri: "/v1/voucher-applications/\(aliceApplication)/approve", method: .post, headers: bearer(alice)) {
                    response in
                    #expect(response.status == .forbidden)
                }
                try await client.execute(uri: "/v1/voucher-applications/\(bobApplication)", method: .get, headers: bearer(alice)) { response in
                    #expect(response.status == .notFound)
                }

                let voucher = try await client.execute(
                    uri: "/v1/voucher-applications/\(aliceApplication)/approve", method: .post, headers: bearer(operatorToken)
                ) { response in
                    #expect(response.status == .ok)
                    let body = try json(response.body)
                    #expect(body["status"] as? String == "approved")
                    return body["voucherId"] as? String
                }
                let voucherID = try #require(voucher)
                try await client.execute(uri: "/v1/voucher-applications/\(aliceApplication)/approve", method: .post, headers: bearer(operatorToken)) {
                    response in
                    let code = try json(response.body)["code"] as? String
                    #expect(code == "application_decided")
                }
                try await client.execute(uri: "/v1/voucher-applications/\(bobApplication)/approve", method: .post, headers: bearer(operatorToken)) {
                    response in
                    #expect(response.status == .conflict)
                    let code = try json(response.body)["code"] as? String
                    #expect(code == "sold_out")
                }
                try await client.execute(
                    uri: "/v1/voucher-applications/\(bobApplication)/reject", method: .post, headers: bearer(operatorToken),
                    body: try body(["reason": "  "])
                ) { response in
                    let code = try json(response.body)["code"] as? String
                    #expect(code == "reason_missing")
                }
                try await client.execute(
                    uri: "/v1/voucher-applications/\(bobApplication)/reject", method: .post, headers: bearer(operatorToken),
                    body: try body(["reason": "库存已发完"])
                ) { response in
                    #expect(response.status == .ok)
                }
                try await client.execute(uri: "/v1/voucher-applications/\(bobApplication)", method: .get, headers: bearer(bob)) { response in
                    let body = try json(response.body)
                    #expect(body["status"] as? String == "rejected")
                    #expect(body["reason"] as? String == "库存已发完")
                }
                try await client.execute(uri: "/v1/voucher-applications", method: .get, headers: bearer(bob)) { response in
                    let body = try json(response.body)
                    #expect(body["total"] as? Int == 1)
                }
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
}
