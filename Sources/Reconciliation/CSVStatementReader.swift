/// Reads a decoded CSV statement: finds the header, skips the preamble, blank, summary and footer
/// lines (`StatementRowKind`) and repeated headers, and turns every other row into an entry or a
/// problem.
enum CSVStatementReader {
    /// The statement in `text`. Throws only when no header is found or when nothing but the
    /// header is there; every unreadable row becomes a problem.
    static func read(_ text: String, encoding: StatementEncoding) throws(StatementError) -> ParsedStatement {
        let records = CSVTokenizer.records(in: text)
        var headerIndex: Int?
        var columns: StatementColumns?
        for (index, record) in records.prefix(StatementLimits.headerSearchRowsMax).enumerated() {
            if let found = StatementColumns(header: record.fields.map(StatementCell.clean)) {
                (headerIndex, columns) = (index, found)
                break
            }
        }
        guard let headerIndex, let columns else {
            throw .notAStatement(reason: records.isEmpty ? "it is empty." : Self.noHeaderReason)
        }
        let ownAccount = PreambleAccount.find(in: records[..<headerIndex])
        var statement = ParsedStatement(
            format: .csv, encoding: encoding.rawValue, entries: [], problems: [], skippedLineCount: headerIndex, ownAccount: ownAccount)
        var problems = ProblemList()
        var unique = UniqueEntries()
        let reader = CSVRowReader(columns: columns, fileOwnAccount: ownAccount)
        for record in records[(headerIndex + 1)...] {
            if let quotingProblem = record.quotingProblem {
                problems.add(lineNumber: record.lineNumber, reason: LineReason("quoting_broken", quotingProblem))
                continue
            }
            let cells = record.fields.map(StatementCell.clean)
            switch StatementRowKind(cells: cells, columns: columns) {
            case .data: break
            case .blank, .summary, .footer:
                statement.skippedLineCount += 1
                continue
            case .unclear(let column):
                problems.add(lineNumber: record.lineNumber, reason: LineReason("row_unclear", unclearReason(cells, column: column, columns: columns)))
                continue
            }
            if let shape = shapeProblems(cells, columns: columns) {
                problems.add(lineNumber: record.lineNumber, reasons: shape)
                continue
            }
            switch reader.read(cells, lineNumber: record.lineNumber) {
            case .failure(let problem):
                // Paged exports print the header again on every page; another layout is another file.
                switch repeatedHeader(cells, columns: columns) {
                case true?: statement.skippedLineCount += 1
                case false?: problems.add(lineNumber: record.lineNumber, reason: LineReason("header_other", Self.otherHeaderReason))
                case nil: problems.add(lineNumber: record.lineNumber, reasons: problem.reasons)
                }
            case .success(let entry):
                if let earlier = unique.add(entry, at: entry.lineNumber) {
                    problems.add(
                        lineNumber: record.lineNumber,
                        reason: LineReason("serial_repeated", "Serial \(entry.serial) is already on line \(earlier); each receipt appears once."))
                }
            }
        }
        statement.entries = unique.entries
        guard !statement.entries.isEmpty || !problems.isEmpty else { throw .empty }
        statement.problems = problems.problems
        // The bank's period when the preamble states one (widened only to an entry outside it),
        // else the first and last entry's days.
        let stated = PreamblePeriod.find(in: records[..<headerIndex])
        let days = statement.entries.map(\.date)
        statement.periodFrom = ([stated?.from].compactMap { $0 } + days).min()
        statement.periodTo = ([stated?.to].compactMap { $0 } + days).max()
        if statement.ownAccount == nil, let first = statement.entries.first?.ownAccount,
            statement.entries.allSatisfy({ $0.ownAccount == first })
        {
            statement.ownAccount = first
        }
        return statement
    }

    /// The sentence for a file whose rows never name the columns a receipt needs.
    static let noHeaderReason =
        "no line in the first \(StatementLimits.headerSearchRowsMax) names the columns of a receipt: a serial (流水号, 回单号 or 交易流水号), "
        + "a day (交易日期 or 记账日期) and an amount (金额, or 借方发生额 and 贷方发生额, or 支出金额 and 收入金额), separated by commas."

    /// The sentence for a summary or footer line that holds a day or an amount where a receipt's
    /// are: which of the two it is, is for a person to say.
    private static func unclearReason(_ cells: [String], column: Int, columns: StatementColumns) -> String {
        let held = column == (columns.date ?? columns.time) ? "a day" : "an amount"
        return
            "\(columns.names[columns.serial]) \"\(cells[columns.serial])\" reads as a summary or footer, yet \(columns.names[column]) holds "
            + "\(held) \"\(cells[column])\"; delete the line if it is not a receipt, or give the receipt its serial."
    }

    /// The sentence for a second header that differs from the first.
    static let otherHeaderReason = "This line is another header with different columns; export one layout per file."

    /// Whether a row that did not read is the header again (true), a header of another layout
    /// (false), or no header (nil). Asked only of failed rows, so good rows pay nothing for it.
    private static func repeatedHeader(_ cells: [String], columns: StatementColumns) -> Bool? {
        StatementColumns(header: cells).map { $0.hasSameLayout(as: columns) }
    }

    /// Sentences about a row's shape: fields missing or extra compared with the header (an
    /// unquoted comma in a name shifts every later column), and fields beyond the length bound.
    private static func shapeProblems(_ cells: [String], columns: StatementColumns) -> [LineReason]? {
        var reasons: [LineReason] = []
        let headerCount = columns.names.count
        let extraFilled = cells.count > headerCount && cells[headerCount...].contains { !$0.isEmpty }
        let missing = columns.usedColumns.contains { $0 >= cells.count }
        if extraFilled || missing {
            reasons.append(
                LineReason("fields_count", "The line has \(cells.count) fields but the header has \(headerCount); quote fields that contain commas."))
        }
        for (column, cell) in cells.enumerated() where StatementCell.length(cell) > StatementLimits.fieldLengthMax {
            let name = column < headerCount ? columns.names[column] : "Field \(column + 1)"
            reasons.append(LineReason("field_too_long", "\(name) is longer than \(StatementLimits.fieldLengthMax) characters."))
        }
        return reasons.isEmpty ? nil : reasons
    }
}
