import Reconciliation
import Testing

/// Problems: every unreadable line is reported by its number while the good lines are still read;
/// files that are not statements are refused as a whole with the right code.
@Suite struct StatementProblemTests {
    @Test func everyBadLineIsReportedAndGoodLinesAreStillRead() throws {
        // Proves several broken lines (amount, day, field count, quoting) are all reported with their physical
        // line numbers, after a multi-line record too, and the good lines between them are entries.
        let statement = try StatementFixture.parse(
            """
            流水号,交易日期,金额,对方户名,摘要
            G1,2026-11-03,-1.00,甲,"两
            行"
            B1,2026-11-03,-1.234,甲,
            G2,2026-11-03,-2.00,乙,
            B2,2026-13-03,-1.00,甲,
            B3,2026-11-03,-1.00,某某,有限公司,付款
            G3,2026-11-03,-3.00,丙,
            B4,2026/11/03,12a,,"x"y
            B5,2026-11-03,-5.00,"never closed
            G4,2026-11-03,-4.00,丁,

            """)
        #expect(statement.entries.map(\.serial) == ["G1", "G2", "G3"])
        #expect(statement.entries.map(\.lineNumber) == [2, 5, 8])
        #expect(statement.problems.map(\.lineNumber) == [4, 6, 7, 9, 10])
        #expect(statement.problems[0].reason.contains("more than 2 decimals"))
        #expect(statement.problems[1].reason.hasPrefix("交易日期 \"2026-13-03\""))
        #expect(statement.problems[2].reason.contains("6 fields but the header has 5"))
        #expect(statement.problems[3].reason.contains("closing quote"))
        #expect(statement.problems[4].reason.contains("opened on line 10 is never closed"))
    }

    @Test func aLineWithSeveralFaultsNamesThemAll() throws {
        // Proves one problem per line that lists every fault on it, so one round of fixes is enough.
        let statement = try StatementFixture.parse("流水号,交易日期,借贷方向,金额\n,2026-02-30,转,1.2.3\n")
        #expect(statement.problems.count == 1)
        let reason = try #require(statement.problems.first?.reason)
        for column in ["流水号", "交易日期", "借贷方向", "金额"] { #expect(reason.contains(column)) }
    }

    @Test func aSerialTwiceInOneFileIsAProblemOnTheSecondLine() throws {
        // Proves the second line with a serial is reported naming the first, and only the first is an entry.
        let statement = try StatementFixture.parse("流水号,交易日期,金额\nX1,2026-11-03,-1.00\nX2,2026-11-03,-1.00\nX1,2026-11-04,-9.00\n")
        #expect(statement.entries.map(\.lineNumber) == [2, 3])
        let repeated = LineProblem(
            lineNumber: 4, reason: "Serial X1 is already on line 2; each receipt appears once.", codes: ["serial_repeated"])
        #expect(statement.problems == [repeated])
    }

    @Test func fieldsLongerThanTheBoundAreProblems() throws {
        // Proves a field beyond StatementLimits.fieldLengthMax characters is reported by its column.
        let long = String(repeating: "名", count: StatementLimits.fieldLengthMax + 1)
        let statement = try StatementFixture.parse("流水号,交易日期,金额,对方户名\nX1,2026-11-03,-1.00,\(long)\n")
        #expect(statement.problems.map(\.reason) == ["对方户名 is longer than \(StatementLimits.fieldLengthMax) characters."])
    }

    @Test func filesThatAreNotStatementsAreRefused() throws {
        // Proves PNG, PDF, xlsx, binary, prose, unrelated CSV, non-camt XML and empty files are statement_not_recognised.
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52]
        let refused: [[UInt8]] = [
            png,
            Array("%PDF-1.7\n".utf8),
            [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00],
            [0x01, 0x02, 0x00, 0x03],
            Array("Dear finance team,\nplease find attached the statement for November.\nRegards\n".utf8),
            Array("姓名,年龄,城市\n张三,30,上海\n".utf8),
            Array("<?xml version=\"1.0\"?><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.001.001.03\"><CstmrCdtTrfInitn/></Document>".utf8),
            Array("<html><body>statement</body></html>".utf8),
            [],
            Array(" \n\r\n\t".utf8),
            [0xEF, 0xBB, 0xBF],
        ]
        for bytes in refused {
            let error = StatementFixture.error(bytes)
            #expect(error?.code == "statement_not_recognised", "\(bytes.prefix(8))")
            #expect(error?.kind == .invalidInput)
        }
        if case .notAStatement(let reason) = StatementFixture.error(png) { #expect(reason.contains("PNG")) } else { Issue.record("PNG not refused") }
    }

    @Test func aHeaderWithoutEntriesIsEmpty() {
        // Proves a header with only totals and blank lines after it is statement_empty.
        #expect(StatementFixture.error("流水号,交易日期,金额\n") == .empty)
        #expect(StatementFixture.error("账号：6228480012345678901\n流水号,交易日期,金额\n\n合计,,0.00\n") == .empty)
        #expect(StatementError.empty.code == "statement_empty")
    }

    @Test func boundsAreEnforcedBeforeReading() throws {
        // Proves files over 32 MiB and CSVs over 200,000 lines are refused as too large, not read.
        let header = Array("流水号,交易日期,金额\n".utf8)
        let tooBig = header + [UInt8](repeating: UInt8(ascii: " "), count: StatementLimits.bytesMax)
        #expect(StatementFixture.error(tooBig) == .tooLarge)
        let tooLong = header + [UInt8](repeating: UInt8(ascii: "\n"), count: StatementLimits.linesMax)
        #expect(StatementFixture.error(tooLong) == .tooManyLines)
        #expect(StatementError.tooLarge.kind == .tooLarge)
        let justEnough = header + [UInt8](repeating: UInt8(ascii: "\n"), count: StatementLimits.linesMax - 2) + Array("X1,2026-11-03,-1.00".utf8)
        #expect(try StatementParser.parse(justEnough).skippedLineCount == StatementLimits.linesMax - 2)
    }

    @Test func problemsPastTheBoundAreCounted() throws {
        // Proves at most StatementLimits.problemsMax problems are listed, plus one that counts the rest.
        let bad = StatementLimits.problemsMax + 5
        let rows = (1...bad).map { "X\($0),2026-11-03,1.234" }.joined(separator: "\n")
        let statement = try StatementFixture.parse("流水号,交易日期,金额\n" + rows + "\nG1,2026-11-03,-1.00\n")
        #expect(statement.problems.count == StatementLimits.problemsMax + 1)
        #expect(statement.problems.last?.lineNumber == StatementLimits.problemsMax + 2)
        #expect(statement.problems.last?.reason.hasPrefix("5 more lines") == true)
        #expect(statement.entries.count == 1)
    }

    @Test func everyErrorHasAStableCodeAndASentence() {
        // Proves each case maps to a snake_case code and a detail (DomainError's preconditions would trap otherwise).
        let all: [StatementError] = [
            .notAStatement(reason: "it is a PNG image."), .empty, .undecodable(line: 1, byteOffset: 0), .malformed(reason: "line 1"), .tooLarge,
            .tooManyLines,
        ]
        #expect(Set(all.map(\.domainError.code)).count == all.count)
        #expect(all.allSatisfy { !$0.detail.isEmpty })
    }
}
