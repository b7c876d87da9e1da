import Reconciliation
import Testing

/// Statements as banks write them (issue 20): a direction column with unsigned amounts, 收入金额 /
/// 支出金额 columns, the period in the preamble. Each file is read from GBK bytes and its lines
/// matched, so every test names the outcome of every line.
@Suite struct StatementBankLayoutTests {
    static let payee = (name: "上海某某诊所有限公司", account: "6228480098765432101")
    static let batch = PaidBatch(
        id: "b1", reference: "RB7KX2M4QZ5A", payeeName: payee.name, payeeNumber: payee.account, totalFen: 123_456,
        transferDate: StatementFixture.day("2026-11-03"), bankSerial: nil)

    /// The statement read from the GBK bytes of `text`.
    static func gbk(_ text: String) throws -> ParsedStatement {
        let bytes = try #require(StatementText.gb18030(text))
        let statement = try StatementParser.parse(bytes)
        #expect(statement.encoding == "GB18030")
        return statement
    }

    /// Each entry's outcome by line number: credits are not payouts; debits as the matcher decides.
    static func outcomes(_ statement: ParsedStatement, batches: [PaidBatch] = [batch]) -> [Int: Outcome] {
        let debits = statement.entries.filter { $0.direction == .debit }
        let receipts = debits.map {
            Receipt(
                id: "\($0.lineNumber)", serial: $0.serial, date: $0.date, amountFen: $0.amountFen, counterpartyName: $0.counterpartyName,
                counterpartyAccount: $0.counterpartyAccount, memo: $0.memo, currency: $0.currency)
        }
        var result: [Int: Outcome] = [:]
        for entry in statement.entries where entry.direction == .credit { result[entry.lineNumber] = .notPayout }
        for decision in Matcher.match(receipts: receipts, batches: batches, policy: .standard) {
            result[Int(decision.receiptID) ?? 0] = decision.outcome
        }
        return result
    }

    @Test(arguments: ["借贷标志", "借/贷", "借贷", "收支标志", "借贷方向", "借 / 贷 标识", "收付标志"])
    func aDirectionColumnDecidesUnsignedAmounts(header: String) throws {
        // Proves a direction column under each of these headers is read by its value: 借 1,234.56 is a payout
        // (matched), 贷 a credit (not_payout); it was read as a credit before (issue 20, item 1).
        let (out, inn) = header.contains("收") ? ("支", "收") : ("借", "贷")
        let statement = try Self.gbk(
            """
            中国工商银行 账户明细
            账号：6228480012345678901
            交易日期,流水号,\(header),交易金额,对方户名,对方账号,摘要
            2026-11-03,S001,\(out),"1,234.56",\(Self.payee.name),\(Self.payee.account),RB7KX2M4QZ5A
            2026-11-04,S002,\(inn),500.00,张三,6222020200001234567,退款

            """)
        #expect(statement.problems == [])
        #expect(statement.entries.map(\.direction) == [.debit, .credit])
        #expect(statement.entries.map(\.amountFen) == [123_456, 50_000])
        #expect(Self.outcomes(statement) == [4: .matched, 5: .notPayout])
    }

    @Test func anUnknownDirectionIsAProblemNeverAGuess() throws {
        // Proves a direction value that is neither 借/支/出 nor 贷/收/入 (D, 1, empty) makes its line a problem
        // naming the column, while the other lines are read.
        let statement = try Self.gbk(
            """
            交易日期,流水号,借贷标志,金额,对方户名
            2026-11-03,S001,借,1.00,甲
            2026-11-03,S002,D,2.00,乙
            2026-11-03,S003,1,3.00,丙
            2026-11-03,S004,,4.00,丁

            """)
        #expect(statement.entries.map(\.serial) == ["S001"])
        #expect(statement.problems.map(\.lineNumber) == [3, 4, 5])
        #expect(statement.problems.first?.reason == "借贷标志 \"D\" is not a direction; write 借 (or 支, 出) for money out and 贷 (or 收, 入) for money in.")
        #expect(statement.problems.last?.reason.hasPrefix("借贷标志 is empty") == true)
    }

