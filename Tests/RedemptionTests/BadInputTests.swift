import API
import Foundation
import HTTPTypes
import PostgresStore
import TestSupport
import Testing
import VoucherServices

/// Requests that break a redemption rule get a 4xx with a stable code and change nothing.
@Suite("Redemption bad input")
struct BadInputTests {
    /// Proves payee accounts must be ABC, under the registered name, 15–19 digits; disabled ones
    /// cannot be used.
    @Test func payeeAccounts() async throws {
        try await RedemptionWorld.run { world in
            let token = try await world.providerToken()
            let cases: [([String: Any], String)] = [
                (
                    ["bank": "ICBC", "accountName": RedemptionWorld.providerName, "accountNumber": RedemptionWorld.abcNumber],
                    "payee_bank_not_allowed"
                ),
                (["bank": "ABC", "accountName": "别人的公司", "accountNumber": RedemptionWorld.abcNumber], "payee_name_mismatch"),
                (["bank": "ABC", "accountName": RedemptionWorld.providerName, "accountNumber": "12345678901234"], "payee_number_invalid"),
                (["bank": "ABC", "accountName": RedemptionWorld.providerName, "accountNumber": "1234567890123456789012"], "payee_number_invalid"),
                (["bank": "ABC", "accountName": RedemptionWorld.providerName, "accountNumber": "62284804025648900A"], "payee_number_invalid"),
            ]
            for (body, code) in cases {
                let answer = try await world.call(.post, "/v1/provider/payee-accounts", token: token, json: body)
                #expect(answer.status == .badRequest, "\(body)")
                #expect(answer.code == code, "\(answer.json)")
            }
            #expect(try await world.count("SELECT count(*)::int FROM payee_accounts") == 0)
            let asEnterprise = try await world.call(
                .post, "/v1/provider/payee-accounts", token: try await world.token("ent_x"),
                json: [
                    "bank": "ABC", "accountName": RedemptionWorld.providerName, "accountNumber": RedemptionWorld.abcNumber,
                ])
            #expect(asEnterprise.status == .forbidden)

            let payee = try await world.payeeAccount()
            let duplicate = try await world.call(
                .post, "/v1/provider/payee-accounts", token: token,
                json: [
                    "bank": "ABC", "accountName": RedemptionWorld.providerName, "accountNumber": RedemptionWorld.abcNumber,
                ])
            #expect(duplicate.status == .conflict)
            let list = try await world.call(.get, "/v1/provider/payee-accounts", token: token)
            #expect(list.items.count == 1)
            let foreign = try await world.call(
                .post, "/v1/provider/payee-accounts/\(payee)/disable",
                token: try await world.providerToken(RedemptionWorld.otherProvider))
            #expect(foreign.status == .notFound)
            let disabled = try await world.call(.post, "/v1/provider/payee-accounts/\(payee)/disable", token: token)
            #expect(disabled.json["active"] as? Bool == false)
            let usages = try await world.completedUsages(pricesFen: [100_000])
            let withDisabled = try await world.submit(usages, payee: payee)
            #expect(withDisabled.code == "payee_account_not_found")
            #expect(try await world.usageStates(usages) == ["pending_redemption"])
        }
    }

    /// Proves another provider's usage, a general-voucher usage, a fake zip, an archive over 10 MB,
    /// another provider's payee account and an unknown usage are refused, and nothing changes.
    @Test func batchSubmission() async throws {
        try await RedemptionWorld.run { world in
            let mine = try await world.completedUsages(pricesFen: [100_000])
            let theirs = try await world.completedUsages(pricesFen: [200_000], provider: RedemptionWorld.otherProvider)
            let payee = try await world.payeeAccount()
            let theirPayee = try await world.payeeAccount(RedemptionWorld.otherProvider, name: "另一家服务商")

            let foreign = try await world.submit(mine + theirs, payee: payee)
            #expect(foreign.status == .notFound)
            #expect(foreign.code == "usage_not_found")
            let unknown = try await world.submit(["usg_nope"], payee: payee)
            #expect(unknown.code == "usage_not_found")
            let fake = try await world.submit(mine, payee: payee, archive: Files.notZip)
            #expect(fake.status == .unsupportedMediaType)
            #expect(fake.code == "materials_unsupported_format")
            let big = try await world.submit(mine, payee: payee, archive: Files.zip + [UInt8](repeating: 0, count: 10 * 1024 * 1024))
            #expect(big.status == .contentTooLarge)
            let otherPayee = try await world.submit(mine, payee: theirPayee)
            #expect(otherPayee.code == "payee_account_not_found")
            let none = try await world.submit([], payee: payee)
            #expect(none.status == .badRequest)
            let noPayee = try await world.submit(mine, payee: "")
            #expect(noPayee.status == .badRequest)
            #expect(noPayee.code == "redemption_invalid")

            #expect(try await world.count("SELECT count(*)::int FROM redemption_batches") == 0)
            #expect(try await world.count("SELECT count(*)::int FROM approval_applications WHERE type = 'redemption_batch'") == 0)
            #expect(try await world.usageStates(mine + theirs).allSatisfy { $0 == "pending_redemption" })

            let rar = try await world.submit(mine, payee: payee, archive: Files.rar, key: "batch-0001")
            #expect(rar.status == .created, "\(rar.json)")
            let replay = try await world.submit(mine, payee: payee, archive: Files.rar, key: "batch-0001")
            #expect(replay.status == .ok, "a replay answers the first batch")
            #expect(replay.string("id") == rar.string("id"))
            let reused = try await world.submit(mine, payee: payee, archive: Files.zip, key: "batch-0001")
            #expect(reused.status == .unprocessableContent)
            #expect(reused.code == "idempotency_key_reused")
            #expect(try await world.count("SELECT count(*)::int FROM redemption_batches") == 1)
        }
    }

