/// Which way money moved on the statement's own account: `debit` is money out (借/支/出, a
/// payout to a provider), `credit` money in (贷/收/入). Only debits are matched to batches.
public enum EntryDirection: String, Sendable, Hashable, Codable, CaseIterable {
    case debit
    case credit
}

/// The formats a statement can come in.
public enum StatementFormat: String, Sendable, Hashable, Codable, CaseIterable {
    /// A CSV export of the bank's electronic receipts (电子回单), UTF-8 (with or without BOM) or GBK/GB18030.
    case csv
    /// ISO 20022 `camt.053` (BankToCustomerStatement) XML.
    case camt053 = "camt.053"
}

/// One receipt (one line of a CSV, one `Ntry` of a camt.053), read exactly and never guessed.
public struct StatementEntry: Sendable, Hashable {
    /// Where it was in the file: the 1-based physical line of a CSV (of the record's first line
    /// when a quoted field spans lines), the 1-based `Ntry` index of a camt.053.
    public var lineNumber: Int
    /// The bank's serial (流水号/回单号/交易流水号; camt `AcctSvcrRef`): the dedupe key.
    public var serial: String
    /// The booking day (交易日期/记账日期; camt `BookgDt`).
    public var date: CalendarDay
    /// The time of day as printed (交易时间), `HH:mm:ss`, when the file has it.
    public var time: String?
    /// Money out (debit) or in (credit) on the own account.
    public var direction: EntryDirection
    /// The amount in fen, always positive; the direction says which way.
    public var amountFen: Int64
    /// ISO currency code (币种; `CNY` when the file does not say; 人民币/RMB read as `CNY`).
    public var currency: String
    /// 对方户名/收款人名称 (camt: the creditor of a debit, the debtor of a credit). May be empty.
    public var counterpartyName: String
    /// 对方账号/收款人账号, as printed (spaces kept). May be empty.
    public var counterpartyAccount: String
    /// 摘要/用途/附言/备注 joined with " | " when several columns exist (camt: `RmtInf/Ustrd`).
    public var memo: String
    /// 本方账号 when the line or the file names it.
    public var ownAccount: String?

    public init(
        lineNumber: Int, serial: String, date: CalendarDay, time: String? = nil, direction: EntryDirection, amountFen: Int64,
        currency: String = "CNY", counterpartyName: String, counterpartyAccount: String, memo: String, ownAccount: String? = nil
    ) {
        self.lineNumber = lineNumber
        self.serial = serial
        self.date = date
        self.time = time
        self.direction = direction
        self.amountFen = amountFen
        self.currency = currency
        self.counterpartyName = counterpartyName
        self.counterpartyAccount = counterpartyAccount
        self.memo = memo
        self.ownAccount = ownAccount
    }
}

/// A line that could not be read, with its number and a sentence saying what is wrong with it.
public struct LineProblem: Sendable, Hashable, Codable {
    /// The 1-based physical line (CSV) or `Ntry` index (camt.053).
    public var lineNumber: Int
    /// What is wrong, e.g. "金额 \"12,34.5\" is not an amount in yuan with at most two decimals."
    public var reason: String
    /// One stable code per sentence of `reason`, in order (`amount_invalid`, `day_invalid` …), so a
    /// page can say it in Chinese; empty for a problem made without codes.
    public var codes: [String]

    public init(lineNumber: Int, reason: String, codes: [String] = []) {
        self.lineNumber = lineNumber
        self.reason = reason
        self.codes = codes
    }
}

/// What a statement file held: its entries, and every line that could not be read.
///
/// The importer refuses a statement with any problem (and imports nothing), so that a person
/// fixes the file instead of the system guessing; `problems` is what it tells them.
public struct ParsedStatement: Sendable {
    public var format: StatementFormat
    /// `UTF-8`, `UTF-8 with BOM` or `GB18030` (which reads GBK and GB2312 too).
    public var encoding: String
    public var entries: [StatementEntry]
    public var problems: [LineProblem]
    /// Preamble lines before the header; blank, summary (合计, 期末余额…) and footer lines (制表人…,
    /// page numbers) and repeated headers after it (`StatementRowKind`).
    public var skippedLineCount: Int
    /// 本方账号 when the file names one account for all its lines (a preamble line or camt `Acct`).
    public var ownAccount: String?
    /// The period the statement covers: camt `FrToDt`; a CSV's preamble (起止日期, 查询期间…), else
    /// its first and last entry day.
    public var periodFrom: CalendarDay?
    public var periodTo: CalendarDay?

    public init(
        format: StatementFormat, encoding: String, entries: [StatementEntry], problems: [LineProblem], skippedLineCount: Int,
        ownAccount: String? = nil, periodFrom: CalendarDay? = nil, periodTo: CalendarDay? = nil
    ) {
        self.format = format
        self.encoding = encoding
        self.entries = entries
        self.problems = problems
        self.skippedLineCount = skippedLineCount
        self.ownAccount = ownAccount
        self.periodFrom = periodFrom
        self.periodTo = periodTo
    }
}
