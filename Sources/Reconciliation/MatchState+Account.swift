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
                decide(
                    receipt, .ambiguous, batch: nil, candidates: ids, rule: .accountAndAmount,
                    note: "该账户有 \(ids.count) 个批次（\(referenceList(ids))）在 \(policy.dateWindowDays) 天内都欠 \(Self.yuan(receipt.amountFen))；"
                        + "请人工确定它支付的是哪一个。")
            } else if let id = ids.first, let batch = batchesByID[id] {
                let rivals = claimants[id] ?? []
                if rivals.count > 1 {
                    decide(
                        receipt, .ambiguous, batch: id, candidates: [id], rule: .accountAndAmount,
                        note: "\(rivals.count) 张回单的账户和金额都符合 \(batch.reference)；请人工确定哪一张支付了它。")
                } else if rightParty(receipt, batch) {
                    decide(
                        receipt, .matched, batch: id, rule: .accountAndAmount,
                        note: "按账户和金额支付 \(batch.reference)（备注中没有批次参考号）。")
                    owedFen[id] = 0
                } else {
                    decide(
                        receipt, .nameOrAccountMismatch, batch: id, rule: .accountAndAmount,
                        note: "账户和金额符合 \(batch.reference)，但户名 \(receipt.counterpartyName) 不是收款人 \(batch.payeeName)。")
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
                group.count > 1, group.reduce(Int64(0), { $0 &+ $1.amountFen }) == owed
            {
                for receipt in group {
                    decide(
                        receipt, .matched, batch: id, rule: .accountAndAmount,
                        note: "分笔付款之一：付给该账户的 \(group.count) 张回单合计正好支付 \(batch.reference)。")
                }
                owedFen[id] = 0
                continue
            }
            for receipt in group { decideUnfitting(receipt) }
        }
    }

    /// A receipt no open batch owes exactly. The amount of one settled batch makes it a duplicate
    /// of that batch, whatever else is open on the account (no open batch owes that amount, or
    /// the receipt would have been a candidate of it); of several settled ones, ambiguous between
    /// them. Otherwise it is set against the open batches that could take it as a part payment.
    private mutating func decideUnfitting(_ receipt: Receipt) {
        let open = openBatches(for: receipt)
        let settled = batches(for: receipt).filter { owedFen[$0] == 0 && batchesByID[$0]?.totalFen == receipt.amountFen }
        let amount = Self.yuan(receipt.amountFen)
        if settled.count == 1, let id = settled.first, let batch = batchesByID[id] {
            decide(
                receipt, .duplicatePayment, batch: id, rule: .accountAndAmount,
                note: "与已全额支付的 \(batch.reference) 账户和金额相同；这笔是重复付款。")
        } else if settled.count > 1 {
            decide(
                receipt, .ambiguous, batch: nil, candidates: settled, rule: .accountAndAmount,
                note: "与 \(settled.count) 个已全额支付的批次（\(referenceList(settled))）账户和金额相同；请人工确定它重复支付的是哪一个。")
        } else if open.count == 1, let id = open.first, let batch = batchesByID[id], let owed = owedFen[id] {
            decide(
                receipt, .amountMismatch, batch: id, rule: .accountAndAmount,
                note: "付到 \(batch.reference) 的收款账户，但金额为 \(amount)；该批次尚欠 \(Self.yuan(owed))。")
        } else if open.count > 1 {
            let able = open.filter { (owedFen[$0] ?? 0) >= receipt.amountFen }
            if able.count == 1, let id = able.first, let batch = batchesByID[id], let owed = owedFen[id] {
                decide(
                    receipt, .amountMismatch, batch: id, rule: .accountAndAmount,
                    note: "付到 \(batch.reference) 的收款账户，但金额为 \(amount)；该批次尚欠 \(Self.yuan(owed))，"
                        + "该账户其他未结批次所欠都少于这笔付款。")
            } else if able.count > 1 {
                decide(
                    receipt, .ambiguous, batch: nil, candidates: able, rule: .accountAndAmount,
                    note: "该账户有 \(able.count) 个未结批次（\(referenceList(able))）在 \(policy.dateWindowDays) 天内所欠都不少于 \(amount)，"
                        + "但没有一个正好欠这个数；请人工确定。")
            } else {
                decide(
                    receipt, .noBatch, batch: nil, rule: nil,
                    note: "该账户在 \(policy.dateWindowDays) 天内的未结批次（\(referenceList(open))）所欠都少于 \(amount)；没有批次符合这笔付款。")
            }
        } else {
            decide(receipt, .noBatch, batch: nil, rule: nil, note: "没有已登记转账的批次符合这笔付款。" + unknownReferencesNote(receipt))
        }
    }

    /// For a receipt that fits no batch: the `RB…` references its memo names, which no batch with
    /// a recorded transfer has (a typo, or a batch of another system), so a person sees them.
    private func unknownReferencesNote(_ receipt: Receipt) -> String {
        let unknown = (references[receipt.id] ?? []).filter { byReference[$0] == nil }
        return unknown.isEmpty ? "" : "备注中的参考号 \(unknown.joined(separator: "、")) 不属于任何已登记转账的批次。"
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
