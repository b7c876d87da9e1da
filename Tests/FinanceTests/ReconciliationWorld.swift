import API
import Foundation
import HTTPTypes
import PostgresNIO
import Reconciliation
import TestSupport
import Testing
import VoucherServices

/// A batch whose transfer the operator recorded, as the reconciliation tests need it.
struct PaidBatchInfo: Sendable {
    let id: String
    let reference: String
    let totalFen: Int64
}

/// One receipt of a statement the test builds (a CSV line of a bank's 电子回单 export).
struct ReceiptLine: Sendable {
    var serial: String
    var date: String
    var direction = "借"
    /// Yuan as the bank prints it, e.g. `3,000.00`.
    var amount: String
    var name = RedemptionWorld.providerName
    var account = RedemptionWorld.abcNumber
    var memo = ""
}

/// Statements as Chinese banks export them: a preamble, a header with Chinese names, a summary line.
enum StatementFile {
    static let header = "交易日期,交易时间,流水号,借贷方向,金额,对方户名,对方账号,摘要"

    /// The CSV text (lines joined with CRLF, as banks do).
    static func csv(_ lines: [ReceiptLine], account: String = "11010101040012345") -> String {
        var rows = ["中国农业银行电子回单导出", "本方账号：\(account)", header]
        for line in lines {
            let amount = line.amount.contains(",") ? "\"\(line.amount)\"" : line.amount
            rows.append([line.date, "10:00:00", line.serial, line.direction, amount, line.name, line.account, line.memo].joined(separator: ","))
        }
        rows.append("合计,,,,,,,")
        return rows.joined(separator: "\r\n") + "\r\n"
    }

    static func utf8(_ lines: [ReceiptLine]) -> [UInt8] { Array(csv(lines).utf8) }

    /// `yyyy` yuan text of fen: `300000` → `3000.00`.
    static func yuan(_ fen: Int64) -> String { "\(fen / 100).\(String(format: "%02d", fen % 100))" }
}

extension RedemptionWorld {
    /// A diagnostic batch of one usage (30 % of `priceFen`) driven through the approvals chain,
    /// with the transfer recorded for its full total on `transferDate`.
    func paidBatch(
        priceFen: Int64, payee: String, transferDate: String, bankSerial: String? = nil, provider: String = Self.provider
    ) async throws -> PaidBatchInfo {
        let usages = try await completedUsages(pricesFen: [priceFen], provider: provider)
        let submitted = try await submit(usages, payee: payee, org: provider)
        #expect(submitted.status == .created, "\(submitted.json)")
        let id = try #require(submitted.string("id"))
        let reference = try #require(submitted.string("reference"))
        let totalFen = try #require(submitted.fen("totalFen"))
        try await approveChain(try #require(submitted.string("approvalId")))
        try await recordTransfer(id, amountFen: totalFen, date: transferDate, bankSerial: bankSerial ?? "OP" + String(id.suffix(10)))
        return PaidBatchInfo(id: id, reference: reference, totalFen: totalFen)
    }

    func recordTransfer(_ id: String, amountFen: Int64, date: String, bankSerial: String) async throws {
        let transfer = try await call(
            .post, "/v1/redemption/batches/\(id)/transfer", token: try await platformToken(.operator),
            json: [
                "amountFen": amountFen, "payerName": "数字化转型专项资金专户", "payerAccount": "11010101040012345", "date": date,
                "bankSerial": bankSerial,
            ])
        #expect(transfer.string("state") == "awaiting_confirmation", "\(transfer.json)")
    }

    /// Uploads a statement as finance (or `token`).
    func upload(_ bytes: [UInt8], filename: String = "statement.csv", token: String? = nil) async throws -> Answer {
        let bearer = if let token { token } else { try await platformToken(.finance) }
        return try await call(.post, "/v1/finance/statements?filename=\(filename)", token: bearer, raw: bytes)
    }

    func report(_ statementID: String) async throws -> Answer {
        try await call(.get, "/v1/finance/statements/\(statementID)/report", token: try await platformToken(.finance))
    }

    /// The report's lines by serial.
    func linesBySerial(_ report: Answer) -> [String: [String: Any]] {
        var lines: [String: [String: Any]] = [:]
        for line in report.json["lines"] as? [[String: Any]] ?? [] {
            if let serial = line["serial"] as? String { lines[serial] = line }
        }
        return lines
    }

    /// `{outcome: {count, amountFen}}` of an import result or a report, as (count, fen).
    func totals(_ answer: Answer) -> [String: (count: Int, fen: Int64)] {
        var result: [String: (Int, Int64)] = [:]
        for (outcome, value) in answer.json["totals"] as? [String: [String: Any]] ?? [:] {
            result[outcome] = ((value["count"] as? NSNumber)?.intValue ?? -1, (value["amountFen"] as? NSNumber)?.int64Value ?? -1)
        }
        return result
    }

    /// A digest of every reconciliation table's rows, to prove a request changed nothing.
    func reconciliationFingerprint() async throws -> String {
        var parts: [String] = []
        for table in ["bank_statements", "statement_lines", "statement_entries", "reconciliation_audit"] {
            for try await digest in try await postgres.query(
                PostgresQuery(
                    unsafeSQL: """
                        SELECT coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '-') FROM \(table) t
                        """)
            ).decode(String.self) {
                parts.append("\(table)=\(digest)")
            }
        }
        return parts.joined(separator: " ")
    }
}
