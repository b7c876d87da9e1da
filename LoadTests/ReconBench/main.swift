import ArgumentParser
import Foundation
import Reconciliation
import VoucherCore

/// Generates the reconciliation benchmark's fixtures (ops/bench-reconcile runs it): a table of
/// batches with recorded transfers for PostgreSQL and the bank statement that pays them, with a
/// known share of every outcome, so the benchmark checks what it measures.
@main
struct ReconBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recon-bench",
        abstract: "Write batches.csv, statement.csv (GB18030), statement-utf8.csv and expected.json for ops/bench-reconcile.")

    @Option(help: "Redemption batches with a recorded transfer.") var batches = 50_000
    @Option(help: "Lines of the statement (at least 1.2 × batches).") var lines = 100_000
    @Option(help: "Folder to write into (or, with --profile, to read the fixtures from).") var out: String
    @Flag(
        help:
            ArgumentHelp(
                "Instead of writing fixtures: time parsing the folder's statement.csv and matching it against batches.csv, "
                    + "in process, without PostgreSQL.")
    )
    var profile = false

    /// Batches per payee (one ABC account per provider organisation).
    static let batchesPerProvider = 100
    static let batchesMax = 1_000_000
    static let linesMax = 2_000_000

    mutating func run() throws {
        guard (100...Self.batchesMax).contains(batches) else { throw ValidationError("--batches must be 100...\(Self.batchesMax)") }
        guard lines >= batches * 6 / 5, lines <= Self.linesMax else { throw ValidationError("--lines must be 1.2 × batches ... \(Self.linesMax)") }
        let plan = Plan(batches: batches, lines: lines)
        if profile { return try Self.profile(folder: out, plan: plan) }
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try Data(plan.batchesCSV().utf8).write(to: URL(fileURLWithPath: "\(out)/batches.csv"))
        let rows = plan.statementRows()
        let utf8 = rows.map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n"
        try Data(utf8.utf8).write(to: URL(fileURLWithPath: "\(out)/statement-utf8.csv"))
        let bank = plan.preamble + Plan.header + "\n" + utf8 + "合计,,,,,,,,,\n"
        guard let gbk = StatementText.gb18030(bank) else { throw ValidationError("iconv could not write GB18030") }
        try Data(gbk).write(to: URL(fileURLWithPath: "\(out)/statement.csv"))
        let expected = try JSONSerialization.data(withJSONObject: plan.expected, options: [.sortedKeys])
        try expected.write(to: URL(fileURLWithPath: "\(out)/expected.json"))
        print("providers=\(plan.providers) batches=\(batches) lines=\(rows.count) bytes=\(gbk.count)")
    }
}

extension ReconBench {
    /// Where the import's time goes outside PostgreSQL: parsing (decode + CSV) and matching.
    static func profile(folder: String, plan: Plan) throws {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: "\(folder)/statement.csv")))
        let clock = ContinuousClock()
        var parsed: ParsedStatement?
        let parseTime = try clock.measure { parsed = try StatementParser.parse(bytes) }
        guard let parsed, parsed.problems.isEmpty else { throw ValidationError("the statement has problems") }
        let receipts = parsed.entries.filter { $0.direction == .debit }.map {
            Receipt(
                id: $0.serial, serial: $0.serial, date: $0.date, amountFen: $0.amountFen, counterpartyName: $0.counterpartyName,
                counterpartyAccount: $0.counterpartyAccount, memo: $0.memo)
        }
        let batches = (1...plan.batches).map { index in
            let provider = Plan.provider(of: index, plan.providers)
            return PaidBatch(
                id: "rb_bench_\(index)", reference: Plan.reference(index), payeeName: Plan.payeeName(provider),
                payeeNumber: Plan.payeeNumber(provider), totalFen: Plan.totalFen(index), transferDate: Plan.transferDay(index),
                bankSerial: "OP\(index)")
        }
        var decisions: [LineDecision] = []
        let matchTime = clock.measure { decisions = Matcher.match(receipts: receipts, batches: batches, policy: .standard) }
        let matched = decisions.filter { $0.outcome == .matched }.count
        func ms(_ duration: Duration) -> Int { Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000) }
        print(
            "{\"parse_ms\":\(ms(parseTime)),\"match_ms\":\(ms(matchTime)),"
                + "\"entries\":\(parsed.entries.count),\"receipts\":\(receipts.count),\"matched\":\(matched)}"
        )
    }
}

/// Which batch gets which kind of receipt. Shares of the batches (B) and lines (L):
/// 80% paid exactly with the reference; 4% paid in two parts with it; 6% paid without a
/// reference (account and amount, booked ±1 day from the transfer); 2% paid 1 fen short; 2% paid
/// to another name; 6% not paid at all; the first 2% paid a second time. Plus 0.2 B payouts to
/// unknown accounts and L − 1.2 B credits.
struct Plan {
    let batches: Int
    let lines: Int
    var providers: Int { max(1, (batches + ReconBench.batchesPerProvider - 1) / ReconBench.batchesPerProvider) }
    var exactEnd: Int { batches * 80 / 100 }
    var splitEnd: Int { exactEnd + batches * 4 / 100 }
    var accountEnd: Int { splitEnd + batches * 6 / 100 }
    var shortEnd: Int { accountEnd + batches * 2 / 100 }
    var strangerEnd: Int { shortEnd + batches * 2 / 100 }
    var duplicates: Int { batches * 2 / 100 }
    var unknownPayouts: Int { batches / 5 }

