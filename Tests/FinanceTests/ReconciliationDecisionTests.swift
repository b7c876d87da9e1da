import API
import Foundation
import HTTPTypes
import PostgresNIO
import PostgresStore
import Reconciliation
import TestSupport
import Testing
import VoucherServices

/// Manual decisions, the database's guard against over-matching, who may do what, and the
/// provider's confirmation through the same comparison as reconciliation.
@Suite("Reconciliation decisions")
struct ReconciliationDecisionTests {
    /// Proves a person can match a line by hand (rule manual, audit row), cannot match beyond what
    /// the batch owes (409 match_exceeds_batch) or without a note (note_missing), can unmatch
    /// (no_batch, still an audit row), and that decided lines stay out of automatic matching.
    @Test func manualMatchAndUnmatchWithAudit() async throws {
        try await RedemptionWorld.run { world in
            let payee = try await world.payeeAccount()
            let batch = try await world.paidBatch(priceFen: 1_000_000, payee: payee, transferDate: "2026-12-01")
            let imported = try await world.upload(
                StatementFile.utf8([
                    ReceiptLine(serial: "M1", date: "2026-12-01", amount: "3000.00", name: "代付机构", account: "6222020000000000009", memo: "代付"),
                    ReceiptLine(serial: "M2", date: "2026-12-01", amount: "1.00", name: "代付机构", account: "6222020000000000009", memo: "手续费"),
                    ReceiptLine(serial: "M3", date: "2026-12-01", direction: "贷", amount: "9.00", name: "利息", account: "6222020000000000008"),
                ]))
            let lines = world.linesBySerial(try await world.report(try #require(imported.string("statementId"))))
            let m1 = try #require(lines["M1"]?["id"] as? String)
            let m2 = try #require(lines["M2"]?["id"] as? String)
            let m3 = try #require(lines["M3"]?["id"] as? String)
            #expect(lines["M1"]?["outcome"] as? String == "no_batch")
            let finance = try await world.platformToken(.finance)

            let noNote = try await world.call(
                .post, "/v1/finance/statement-lines/\(m1)/match", token: finance, json: ["batchId": batch.id, "note": "  "])
            #expect(noNote.code == "note_missing")
            let matched = try await world.call(
                .post, "/v1/finance/statement-lines/\(m1)/match", token: finance,
                json: [
                    "batchId": batch.id, "note": "代付机构代为支付，见付款通知书",
                ])
            #expect(matched.status == .ok, "\(matched.json)")
            #expect(matched.string("outcome") == "matched" && matched.string("rule") == "manual" && matched.string("batchId") == batch.id)
            #expect(matched.string("decidedBy") == "usr_fin")
            let over = try await world.call(
                .post, "/v1/finance/statement-lines/\(m2)/match", token: finance,
                json: [
                    "batchId": batch.id, "note": "手续费也算",
                ])
            #expect(over.status == .conflict, "\(over.json)")
            #expect(over.code == "match_exceeds_batch")
            let credit = try await world.call(
                .post, "/v1/finance/statement-lines/\(m3)/match", token: finance, json: ["batchId": batch.id, "note": "x"])
            #expect(credit.code == "line_not_payout")
            let missing = try await world.call(
                .post, "/v1/finance/statement-lines/sl_00000000000000000000000000/match", token: finance, json: ["batchId": batch.id, "note": "x"])
            #expect(missing.status == .notFound)

            let rematch = try await world.call(.post, "/v1/finance/reconciliation/rematch", token: finance)
            #expect(rematch.status == .ok)
            world.clock.advance(seconds: 60)
            let unmatched = try await world.call(.post, "/v1/finance/statement-lines/\(m1)/unmatch", token: finance, json: ["note": "付款通知书作废"])
            #expect(unmatched.status == .ok, "\(unmatched.json)")
            #expect(unmatched.string("outcome") == "no_batch")
            #expect(unmatched.string("batchId") == nil)
            _ = try await world.call(.post, "/v1/finance/reconciliation/rematch", token: finance)
            let after = try await world.call(.get, "/v1/finance/statement-lines/\(m1)/audit", token: finance)
            #expect(after.items.map { $0["action"] as? String } == ["match", "unmatch"])
            #expect(after.items.map { $0["batchId"] as? String } == [batch.id, batch.id])
            #expect(after.items.allSatisfy { $0["actor"] as? String == "usr_fin" && $0["createdAt"] is String })
            #expect(
                try await world.count(
                    "SELECT count(*)::int FROM statement_lines WHERE id = '\(m1)' AND outcome = 'no_batch' AND decided_by IS NOT NULL") == 1)
            await #expect(throws: (any Error).self) {
                try await world.postgres.query("UPDATE reconciliation_audit SET note = 'rewritten'")
            }
        }
    }

