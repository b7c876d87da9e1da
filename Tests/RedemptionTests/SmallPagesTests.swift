import API
import Foundation
import HTTPTypes
import PostgresStore
import TestSupport
import Testing
import VoucherServices

/// The small pages of issue 15 item 5 over HTTP against real PostgreSQL: voucher detail, the
/// usage and batch filters, payee-account edit with history.
@Suite("Small pages")
struct SmallPagesTests {
    /// Proves 服务券详情 answers the enterprise's voucher with balances, its ledger entries in order
    /// (grant, hold, capture) and the order it paid (product, time, amount deducted, where the
    /// deduction stands); another organisation's voucher is 404, a malformed id 400, a provider 403.
    @Test func voucherDetailShowsItsLedgerAndTheOrdersItPaid() async throws {
        try await RedemptionWorld.run { world in
            let usage = try #require(try await world.completedUsages(pricesFen: [1_000_000]).first)
            let voucher = try #require(try await world.text("SELECT voucher_id FROM usages WHERE id = '\(usage)'"))
            let org = try #require(try await world.text("SELECT org_id FROM usages WHERE id = '\(usage)'"))
            let order = try #require(try await world.text("SELECT order_id FROM usages WHERE id = '\(usage)'"))

            let detail = try await world.call(.get, "/v1/vouchers/\(voucher)", token: try await world.token(org))
            #expect(detail.status == .ok, "\(detail.json)")
            let shown = try #require(detail.json["voucher"] as? [String: Any])
            #expect(shown["id"] as? String == voucher)
            #expect((shown["availableFen"] as? NSNumber)?.int64Value == 700_000)
            #expect((shown["capturedFen"] as? NSNumber)?.int64Value == 300_000)
            #expect(shown["status"] as? String == "partly_used")
            let ledger = try #require(detail.json["ledger"] as? [[String: Any]])
            #expect(ledger.map { $0["entry"] as? String } == ["grant", "hold", "capture"])
            #expect(ledger.map { ($0["amountFen"] as? NSNumber)?.int64Value } == [1_000_000, 300_000, 300_000])
            #expect(ledger.dropFirst().allSatisfy { $0["orderId"] as? String == order })
            let orders = try #require(detail.json["orders"] as? [[String: Any]])
            #expect(orders.count == 1)
            #expect(orders.first?["orderId"] as? String == order)
            #expect(orders.first?["productName"] as? String == "企业数字化诊断")
            #expect((orders.first?["deductionFen"] as? NSNumber)?.int64Value == 300_000)
            #expect(orders.first?["deductionState"] as? String == "captured")
            #expect(orders.first?["orderState"] as? String == "completed")
            #expect(orders.first?["orderedAt"] as? String != nil)

            let stranger = try await world.call(.get, "/v1/vouchers/\(voucher)", token: try await world.token("ent_x"))
            #expect(stranger.status == .notFound && stranger.code == "voucher_not_found", "\(stranger.json)")
            let garbage = try await world.call(.get, "/v1/vouchers/no%20such!", token: try await world.token(org))
            #expect(garbage.status == .badRequest && garbage.code == "id_malformed", "\(garbage.json)")
            let provider = try await world.call(.get, "/v1/vouchers/\(voucher)", token: try await world.providerToken())
            #expect(provider.status == .forbidden, "\(provider.json)")
        }
    }

