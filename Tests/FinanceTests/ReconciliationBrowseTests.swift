import Foundation
import PostgresStore
import Reconciliation
import TestSupport
import Testing
import VoucherServices

/// What the finance pages read beside the JSON report (`ReconciliationRepository+Browse`): lines
/// filtered by outcome, exact amount and text and paged by the database, matched and open payouts
/// per booking day, batches paid without a receipt for any period, and the audit trail by name,
/// against real PostgreSQL.
@Suite("Reconciliation browse")
struct ReconciliationBrowseTests {
    static func serials(_ found: (items: [StatementLineRecord], total: Int)?) -> [String] { found?.items.map(\.serial) ?? [] }

    @Test func linesFilterByOutcomeAmountAndTextLiterallyAndPage() async throws {
        // Proves the text filter matches serial, memo and batch reference case-insensitively and
        // takes `%` and `_` literally (not as LIKE wildcards), the amount filter is exact, filters
        // combine with the outcome, the total counts every page, and an unknown statement is nil;
        // then that the daily sums count matched and open payouts (never credits) per booking day,
        // that a batch paid without a receipt is listed for its period only, and that a manual
        // decision is in the audit trail with its note.
        try await RedemptionWorld.run { world in
            let payee = try await world.payeeAccount()
            let settled = try await world.paidBatch(priceFen: 1_000_000, payee: payee, transferDate: "2026-12-01")
            let unpaid = try await world.paidBatch(priceFen: 700_000, payee: payee, transferDate: "2026-12-03")
            let receipts = [
                ReceiptLine(serial: "W001", date: "2026-12-01", amount: StatementFile.yuan(settled.totalFen), memo: "兑付 \(settled.reference)"),
                ReceiptLine(serial: "W002", date: "2026-12-02", amount: "123.45", memo: "手续费 50% 减免"),
                ReceiptLine(serial: "W003", date: "2026-12-02", direction: "贷", amount: "123.45", name: "某公司", memo: "a_b 退款"),
            ]
            let imported = try await world.upload(StatementFile.utf8(receipts))
            #expect(imported.status == .created, "\(imported.json)")
            let statementID = try #require(imported.string("statementId"))
            let repository = ReconciliationRepository(client: world.postgres, logger: TestEnvironment.logger)
            func lines(
                _ outcomes: [Outcome] = [], fen: Int64? = nil, text: String? = nil, page: Int = 1, size: Int = 10
            ) async throws
                -> (items: [StatementLineRecord], total: Int)?
            {
                try await repository.lines(
                    statementID: statementID, filter: ReportLineFilter(outcomes: outcomes, amountFen: fen, text: text, page: page, pageSize: size))
            }

            #expect(Self.serials(try await lines()) == ["W001", "W002", "W003"])
            #expect(Self.serials(try await lines(text: "%")) == ["W002"])
            #expect(Self.serials(try await lines(text: "_")) == ["W003"])
            #expect(Self.serials(try await lines(text: settled.reference.lowercased())) == ["W001"])
            #expect(Self.serials(try await lines(text: "w00")) == ["W001", "W002", "W003"])
            #expect(Self.serials(try await lines(fen: 12_345)) == ["W002", "W003"])
            #expect(Self.serials(try await lines([.notPayout], fen: 12_345)) == ["W003"])
            let second = try await lines(fen: 12_345, page: 2, size: 1)
            #expect(Self.serials(second) == ["W003"] && second?.total == 2)
            #expect(try await lines([.matched], text: "退款")?.total == 0)
            let unknown = try await repository.lines(
                statementID: "st_00000000000000000000000000", filter: ReportLineFilter(outcomes: [], amountFen: nil, text: nil, page: 1, pageSize: 10)
            )
            #expect(unknown == nil)

            let days = try await repository.dailyAmounts(from: "2026-12-01", to: "2026-12-31")
            #expect(
                days == [
                    DailyReconciliationRow(day: "2026-12-01", matchedFen: settled.totalFen, openFen: 0),
                    DailyReconciliationRow(day: "2026-12-02", matchedFen: 0, openFen: 12_345),
                ])
            #expect(try await repository.unpaidBatches(from: "2026-12-01", to: "2026-12-31").map(\.reference) == [unpaid.reference])
            #expect(try await repository.unpaidBatches(from: "2026-11-01", to: "2026-11-30").isEmpty)
            #expect(try await repository.batchID(reference: settled.reference) == settled.id)
            #expect(try await repository.batchID(reference: "RB0000000000") == nil)

            let open = try #require(try await lines(text: "W002")?.items.first)
            _ = try await repository.unmatch(lineID: open.id, actor: "usr_fin", note: "手续费，非兑付款", now: world.clock.now())
            let trail = try await repository.auditTrail(lineID: open.id, limit: 10)
            #expect(trail.map(\.action) == ["unmatch"] && trail.first?.note == "手续费，非兑付款" && trail.first?.actorName.isEmpty == false)
            #expect(try await repository.line(id: open.id)?.decidedBy == "usr_fin")
        }
    }
}
