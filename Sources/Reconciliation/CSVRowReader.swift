/// Reads one data row of a CSV statement into an entry, or into every sentence saying what is
/// wrong with it (all of them, so one round of fixes is enough).
struct CSVRowReader: Sendable {
    /// Where each value is, from the header.
    let columns: StatementColumns
    /// 本方账号 from the preamble, for rows without a 本方账号 column.
    let fileOwnAccount: String?

    /// The entry on a row of cleaned cells, or the reasons it cannot be read.
    func read(_ cells: [String], lineNumber: Int) -> Result<StatementEntry, RowProblem> {
        var reasons: [LineReason] = []
        func cell(_ column: Int?) -> String {
            guard let column, column < cells.count else { return "" }
            return cells[column]
        }
        func name(_ column: Int) -> String { columns.names[column] }

        let serial = cell(columns.serial)
        if serial.isEmpty { reasons.append(LineReason("serial_missing", "\(name(columns.serial)) is empty; every receipt needs the bank's serial.")) }
        let when = dayAndTime(cell: cell, reasons: &reasons)
        let money = amountAndDirection(cell: cell, reasons: &reasons)
        guard reasons.isEmpty, let when, let money else { return .failure(RowProblem(reasons: reasons)) }

        let memo = columns.memos.map { cell($0) }.filter { !$0.isEmpty }.joined(separator: " | ")
        let ownAccount = cell(columns.ownAccount)
        return .success(
            StatementEntry(
                lineNumber: lineNumber, serial: serial, date: when.day, time: when.time, direction: money.direction,
                amountFen: money.amountFen, currency: StatementValues.currency(cell(columns.currency)),
                counterpartyName: cell(columns.counterpartyName), counterpartyAccount: cell(columns.counterpartyAccount),
                memo: memo, ownAccount: ownAccount.isEmpty ? fileOwnAccount : ownAccount
            ))
    }

    /// The day from the date column (or from 交易时间 when there is none), and the time from
    /// 交易时间, else from the date cell.
    private func dayAndTime(cell: (Int?) -> String, reasons: inout [LineReason]) -> (day: CalendarDay, time: String?)? {
        let dayColumn = columns.date ?? columns.time
        guard let dayColumn else { return nil }
        let dayText = cell(dayColumn)
        guard let parsed = StatementValues.dayAndTime(dayText) else {
            let what = dayText.isEmpty ? "is empty" : "\"\(dayText)\" is not a day"
            reasons.append(
                LineReason("day_invalid", "\(columns.names[dayColumn]) \(what); write it as 2026-11-03, 2026/11/03, 20261103 or 2026年11月03日."))
            return nil
        }
        guard columns.date != nil, let timeColumn = columns.time, !cell(timeColumn).isEmpty else { return parsed }
        let timeText = cell(timeColumn)
        if let time = StatementValues.time(timeText[...]) { return (parsed.day, time) }
        if let both = StatementValues.dayAndTime(timeText), both.time != nil {
            guard both.day == parsed.day else {
                reasons.append(
                    LineReason(
                        "time_other_day",
                        "\(columns.names[timeColumn]) \"\(timeText)\" is on another day than \(columns.names[dayColumn]) \"\(dayText)\"."))
                return nil
            }
            return both
        }
        reasons.append(LineReason("time_invalid", "\(columns.names[timeColumn]) \"\(timeText)\" is not a time of day; write it as 10:22:05."))
        return nil
    }

    /// The positive amount and its direction, by the rules of the file's amount columns.
    private func amountAndDirection(cell: (Int?) -> String, reasons: inout [LineReason]) -> (amountFen: Int64, direction: EntryDirection)? {
        switch columns.amounts {
        case .signed(let amountColumn, let directionColumn):
            return signed(cell: cell, amountColumn: amountColumn, directionColumn: directionColumn, reasons: &reasons)
        case .split(let debitColumn, let creditColumn, let directionColumn):
            let split = split(cell: cell, debitColumn: debitColumn, creditColumn: creditColumn, reasons: &reasons)
            guard let directionColumn, !cell(directionColumn).isEmpty else { return split }
            let stated = direction(cell(directionColumn), column: directionColumn, reasons: &reasons)
            guard let split, let stated else { return nil }
            guard stated == split.direction else {
                reasons.append(
                    LineReason(
                        "direction_disagrees",
                        "\(columns.names[directionColumn]) says \(cell(directionColumn)) but the amount is in "
                            + "\(columns.names[split.direction == .debit ? debitColumn : creditColumn])."))
                return nil
            }
            return split
        }
    }

