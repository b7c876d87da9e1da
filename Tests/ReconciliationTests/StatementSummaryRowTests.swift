import PropertyBased
import Reconciliation
import Testing

/// Rows after the header: only blank lines, summaries (合计…) and footers (制表人…, page numbers,
/// a sentence alone) are skipped, each counted; a row that holds a receipt's serial, day or
/// amount is a receipt, and one with a field missing is reported by its line, never skipped.
@Suite struct StatementSummaryRowTests {
    @Test func aReceiptMissingItsAmountInANarrowFileIsAProblem() throws {
        // Proves `X1,2026-11-03,` in a three-column file is reported on its line (it was once skipped for filling two cells).
        let statement = try StatementFixture.parse("流水号,交易日期,金额\nX1,2026-11-03,\nX2,2026-11-04,-2.00\n")
        #expect(statement.entries.map(\.serial) == ["X2"])
        #expect(statement.problems == [LineProblem(lineNumber: 2, reason: "金额 is empty; every receipt needs its amount.", codes: ["amount_missing"])])
        #expect(statement.skippedLineCount == 0)
    }

    @Test func aReceiptWithOnlySerialAndAmountIsAProblem() throws {
        // Proves rows where only the serial and the amount survived, in a narrow and a wide file, name the missing day.
        let narrow = try StatementFixture.parse("流水号,交易日期,金额\nX1,,-1.00\nX2,2026-11-04,-2.00\n")
        #expect(narrow.problems.map(\.lineNumber) == [2])
        #expect(narrow.problems.first?.reason.hasPrefix("交易日期 is empty") == true)
        let wide = try StatementFixture.parse("流水号,交易日期,金额,对方户名,摘要\nX2,2026-11-04,-2.00,乙,\nX1,,-1.00,,\n")
        #expect(wide.entries.map(\.serial) == ["X2"])
        #expect(wide.problems.map(\.lineNumber) == [3])
        #expect(wide.skippedLineCount == 0)
    }

    @Test func aRowWithOnlyOneKeyIsAProblem() throws {
        // Proves a lone serial (even one that reads like English), a lone day or a lone amount is a receipt that lost fields.
        let statement = try StatementFixture.parse(
            """
            流水号,交易日期,金额,对方户名
            X0,2026-11-03,-1.00,甲
            X1,,,
            ,2026-11-03,,
            ,,-1.00,
            Page 2,,,

            """)
        #expect(statement.entries.map(\.serial) == ["X0"])
        #expect(statement.problems.map(\.lineNumber) == [3, 4, 5, 6])
        #expect(statement.skippedLineCount == 0)
    }

    @Test func summariesBlankLinesAndFootersAreSkippedAndCounted() throws {
        // Proves 合计, 本页小计, 期末余额 and the other summary words, a blank line, a page number and the footer
        // `制表人：张三  打印日期：2026-11-05` (a day inside a sentence, not a day in the day column) are each skipped and counted.
        let statement = try StatementFixture.parse(
            """
            流水号,交易日期,金额
            期初余额,,"10,000.00"
            X1,2026-11-03,-1.00
            本页小计,,-1.00

            第 1 页 共 2 页,,
            X2,2026-11-04,-2.00
            小计,,-2.00
            借方合计,,-3.00
            贷方合计,,0.00
            合　计,,-3.00
            期末余额,,"9,997.00"
            制表人：张三  打印日期：2026-11-05,,
            制表人：张三  打印日期：2026-11-05
            本对账单仅供参考，以银行盖章为准

            """)
        #expect(statement.entries.map(\.serial) == ["X1", "X2"])
        #expect(statement.problems == [])
        #expect(statement.skippedLineCount == 12)
    }

    @Test func aFooterLabelWithItsValueInTheNextCellIsSkipped() throws {
        // Proves label footers split over cells (制表人,张三 and 复核：,李四 and 注：…) are skipped when no cell is a day or an amount.
        let statement = try StatementFixture.parse("流水号,交易日期,金额,摘要\nX1,2026-11-03,-1.00,付\n制表人,张三,,\n复核：,李四,,\n注：本回单不作为收款依据,,,\n")
        #expect(statement.entries.map(\.serial) == ["X1"])
        #expect(statement.problems == [])
        #expect(statement.skippedLineCount == 3)
    }

