import Reconciliation

/// Builders shared by the statement-reading tests: bytes from text, days, and the error a file gives.
enum StatementFixture {
    /// A typical ABC export: a preamble with the account, a header with units and two memo
    /// columns, a payout, a refund received, and a total line.
    static let abcExport = """
        中国农业银行 账户明细查询
        账号：6228480012345678901
        户名：某某科技有限公司
        交易日期,交易时间,流水号,借贷方向,金额(元),对方户名,对方账号,摘要,用途
        2026-11-03,10:22:05,S001,借,"1,234.56",上海某某诊所有限公司,6228480098765432101,RB0000000001,付款
        2026-11-04,09:00:00,S002,贷,500.00,张三,6222020200001234567,退款,
        合计,,,,"1,734.56",,,,

        """

    /// The entries `abcExport` holds.
    static let abcEntries = [
        StatementEntry(
            lineNumber: 5, serial: "S001", date: day("2026-11-03"), time: "10:22:05", direction: .debit, amountFen: 123_456,
            counterpartyName: "上海某某诊所有限公司", counterpartyAccount: "6228480098765432101", memo: "RB0000000001 | 付款",
            ownAccount: "6228480012345678901"),
        StatementEntry(
            lineNumber: 6, serial: "S002", date: day("2026-11-04"), time: "09:00:00", direction: .credit, amountFen: 50_000,
            counterpartyName: "张三", counterpartyAccount: "6222020200001234567", memo: "退款", ownAccount: "6228480012345678901"),
    ]

    static func day(_ iso: String) -> CalendarDay {
        guard let day = CalendarDay(iso: iso) else { preconditionFailure("not a day: \(iso)") }
        return day
    }

    /// Parses UTF-8 text.
    static func parse(_ text: String) throws(StatementError) -> ParsedStatement {
        try StatementParser.parse(Array(text.utf8))
    }

    /// The error reading `bytes` gives, or nil when it reads.
    static func error(_ bytes: [UInt8]) -> StatementError? {
        do {
            _ = try StatementParser.parse(bytes)
            return nil
        } catch {
            return error
        }
    }

    static func error(_ text: String) -> StatementError? { error(Array(text.utf8)) }

    /// A one-row statement with `header` and `row`, for tests of single columns and values.
    static func single(header: String, row: String) throws(StatementError) -> ParsedStatement {
        try parse(header + "\n" + row + "\n")
    }
}
