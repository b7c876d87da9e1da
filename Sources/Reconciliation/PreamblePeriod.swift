/// The period a bank prints above a CSV statement's header (`起止日期：2026-11-01 至 2026-11-30`,
/// `查询期间,2026/11/01-2026/11/30`, `交易期间：20261101 - 20261130`), taken only when it is
/// obvious: one label, a range of two days in order, and only one such range in the preamble.
///
/// The bank's period is what the export covers; the first and last receipt only bound what
/// happened to move. A transfer recorded on a quiet day between them is inside the period all the
/// same, and reconciliation must report it when no receipt shows it (`paid_no_receipt`).
enum PreamblePeriod {
    /// The labels that introduce a range of days.
    static let labels = ["起止日期", "查询日期", "交易期间", "查询期间", "交易日期", "账单期间", "对账期间", "日期范围", "查询区间", "起止时间"]
    /// What banks put between the two days; `-` is tried only where both sides read as days.
    static let separators: [Character] = ["至", "到", "~", "～", "—", "–", "-"]

    /// The one period the preamble names, or nil when it names none, a single day, or several.
    static func find(in records: ArraySlice<CSVRecord>) -> (from: CalendarDay, to: CalendarDay)? {
        var periods: [(from: CalendarDay, to: CalendarDay)] = []
        for record in records {
            let cells = record.fields.map(StatementCell.clean).filter { !$0.isEmpty }
            for (index, cell) in cells.enumerated() {
                let compact = cell.filter { !$0.isWhitespace }
                for label in labels where compact.hasPrefix(label) {
                    var rest = StatementCell.trimmed(afterLabel(cell, labelLength: label.count))
                    if rest.first == ":" || rest.first == "：" { rest = StatementCell.trimmed(rest.dropFirst()) }
                    let value = rest.isEmpty && index + 1 < cells.count ? cells[index + 1][...] : rest
                    if let period = range(value), !periods.contains(where: { $0 == period }) { periods.append(period) }
                    break
                }
            }
        }
        return periods.count == 1 ? periods.first : nil
    }

    /// `cell` after its first `labelLength` non-blank characters (the label, spaced or not).
    private static func afterLabel(_ cell: String, labelLength: Int) -> Substring {
        var seen = 0
        var index = cell.startIndex
        while index < cell.endIndex, seen < labelLength {
            if !cell[index].isWhitespace { seen += 1 }
            index = cell.index(after: index)
        }
        return cell[index...]
    }

    /// Two days with a separator between them, the first not after the second; a time after
    /// each day (`2026-11-01 00:00:00`) is allowed and dropped.
    static func range(_ text: Substring) -> (from: CalendarDay, to: CalendarDay)? {
        for separator in separators {
            for position in text.indices where text[position] == separator {
                let left = StatementCell.trimmed(text[..<position])
                let right = StatementCell.trimmed(text[text.index(after: position)...])
                guard let from = StatementValues.dayAndTime(String(left))?.day,
                    let to = StatementValues.dayAndTime(String(right))?.day
                else { continue }
                return from <= to ? (from, to) : nil
            }
        }
        return nil
    }
}