    /// Proves the usages list filters by state and searches order number, product and enterprise
    /// name (fig 1-27), batches filter by state, and a bad filter is 400 `filter_invalid` naming
    /// the valid values, while another provider's usages never show.
    @Test func usagesAndBatchesFilter() async throws {
        try await RedemptionWorld.run { world in
            let usages = try await world.completedUsages(pricesFen: [1_000_000, 2_000_000])
            _ = try await world.completedUsages(pricesFen: [500_000], provider: RedemptionWorld.otherProvider)
            let payee = try await world.payeeAccount()
            let filed = try await world.submit([usages[0]], payee: payee)
            #expect(filed.status == .created, "\(filed.json)")
            let token = try await world.providerToken()
            func list(_ query: String) async throws -> Answer { try await world.call(.get, "/v1/provider/usages?\(query)", token: token) }

            #expect(try await list("").items.count == 2)
            #expect(try await list("state=in_redemption").items.map { $0["id"] as? String } == [usages[0]])
            #expect(try await list("state=pending_redemption").items.map { $0["id"] as? String } == [usages[1]])
            #expect(try await list("state=redeemed").items.isEmpty)
            let order = try #require(try await world.text("SELECT order_id FROM usages WHERE id = '\(usages[1])'"))
            let byOrder = try await list("q=\(order.uppercased())")
            #expect(byOrder.items.map { $0["orderId"] as? String } == [order], "order numbers match whatever their case")
            let enterprise = try #require(
                try await world.text("SELECT e.name FROM usages u JOIN organisations e ON e.id = u.org_id WHERE u.id = '\(usages[0])'"))
            #expect(try await list("q=\(enterprise)").items.map { $0["id"] as? String } == [usages[0]])
            let product = try await list("q=%E8%AF%8A%E6%96%AD&state=pending_redemption")  // 诊断, in the product's name
            #expect(product.items.map { $0["id"] as? String } == [usages[1]])
            #expect(try await list("q=nothing-like-this").json["total"] as? Int == 0)

            let badState = try await list("state=spent")
            #expect(badState.status == .badRequest && badState.code == "filter_invalid", "\(badState.json)")
            #expect(badState.string("detail")?.contains("pending_redemption") == true)
            let longQuery = try await list("q=" + String(repeating: "a", count: 101))
            #expect(longQuery.status == .badRequest && longQuery.code == "filter_invalid")

            func batches(_ query: String) async throws -> Answer { try await world.call(.get, "/v1/redemption/batches?\(query)", token: token) }
            #expect(try await batches("state=in_review").items.count == 1)
            #expect(try await batches("state=redeemed").items.isEmpty)
            let operatorView = try await world.call(.get, "/v1/redemption/batches?state=in_review", token: try await world.platformToken(.operator))
            #expect(operatorView.items.count == 1)
            let badBatch = try await batches("state=paid")
            #expect(badBatch.status == .badRequest && badBatch.code == "filter_invalid", "\(badBatch.json)")
        }
    }

    /// Proves a payee account is edited with its old version kept in the history, a batch filed
    /// before the edit still shows the account as it was while one filed after shows the new
    /// number, and bad edits (another bank, another name, a bad number, a number already active,
    /// another provider's or a disabled account) are refused with their code and change nothing.
    @Test func payeeEditKeepsHistoryAndFiledBatchesKeepTheirAccount() async throws {
        try await RedemptionWorld.run { world in
            let usages = try await world.completedUsages(pricesFen: [1_000_000, 2_000_000])
            let payee = try await world.payeeAccount()
            let token = try await world.providerToken()
            let before = try await world.submit([usages[0]], payee: payee)
            let batchBefore = try #require(before.string("id"))
            let newNumber = "622848040256489"
            func edit(
                _ id: String, bank: String = "ABC", name: String = RedemptionWorld.providerName, number: String, as who: String? = nil
            )
                async throws -> Answer
            {
                try await world.call(
                    .put, "/v1/provider/payee-accounts/\(id)", token: who ?? token,
                    json: ["bank": bank, "accountName": name, "accountNumber": number])
            }

            let edited = try await edit(payee, number: newNumber)
            #expect(edited.status == .ok, "\(edited.json)")
            #expect(edited.string("accountNumber") == newNumber)
            #expect(edited.json["version"] as? Int == 2)
            #expect(try await edit(payee, number: newNumber).json["version"] as? Int == 2, "the same values again make no version")

            let old = try await world.batch(batchBefore)
            #expect(old.string("payeeNumber") == RedemptionWorld.abcNumber, "the batch keeps the account as filed")
            #expect(old.string("payeeAccountId") == payee)
            let after = try await world.submit([usages[1]], payee: payee)
            #expect(after.status == .created, "\(after.json)")
            #expect(after.string("payeeNumber") == newNumber)

            let refusals: [(Answer, String)] = [
                (try await edit(payee, bank: "ICBC", number: "622848040256489001"), "payee_bank_not_allowed"),
                (try await edit(payee, name: "别的公司", number: "622848040256489001"), "payee_name_mismatch"),
                (try await edit(payee, number: "6228-4804"), "payee_number_invalid"),
                (
                    try await edit(payee, number: "622848040256489001", as: try await world.providerToken(RedemptionWorld.otherProvider)),
                    "payee_account_not_found"
                ),
            ]
            for (answer, code) in refusals { #expect(answer.code == code && answer.status.code < 500, "\(code): \(answer.json)") }
            let second = try await world.payeeAccount()
            let duplicate = try await edit(second, number: newNumber)
            #expect(duplicate.status == .conflict && duplicate.code == "payee_account_exists", "\(duplicate.json)")
            let disabled = try await world.call(.post, "/v1/provider/payee-accounts/\(second)/disable", token: token)
            #expect(disabled.status == .ok)
            #expect(try await edit(second, number: "622848040256489001").code == "payee_account_not_found")
            #expect(try await edit("pay_bad!", number: newNumber).status == .badRequest)

            let detail = try await world.call(.get, "/v1/provider/payee-accounts/\(payee)", token: token)
            #expect(detail.status == .ok, "\(detail.json)")
            let account = try #require(detail.json["account"] as? [String: Any])
            #expect(account["version"] as? Int == 2, "no refused edit made a version")
            #expect(account["accountNumber"] as? String == newNumber)
            let history = try #require(detail.json["history"] as? [[String: Any]])
            #expect(history.count == 1)
            #expect(history.first?["version"] as? Int == 1)
            #expect(history.first?["accountNumber"] as? String == RedemptionWorld.abcNumber)
            #expect(history.first?["replacedBy"] as? String == "usr_org_prov")
            let stranger = try await world.call(
                .get, "/v1/provider/payee-accounts/\(payee)", token: try await world.providerToken(RedemptionWorld.otherProvider))
            #expect(stranger.status == .notFound && stranger.code == "payee_account_not_found")
        }
    }
}
