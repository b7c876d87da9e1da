/// Reading one camt.053 `Ntry` into a statement entry, with the same exactness as a CSV row.
extension CamtDocument.Entry {
    /// What an entry turned out to be.
    enum Reading: Sendable, Hashable {
        case entry(StatementEntry)
        /// Not booked (`Sts` PDNG or INFO): not a receipt yet, so skipped and counted.
        case skipped
        case problem([LineReason])
    }

    /// The status of booked entries; the others are not receipts yet.
    static let bookedStatus = "BOOK"
    /// The `EndToEndId` a payer's bank writes when there is none.
    static let notProvided = "NOTPROVIDED"

    /// The entry, or every reason it cannot be read.
    func read() -> Reading {
        if let status, status != Self.bookedStatus { return .skipped }
        var reasons = overlongElements.map { LineReason("field_too_long", "\($0) is longer than \(StatementLimits.fieldLengthMax) characters.") }
        let amountFen = readAmount(&reasons)
        let direction: EntryDirection? =
            switch indicator {
            case "DBIT": .debit
            case "CRDT": .credit
            default: nil
            }
        if direction == nil {
            let indicatorText = indicator.map { "CdtDbtInd \"\($0)\" is neither CRDT nor DBIT." } ?? "CdtDbtInd is missing."
            reasons.append(LineReason("direction_invalid", indicatorText))
        }
        let booked = readBookingDay(&reasons)
        let serial = self.serial
        if serial == nil {
            reasons.append(LineReason("serial_missing", "There is no AcctSvcrRef (nor an EndToEndId); every receipt needs the bank's serial."))
        }
        let party = direction.flatMap { counterparty(direction: $0, reasons: &reasons) }
        guard reasons.isEmpty, let amountFen, let direction, let booked, let serial, let party else { return .problem(reasons) }
        let remittance = transactions.flatMap(\.unstructured).filter { !$0.isEmpty }
        return .entry(
            StatementEntry(
                lineNumber: index, serial: serial, date: booked.day, time: booked.time, direction: direction, amountFen: amountFen,
                currency: currency?.uppercased() ?? "", counterpartyName: party.name, counterpartyAccount: party.account,
                memo: remittance.isEmpty ? additionalInfo ?? "" : remittance.joined(separator: " | "), ownAccount: ownAccount))
    }

    /// The entry's own `AcctSvcrRef`, else its transaction's, else a provided `EndToEndId`.
    var serial: String? {
        if let accountServicerRef, !accountServicerRef.isEmpty { return accountServicerRef }
        if let reference = transactions.lazy.compactMap(\.accountServicerRef).first(where: { !$0.isEmpty }) { return reference }
        return transactions.lazy.compactMap(\.endToEndID).first { !$0.isEmpty && $0 != Self.notProvided }
    }

    /// `Amt` in fen with its `Ccy`: positive, at most two decimals.
    private func readAmount(_ reasons: inout [LineReason]) -> Int64? {
        guard let amountText else {
            reasons.append(LineReason("amount_missing", "Amt is missing."))
            return nil
        }
        if currency?.isEmpty ?? true { reasons.append(LineReason("currency_missing", "Amt has no Ccy attribute.")) }
        switch StatementValues.signedFen(amountText, column: "Amt") {
        case .failure(let problem):
            reasons.append(problem.reason)
        case .success(let fen) where fen <= 0:
            reasons.append(LineReason("amount_negative", "Amt \"\(amountText)\" is not positive; CdtDbtInd gives the direction."))
        case .success(let fen):
            return fen
        }
        return nil
    }

    /// `BookgDt/Dt`, or the day (and time as printed) of `BookgDt/DtTm`.
    private func readBookingDay(_ reasons: inout [LineReason]) -> (day: CalendarDay, time: String?)? {
        if let bookingDayText {
            if let day = CalendarDay(iso: bookingDayText) { return (day, nil) }
            reasons.append(LineReason("day_invalid", "BookgDt/Dt \"\(bookingDayText)\" is not a day (YYYY-MM-DD)."))
            return nil
        }
        if let bookingDateTimeText {
            if let day = Self.day(dateTime: bookingDateTimeText) {
                let time = StatementValues.time(bookingDateTimeText.dropFirst(Self.dayLength + 1).prefix(Self.timeLength))
                return (day, time)
            }
            reasons.append(LineReason("day_invalid", "BookgDt/DtTm \"\(bookingDateTimeText)\" is not a date and time (YYYY-MM-DDThh:mm:ss)."))
            return nil
        }
        reasons.append(LineReason("day_invalid", "BookgDt is missing."))
        return nil
    }

    /// The other party: the creditor of a debit, the debtor of a credit. A batch booking whose
    /// transactions name different parties is one entry for many payees; reported, not guessed.
    private func counterparty(direction: EntryDirection, reasons: inout [LineReason]) -> (name: String, account: String)? {
        let parties = transactions.map { transaction in
            direction == .debit
                ? (name: transaction.creditorName ?? "", account: transaction.creditorAccount ?? "")
                : (name: transaction.debtorName ?? "", account: transaction.debtorAccount ?? "")
        }
        var distinct: [(name: String, account: String)] = []
        for party in parties where !(party.name.isEmpty && party.account.isEmpty) && !distinct.contains(where: { $0 == party }) {
            distinct.append(party)
        }
        guard distinct.count <= 1 else {
            reasons.append(
                LineReason(
                    "parties_many", "The entry books \(distinct.count) transactions to different parties; ask the bank for one entry per transfer."))
            return nil
        }
        return distinct.first ?? ("", "")
    }

    /// `YYYY-MM-DD`, the day part of an ISO date-time.
    static let dayLength = 10
    /// `hh:mm:ss`, the time part after the `T`.
    static let timeLength = 8

    /// The day of `2026-11-03T10:22:05+08:00` (or of a bare day), as printed: the bank's day.
    static func day(dateTime: String) -> CalendarDay? {
        let day = dateTime.prefix(dayLength)
        guard dateTime.count == dayLength || dateTime.dropFirst(dayLength).first == "T" else { return nil }
        return CalendarDay(iso: String(day))
    }
}