    static let header = "交易日期,交易时间,流水号,借方发生额,贷方发生额,余额,对方户名,对方账号,摘要,附言"
    static let firstDay = CalendarDay(iso: "2026-10-01")!
    static let platformAccount = "622848009900000001"

    var preamble: String {
        "中国农业银行 账户交易明细（电子回单）\n账号：\(Self.platformAccount)\n户名：数字化转型服务券平台\n起止日期：2026-10-01 至 2026-11-05\n"
    }

    /// `RB` + the batch number in hex, padded to 10, with 0/1/8/9 mapped into base32 (Q/R/S/T).
    static func reference(_ index: Int) -> String {
        let hex = String(index, radix: 16, uppercase: true)
        let padded = String(repeating: "0", count: 10 - hex.count) + hex
        return "RB" + String(padded.map { ["0": "Q", "1": "R", "8": "S", "9": "T"][$0] ?? $0 })
    }

    static func provider(of index: Int, _ providers: Int) -> Int { index % providers }
    static func payeeName(_ provider: Int) -> String { "基准服务商\(provider)有限公司" }
    static func payeeNumber(_ provider: Int) -> String {
        let digits = String(provider)
        return "62284800" + String(repeating: "0", count: 10 - digits.count) + digits
    }
    static func totalFen(_ index: Int) -> Int64 { 100_000 + Int64(index) }
    static func transferDay(_ index: Int) -> CalendarDay { CalendarDay(dayNumber: firstDay.dayNumber + index % 28)! }
    static func yuan(_ fen: Int64) -> String { Money(fen: fen).yuanText }

    /// id, reference, provider, total_fen, transfer_date, bank_serial — for psql `\copy`.
    func batchesCSV() -> String {
        var text = ""
        text.reserveCapacity(batches * 60)
        for index in 1...batches {
            text +=
                "rb_bench_\(index),\(Self.reference(index)),\(Self.provider(of: index, providers)),"
                + "\(Self.totalFen(index)),\(Self.transferDay(index)),OP\(index)\n"
        }
        return text
    }

    func statementRows() -> [[String]] {
        var rows: [[String]] = []
        rows.reserveCapacity(lines)
        var serial = 0
        func debit(_ day: CalendarDay, _ fen: Int64, _ name: String, _ account: String, _ memo: String, _ note: String = "") {
            serial += 1
            rows.append([
                "\(day)", "10:\(serial % 60 < 10 ? "0" : "")\(serial % 60):00", "BK\(serial)", Self.yuan(fen), "", "", name, account, memo, note,
            ])
        }
        for index in 1...batches {
            let provider = Self.provider(of: index, providers)
            let name = Self.payeeName(provider), account = Self.payeeNumber(provider)
            let total = Self.totalFen(index), day = Self.transferDay(index), reference = Self.reference(index)
            switch index {
            case ...exactEnd: debit(day, total, name, account, "服务券兑付", reference)
            case ...splitEnd:
                debit(day, total / 2, name, account, "服务券兑付 1/2", reference)
                debit(CalendarDay(dayNumber: day.dayNumber + 1)!, total - total / 2, name, account, "服务券兑付 2/2", reference)
            case ...accountEnd: debit(CalendarDay(dayNumber: day.dayNumber + index % 3 - 1)!, total, name, account, "服务券兑付")
            case ...shortEnd: debit(day, total - 1, name, account, "服务券兑付", reference)
            case ...strangerEnd: debit(day, total, "某某贸易有限公司", account, "服务券兑付", reference)
            default: break
            }
        }
        for index in 1...duplicates {
            let provider = Self.provider(of: index, providers)
            debit(
                CalendarDay(dayNumber: Self.transferDay(index).dayNumber + 2)!, Self.totalFen(index), Self.payeeName(provider),
                Self.payeeNumber(provider), "服务券兑付", Self.reference(index))
        }
        for index in 1...unknownPayouts {
            debit(Self.transferDay(index), 50_000 + Int64(index % 977), "外部供应商\(index % 97)", "955880\(100_000_000 + index)", "货款")
        }
        while rows.count < lines {
            serial += 1
            rows.append([
                "\(Self.transferDay(serial))", "09:00:00", "BK\(serial)", "", Self.yuan(1_000 + Int64(serial % 5_000)), "", "财政专户",
                "955880000000000001", "拨款", "",
            ])
        }
        return rows
    }

    /// What the report must say.
    var expected: [String: Int] {
        [
            "matched": accountEnd + (splitEnd - exactEnd),
            "amount_mismatch": shortEnd - accountEnd,
            "name_or_account_mismatch": strangerEnd - shortEnd,
            "duplicate_payment": duplicates,
            "no_batch": unknownPayouts,
            "ambiguous": 0,
            "not_payout": lines
                - (accountEnd + (splitEnd - exactEnd) + (shortEnd - accountEnd) + (strangerEnd - shortEnd) + duplicates + unknownPayouts),
            // Not paid at all, and paid short (for the fen no receipt shows); a batch paid to another name is not counted
            // again, its receipt shows the money (issue 20).
            "paid_no_receipt": batches - strangerEnd + (shortEnd - accountEnd),
            "providers": providers,
        ]
    }
}