    /// One amount column: the direction column decides, and a sign must agree with it (a minus
    /// on money in is a contradiction); without one, minus is money out and plus money in.
    private func signed(
        cell: (Int?) -> String, amountColumn: Int, directionColumn: Int?, reasons: inout [LineReason]
    ) -> (amountFen: Int64, direction: EntryDirection)? {
        var stated: EntryDirection?
        if let directionColumn { stated = direction(cell(directionColumn), column: directionColumn, reasons: &reasons) }
        let amountName = columns.names[amountColumn]
        let fen: Int64
        switch StatementValues.signedFen(cell(amountColumn), column: amountName) {
        case .failure(let problem):
            reasons.append(problem.reason)
            return nil
        case .success(0):
            reasons.append(LineReason("amount_zero", "\(amountName) is zero; a receipt moves money."))
            return nil
        case .success(let value):
            fen = value  // never Int64.min, so abs(fen) is safe
        }
        guard let directionColumn else { return (abs(fen), fen < 0 ? .debit : .credit) }
        guard let stated else { return nil }  // the direction cell was unreadable, already reported
        guard fen > 0 || stated == .debit else {
            reasons.append(
                LineReason(
                    "direction_disagrees",
                    "\(amountName) \"\(cell(amountColumn))\" is negative but \(columns.names[directionColumn]) says \(cell(directionColumn)) "
                        + "(money in); the sign and the direction disagree."))
            return nil
        }
        return (abs(fen), stated)
    }

    /// 借方 and 贷方 columns: exactly one holds a positive amount; an empty cell, `-` or zero is
    /// the other one.
    private func split(
        cell: (Int?) -> String, debitColumn: Int, creditColumn: Int, reasons: inout [LineReason]
    ) -> (amountFen: Int64, direction: EntryDirection)? {
        func amount(_ column: Int) -> Int64? {
            let text = cell(column)
            if text.isEmpty || text.allSatisfy({ $0 == "-" }) { return 0 }
            switch StatementValues.signedFen(text, column: columns.names[column]) {
            case .failure(let problem):
                reasons.append(problem.reason)
                return nil
            case .success(let fen) where fen < 0:
                reasons.append(
                    LineReason(
                        "amount_negative",
                        "\(columns.names[column]) \"\(text)\" is negative; a reversal must be corrected with the bank, not read as the "
                            + "opposite direction."))
                return nil
            case .success(let fen):
                return fen
            }
        }
        let debitFen = amount(debitColumn)
        let creditFen = amount(creditColumn)
        guard let debitFen, let creditFen else { return nil }
        switch (debitFen > 0, creditFen > 0) {
        case (true, false): return (debitFen, .debit)
        case (false, true): return (creditFen, .credit)
        case (true, true):
            reasons.append(
                LineReason(
                    "amounts_both",
                    "\(columns.names[debitColumn]) and \(columns.names[creditColumn]) are both filled; a receipt is either money out or money in."))
        case (false, false):
            reasons.append(
                LineReason(
                    "amount_zero", "\(columns.names[debitColumn]) and \(columns.names[creditColumn]) are both empty or zero; a receipt moves money."))
        }
        return nil
    }

    private func direction(_ text: String, column: Int, reasons: inout [LineReason]) -> EntryDirection? {
        if let direction = StatementValues.direction(text) { return direction }
        let what = text.isEmpty ? "is empty" : "\"\(text)\" is not a direction"
        reasons.append(
            LineReason("direction_invalid", "\(columns.names[column]) \(what); write 借 (or 支, 出) for money out and 贷 (or 收, 入) for money in."))
        return nil
    }
}

/// The reasons one row could not be read, each a sentence naming its column.
struct RowProblem: Error, Hashable {
    /// One sentence per fault, in column order of checking (serial, day, amount).
    var reasons: [LineReason]
}
