import PropertyBased
import Reconciliation
import Testing

/// The reader's contract as a property: whatever entries a bank writes (names with commas,
/// quotes and Chinese, memos over several lines, any amount), reading the CSV gives them back
/// exactly, in UTF-8 and in GB18030.
@Suite struct StatementRoundTripTests {
    @Test func writtenEntriesAreReadBackExactly() async throws {
        // Proves parse(write(entries)) == entries, line numbers included, for random statements in both encodings.
        await propertyCheck(count: 200, input: RandomStatement.generator) { entries in
            let text = StatementCSVWriter.write(entries)
            let utf8 = try StatementParser.parse(Array(text.utf8))
            #expect(utf8.problems == [])
            #expect(utf8.entries == entries)
            let gbk = try StatementParser.parse(try #require(StatementText.gb18030(text)))
            #expect(gbk.encoding == "GB18030")
            #expect(gbk.entries == entries)
        }
    }
}

/// A tiny CSV writer for tests: the columns of a common export, RFC 4180 quoting, LF line breaks.
enum StatementCSVWriter {
    static let header = "交易日期,交易时间,流水号,借贷方向,金额(元),币种,对方户名,对方账号,摘要"

    /// The CSV of `entries`, whose line numbers must be the ones `lineNumbers(for:)` gives.
    static func write(_ entries: [StatementEntry]) -> String {
        var text = header + "\n"
        for entry in entries {
            let fields = [
                entry.date.description, entry.time ?? "", entry.serial, entry.direction == .debit ? "借" : "贷",
                yuan(entry.amountFen, grouped: entry.amountFen % 3 == 0), entry.currency, entry.counterpartyName,
                entry.counterpartyAccount, entry.memo,
            ]
            text += fields.map(quoted).joined(separator: ",") + "\n"
        }
        return text
    }

    /// Line numbers of records after the header, counting the line breaks inside fields.
    static func lineNumbers(forNewlineCounts counts: [Int]) -> [Int] {
        var line = 2
        return counts.map { count in
            defer { line += 1 + count }
            return line
        }
    }

    /// Fen as yuan, sometimes with thousands separators (`1,234.56`).
    static func yuan(_ fen: Int64, grouped: Bool) -> String {
        let whole = String(fen / 100)
        let cents = fen % 100
        var wholeText = whole
        if grouped {
            var groups: [Substring] = []
            var rest = whole[...]
            while rest.count > 3 {
                groups.insert(rest.suffix(3), at: 0)
                rest = rest.dropLast(3)
            }
            groups.insert(rest, at: 0)
            wholeText = groups.joined(separator: ",")
        }
        return wholeText + "." + (cents < 10 ? "0\(cents)" : "\(cents)")
    }

    static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return field }
        return "\"" + field.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }
}

/// Random statements whose fields survive cleaning (no surrounding spaces, no leading `'` or `=`),
/// with unique serials, as banks write them.
enum RandomStatement {
    static let nameCharacters = Array("某某上海诊所有限公司医院张三李四abcXYZ,\"'=（）()& 0123-")
    static let memoCharacters = nameCharacters + ["\n", "|", "；"]

    static let generator = Generator<[StatementEntry], Shrink.None<[StatementEntry]>> { rng in
        let count = Int.random(in: 1...12, using: &rng)
        var entries: [StatementEntry] = []
        var newlineCounts: [Int] = []
        for index in 0..<count {
            let memo = text(memoCharacters, maxLength: 40, using: &rng)
            newlineCounts.append(memo.count(where: { $0 == "\n" }))
            let fen = Bool.random(using: &rng) ? Int64.random(in: 1...10_000, using: &rng) : Int64.random(in: 1...Int64.max, using: &rng)
            entries.append(
                StatementEntry(
                    lineNumber: 0, serial: "S\(index)-\(UInt32.random(in: 0...UInt32.max, using: &rng))",
                    date: CalendarDay(dayNumber: Int.random(in: 18_000...22_000, using: &rng)) ?? StatementFixture.day("2026-11-03"),
                    time: Bool.random(using: &rng) ? nil : time(using: &rng),
                    direction: Bool.random(using: &rng) ? .debit : .credit, amountFen: fen,
                    currency: Bool.random(using: &rng) ? "CNY" : "USD",
                    counterpartyName: text(nameCharacters, maxLength: 30, using: &rng),
                    counterpartyAccount: Bool.random(using: &rng) ? "" : "6228 4800 \(UInt32.random(in: 0...UInt32.max, using: &rng))",
                    memo: memo))
        }
        for (index, line) in StatementCSVWriter.lineNumbers(forNewlineCounts: newlineCounts).enumerated() {
            entries[index].lineNumber = line
        }
        return entries
    }

    /// Random text from `characters`, trimmed the way the reader trims, and not starting with `'` or `=`.
    static func text(_ characters: [Character], maxLength: Int, using rng: inout some RandomNumberGenerator) -> String {
        let length = Int.random(in: 0...maxLength, using: &rng)
        var text = String((0..<length).map { _ in characters.randomElement(using: &rng) ?? "x" })
        while let first = text.first, first.isWhitespace || first == "'" || first == "=" { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return text
    }

    static func time(using rng: inout some RandomNumberGenerator) -> String {
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(two(Int.random(in: 0...23, using: &rng))):\(two(Int.random(in: 0...59, using: &rng))):\(two(Int.random(in: 0...59, using: &rng)))"
    }
}
