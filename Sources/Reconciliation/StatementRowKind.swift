/// What a row after a CSV statement's header is, before its values are read.
///
/// Only three kinds of row are skipped, each recognised by what it says rather than by how few
/// cells it fills: a blank row, a summary (合计, 本页小计, 期末余额…) and a footer (制表人…, a page
/// number, one Chinese sentence). Everything else is a receipt, and a receipt with a field missing
/// is reported, never skipped: a narrow export that lost a field looks exactly like a short row.
enum StatementRowKind: Sendable, Hashable {
    /// Every cell is empty or white space.
    case blank
    /// A total or balance line: its first filled cell begins with a summary word.
    case summary
    /// A signature, page or note line: a label, or a sentence alone on its row.
    case footer
    /// A summary word or footer label in the serial column, yet `column` holds a day (the day
    /// column) or an amount (an amount column): neither skipped nor read as a receipt whose
    /// serial is 期末余额, but reported.
    case unclear(column: Int)
    /// A receipt, readable or not.
    case data

    /// The kind of a row of cleaned cells.
    ///
    /// A summary word or label counts only where a receipt's serial is not: in the serial column,
    /// or beside an empty one (a counterparty named 打印店 next to its serial is a receipt). A row
    /// whose day column holds a day is never skipped; nor is a footer whose amount column holds
    /// an amount, while a summary may (a total's amount is what makes it a total).
    init(cells: [String], columns: StatementColumns) {
        guard let lead = cells.firstIndex(where: { !$0.isEmpty }) else {
            self = .blank
            return
        }
        let text = cells[lead]
        // Every summary word, label and sentence is Chinese; a receipt starts with an ASCII serial,
        // day or amount, so nearly every data row is decided here without parsing anything.
        guard text.unicodeScalars.contains(where: { !$0.isASCII }) else {
            self = .data
            return
        }
        let compact = text.filter { !$0.isWhitespace }  // 合　计 and 合  计 are printed too
        let isSummary = Self.isSummary(compact)
        let isFooter = !isSummary && (Self.isFooterLabel(compact) || Self.isSentence(text, lead: lead, cells: cells))
        let serialIsLead = lead == columns.serial
        guard isSummary || isFooter, serialIsLead || Self.cell(columns.serial, of: cells).isEmpty else {
            self = .data
            return
        }
        let held =
            Self.dayColumn(holdingADayIn: cells, columns: columns)
            ?? (isSummary ? nil : Self.amountColumn(holdingAnAmountIn: cells, columns: columns))
        switch (held, serialIsLead) {
        case (let column?, true): self = .unclear(column: column)
        case (_?, false): self = .data  // a receipt without its serial: reported as such
        case (nil, _): self = isSummary ? .summary : .footer
        }
    }

    /// How summary lines begin (after removing white space); 共…笔 is checked apart.
    static let summaryWords = ["合计", "总计", "本页合计", "本页小计", "小计", "累计", "借方合计", "贷方合计", "收入合计", "支出合计", "期初余额", "期末余额"]
    /// How footer labels begin (after removing white space): who made, printed, handled or
    /// checked the statement, and notes. 备注 needs its colon: without one it is a memo header.
    static let footerLabels = ["制表", "打印", "经办", "复核", "备注:", "备注：", "说明:", "说明：", "注:", "注："]

    /// 合计…, 本页小计…, 期末余额…, or 共 N 笔.
    private static func isSummary(_ compact: String) -> Bool {
        summaryWords.contains { compact.hasPrefix($0) } || (compact.hasPrefix("共") && compact.contains("笔"))
    }

    /// 制表人…, 打印日期…, 注：…, or a page marker (第 2 页, 共 5 页).
    private static func isFooterLabel(_ compact: String) -> Bool {
        footerLabels.contains { compact.hasPrefix($0) }
            || ((compact.hasPrefix("第") || compact.hasPrefix("共")) && compact.contains("页"))
    }

    /// One Chinese sentence alone on its row, neither a day nor an amount (`2026年11月03日` and
    /// `￥1.00` are not ASCII either). A second filled cell makes it a row, not a sentence.
    private static func isSentence(_ text: String, lead: Int, cells: [String]) -> Bool {
        cells[(lead + 1)...].allSatisfy(\.isEmpty) && StatementValues.dayAndTime(text) == nil && !isAmount(text)
    }

    /// The day column (or 交易时间 holding the day) when it holds a day.
    private static func dayColumn(holdingADayIn cells: [String], columns: StatementColumns) -> Int? {
        guard let column = columns.date ?? columns.time, StatementValues.dayAndTime(cell(column, of: cells)) != nil else { return nil }
        return column
    }

    /// The first amount column that holds an amount.
    private static func amountColumn(holdingAnAmountIn cells: [String], columns: StatementColumns) -> Int? {
        let amountColumns: [Int]
        switch columns.amounts {
        case .signed(let amount, _): amountColumns = [amount]
        case .split(let debit, let credit, _): amountColumns = [debit, credit]
        }
        return amountColumns.first { isAmount(cell($0, of: cells)) }
    }

    /// The cell in `column`, empty past the row's end.
    private static func cell(_ column: Int, of cells: [String]) -> String {
        column < cells.count ? cells[column] : ""
    }

    /// Whether `text` reads as an amount, signed or not.
    private static func isAmount(_ text: String) -> Bool {
        if case .success = StatementValues.signedFen(text, column: "") { true } else { false }
    }
}
