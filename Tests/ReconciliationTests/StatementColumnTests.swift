import Reconciliation
import Testing

/// Header aliases: every spelling of every column we accept is found, with units in brackets
/// ignored, and memo columns joined in header order.
@Suite struct StatementColumnTests {
    @Test(arguments: ["流水号", "回单号", "交易流水号", "回单编号", " 流水号 ", "流水号（银行）"])
    func everySerialAliasIsFound(alias: String) throws {
        // Proves each serial header (trimmed, brackets ignored) names the serial column.
        let statement = try StatementFixture.single(header: "\(alias),交易日期,金额", row: "X1,2026-11-03,-1.00")
        #expect(statement.entries.map(\.serial) == ["X1"])
    }

    @Test(arguments: ["交易日期", "记账日期", "记账日期(北京时间)"])
    func everyDateAliasIsFound(alias: String) throws {
        // Proves each date header names the booking-day column.
        let statement = try StatementFixture.single(header: "流水号,\(alias),金额", row: "X1,2026-11-03,-1.00")
        #expect(statement.entries.map(\.date) == [StatementFixture.day("2026-11-03")])
    }

    @Test(arguments: ["金额", "发生额", "交易金额", "金额(元)", "金额（元）", "交易金额（人民币元）"])
    func everyAmountAliasIsFound(alias: String) throws {
        // Proves each amount header, with or without a unit in brackets, names the amount column.
        let statement = try StatementFixture.single(header: "流水号,交易日期,\(alias)", row: "X1,2026-11-03,-12.30")
        #expect(statement.entries.map(\.amountFen) == [1_230])
    }

    @Test(arguments: ["对方户名", "收款人名称", "对方名称", "对方账户名称"])
    func everyCounterpartyNameAliasIsFound(alias: String) throws {
        // Proves each counterparty-name header fills counterpartyName.
        let statement = try StatementFixture.single(header: "流水号,交易日期,金额,\(alias)", row: "X1,2026-11-03,-1.00,某某诊所")
        #expect(statement.entries.map(\.counterpartyName) == ["某某诊所"])
    }

    @Test(arguments: ["对方账号", "收款人账号", "对方账户"])
    func everyCounterpartyAccountAliasIsFound(alias: String) throws {
        // Proves each counterparty-account header fills counterpartyAccount, inner spaces kept as printed.
        let statement = try StatementFixture.single(header: "流水号,交易日期,金额,\(alias)", row: "X1,2026-11-03,-1.00,6228 4800 1234")
        #expect(statement.entries.map(\.counterpartyAccount) == ["6228 4800 1234"])
    }

    @Test(arguments: ["摘要", "用途", "附言", "备注"])
    func everyMemoAliasIsFound(alias: String) throws {
        // Proves each memo header alone fills memo.
        let statement = try StatementFixture.single(header: "流水号,交易日期,金额,\(alias)", row: "X1,2026-11-03,-1.00,RB0000000001")
        #expect(statement.entries.map(\.memo) == ["RB0000000001"])
    }

    @Test func severalMemoColumnsAreJoinedInHeaderOrder() throws {
        // Proves 备注, 摘要, 附言 and 用途 are joined with " | " in header order, empty ones left out.
        let statement = try StatementFixture.single(
            header: "备注,流水号,摘要,交易日期,附言,金额,用途", row: "四,X1,一,2026-11-03,,-1.00,三")
        #expect(statement.entries.map(\.memo) == ["四 | 一 | 三"])
    }

    @Test(arguments: ["借贷方向", "收支方向"])
    func everyDirectionAliasIsFound(alias: String) throws {
        // Proves each direction header decides the direction of a positive amount.
        let statement = try StatementFixture.parse("流水号,交易日期,金额,\(alias)\nX1,2026-11-03,1.00,支\nX2,2026-11-03,1.00,收\n")
        #expect(statement.entries.map(\.direction) == [.debit, .credit])
    }

    @Test func ownAccountAndCurrencyColumnsAreRead() throws {
        // Proves 本方账号 fills each entry's and the file's own account, and 币种 normalises 人民币/RMB/cny to CNY.
        let statement = try StatementFixture.parse(
            """
            流水号,交易日期,金额,本方账号,币种
            X1,2026-11-03,-1.00,6228480012345678901,人民币
            X2,2026-11-03,-1.00,6228480012345678901,RMB
            X3,2026-11-03,-1.00,6228480012345678901,cny
            X4,2026-11-03,-1.00,6228480012345678901,usd
            X5,2026-11-03,-1.00,6228480012345678901,

            """)
        #expect(statement.entries.map(\.currency) == ["CNY", "CNY", "CNY", "USD", "CNY"])
        #expect(statement.entries.allSatisfy { $0.ownAccount == "6228480012345678901" })
        #expect(statement.ownAccount == "6228480012345678901")
    }

    @Test func combinedTimeColumnServesAsTheDayWhenThereIsNoDateColumn() throws {
        // Proves 交易时间 holding "2026-11-03 10:22:05" gives the day and the time when no date column exists.
        let statement = try StatementFixture.single(header: "流水号,交易时间,金额", row: "X1,2026-11-03 10:22:05,-1.00")
        #expect(statement.entries.first?.date == StatementFixture.day("2026-11-03"))
        #expect(statement.entries.first?.time == "10:22:05")
    }

    @Test func aRowWithoutTheNeededColumnsIsNoHeader() {
        // Proves a serial and a date without an amount (or with only 借方发生额) is not a header.
        #expect(StatementFixture.error("流水号,交易日期,对方户名\nX1,2026-11-03,甲\n")?.code == "statement_not_recognised")
        #expect(StatementFixture.error("流水号,交易日期,借方发生额\nX1,2026-11-03,1.00\n")?.code == "statement_not_recognised")
    }
}