    @Test func aFooterWithADayOrAnAmountInItsColumnIsAProblem() throws {
        // Proves a footer label in the serial column beside a lone day in the day column, or an amount in the amount
        // column, is reported rather than skipped or read as a receipt whose serial is 制表人…; a sentence sharing its
        // row with a day is a receipt whose amount is missing.
        let statement = try StatementFixture.parse(
            """
            流水号,交易日期,金额
            X1,2026-11-03,-1.00
            制表人：张三 打印日期：,2026-11-05,
            备注：退款,,-1.00
            本对账单仅供参考,2026-11-05,

            """)
        #expect(statement.entries.map(\.serial) == ["X1"])
        #expect(
            statement.problems == [
                LineProblem(
                    lineNumber: 3,
                    reason:
                        "流水号 \"制表人：张三 打印日期：\" reads as a summary or footer, yet 交易日期 holds a day \"2026-11-05\"; delete the line if it is not a "
                        + "receipt, or give the receipt its serial.", codes: ["row_unclear"]
                ),
                LineProblem(
                    lineNumber: 4,
                    reason:
                        "流水号 \"备注：退款\" reads as a summary or footer, yet 金额 holds an amount \"-1.00\"; delete the line if it is not a receipt, "
                        + "or give the receipt its serial.", codes: ["row_unclear"]
                ),
                LineProblem(lineNumber: 5, reason: "金额 is empty; every receipt needs its amount.", codes: ["amount_missing"]),
            ])
        #expect(statement.skippedLineCount == 0)
    }

    @Test func aSummaryWordDoesNotHideASerialOrADay() throws {
        // Proves a summary word is a receipt's text when the serial column beside it is filled (a payee named 小计餐饮),
        // counts wherever it is when the serial column is empty, and is reported, not read as serial 期末余额, when the
        // day column holds a day.
        let statement = try StatementFixture.parse(
            """
            交易日期,流水号,金额,对方户名
            2026-11-03,X1,-1.00,甲
            合计,X9,-3.00,
            合计,,-3.00,
            ,,,合计
            期末余额 2026-11-30,,5.00,

            """)
        #expect(statement.entries.map(\.serial) == ["X1"])
        #expect(statement.problems.map(\.lineNumber) == [3])
        #expect(statement.problems.first?.reason.hasPrefix("交易日期 \"合计\" is not a day") == true)
        #expect(statement.skippedLineCount == 3)
        let payee = try StatementFixture.parse("对方户名,流水号,交易日期,金额\n小计餐饮有限公司,X1,2026-11-03,-1.00\n打印店,X2,2026-11-03,-2.00\n")
        #expect(payee.entries.map(\.counterpartyName) == ["小计餐饮有限公司", "打印店"])
        #expect(payee.problems == [])
        let dated = try StatementFixture.parse("流水号,交易日期,金额\nX1,2026-11-03,-1.00\n期末余额,2026-11-30,9.00\n")
        #expect(dated.entries.map(\.serial) == ["X1"])
        #expect(dated.problems.map(\.lineNumber) == [3])
    }

    @Test func splitAmountFilesFollowTheSameRule() throws {
        // Proves in a 借方/贷方 file a row with only a serial and a debit is reported, and 借方合计 with both totals is skipped.
        let statement = try StatementFixture.parse(
            """
            流水号,交易日期,借方发生额,贷方发生额
            D1,2026-11-03,"1,000.00",
            D2,,5.00,
            借方合计,,"1,000.00",0.00

            """)
        #expect(statement.entries.map(\.serial) == ["D1"])
        #expect(statement.problems.map(\.lineNumber) == [3])
        #expect(statement.skippedLineCount == 1)
    }

    @Test func aRepeatedHeaderIsStillSkipped() throws {
        // Proves the header printed again on the next page, after a page total and a page number, is skipped and counted.
        let statement = try StatementFixture.parse(
            """
            流水号,交易日期,金额
            X1,2026-11-03,-1.00
            本页合计,,-1.00
            第2页
            流水号,交易日期,金额(元)
            X2,2026-11-04,-2.00

            """)
        #expect(statement.entries.map(\.serial) == ["X1", "X2"])
        #expect(statement.problems == [])
        #expect(statement.skippedLineCount == 3)
    }

    @Test func aReceiptRowKeepingAnyOfItsKeysIsNeverSkipped() async {
        // Proves, over generated layouts and rows, that a receipt keeping any of its serial, day and amount is an entry
        // (all three) or a problem on its line, never skipped, even beside payee names such as 打印店 or 小计餐饮有限公司.
        // The one exception is the rule itself: a row left with only its amount whose first cell begins with a summary word.
        let payees = ["甲", "小计餐饮有限公司", "打印店", "第一医院", "注：退款", "合计科技有限公司", "期末余额调整", ""]
        await propertyCheck(count: 2_000, input: Gen.int64(in: 0...Int64.max)) { seed in
            var rng = MatcherPropertyTests.SplitMix64(state: UInt64(seed))
            let header = ["流水号", "交易日期", "金额", "对方户名", "摘要"].shuffled(using: &rng)
            let kept = Int.random(in: 1...7, using: &rng)  // bits: serial, day, amount
            let value: [String: String] = [
                "流水号": kept & 1 == 0 ? "" : ["X\(seed % 1_000)", "2026110300012", "FT-7"].randomElement(using: &rng)!,
                "交易日期": kept & 2 == 0 ? "" : ["2026-11-03", "2026/11/3", "20261103", "2026年11月03日"].randomElement(using: &rng)!,
                "金额": kept & 4 == 0 ? "" : ["-1.00", "1,234.56", "5", "￥2.50"].randomElement(using: &rng)!,
                "对方户名": payees.randomElement(using: &rng)!,
                "摘要": payees.randomElement(using: &rng)!,
            ]
            let good: [String: String] = ["流水号": "G1", "交易日期": "2026-11-02", "金额": "-1.00", "对方户名": "乙", "摘要": ""]
            func line(_ cells: [String: String]) -> String { header.map { "\"\(cells[$0]!)\"" }.joined(separator: ",") }
            let text = header.joined(separator: ",") + "\n" + line(good) + "\n" + line(value) + "\n"
            guard let statement = try? StatementFixture.parse(text) else {
                Issue.record("not read: \(text)")
                return
            }
            let lead = header.lazy.compactMap { value[$0]!.isEmpty ? nil : value[$0]! }.first ?? ""
            if kept == 4 && ["合计", "小计", "期末余额"].contains(where: { lead.hasPrefix($0) }) {
                #expect(statement.skippedLineCount == 1, "\(text)")
            } else if kept == 7 {
                #expect(statement.entries.map(\.lineNumber) == [2, 3] && statement.problems == [], "\(text)")
            } else {
                #expect(statement.problems.map(\.lineNumber) == [3] && statement.skippedLineCount == 0, "\(text)")
            }
        }
    }
}
