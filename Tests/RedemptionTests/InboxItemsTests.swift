import API
import Foundation
import HTTPTypes
import PostgresNIO
import PostgresStore
import TestSupport
import Testing
import VoucherCore
import VoucherServices

/// Voucher applications and the provider's 支付确认 as inbox items (guide §1.4.7.1 说明, §2.4.2),
/// over HTTP against real PostgreSQL.
@Suite("Inbox items")
struct InboxItemsTests {
    /// An apply-mode lot of one voucher per enterprise in the world's published campaign.
    static func applyLot(_ world: RedemptionWorld) async throws -> String {
        let lot = OpaqueID.make(prefix: "lot")
        try await world.postgres.query(
            """
            INSERT INTO lots (id, campaign_id, position, kind, direction, face_value_fen, stock, per_enterprise_limit, mode, validity_days)
            VALUES (\(lot), 'cmp_test', (SELECT count(*)::int FROM lots), 'diagnostic', NULL, 500000, 10, 1, 'apply', 90)
            """)
        return lot
    }

    /// Proves applying for a voucher files an inbox item: it shows in the enterprise's 我的申请 and
    /// the operators' 待我审批 (subjectType voucher_application); approving it in the inbox issues
    /// the voucher, rejecting it there rejects the application with the reason, and deciding through
    /// the application's own route closes the item too, so the two never disagree.
    @Test func voucherApplicationsAreInboxItems() async throws {
        try await RedemptionWorld.run { world in
            let enterprise = try await world.token("ent_x")
            let op = try await world.platformToken(.operator)
            func apply() async throws -> String {
                let lot = try await Self.applyLot(world)
                let applied = try await world.call(.post, "/v1/campaigns/cmp_test/lots/\(lot)/applications", token: enterprise)
                #expect(applied.status == .created, "\(applied.json)")
                return try #require(applied.string("id"))
            }
            func item(_ application: String, in box: String, token: String) async throws -> [String: Any]? {
                let answer = try await world.call(.get, "/v1/approvals/\(box)?pageSize=100", token: token)
                return answer.items.first { $0["subjectId"] as? String == application }
            }

            let first = try await apply()
            let mine = try #require(try await item(first, in: "mine", token: enterprise))
            #expect(mine["type"] as? String == "voucher_application")
            #expect(mine["subjectType"] as? String == "voucher_application")
            #expect((mine["title"] as? String)?.contains("双十二数字化转型服务券") == true)
            let waiting = try #require(try await item(first, in: "waiting", token: op))
            let approved = try await world.call(.post, "/v1/approvals/\(try #require(waiting["id"] as? String))/approve", token: op, json: [:])
            #expect(approved.string("status") == "approved", "\(approved.json)")
            let issued = try await world.call(.get, "/v1/voucher-applications/\(first)", token: enterprise)
            #expect(issued.string("status") == "approved", "\(issued.json)")
            let voucher = try #require(issued.string("voucherId"))
            #expect(try await world.call(.get, "/v1/vouchers/\(voucher)", token: enterprise).status == .ok)

            let second = try await apply()
            let secondItem = try #require(try await item(second, in: "waiting", token: op))
            let rejected = try await world.call(
                .post, "/v1/approvals/\(try #require(secondItem["id"] as? String))/reject", token: op, json: ["reason": "材料不全"])
            #expect(rejected.string("status") == "rejected", "\(rejected.json)")
            let refused = try await world.call(.get, "/v1/voucher-applications/\(second)", token: enterprise)
            #expect(refused.string("status") == "rejected")
            #expect(refused.string("reason") == "材料不全")

            let third = try await apply()
            let byRoute = try await world.call(.post, "/v1/voucher-applications/\(third)/approve", token: op)
            #expect(byRoute.string("status") == "approved", "\(byRoute.json)")
            #expect(try await item(third, in: "waiting", token: op) == nil)
            #expect(try await item(third, in: "mine", token: enterprise)?["status"] as? String == "approved")
            try await world.expectLedgerConsistent()
        }
    }