    @Test func incomeAndExpenseColumnsAreRead() throws {
        // Proves the 收入金额 / 支出金额 layout (issue 20, item 2): 支出 is a payout, 收入 a credit, both filled or both
        // empty is a problem; with 收支 as well, the two must agree.
        let statement = try Self.gbk(
            """
            记账日期,交易时间,交易流水号,支出金额(元),收入金额(元),余额,对方户名,对方账号,用途
            2026-11-03,10:22:05,S001,"1,234.56",,"9,000.00",\(Self.payee.name),\(Self.payee.account),兑付 RB7KX2M4QZ5A
            2026-11-04,09:00:00,S002,,500.00,"9,500.00",张三,6222020200001234567,退款
            2026-11-05,09:00:00,S003,1.00,1.00,"9,500.00",李四,6222020200001234568,
            收入合计,,,,500.00,,,,
            支出合计,,,"1,234.56",,,,,

            """)
        #expect(statement.entries.map(\.direction) == [.debit, .credit])
        #expect(statement.entries.first?.time == "10:22:05")
        #expect(statement.problems.map(\.lineNumber) == [4])
        #expect(statement.skippedLineCount == 2)
        #expect(Self.outcomes(statement) == [2: .matched, 3: .notPayout])

        let agreeing = try Self.gbk("流水号,交易日期,收支,收入,支出\nS1,2026-11-03,支,,1.00\nS2,2026-11-03,收,1.00,\nS3,2026-11-03,收,,1.00\n")
        #expect(agreeing.entries.map(\.direction) == [.debit, .credit])
        #expect(agreeing.problems.map(\.lineNumber) == [4])
    }

    @Test(arguments: [
        ("起止日期：2026-11-01 至 2026-11-30", "2026-11-01", "2026-11-30"),
        ("查询期间,2026/11/01-2026/11/30", "2026-11-01", "2026-11-30"),
        ("交易期间：20261101 - 20261130", "2026-11-01", "2026-11-30"),
        ("起 止 日 期:2026-11-01-2026-11-30", "2026-11-01", "2026-11-30"),
        ("查询日期：2026年11月01日至2026年11月30日,打印日期：2026-12-01", "2026-11-01", "2026-11-30"),
        ("起止时间,2026-11-01 00:00:00 ~ 2026-11-30 23:59:59", "2026-11-01", "2026-11-30"),
    ])
    func thePeriodComesFromThePreamble(preamble: String, from: String, to: String) throws {
        // Proves the bank's period in the preamble is the statement's period (issue 20, item 4), not the first and last receipt.
        let statement = try Self.gbk("某某银行对账单\n\(preamble)\n流水号,交易日期,金额\nX1,2026-11-10,-1.00\nX2,2026-11-12,-2.00\n")
        #expect(statement.periodFrom == StatementFixture.day(from))
        #expect(statement.periodTo == StatementFixture.day(to))
    }

    @Test func withoutAClearPeriodTheEntriesBoundIt() throws {
        // Proves a single day (查询日期), two different periods, or days in the wrong order are not taken, so the first and last
        // entry bound the period; an entry outside a stated period widens it.
        let rows = "流水号,交易日期,金额\nX1,2026-11-10,-1.00\nX2,2026-11-12,-2.00\n"
        for preamble in [
            "查询日期：2026-11-30", "起止日期：2026-11-01 至 2026-11-30\n查询期间：2026-10-01 至 2026-10-31",
            "起止日期：2026-11-30 至 2026-11-01", "起止日期：见附件",
        ] {
            let statement = try Self.gbk(preamble + "\n" + rows)
            #expect(statement.periodFrom == StatementFixture.day("2026-11-10"), "\(preamble)")
            #expect(statement.periodTo == StatementFixture.day("2026-11-12"), "\(preamble)")
        }
        let wider = try Self.gbk("起止日期：2026-11-11 至 2026-11-30\n" + rows)
        #expect(wider.periodFrom == StatementFixture.day("2026-11-10") && wider.periodTo == StatementFixture.day("2026-11-30"))
    }

    @Test func aFileThatBreaksSaysWhere() throws {
        // Proves a GBK file with one byte that is no GBK character is refused naming its line and byte offset (issue 20, item 6).
        let good = try #require(StatementText.gb18030("流水号,交易日期,金额\nX1,2026-11-10,-1.00\n"))
        let broken = good + Array("X2,2026-11-12,-2.00,".utf8) + [0xFF] + Array("\n".utf8)
        let offset = good.count + 20
        #expect(StatementFixture.error(broken) == .undecodable(line: 3, byteOffset: offset))
        #expect(StatementError.undecodable(line: 3, byteOffset: offset).detail.contains("line 3, at byte offset \(offset)"))
    }
}
