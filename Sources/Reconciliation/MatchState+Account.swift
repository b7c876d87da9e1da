extension MatchState {
    /// Rule 3: receipts with no reference and no recorded serial, by payee account and amount.
    mutating func settleByAccount(_ receipts: [Receipt]) {
        var candidates: [String: [String]] = [:]
        var claimants: [String: [String]] = [:]
        for receipt in receipts {
            let ids = openBatches(for: receipt).filter { owedFen[$0] == receipt.amountFen }
            candidates[receipt.id] = ids
            for id in ids { claimants[id, default: []].append(receipt.id) }
        }
        var rest: [Receipt] = []
        for receipt in receipts {
            let ids = candidates[receipt.id] ?? []
            if ids.count > 1 {
                decide(receipt, .ambiguous, batch: nil, candidates: ids, rule: .accountAndAmount,
                       note: "\(ids.count) batches to this account owe \(Self.yuan(receipt.amountFen)) within \(policy.dateWindowDays) days; decide which one it pays.")
            } else if let id = ids.first, let batch = batchesByID[id] {
                let rivals = claimants[id] ?? []
                if rivals.count > 1 {
                    decide(receipt, .ambiguous, batch: id, candidates: [id], rule: .accountAndAmount,
                           note: "\(rivals.count) receipts fit \(batch.reference) by account and amount; decide which one pays it.")
                } else if rightParty(receipt, batch) {
                    decide(receipt, .matched, batch: id, rule: .accountAndAmount,
                           note: "Pays \(batch.reference) by account and amount (no reference in the memo).")
                    owedFen[id] = 0
                } else {
                    decide(receipt, .nameOrAccountMismatch, batch: id, rule: .accountAndAmount,
                           note: "Account and amount fit \(batch.reference) but the name \(receipt.counterpartyName) is not the payee \(batch.payeeName).")
                }
            } else {
                rest.append(receipt)
            }
        }
        settleSplitsByAccount(rest)
    }

    /// Receipts with no single fitting batch: a split payment of the account's only open batch,
    /// a duplicate of a settled one, an amount mismatch against the only open one, or no batch.
    mutating func settleSplitsByAccount(_ receipts: [Receipt]) {
        var byAccount: [String: [Receipt]] = [:]
        for receipt in receipts { byAccount[parties[receipt.id]?.account ?? "", default: []].append(receipt) }
        for account in byAccount.keys.sorted() {
            let group = byAccount[account] ?? []
            let open = Set(group.flatMap { openBatches(for: $0) })
            if open.count == 1, let id = open.first, let batch = batchesByID[id], let owed = owedFen[id],
               group.allSatisfy({ withinWindow($0, batch) && rightParty($0, batch) }),
               group.count > 1, group.reduce(Int64(0), { $0 &+ $1.amountFen }) == owed {
                for receipt in group {
                    decide(receipt, .matched, batch: id, rule: .accountAndAmount,
                           note: "Part of a split payment: \(group.count) receipts to this account together pay \(batch.reference) exactly.")
                }
                owedFen[id] = 0
                continue
            }
            for receipt in group { decideUnfitting(receipt) }
        }
    }

    private mutating func decideUnfitting(_ receipt: Receipt) {
        let open = openBatches(for: receipt)
        let settled = batches(for: receipt).filter { owedFen[$0] == 0 && batchesByID[$0]?.totalFen == receipt.amountFen }
        if open.isEmpty, settled.count == 1, let id = settled.first, let batch = batchesByID[id] {
            decide(receipt, .duplicatePayment, batch: id, rule: .accountAndAmount,
                   note: "Same account and amount as \(batch.reference), which is already paid in full.")
        } else if open.isEmpty, settled.count > 1 {
            decide(receipt, .ambiguous, batch: nil, candidates: settled, rule: .accountAndAmount,
                   note: "Same account and amount as \(settled.count) batches already paid in full; decide which one it pays again.")
        } else if open.count == 1, let id = open.first, let batch = batchesByID[id], let owed = owedFen[id] {
            decide(receipt, .amountMismatch, batch: id, rule: .accountAndAmount,
                   note: "Paid to the account of \(batch.reference) but \(Self.yuan(receipt.amountFen)); the batch owes \(Self.yuan(owed)).")
        } else if open.count > 1 {
            decide(receipt, .ambiguous, batch: nil, candidates: open, rule: .accountAndAmount,
                   note: "\(open.count) batches to this account are open within \(policy.dateWindowDays) days and none owes \(Self.yuan(receipt.amountFen)); decide.")
        } else {
            decide(receipt, .noBatch, batch: nil, rule: nil, note: "No batch with a recorded transfer fits this payout.")
        }
    }

    /// Batches paid to the receipt's account within the date window, sorted by id.
    func batches(for receipt: Receipt) -> [String] {
        guard let account = parties[receipt.id]?.account, !account.isEmpty else { return [] }
        return (byAccount[account] ?? []).filter { id in batchesByID[id].map { withinWindow(receipt, $0) } ?? false }
    }

    /// Those of them that still owe something.
    func openBatches(for receipt: Receipt) -> [String] {
        batches(for: receipt).filter { (owedFen[$0] ?? 0) > 0 }
    }
}