    /// Proves recording a transfer puts 支付确认 in the provider's 待我审批 (its own only; the
    /// recording operator's 我的申请 holds it) with the batch as its subject; approving it (通过)
    /// redeems the batch, rejecting it disputes the transfer with the reason, and the batch's own
    /// `/confirm` closes the item filed for the transfer recorded again; another provider cannot
    /// decide it (404), an enterprise not at all (403).
    @Test func paymentConfirmationIsTheProvidersInboxItem() async throws {
        try await RedemptionWorld.run { world in
            let usages = try await world.completedUsages(pricesFen: [1_000_000, 2_000_000])
            let payee = try await world.payeeAccount()
            let provider = try await world.providerToken()
            let other = try await world.providerToken(RedemptionWorld.otherProvider)
            func paidBatch(_ usage: String, amountFen: Int64, serial: String) async throws -> String {
                let filed = try await world.submit([usage], payee: payee)
                try await world.approveChain(try #require(filed.string("approvalId")))
                let id = try #require(filed.string("id"))
                #expect(try await world.recordTransfer(id, amountFen: amountFen, serial: serial).status == .ok)
                return id
            }
            func confirmation(_ batch: String, token: String) async throws -> [String: Any]? {
                let answer = try await world.call(.get, "/v1/approvals/waiting?pageSize=100", token: token)
                return answer.items.first { $0["subjectId"] as? String == batch }
            }

            let first = try await paidBatch(usages[0], amountFen: 300_000, serial: "S1")
            let item = try #require(try await confirmation(first, token: provider))
            #expect(item["type"] as? String == "payment_confirmation")
            #expect(item["subjectType"] as? String == "redemption_batch")
            #expect(try await confirmation(first, token: other) == nil)
            let mine = try await world.call(.get, "/v1/approvals/mine?pageSize=100", token: try await world.platformToken(.operator))
            #expect(mine.items.contains { $0["id"] as? String == item["id"] as? String })
            let itemID = try #require(item["id"] as? String)
            #expect(try await world.call(.post, "/v1/approvals/\(itemID)/approve", token: other, json: [:]).status == .notFound)
            let enterprise = try await world.token("ent_x")
            #expect(try await world.call(.post, "/v1/approvals/\(itemID)/approve", token: enterprise, json: [:]).status == .forbidden)
            let detail = try await world.call(.get, "/v1/approvals/\(itemID)", token: provider)
            #expect((detail.json["subject"] as? [String: Any]) != nil, "\(detail.json)")
            let passed = try await world.call(.post, "/v1/approvals/\(itemID)/approve", token: provider, json: [:])
            #expect(passed.string("status") == "approved", "\(passed.json)")
            #expect(try await world.batch(first).string("state") == "redeemed")

            let second = try await paidBatch(usages[1], amountFen: 500_000, serial: "S2")
            let secondItem = try #require(try await confirmation(second, token: provider)?["id"] as? String)
            let disputed = try await world.call(
                .post, "/v1/approvals/\(secondItem)/reject", token: provider, json: ["reason": "到账 5000 元，少 1000 元"])
            #expect(disputed.string("status") == "rejected", "\(disputed.json)")
            let batch = try await world.batch(second)
            #expect(batch.string("state") == "disputed")
            #expect(batch.string("disputeReason") == "到账 5000 元，少 1000 元")
            #expect(try await world.recordTransfer(second, amountFen: 600_000, serial: "S3").status == .ok)
            let again = try #require(try await confirmation(second, token: provider)?["id"] as? String)
            #expect(again != secondItem)
            let confirmed = try await world.call(
                .post, "/v1/redemption/batches/\(second)/confirm", token: provider,
                json: ["payerName": "专项资金专户", "payerAccount": "11010101040012345", "amountFen": 600_000])
            #expect(confirmed.string("state") == "redeemed", "\(confirmed.json)")
            #expect(try await world.call(.get, "/v1/approvals/\(again)", token: provider).string("status") == "approved")
            #expect(try await confirmation(second, token: provider) == nil)
            try await world.expectLedgerConsistent()
        }
    }
}
