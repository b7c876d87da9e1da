import Reconciliation
import Testing

/// Layout of CSV exports: preambles, totals and blank lines are skipped and counted; quoting,
/// line breaks inside fields and Excel's wrappers are undone; line numbers stay physical.
@Suite struct StatementLayoutTests {
    @Test func typicalExportReadsWithPreambleAndTotalSkipped() throws {
        // Proves the ABC sample: three preamble lines and one 合计 line skipped, account from the preamble, period from the entries.
        let statement = try StatementFixture.parse(StatementFixture.abcExport)
        #expect(statement.format == .csv)
        #expect(statement.entries == StatementFixture.abcEntries)
        #expect(statement.problems == [])
        #expect(statement.skippedLineCount == 4)
        #expect(statement.ownAccount == "6228480012345678901")
        #expect(statement.periodFrom == StatementFixture.day("2026-11-03"))
        #expect(statement.periodTo == StatementFixture.day("2026-11-04"))
    }

    @Test func summaryAndBlankLinesAreSkippedAndCounted() throws {
        // Proves 合计, 总计, 本页合计, 累计, 共…笔, a footer label (制表人,张三) and blank lines are skipped, each counted once.
        // (制表人,张三 was skipped for filling fewer than three cells; it is skipped now as a label, with no day or amount.)
        let statement = try StatementFixture.parse(
            """
            查询日期：2026-11-30

            流水号,交易日期,金额,对方户名
            X1,2026-11-03,-1.00,甲

            本页合计,,-1.00,
            X2,2026-11-04,-2.00,乙
            合计：2笔,,-3.00,
            总计,,-3.00,
            累计,,-3.00,
            共 2 笔,,,
            ,,,
            制表人,张三,,
            \r
            """)
        #expect(statement.entries.map(\.serial) == ["X1", "X2"])
        #expect(statement.entries.map(\.lineNumber) == [4, 7])
        #expect(statement.problems == [])
        #expect(statement.skippedLineCount == 2 + 9)
    }

    @Test func headerRepeatedOnEveryPageIsSkippedAndAnotherLayoutIsAProblem() throws {
        // Proves a paged export's repeated header (and page lines) are skipped and counted, while a header with
        // the columns in other places is reported rather than read with the first layout.
        let statement = try StatementFixture.parse(
            """
            流水号,交易日期,金额,对方户名
            X1,2026-11-03,-1.00,甲
            第 2 页
            流水号 ,交易日期,金额（元）,对方户名,
            X2,2026-11-04,-2.00,乙
            交易日期,流水号,金额,对方户名
            X3,2026-11-05,-3.00,丙

            """)
        #expect(statement.entries.map(\.serial) == ["X1", "X2", "X3"])
        #expect(statement.skippedLineCount == 2)
        #expect(
            statement.problems == [
                LineProblem(
                    lineNumber: 6, reason: "This line is another header with different columns; export one layout per file.", codes: ["header_other"])
            ])
    }

    @Test func preambleAccountIsTakenOnlyWhenObvious() throws {
        // Proves 本方账号 in its own cell, 账号：… in one cell and full-width colons are read; two different accounts are not.
        let rows = "流水号,交易日期,金额\nX1,2026-11-03,-1.00\n"
        #expect(try StatementFixture.parse("本方账号,6228480012345678901\n" + rows).ownAccount == "6228480012345678901")
        #expect(try StatementFixture.parse("户名：某公司,账号:6228480012345678901\n" + rows).ownAccount == "6228480012345678901")
        #expect(try StatementFixture.parse("账　号：=\"6228480012345678901\"\n" + rows).entries.first?.ownAccount == "6228480012345678901")
        #expect(try StatementFixture.parse("账号：622848001\n账号：622848002\n" + rows).ownAccount == nil)
        #expect(try StatementFixture.parse("账号：见附件\n" + rows).ownAccount == nil)
    }

    @Test func quotedFieldsKeepCommasQuotesAndLineBreaksAndLineNumbersStayPhysical() throws {
        // Proves quoted commas, "" escapes and line breaks (LF and CRLF) stay in the field, and a record spanning
        // lines is numbered by its first line while later records keep their physical numbers.
        let text =
            "流水号,交易日期,金额,对方户名,摘要\r\n"
            + "X1,2026-11-03,-1.00,\"某某, \"\"大\"\"药房\",\"第一行\r\n第二行\n第三行\"\r\n"
            + "X2,2026-11-04,-2.00,乙,\"a,b\"\r\n"
            + "  X3  , 2026-11-05 ,  \"-3.00\"  ,丙,\r\n"
        let statement = try StatementParser.parse(Array(text.utf8))
        #expect(statement.problems == [])
        #expect(statement.entries.map(\.lineNumber) == [2, 5, 6])
        #expect(statement.entries.first?.counterpartyName == "某某, \"大\"药房")
        #expect(statement.entries.first?.memo == "第一行\r\n第二行\n第三行")
        #expect(statement.entries.map(\.serial) == ["X1", "X2", "X3"])
        #expect(statement.entries.map(\.amountFen) == [100, 200, 300])
    }

    @Test func excelWrappersAroundLongNumbersAreRemoved() throws {
        // Proves ="000123", "=""000123""", a leading apostrophe and a leading tab are stripped, digits kept as printed.
        let statement = try StatementFixture.parse(
            #"""
            流水号,交易日期,金额,对方账号
            ="000123",2026-11-03,-1.00,="6228480098765432101"
            "=""000124""",2026-11-03,-1.00,'6228480098765432101
            '000125,2026-11-03,-1.00,\#t6228480098765432101

            """#)
        #expect(statement.problems == [])
        #expect(statement.entries.map(\.serial) == ["000123", "000124", "000125"])
        #expect(statement.entries.allSatisfy { $0.counterpartyAccount == "6228480098765432101" })
    }

    @Test func fileWithoutFinalLineBreakAndWithTrailingCommasReads() throws {
        // Proves a last line without a line break is read and empty trailing fields do not count as extra columns.
        let statement = try StatementFixture.parse("流水号,交易日期,金额\nX1,2026-11-03,-1.00,,\nX2,2026-11-04,-2.00")
        #expect(statement.entries.map(\.serial) == ["X1", "X2"])
        #expect(statement.problems == [])
    }
}
