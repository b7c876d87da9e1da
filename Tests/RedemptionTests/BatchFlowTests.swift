import API
import Foundation
import HTTPTypes
import PostgresStore
import TestSupport
import Testing
import VoucherServices

/// Diagnostic-voucher redemption batches over HTTP against real PostgreSQL.
@Suite("Redemption batches")
struct BatchFlowTests {
    /// Proves a batch of three usages goes end to end: total fixed at submission, the chain, a
    /// transfer of the wrong amount cannot be confirmed (only disputed), the corrected transfer is
    /// confirmed, usages are redeemed with one `redeem` entry each, the ledger still verifies, and
    /// finance sees the payout per provider and campaign as JSON and CSV.
    @Test func batchEndToEnd() async throws {
        try await RedemptionWorld.run { world in
            let usages = try await world.completedUsages(pricesFen: [1_000_000, 2_000_000, 333_333])
            #expect(usages.count == 3)
            let payee = try await world.payeeAccount()
            let submitted = try await world.submit(usages, payee: payee)
            #expect(submitted.status == .created, "\(submitted.json)")
            let id = try #require(submitted.string("id"))
            let totalFen: Int64 = 300_000 + 600_000 + 99_999
            #expect(submitted.fen("totalFen") == totalFen)
            #expect(submitted.string("reference")?.wholeMatch(of: /RB[A-Z2-7]{10}/) != nil)
            #expect(try await world.usageStates(usages) == ["in_redemption", "in_redemption", "in_redemption"])
            let approval = try #require(submitted.string("approvalId"))

            let waiting = try await world.call(.get, "/v1/approvals/waiting", token: try await world.platformToken(.auditor))
            #expect(waiting.items.contains { $0["id"] as? String == approval })
            try await world.approveChain(approval)
            #expect(try await world.batch(id).string("state") == "awaiting_transfer")

            let operatorToken = try await world.platformToken(.operator)
            let wrong = try await world.call(
                .post, "/v1/redemption/batches/\(id)/transfer", token: operatorToken,
                json: [
                    "amountFen": totalFen - 1, "payerName": "数字化转型专项资金专户", "payerAccount": "11010101040012345",
                    "date": "2026-12-01", "bankSerial": "ABC20261201000001",
                ])
            #expect(wrong.string("state") == "awaiting_confirmation", "\(wrong.json)")
            let refused = try await world.call(
                .post, "/v1/redemption/batches/\(id)/confirm", token: try await world.providerToken(),
                json: [
                    "payerName": "数字化转型专项资金专户", "payerAccount": "11010101040012345", "amountFen": totalFen - 1,
                ])
            #expect(refused.status == .conflict)
            #expect(refused.code == "transfer_mismatch")
            #expect(try await world.usageStates(usages) == ["in_redemption", "in_redemption", "in_redemption"])
            let disputed = try await world.call(
                .post, "/v1/redemption/batches/\(id)/dispute", token: try await world.providerToken(),
                json: [
                    "reason": "到账金额少 1 分"
                ])
            #expect(disputed.string("state") == "disputed")
            #expect(disputed.string("disputeReason") == "到账金额少 1 分")

            let right = try await world.call(
                .post, "/v1/redemption/batches/\(id)/transfer", token: operatorToken,
                json: [
                    "amountFen": totalFen, "payerName": "数字化转型专项资金专户", "payerAccount": "11010101040012345",
                    "date": "2026-12-02", "bankSerial": "ABC20261202000001",
                ])
            #expect(right.status == .ok, "\(right.json)")
            let wrongName = try await world.call(
                .post, "/v1/redemption/batches/\(id)/confirm", token: try await world.providerToken(),
                json: [
                    "payerName": "别的户名", "payerAccount": "11010101040012345", "amountFen": totalFen,
                ])
            #expect(wrongName.code == "transfer_mismatch")
            let confirmed = try await world.call(
                .post, "/v1/redemption/batches/\(id)/confirm", token: try await world.providerToken(),
                json: [
                    "payerName": "数字化转型专项资金专户", "payerAccount": "11010101040012345", "amountFen": totalFen,
                ])
            #expect(confirmed.string("state") == "redeemed", "\(confirmed.json)")
            #expect(try await world.usageStates(usages) == ["redeemed", "redeemed", "redeemed"])
            #expect(try await world.count("SELECT count(*)::int FROM voucher_ledger WHERE entry = 'redeem'") == 3)
            #expect(try await world.count("SELECT sum(amount_fen)::int FROM voucher_ledger WHERE entry = 'redeem'") == Int(totalFen))
            try await world.expectLedgerConsistent()

            let again = try await world.call(
                .post, "/v1/redemption/batches/\(id)/confirm", token: try await world.providerToken(),
                json: [
                    "payerName": "数字化转型专项资金专户", "payerAccount": "11010101040012345", "amountFen": totalFen,
                ])
            #expect(again.status == .conflict)

            let period = "from=2000-01-01T00:00:00%2B08:00&to=2100-01-01T00:00:00%2B08:00"
            let totals = try await world.call(.get, "/v1/finance/payouts?\(period)", token: try await world.platformToken(.finance))
            #expect(totals.fen("totalFen") == totalFen, "\(totals.json)")
            #expect(totals.items.first?["providerOrgId"] as? String == RedemptionWorld.provider)
            #expect(totals.items.first?["campaignId"] as? String == "cmp_test")
            let csv = try await world.call(.get, "/v1/finance/payouts?\(period)&format=csv", token: try await world.platformToken(.finance))
            let text = String(decoding: csv.body, as: UTF8.self)
            let month = try #require(totals.items.first?["month"] as? String)
            #expect(month.wholeMatch(of: /\d{4}-\d{2}/) != nil)
            #expect(text.contains("org_prov,数字服务商,cmp_test,双十二数字化转型服务券,\(month),\(totalFen),3"), "\(text)")
            let xml = try await world.call(.get, "/v1/finance/payouts?\(period)&format=xml", token: try await world.platformToken(.finance))
            #expect(xml.status == .badRequest)
            #expect(xml.code == "format_invalid")
            let providerTotals = try await world.call(.get, "/v1/finance/payouts?\(period)", token: try await world.providerToken())
            #expect(providerTotals.status == .forbidden)

            let download = try await world.call(.get, "/v1/redemption/batches/\(id)/materials", token: try await world.providerToken())
            #expect(download.status == .ok)
            #expect(download.body == Files.zip)
            let auditorDownload = try await world.call(.get, "/v1/redemption/batches/\(id)/materials", token: try await world.platformToken(.auditor))
            #expect(auditorDownload.body == Files.zip)
            try await world.postgres.query(
                """
                INSERT INTO voucher_ledger (voucher_id, entry, amount_fen, order_id)
                SELECT voucher_id, 'redeem', 1, order_id FROM usages WHERE id = \(usages[0])
                """)
            let broken = try await LedgerVerifier(client: world.postgres, logger: TestEnvironment.logger).verify()
            #expect(broken.breaches.count == 1, "a second redeem of a usage is a breach: \(broken.breaches)")

            let stranger = try await world.call(
                .get, "/v1/redemption/batches/\(id)/materials", token: try await world.providerToken(RedemptionWorld.otherProvider))
            #expect(stranger.status == .notFound)
            let enterprise = try await world.call(.get, "/v1/redemption/batches/\(id)", token: try await world.token("ent_x"))
            #expect(enterprise.status == .forbidden)
        }
    }

