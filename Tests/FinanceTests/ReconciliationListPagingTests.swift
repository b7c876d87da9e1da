import API
import Foundation
import HTTPTypes
import TestSupport
import Testing
import VoucherServices

/// A batch's receipts and a statement line's audit trail honour `page` and `pageSize` like every
/// list (SPEC §9), over HTTP against real PostgreSQL.
@Suite("Reconciliation list paging")
struct ReconciliationListPagingTests {
    static func int(_ answer: Answer, _ key: String) -> Int? { (answer.json[key] as? NSNumber)?.intValue }
    static func strings(_ answer: Answer, _ key: String) -> [String] { answer.items.compactMap { $0[key] as? String } }

    @Test func receiptsAndAuditPage() async throws {
        // Proves a batch paid by three receipts (matched by hand) lists them two a page by booking day — page 2 holds the
        // third — with total 3 on each page, that a line matched, unmatched and matched again pages its three decisions
        // oldest first the same way, and that an out-of-range pageSize is 400 page_invalid on both lists.
        try await RedemptionWorld.run { world in
            let payee = try await world.payeeAccount()
            let batch = try await world.paidBatch(priceFen: 1_000_000, payee: payee, transferDate: "2026-12-01")
            let third = batch.totalFen / 3
            let amounts = [third, third, batch.totalFen - 2 * third]
            let receipts = amounts.enumerated().map { index, fen in
                ReceiptLine(serial: "Q00\(index + 1)", date: "2026-12-0\(index + 2)", amount: StatementFile.yuan(fen), memo: "分笔付款")
            }
            let imported = try await world.upload(StatementFile.utf8(receipts))
            #expect(imported.status == .created, "\(imported.json)")
            let lines = world.linesBySerial(try await world.report(try #require(imported.string("statementId"))))
            let finance = try await world.platformToken(.finance)
            let ids = try receipts.map { try #require(lines[$0.serial]?["id"] as? String) }
            func decide(_ action: String, _ id: String) async throws {
                var body: [String: Any] = ["note": "分笔付款，见付款通知书"]
                if action == "match" { body["batchId"] = batch.id }
                let answer = try await world.call(.post, "/v1/finance/statement-lines/\(id)/\(action)", token: finance, json: body)
                #expect(answer.status == .ok, "\(action) \(id): \(answer.json)")
                world.clock.advance(seconds: 1)  // each decision at its own time, so oldest first is one order
            }
            try await decide("match", ids[0])
            try await decide("unmatch", ids[0])
            for id in ids { try await decide("match", id) }

            let receiptsPath = "/v1/redemption/batches/\(batch.id)/receipts"
            let first = try await world.call(.get, receiptsPath + "?page=1&pageSize=2", token: finance)
            let second = try await world.call(.get, receiptsPath + "?page=2&pageSize=2", token: finance)
            #expect(Self.strings(first, "serial") == ["Q001", "Q002"] && Self.strings(second, "serial") == ["Q003"], "\(first.json) \(second.json)")
            #expect(Self.int(first, "total") == 3 && Self.int(second, "total") == 3 && Self.int(second, "page") == 2)

            let auditPath = "/v1/finance/statement-lines/\(ids[0])/audit"
            let early = try await world.call(.get, auditPath + "?pageSize=2", token: finance)
            let late = try await world.call(.get, auditPath + "?page=2&pageSize=2", token: finance)
            #expect(Self.strings(early, "action") == ["match", "unmatch"] && Self.strings(late, "action") == ["match"], "\(early.json) \(late.json)")
            #expect(Self.int(early, "total") == 3 && Self.int(late, "total") == 3 && Self.int(early, "pageSize") == 2)

            for path in [receiptsPath, auditPath] {
                let refused = try await world.call(.get, path + "?pageSize=101", token: finance)
                #expect(refused.status == .badRequest && refused.code == "page_invalid", "\(path): \(refused.json)")
            }
        }
    }
}