    /// Proves the database itself refuses matched receipts summing above a batch's total, even
    /// from SQL that bypasses the repository.
    @Test func triggerRefusesOverMatch() async throws {
        try await RedemptionWorld.run { world in
            let payee = try await world.payeeAccount()
            let batch = try await world.paidBatch(priceFen: 1_000_000, payee: payee, transferDate: "2026-12-01")
            _ = try await world.upload(
                StatementFile.utf8([
                    ReceiptLine(serial: "T1", date: "2026-12-01", amount: "2000.00", account: "6222020000000000009"),
                    ReceiptLine(serial: "T2", date: "2026-12-01", amount: "1000.01", account: "6222020000000000009"),
                ]))
            try await world.postgres.query(
                """
                UPDATE statement_lines SET outcome = 'matched', batch_id = \(batch.id), matched_at = now() WHERE serial = 'T1'
                """)
            do {
                try await world.postgres.query(
                    """
                    UPDATE statement_lines SET outcome = 'matched', batch_id = \(batch.id), matched_at = now() WHERE serial = 'T2'
                    """)
                Issue.record("the trigger let 3000.01 be matched against a 3000.00 batch")
            } catch let error as PSQLError {
                #expect(error.serverInfo?[.constraintName] == "statement_lines_batch_not_overpaid", "\(String(reflecting: error))")
            }
            #expect(try await world.count("SELECT count(*)::int FROM statement_lines WHERE outcome = 'matched'") == 1)
        }
    }

    /// Proves only finance may import, list, report, decide and rematch: enterprise, provider and
    /// operator get 403 and nothing changes; anonymous gets 401.
    @Test func financeOnly() async throws {
        try await RedemptionWorld.run { world in
            let file = StatementFile.utf8([ReceiptLine(serial: "F1", date: "2026-12-01", amount: "1.00", account: "6222020000000000009")])
            let imported = try await world.upload(file)
            let id = try #require(imported.string("statementId"))
            let line = try #require(world.linesBySerial(try await world.report(id))["F1"]?["id"] as? String)
            let before = try await world.reconciliationFingerprint()
            let others = [try await world.token("ent_x"), try await world.providerToken(), try await world.platformToken(.operator)]
            for token in others {
                let other = StatementFile.utf8([ReceiptLine(serial: "F2", date: "2026-12-01", amount: "2.00", account: "6222020000000000009")])
                #expect(try await world.upload(other, token: token).status == .forbidden)
                #expect(try await world.call(.get, "/v1/finance/statements", token: token).status == .forbidden)
                #expect(try await world.call(.get, "/v1/finance/statements/\(id)/report", token: token).status == .forbidden)
                #expect(
                    try await world.call(.post, "/v1/finance/statement-lines/\(line)/unmatch", token: token, json: ["note": "x"]).status == .forbidden
                )
                #expect(try await world.call(.post, "/v1/finance/reconciliation/rematch", token: token).status == .forbidden)
            }
            #expect(try await world.call(.get, "/v1/finance/statements", token: nil).status == .unauthorized)
            #expect(try await world.reconciliationFingerprint() == before)
        }
    }

    /// Proves the provider's confirmation uses the receipt comparison: spacing in the account and
    /// full-width brackets in the name are the same party; a wrong amount and a wrong name are
    /// refused with transfer_mismatch and a detail that says which part differs.
    @Test func confirmationUsesReceiptComparison() async throws {
        try await RedemptionWorld.run { world in
            let payee = try await world.payeeAccount()
            let usages = try await world.completedUsages(pricesFen: [1_000_000])
            let submitted = try await world.submit(usages, payee: payee)
            let id = try #require(submitted.string("id"))
            try await world.approveChain(try #require(submitted.string("approvalId")))
            let operatorToken = try await world.platformToken(.operator)
            _ = try await world.call(
                .post, "/v1/redemption/batches/\(id)/transfer", token: operatorToken,
                json: [
                    "amountFen": 300_000, "payerName": "数字化转型(专项)资金专户", "payerAccount": "11010101040012345", "date": "2026-12-01",
                    "bankSerial": "ABC1",
                ])
            let provider = try await world.providerToken()
            let amount = try await world.call(
                .post, "/v1/redemption/batches/\(id)/confirm", token: provider,
                json: [
                    "payerName": "数字化转型(专项)资金专户", "payerAccount": "11010101040012345", "amountFen": 299_999,
                ])
            #expect(amount.code == "transfer_mismatch")
            #expect(amount.string("detail")?.contains("amount differs") == true, "\(amount.json)")
            let name = try await world.call(
                .post, "/v1/redemption/batches/\(id)/confirm", token: provider,
                json: [
                    "payerName": "另一个专户", "payerAccount": "11010101040012345", "amountFen": 300_000,
                ])
            #expect(name.code == "transfer_mismatch")
            #expect(name.string("detail")?.contains("payer name or payer account") == true, "\(name.json)")
            let confirmed = try await world.call(
                .post, "/v1/redemption/batches/\(id)/confirm", token: provider,
                json: [
                    "payerName": "数字化转型（专项）资金专户", "payerAccount": "1101 0101 0400 12345", "amountFen": 300_000,
                ])
            #expect(confirmed.string("state") == "redeemed", "\(confirmed.json)")
        }
    }
}
