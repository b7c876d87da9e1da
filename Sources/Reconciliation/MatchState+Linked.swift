extension MatchState {
    /// Rule 2: receipts that name one batch (by reference or recorded serial), oldest first.
    mutating func settleLinked(batchID: String, receipts: [Receipt]) {
        guard let batch = batchesByID[batchID], let owed = owedFen[batchID] else { return }
        let references = self.references
        let rule: (Receipt) -> MatchRule = { (references[$0.id] ?? []).contains(batch.reference) ? .reference : .bankSerial }
        let payers = receipts.filter { rightParty($0, batch) }
        let strangers = receipts.filter { !rightParty($0, batch) }

        if owed == 0 {
            for receipt in payers {
                decide(receipt, .duplicatePayment, batch: batchID, rule: rule(receipt),
                       note: "\(batch.reference) was already paid in full by earlier receipts; this pays it again.")
            }
        } else if let settling = Self.settlingSet(payers, owedFen: owed) {
            let split = settling.count > 1
            for receipt in payers {
                if settling.contains(receipt.id) {
                    decide(receipt, .matched, batch: batchID, rule: rule(receipt), note: split
                        ? "Part of a split payment: \(settling.count) receipts together pay \(batch.reference) exactly."
                        : "Pays \(batch.reference) exactly.")
                } else {
                    decide(receipt, .duplicatePayment, batch: batchID, rule: rule(receipt),
                           note: "\(batch.reference) is paid in full by other receipts; this pays it again.")
                }
            }
            owedFen[batchID] = 0
        } else {
            let paidFen = payers.reduce(Int64(0)) { $0 &+ $1.amountFen }
            for receipt in payers {
                decide(receipt, .amountMismatch, batch: batchID, rule: rule(receipt), note: payers.count > 1
                    ? "Receipts naming \(batch.reference) total \(Self.yuan(paidFen)); the batch still owes \(Self.yuan(owed))."
                    : "Pays \(Self.yuan(receipt.amountFen)); \(batch.reference) still owes \(Self.yuan(owed)).")
            }
        }
        for receipt in strangers {
            let amountRight = receipt.amountFen == owed || receipt.amountFen == batch.totalFen
            decide(receipt, amountRight ? .nameOrAccountMismatch : .amountMismatch, batch: batchID, rule: rule(receipt), note: amountRight
                ? "Names \(batch.reference) but was paid to \(receipt.counterpartyName) \(receipt.counterpartyAccount), not the batch's payee \(batch.payeeName) \(batch.payeeNumber)."
                : "Names \(batch.reference) but pays \(Self.yuan(receipt.amountFen)) to another party than the batch's payee; the batch owes \(Self.yuan(owed)).")
        }
    }

    /// The receipts (ids) that settle `owedFen` exactly: all of them; else the shortest run of the
    /// oldest; else the oldest single receipt of that amount. Nil when none does.
    static func settlingSet(_ receipts: [Receipt], owedFen: Int64) -> Set<String>? {
        guard !receipts.isEmpty else { return nil }
        var total: Int64 = 0
        for receipt in receipts {
            let (sum, overflow) = total.addingReportingOverflow(receipt.amountFen)
            total = overflow ? Int64.max : sum
        }
        if total == owedFen { return Set(receipts.map(\.id)) }
        var running: Int64 = 0
        for (index, receipt) in receipts.enumerated() {
            running = running.addingReportingOverflow(receipt.amountFen).partialValue
            if running == owedFen { return Set(receipts[...index].map(\.id)) }
            if running > owedFen { break }
        }
        if let single = receipts.first(where: { $0.amountFen == owedFen }) { return [single.id] }
        return nil
    }
}
