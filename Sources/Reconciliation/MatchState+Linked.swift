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
                decide(
                    receipt, .duplicatePayment, batch: batchID, rule: rule(receipt),
                    note: "\(batch.reference) 已由之前的回单全额支付；这笔是重复付款。")
            }
        } else if let settling = Self.settlingSet(payers, owedFen: owed) {
            let split = settling.count > 1
            for receipt in payers {
                if settling.contains(receipt.id) {
                    decide(
                        receipt, .matched, batch: batchID, rule: rule(receipt),
                        note: split
                            ? "分笔付款之一：\(settling.count) 张回单合计正好支付 \(batch.reference)。"
                            : "正好支付 \(batch.reference)。")
                } else {
                    decide(
                        receipt, .duplicatePayment, batch: batchID, rule: rule(receipt),
                        note: "\(batch.reference) 已由其他回单全额支付；这笔是重复付款。")
                }
            }
            owedFen[batchID] = 0
        } else {
            let paidFen = payers.reduce(Int64(0)) { $0 &+ $1.amountFen }
            for receipt in payers {
                decide(
                    receipt, .amountMismatch, batch: batchID, rule: rule(receipt),
                    note: payers.count > 1
                        ? "写明 \(batch.reference) 的回单合计 \(Self.yuan(paidFen))；该批次尚欠 \(Self.yuan(owed))。"
                        : "付款 \(Self.yuan(receipt.amountFen))；\(batch.reference) 尚欠 \(Self.yuan(owed))。")
            }
        }
        for receipt in strangers {
            let amountRight = receipt.amountFen == owed || receipt.amountFen == batch.totalFen
            decide(
                receipt, amountRight ? .nameOrAccountMismatch : .amountMismatch, batch: batchID, rule: rule(receipt),
                note: amountRight
                    ? "写明 \(batch.reference)，但收款方是 \(receipt.counterpartyName) \(receipt.counterpartyAccount)，"
                        + "不是批次的收款人 \(batch.payeeName) \(batch.payeeNumber)。"
                    : "写明 \(batch.reference)，但向批次收款人以外的一方付款 \(Self.yuan(receipt.amountFen))；该批次尚欠 \(Self.yuan(owed))。")
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