    /// Proves a rejection at each stage (auditor, settlement, payment approval, and the operator
    /// at the transfer step) ends the batch with the reason shown to the provider, returns the
    /// usages to pending, and a new batch can take them.
    @Test(arguments: [0, 1, 2, 3])
    func rejectionReturnsUsages(stage: Int) async throws {
        try await RedemptionWorld.run { world in
            let usages = try await world.completedUsages(pricesFen: [500_000, 700_000])
            let payee = try await world.payeeAccount()
            let first = try await world.submit(usages, payee: payee)
            let id = try #require(first.string("id"))
            let approval = try #require(first.string("approvalId"))
            let deciders = RedemptionWorld.batchDeciders
            for (role, user) in deciders.prefix(stage) {
                #expect(try await world.decide(approval, role: role, approve: true, user: user).status == .ok)
            }
            if stage < deciders.count {
                let rejected = try await world.decide(approval, role: deciders[stage].role, approve: false, user: deciders[stage].user)
                #expect(rejected.status == .ok, "\(rejected.json)")
            } else {
                let rejected = try await world.call(
                    .post, "/v1/redemption/batches/\(id)/reject", token: try await world.platformToken(.operator),
                    json: ["reason": "材料不全：缺少发票"])
                #expect(rejected.status == .ok, "\(rejected.json)")
            }
            let batch = try await world.batch(id)
            #expect(batch.string("state") == "rejected")
            #expect(batch.string("rejectionReason") == "材料不全：缺少发票")
            #expect(try await world.usageStates(usages) == ["pending_redemption", "pending_redemption"])
            let second = try await world.submit(usages, payee: payee)
            #expect(second.status == .created, "\(second.json)")
            #expect(second.fen("totalFen") == Int64(150_000 + 210_000))
            #expect(try await world.usageStates(usages) == ["in_redemption", "in_redemption"])
        }
    }

    /// Proves two batches racing for one usage: exactly one is filed, the other is refused, and
    /// the usage is in exactly one live batch.
    @Test func concurrentBatchesRaceForOneUsage() async throws {
        try await RedemptionWorld.run { world in
            let usages = try await world.completedUsages(pricesFen: [800_000, 900_000, 1_000_000])
            let payee = try await world.payeeAccount()
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                group.addTask { Int(try await world.submit([usages[0], usages[1]], payee: payee).status.code) }
                group.addTask { Int(try await world.submit([usages[1], usages[2]], payee: payee).status.code) }
                var all: [Int] = []
                for try await status in group { all.append(status) }
                return all.sorted()
            }
            #expect(statuses == [201, 409])
            #expect(try await world.count("SELECT count(*)::int FROM redemption_batches") == 1)
            #expect(try await world.count("SELECT count(*)::int FROM batch_usages WHERE live AND usage_id = '\(usages[1])'") == 1)
            #expect(try await world.count("SELECT count(*)::int FROM usages WHERE state = 'in_redemption'") == 2)
        }
    }
}
