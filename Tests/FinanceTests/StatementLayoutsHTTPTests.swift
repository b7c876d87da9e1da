import API
import Foundation
import HTTPTypes
import PostgresNIO
import PostgresStore
import Reconciliation
import TestSupport
import Testing
import VoucherCore
import VoucherServices

/// Statements as banks write them (issue 20), uploaded over HTTP as GBK bytes and reconciled
/// against real PostgreSQL: a 借贷标志 column with unsigned amounts and the period in the
/// preamble, 收入金额 / 支出金额 columns, and the findings finance reads (outcome per line, notes
/// in Chinese, candidates by reference, report totals that count money once).
@Suite("Statement layouts over HTTP")
struct StatementLayoutsHTTPTests {
    /// The GBK bytes banks send for `lines` (joined with CRLF).
    static func gbk(_ lines: [String]) throws -> [UInt8] {
        try #require(StatementText.gb18030(lines.joined(separator: "\r\n") + "\r\n"))
    }

    /// Proves a GBK statement with a 借贷标志 column and unsigned amounts is read by the column (借 a payout that pays its
    /// batch, 贷 not_payout, 借 to a stranger no_batch with a Chinese note), and that its period is the preamble's 起止日期:
    /// a batch whose transfer was recorded on a quiet day inside it (after the last receipt) is paid_no_receipt, one after
    /// it is not; the report's totals say so.
    @Test func directionColumnAndPreamblePeriod() async throws {
        try await RedemptionWorld.run { world in
            let payee = try await world.payeeAccount()
            let paid = try await world.paidBatch(priceFen: 1_000_000, payee: payee, transferDate: "2026-11-03")
            let quiet = try await world.paidBatch(priceFen: 1_100_000, payee: payee, transferDate: "2026-11-20")
            let later = try await world.paidBatch(priceFen: 1_200_000, payee: payee, transferDate: "2026-12-05")
            let provider = "\(RedemptionWorld.providerName),\(RedemptionWorld.abcNumber)"
            let bytes = try Self.gbk([
                "中国工商银行 账户交易明细", "账号：11010101040012345", "起止日期：2026-11-01 至 2026-11-30",
                "交易日期,交易时间,流水号,借贷标志,交易金额,对方户名,对方账号,摘要",
                "2026-11-03,10:00:00,T001,借,\"\(StatementFile.yuan(paid.totalFen))\",\(provider),兑付 \(paid.reference)",
                "2026-11-04,11:00:00,T002,贷,500.00,财政专户,11010101040099999,拨款",
                "2026-11-05,12:00:00,T003,借,123.45,某某贸易公司,6222020000000000001,货款",
                "合计,,,,,,,",
            ])
            let imported = try await world.upload(bytes, filename: "icbc.csv")
            #expect(imported.status == .created, "\(imported.json)")
            let statement = imported.json["statement"] as? [String: Any] ?? [:]
            #expect(statement["encoding"] as? String == "GB18030")
            #expect(statement["periodFrom"] as? String == "2026-11-01" && statement["periodTo"] as? String == "2026-11-30", "\(statement)")

            let report = try await world.report(try #require(imported.string("statementId")))
            let lines = world.linesBySerial(report)
            #expect(lines["T001"]?["outcome"] as? String == "matched" && lines["T001"]?["batchId"] as? String == paid.id, "\(lines)")
            #expect(lines["T001"]?["direction"] as? String == "debit")
            #expect(lines["T001"]?["note"] as? String == "正好支付 \(paid.reference)。")
            #expect(lines["T002"]?["outcome"] as? String == "not_payout" && lines["T002"]?["direction"] as? String == "credit")
            #expect(lines["T003"]?["outcome"] as? String == "no_batch")
            #expect(lines["T003"]?["note"] as? String == "没有已登记转账的批次符合这笔付款。")

            let unpaid = report.json["unpaidBatches"] as? [[String: Any]] ?? []
            #expect(unpaid.compactMap { $0["batchId"] as? String } == [quiet.id], "\(unpaid) later: \(later.id)")
            #expect((unpaid.first?["uncoveredFen"] as? NSNumber)?.int64Value == quiet.totalFen)
            let totals = world.totals(report)
            #expect(totals["matched"]?.count == 1 && totals["matched"]?.fen == paid.totalFen)
            #expect(totals["not_payout"]?.count == 1 && totals["not_payout"]?.fen == 50_000)
            #expect(totals["no_batch"]?.count == 1 && totals["no_batch"]?.fen == 12_345)
            #expect(totals["paid_no_receipt"]?.count == 1 && totals["paid_no_receipt"]?.fen == quiet.totalFen)
        }
    }

    /// Proves a GBK statement with 收入金额 / 支出金额 columns (period in the preamble as 交易期间 20261101 - 20261130)
    /// gives each line its outcome: a short payment (amount_mismatch), one to another name (name_or_account_mismatch), a
    /// second payment without reference of a batch settled by an earlier statement on an account with other open batches
    /// (duplicate_payment naming that batch, not ambiguous), one amount two open batches owe (ambiguous, candidates by
    /// reference), a reference to a batch whose transfer is not recorded (no_batch saying so) and money in (not_payout).
    /// Batches whose receipts are exceptions are not counted again in paid_no_receipt, and the CSV has the same totals.
    @Test func incomeAndExpenseColumnsAndFindingsCountedOnce() async throws {
        try await RedemptionWorld.run { world in
            let payee = try await world.payeeAccount()
            let short = try await world.paidBatch(priceFen: 1_000_000, payee: payee, transferDate: "2026-11-03")
            let otherName = try await world.paidBatch(priceFen: 1_100_000, payee: payee, transferDate: "2026-11-03")
            let settled = try await world.paidBatch(priceFen: 1_300_000, payee: payee, transferDate: "2026-11-04")
            let twinA = try await world.paidBatch(priceFen: 1_500_000, payee: payee, transferDate: "2026-11-03")
            let twinB = try await world.paidBatch(priceFen: 1_500_000, payee: payee, transferDate: "2026-11-05")
            let unrecorded = try await world.submit(try await world.completedUsages(pricesFen: [1_600_000]), payee: payee)
            let unrecordedReference = try #require(unrecorded.string("reference"))

            let first = try await world.upload(
                StatementFile.utf8([
                    ReceiptLine(serial: "E001", date: "2026-11-04", amount: StatementFile.yuan(settled.totalFen), memo: settled.reference)
                ]), filename: "earlier.csv")
            #expect(
                world.linesBySerial(try await world.report(try #require(first.string("statementId"))))["E001"]?["outcome"] as? String
                    == "matched")

            let yuan = StatementFile.yuan
            let provider = "\(RedemptionWorld.providerName),\(RedemptionWorld.abcNumber)"
            let bytes = try Self.gbk([
                "中国农业银行 活期账户明细", "交易期间：20261101 - 20261130",
                "记账日期,交易流水号,支出金额(元),收入金额(元),余额(元),对方户名,对方账号,用途",
                "2026-11-03,N001,\(yuan(short.totalFen - 1)),,\"9,000.00\",\(provider),\(short.reference)",
                "2026-11-03,N002,\(yuan(otherName.totalFen)),,,别的科技有限公司,\(RedemptionWorld.abcNumber),\(otherName.reference)",
                "2026-11-06,N003,\(yuan(settled.totalFen)),,,\(provider),服务券兑付",
                "2026-11-04,N004,\(yuan(twinA.totalFen)),,,\(provider),兑付款",
                "2026-11-07,N005,3000.00,,,\(provider),兑付 \(unrecordedReference)",
                "2026-11-08,N006,,500.00,,财政专户,11010101040099999,拨款",
                "支出合计,,,,,,,",
            ])
            let imported = try await world.upload(bytes, filename: "abc.csv")
            #expect(imported.status == .created, "\(imported.json)")
            let statementID = try #require(imported.string("statementId"))
            let report = try await world.report(statementID)
            let lines = world.linesBySerial(report)
            func expectLine(_ serial: String, _ outcome: String, batch: String?, sourceLocation: SourceLocation = #_sourceLocation) {
                #expect(lines[serial]?["outcome"] as? String == outcome, "\(serial): \(lines[serial] ?? [:])", sourceLocation: sourceLocation)
                #expect(lines[serial]?["batchId"] as? String == batch, "\(serial): \(lines[serial] ?? [:])", sourceLocation: sourceLocation)
            }
            expectLine("N001", "amount_mismatch", batch: short.id)
            expectLine("N002", "name_or_account_mismatch", batch: otherName.id)
            expectLine("N003", "duplicate_payment", batch: settled.id)
            expectLine("N004", "ambiguous", batch: nil)
            expectLine("N005", "no_batch", batch: nil)
            expectLine("N006", "not_payout", batch: nil)
            #expect(lines["N003"]?["note"] as? String == "与已全额支付的 \(settled.reference) 账户和金额相同；这笔是重复付款。")
            let ids = lines["N004"]?["candidateBatchIds"] as? [String] ?? []
            let references = lines["N004"]?["candidateReferences"] as? [String] ?? []
            #expect(Set(ids) == [twinA.id, twinB.id])
            #expect(references == ids.map { $0 == twinA.id ? twinA.reference : twinB.reference })
            let ambiguousNote = lines["N004"]?["note"] as? String ?? ""
            #expect(ambiguousNote.contains(twinA.reference) && ambiguousNote.contains(twinB.reference) && !ambiguousNote.contains(twinA.id))
            #expect(lines["N005"]?["note"] as? String == "备注写明批次 \(unrecordedReference)，但该批次的转账尚未登记；登记转账后重新对账，即可与它核对。")

            // paid_no_receipt: the short batch for the one fen no receipt shows, the twins (the ambiguous receipt is one
            // person's decision away); never the wrong-name batch or the settled one.
            let unpaid = report.json["unpaidBatches"] as? [[String: Any]] ?? []
            #expect(Set(unpaid.compactMap { $0["batchId"] as? String }) == [short.id, twinA.id, twinB.id], "\(unpaid)")
            let shortRow = unpaid.first { $0["batchId"] as? String == short.id }
            #expect((shortRow?["exceptionFen"] as? NSNumber)?.int64Value == short.totalFen - 1)
            #expect((shortRow?["uncoveredFen"] as? NSNumber)?.int64Value == 1)
            let totals = world.totals(report)
            #expect(totals["amount_mismatch"]?.fen == short.totalFen - 1)
            #expect(totals["name_or_account_mismatch"]?.fen == otherName.totalFen)
            #expect(totals["duplicate_payment"]?.fen == settled.totalFen)
            #expect(totals["ambiguous"]?.fen == twinA.totalFen)
            #expect(totals["no_batch"]?.fen == 300_000)
            #expect(totals["not_payout"]?.fen == 50_000)
            #expect(totals["matched"]?.count == 0)
            #expect(totals["paid_no_receipt"]?.count == 3 && totals["paid_no_receipt"]?.fen == 1 + twinA.totalFen + twinB.totalFen)

            // The CSV export: the same totals per outcome, candidates by reference.
            let csv = try await world.call(
                .get, "/v1/finance/statements/\(statementID)/report?format=csv", token: try await world.platformToken(.finance))
            #expect(csv.status == .ok)
            let rows = String(decoding: csv.body.dropFirst(3), as: UTF8.self).split(separator: "\r\n")
                .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            let header = try #require(rows.first)
            let outcomeColumn = try #require(header.firstIndex(of: "outcome"))
            let amountColumn = try #require(header.firstIndex(of: "amount"))
            let candidatesColumn = try #require(header.firstIndex(of: "candidate_references"))
            var csvTotals: [String: Int64] = [:]
            for row in rows.dropFirst() { csvTotals[row[outcomeColumn], default: 0] += try Money.parse(row[amountColumn]).fen }
            for (outcome, total) in totals where total.count > 0 { #expect(csvTotals[outcome] == total.fen, "\(outcome)") }
            let ambiguousRow = rows.first { $0[outcomeColumn] == "ambiguous" }
            #expect(Set(ambiguousRow?[candidatesColumn].split(separator: " ").map(String.init) ?? []) == [twinA.reference, twinB.reference])
        }
    }

    /// Proves a GBK file with a byte that is no GBK character is refused (422 statement_encoding_unknown) naming its line and
    /// byte offset, and a 借贷标志 value that is no direction is a listed problem line (422 statement_unreadable), never read
    /// as money in; neither imports anything.
    @Test func brokenBytesAndUnknownDirectionsImportNothing() async throws {
        try await RedemptionWorld.run { world in
            let good = try Self.gbk(["起止日期：2026-11-01 至 2026-11-30", "交易日期,流水号,借贷标志,金额,对方户名", "2026-11-03,U001,借,1.00,甲"])
            let broken = good + Array("2026-11-04,U002,借,".utf8.prefix(16)) + [0xFF] + Array(",2.00,乙\r\n".utf8)
            let refused = try await world.upload(broken, filename: "broken.csv")
            #expect(refused.status == .unprocessableContent, "\(refused.json)")
            #expect(refused.code == "statement_encoding_unknown")
            #expect(refused.string("detail")?.contains("line 4, at byte offset \(good.count + 16)") == true, "\(refused.json)")

            let unknown = try await world.upload(
                try Self.gbk([
                    "交易日期,流水号,借贷标志,金额,对方户名", "2026-11-03,U001,借,1.00,甲", "2026-11-03,U002,D,2.00,乙",
                ]), filename: "unknown.csv")
            #expect(unknown.status == .unprocessableContent, "\(unknown.json)")
            #expect(unknown.code == "statement_unreadable")
            let listed = unknown.json["lines"] as? [[String: Any]] ?? []
            #expect(listed.compactMap { $0["line"] as? Int } == [3])
            #expect((listed.first?["reason"] as? String)?.hasPrefix("借贷标志 \"D\" is not a direction") == true)
            #expect(try await world.count("SELECT count(*)::int FROM bank_statements") == 0)
            #expect(try await world.count("SELECT count(*)::int FROM statement_lines") == 0)
        }
    }
}
