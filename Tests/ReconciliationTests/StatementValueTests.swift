import Foundation
import Reconciliation
import Testing

/// Values: every amount, day and direction form banks print is read exactly, everything else is
/// a problem on its line.
@Suite struct StatementValueTests {
    @Test(arguments: [
        ("1,234.56", Int64(123_456), EntryDirection.credit),
        ("-1234.56", 123_456, .debit),
        ("1234.5", 123_450, .credit),
        ("¥1,234.56", 123_456, .credit),
        ("￥1,234.56", 123_456, .credit),
        ("-￥1,234.56", 123_456, .debit),
        ("0.01", 1, .credit),
        ("=\"-20.00\"", 2_000, .debit),
    ])
    func amountFormsAreReadBySign(text: String, fen: Int64, direction: EntryDirection) throws {
        // Proves each printed amount becomes exact fen, and without a direction column the sign decides.
        let row = "X1,2026-11-03,\"\(text.replacingOccurrences(of: "\"", with: "\"\""))\""
        let statement = try StatementFixture.single(header: "流水号,交易日期,金额", row: row)
        #expect(statement.problems == [])
        #expect(statement.entries.map(\.amountFen) == [fen])
        #expect(statement.entries.map(\.direction) == [direction])
    }

    @Test(arguments: ["1.234", "12a", "0", "0.00", "-0.00", "12,34.5", "1 234.56", "+5", "1e3", "(100.00)", "CNY 5"])
    func amountsThatAreNotExactAreProblems(text: String) throws {
        // Proves more than two decimals, letters, zero, bad grouping and empty amounts are reported on their line.
        let statement = try StatementFixture.parse("流水号,交易日期,金额\nX0,2026-11-03,-1.00\nX1,2026-11-03,\"\(text)\"\n")
        #expect(statement.entries.map(\.serial) == ["X0"])
        #expect(statement.problems.map(\.lineNumber) == [3])
        #expect(statement.problems.first?.reason.hasPrefix("金额") == true)
    }

    @Test(arguments: [
        ("2026-11-03", "2026-11-03", nil as String?),
        ("2026/11/03", "2026-11-03", nil),
        ("2026/1/3", "2026-01-03", nil),
        ("20261103", "2026-11-03", nil),
        ("2026年11月03日", "2026-11-03", nil),
        ("2026年1月3日", "2026-01-03", nil),
        ("2026-11-03 10:22:05", "2026-11-03", "10:22:05"),
        ("2026/11/03 9:05:00", "2026-11-03", "09:05:00"),
        ("2024-02-29", "2024-02-29", nil),
    ])
    func dayFormsAreRead(text: String, iso: String, time: String?) throws {
        // Proves each day form (and a time in the same cell) is read when there is no time column.
        let statement = try StatementFixture.single(header: "流水号,交易日期,金额", row: "X1,\(text),-1.00")
        #expect(statement.entries.map(\.date) == [StatementFixture.day(iso)])
        #expect(statement.entries.first?.time == time)
    }

    @Test(arguments: ["2026-13-01", "2026-02-30", "03/11/2026", "2026.11.03", "Nov 3 2026", "26-11-03", "2026-11-03 25:00:00", "2026-11"])
    func daysThatAreNotDaysAreProblems(text: String) throws {
        // Proves impossible days, day-first and two-digit years, other separators and bad times are reported.
        let statement = try StatementFixture.parse("流水号,交易日期,金额\nX1,\(text),-1.00\nX2,2026-11-03,-1.00\n")
        #expect(statement.entries.map(\.serial) == ["X2"])
        #expect(statement.problems.map(\.lineNumber) == [2])
        #expect(statement.problems.first?.reason.hasPrefix("交易日期") == true)
    }

    @Test func timeColumnIsNormalisedAndChecked() throws {
        // Proves 交易时间 accepts HH:mm:ss, HHmmss and a same-day timestamp, and reports others.
        let statement = try StatementFixture.parse(
            """
            流水号,交易日期,交易时间,金额
            X1,2026-11-03,10:22:05,-1.00
            X2,2026-11-03,102205,-1.00
            X3,2026-11-03,2026-11-03 10:22:05,-1.00
            X4,2026-11-03,,-1.00
            X5,2026-11-03,10:61:00,-1.00
            X6,2026-11-03,2026-11-04 10:22:05,-1.00

            """)
        #expect(statement.entries.map(\.time) == ["10:22:05", "10:22:05", "10:22:05", nil])
        #expect(statement.problems.map(\.lineNumber) == [6, 7])
    }

    @Test func directionValuesAndSignsMustAgree() throws {
        // Proves 借/支/出/借方/支出 are money out, 贷/收/入/贷方/收入 money in, a minus agrees with money out only,
        // and an unknown or empty direction is a problem.
        let statement = try StatementFixture.parse(
            """
            流水号,交易日期,借贷方向,金额
            D1,2026-11-03,借,1.00
            D2,2026-11-03,支,1.00
            D3,2026-11-03,出,1.00
            D4,2026-11-03,借方,1.00
            D5,2026-11-03,支出,-1.00
            C1,2026-11-03,贷,1.00
            C2,2026-11-03,收,1.00
            C3,2026-11-03,入,1.00
            C4,2026-11-03,贷方,1.00
            C5,2026-11-03,收入,1.00
            P1,2026-11-03,贷,-1.00
            P2,2026-11-03,转,1.00
            P3,2026-11-03,,1.00

            """)
        #expect(statement.entries.map(\.serial) == ["D1", "D2", "D3", "D4", "D5", "C1", "C2", "C3", "C4", "C5"])
        #expect(statement.entries.map(\.direction) == Array(repeating: .debit, count: 5) + Array(repeating: .credit, count: 5))
        #expect(statement.entries.allSatisfy { $0.amountFen == 100 })
        #expect(statement.problems.map(\.lineNumber) == [12, 13, 14])
        #expect(statement.problems.first?.reason.contains("disagree") == true)
    }

    @Test func debitAndCreditColumnsNeedExactlyOneAmount() throws {
        // Proves separate 借方/贷方 columns give the direction, "-" or 0 counts as empty, and both or neither filled
        // (or a negative one, or a direction column that disagrees) is a problem.
        let statement = try StatementFixture.parse(
            """
            流水号,交易日期,借方发生额（支取）,贷方发生额（收入）,借贷方向
            D1,2026-11-03,"1,000.00",,
            C1,2026-11-03,-,200.50,
            C2,2026-11-03,0.00,3.00,贷
            P1,2026-11-03,1.00,2.00,
            P2,2026-11-03,,0,
            P3,2026-11-03,-1.00,,
            P4,2026-11-03,1.00,,贷

            """)
        #expect(statement.entries.map(\.serial) == ["D1", "C1", "C2"])
        #expect(statement.entries.map(\.direction) == [.debit, .credit, .credit])
        #expect(statement.entries.map(\.amountFen) == [100_000, 20_050, 300])
        #expect(statement.problems.map(\.lineNumber) == [5, 6, 7, 8])
    }

    @Test func emptyAmountOrDayOnAReceiptIsAProblem() throws {
        // Proves a receipt row with an empty amount or day is reported, not skipped (narrow rows too: StatementSummaryRowTests).
        let statement = try StatementFixture.parse("流水号,交易日期,金额,对方户名,摘要\nX1,2026-11-03,,甲,付款\nX2,,-1.00,乙,付款\n")
        #expect(statement.problems.map(\.lineNumber) == [2, 3])
        #expect(
            statement.problems.map(\.reason) == [
                "金额 is empty; every receipt needs its amount.",
                "交易日期 is empty; write it as 2026-11-03, 2026/11/03, 20261103 or 2026年11月03日.",
            ])
    }

    @Test func emptySerialIsAProblem() throws {
        // Proves a row without a serial is reported, not given one.
        let statement = try StatementFixture.parse("流水号,交易日期,金额,对方户名\n,2026-11-03,-1.00,甲\nX2,2026-11-03,-1.00,乙\n")
        #expect(statement.problems.map(\.lineNumber) == [2])
        #expect(statement.problems.first?.reason.contains("流水号 is empty") == true)
    }
}
