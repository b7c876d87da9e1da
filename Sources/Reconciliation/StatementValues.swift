import VoucherCore

/// Reading the values of a statement line: amounts, days, times, directions, currencies. Each
/// reader accepts the spellings banks print and nothing else; nil or a sentence means the line
/// is reported, never repaired.
enum StatementValues {
    /// An amount in fen with its sign, or the sentence saying why `text` is not one. `column` is
    /// the header as printed, so the sentence points at the cell to fix.
    static func signedFen(_ text: String, column: String) -> Result<Int64, ValueProblem> {
        do {
            let money = try Money.parse(text, allowNegative: true)
            // Int64.min has no positive counterpart; no statement holds 92 quadrillion yuan.
            guard money.fen != Int64.min else { return .failure(ValueProblem("amount_too_large", "\(column) \"\(text)\" is too large.")) }
            return .success(money.fen)
        } catch .empty {
            return .failure(ValueProblem("amount_missing", "\(column) is empty; every receipt needs its amount."))
        } catch {
            return .failure(ValueProblem("amount_invalid", "\(column) \"\(text)\": \(error.detail)"))
        }
    }

    /// A day as banks print it, and the time when the same cell holds one (`2026-11-03 10:22:05`).
    ///
    /// Day forms: `2026-11-03`, `2026/11/03` (month and day may have one digit, as Excel writes
    /// them), `20261103`, `2026年11月03日`; a time after a space or `T`. Anything else is nil.
    static func dayAndTime(_ text: String) -> (day: CalendarDay, time: String?)? {
        let parts = text.split(maxSplits: 1, whereSeparator: { $0 == " " || $0 == "T" })
        guard let first = parts.first, let day = day(first) else { return nil }
        guard parts.count == 2 else { return (day, nil) }
        guard let time = time(StatementCell.trimmed(parts[1])) else { return nil }
        return (day, time)
    }

    /// A time of day normalised to `HH:mm:ss`: from `10:22:05`, `9:05:00` or `102205`.
    static func time(_ text: Substring) -> String? {
        let pieces: [Substring]
        if text.count == 6, text.allSatisfy(\.isASCIIDigit) {
            pieces = [text.prefix(2), text.dropFirst(2).prefix(2), text.suffix(2)]
        } else {
            pieces = text.split(separator: ":", omittingEmptySubsequences: false)
        }
        guard pieces.count == 3, (1...2).contains(pieces[0].count), pieces[1].count == 2, pieces[2].count == 2,
            let hour = number(pieces[0]), let minute = number(pieces[1]), let second = number(pieces[2]),
            hour < 24, minute < 60, second < 60
        else { return nil }
        return [hour, minute, second].map { $0 < 10 ? "0\($0)" : "\($0)" }.joined(separator: ":")
    }

    /// 借/支/出/付 (and 借方, 支出, 支取, 转出) are money out; 贷/收/入 (and 贷方, 收入, 存入, 转入)
    /// money in. Anything else (0/1, D/C, a typo) is nil: the line is reported, never guessed.
    static func direction(_ text: String) -> EntryDirection? {
        switch text.filter({ !$0.isWhitespace }) {
        case "借", "支", "出", "付", "借方", "支出", "支取", "转出": .debit
        case "贷", "收", "入", "贷方", "收入", "存入", "转入": .credit
        default: nil
        }
    }

    /// `CNY` for an empty cell, 人民币, RMB or CNY; any other code upper-cased as printed.
    static func currency(_ text: String) -> String {
        switch text.uppercased() {
        case "", "人民币", "RMB", "CNY": "CNY"
        case let other: other
        }
    }

    private static func day(_ text: Substring) -> CalendarDay? {
        if text.count == 8, text.allSatisfy(\.isASCIIDigit) {
            return makeDay(text.prefix(4), text.dropFirst(4).prefix(2), text.suffix(2))
        }
        if text.hasSuffix("日") {
            let yearAndRest = text.dropLast().split(separator: "年", omittingEmptySubsequences: false)
            guard yearAndRest.count == 2 else { return nil }
            let monthAndDay = yearAndRest[1].split(separator: "月", omittingEmptySubsequences: false)
            guard monthAndDay.count == 2 else { return nil }
            return makeDay(yearAndRest[0], monthAndDay[0], monthAndDay[1])
        }
        for separator in ["-", "/"] as [Character] {
            let pieces = text.split(separator: separator, omittingEmptySubsequences: false)
            if pieces.count == 3 { return makeDay(pieces[0], pieces[1], pieces[2]) }
        }
        return nil
    }

    /// A day from a four-digit year and a one- or two-digit month and day.
    private static func makeDay(_ year: Substring, _ month: Substring, _ day: Substring) -> CalendarDay? {
        guard year.count == 4, (1...2).contains(month.count), (1...2).contains(day.count),
            let y = number(year), let m = number(month), let d = number(day)
        else { return nil }
        return CalendarDay(year: y, month: m, day: d)
    }

    /// ASCII digits only (never full-width or other scripts' digits).
    private static func number(_ digits: Substring) -> Int? {
        guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit) else { return nil }
        return Int(digits)
    }
}

/// Why a value of a line could not be read: one sentence that names the column.
struct ValueProblem: Error, Hashable {
    /// The sentence for `LineProblem.reason`, with its code.
    let reason: LineReason

    /// A problem saying `text`, coded `code`.
    init(_ code: String, _ text: String) { self.reason = LineReason(code, text) }
}

private extension Character {
    /// `0`–`9`.
    var isASCIIDigit: Bool { asciiValue.map { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) } ?? false }
}