    /// Proves a general-voucher usage cannot go into a diagnostic batch.
    @Test func generalUsageNotInDiagnosticBatch() async throws {
        try await RedemptionWorld.run { world in
            let general = try await world.completedUsages(pricesFen: [100_000], kind: "general")
            try #require(general.count == 1)
            let payee = try await world.payeeAccount()
            let answer = try await world.submit(general, payee: payee)
            #expect(answer.code == "usage_not_redeemable", "\(answer.json)")
            #expect(try await world.usageStates(general) == ["pending_redemption"])
        }
    }

    /// Proves each stage refuses the wrong role (operator at the auditor's stage, provider recording
    /// a transfer, operator confirming, provider confirming before a transfer) and nothing changes.
    @Test func wrongRoleAtEachStage() async throws {
        try await RedemptionWorld.run { world in
            let usages = try await world.completedUsages(pricesFen: [100_000])
            let payee = try await world.payeeAccount()
            let submitted = try await world.submit(usages, payee: payee)
            let id = try #require(submitted.string("id"))
            let approval = try #require(submitted.string("approvalId"))

            let operatorFirst = try await world.decide(approval, role: .operator, approve: true)
            #expect(operatorFirst.status == .forbidden, "\(operatorFirst.json)")
            let financeFirst = try await world.decide(approval, role: .finance, approve: false)
            #expect(financeFirst.status == .notFound, "finance is not in the chain, so the application is hidden from it")
            let early = try await world.call(
                .post, "/v1/redemption/batches/\(id)/transfer", token: try await world.platformToken(.operator),
                json: [
                    "amountFen": 30_000, "payerName": "专户", "payerAccount": "11010101040012345", "date": "2026-12-01", "bankSerial": "S1",
                ])
            #expect(early.status == .conflict)
            #expect(try await world.batch(id).string("state") == "in_review")

            try await world.approveChain(approval)
            let byProvider = try await world.call(
                .post, "/v1/redemption/batches/\(id)/transfer", token: try await world.providerToken(),
                json: [
                    "amountFen": 30_000, "payerName": "专户", "payerAccount": "11010101040012345", "date": "2026-12-01", "bankSerial": "S1",
                ])
            #expect(byProvider.status == .forbidden)
            let badDate = try await world.call(
                .post, "/v1/redemption/batches/\(id)/transfer", token: try await world.platformToken(.operator),
                json: [
                    "amountFen": 30_000, "payerName": "专户", "payerAccount": "11010101040012345", "date": "2026-02-30", "bankSerial": "S1",
                ])
            #expect(badDate.status == .badRequest)
            let confirmEarly = try await world.call(
                .post, "/v1/redemption/batches/\(id)/confirm", token: try await world.providerToken(),
                json: [
                    "payerName": "专户", "payerAccount": "11010101040012345", "amountFen": 30_000,
                ])
            #expect(confirmEarly.status == .conflict)
            #expect(try await world.batch(id).string("state") == "awaiting_transfer")
            let recorded = try await world.call(
                .post, "/v1/redemption/batches/\(id)/transfer", token: try await world.platformToken(.operator),
                json: [
                    "amountFen": 30_000, "payerName": "专户", "payerAccount": "11010101040012345", "date": "2026-12-01", "bankSerial": "S1",
                ])
            #expect(recorded.string("state") == "awaiting_confirmation")
            let byOperator = try await world.call(
                .post, "/v1/redemption/batches/\(id)/confirm", token: try await world.platformToken(.operator),
                json: [
                    "payerName": "专户", "payerAccount": "11010101040012345", "amountFen": 30_000,
                ])
            #expect(byOperator.status == .forbidden)
            let byOther = try await world.call(
                .post, "/v1/redemption/batches/\(id)/confirm",
                token: try await world.providerToken(RedemptionWorld.otherProvider),
                json: [
                    "payerName": "专户", "payerAccount": "11010101040012345", "amountFen": 30_000,
                ])
            #expect(byOther.status == .notFound)
            let emptyDispute = try await world.call(
                .post, "/v1/redemption/batches/\(id)/dispute", token: try await world.providerToken(),
                json: [
                    "reason": "  "
                ])
            #expect(emptyDispute.status == .badRequest)
            #expect(try await world.batch(id).string("state") == "awaiting_confirmation")
            #expect(try await world.usageStates(usages) == ["in_redemption"])
            #expect(try await world.count("SELECT count(*)::int FROM voucher_ledger WHERE entry = 'redeem'") == 0)
        }
    }
}
