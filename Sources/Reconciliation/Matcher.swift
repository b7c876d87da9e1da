/// Matches open payout receipts against batches whose transfer was recorded (SPEC §6).
///
/// Pure and deterministic: the same receipts and batches give the same decisions in whatever
/// order they come (receipts are considered by booking day, then serial, then id). It settles a
/// batch only when receipts pay exactly what it still owes; everything else is a finding for a
/// person, and where several answers fit equally the outcome is `ambiguous`, never a guess.
///
/// The rules, in order:
/// Notes are written for the finance person, in Chinese, and name batches by their `RB…` reference.
///
/// 0. A receipt in another currency than the batches' (CNY) settles nothing: it is an amount
///    mismatch against the one batch it names, or no batch.
/// 1. A receipt is *linked* to a batch when its memo carries the batch reference (`RB` + 10) or
///    its serial is the bank serial recorded with the transfer. Linked to two batches → ambiguous.
/// 2. Per linked batch (receipts by day): with the right payee, receipts that together pay exactly
///    what is owed are matched (a split payment); failing that the earliest receipts whose running
///    sum reaches it exactly, failing that the earliest single receipt of that amount; the rest of
///    the right-payee receipts are duplicate payments once the batch is settled, or amount
///    mismatches while it is not. Receipts to another party are name-or-account mismatches (or
///    amount mismatches when the amount is wrong too). A batch already settled → duplicates.
/// 3. An unlinked receipt is matched by payee account and amount within the date window when it
///    is the only receipt fitting the only open batch; several batches, or several receipts for
///    one batch → ambiguous. Unlinked receipts of one account that together pay the only open
///    batch of that account exactly are a split payment. A receipt that fits only a batch already
///    settled is a duplicate payment; one to an account with a single open batch but another
///    amount is an amount mismatch against it; nothing at all → no batch. A receipt of the amount of
///    a settled batch is a duplicate payment of it even when the account has other open batches
///    (they do not owe that amount); ambiguous candidates are only batches that could take it.
/// 4. A receipt whose memo names a batch with no recorded transfer is no batch, with a note saying so.
public enum Matcher {
    /// One decision per receipt, in the order of `receipts`. `unrecordedReferences` are the
    /// references of batches that exist but whose transfer is not recorded (yet): a receipt naming
    /// one is `no_batch` with a note saying so, never matched to another batch by account and amount.
    public static func match(
        receipts: [Receipt], batches: [PaidBatch], policy: MatchPolicy, unrecordedReferences: Set<String> = []
    ) -> [LineDecision] {
        var state = MatchState(batches: batches, policy: policy)
        state.unrecordedReferences = unrecordedReferences
        // Sort positions, not the receipts: moving a struct of five strings costs retains and releases.
        let ordered = receipts.indices.sorted { MatchState.chronological(receipts[$0], receipts[$1]) }.lazy.map { receipts[$0] }
        var unlinked: [Receipt] = []
        var linked: [String: [Receipt]] = [:]
        for receipt in ordered {
            state.index(receipt)
            if receipt.currency != PaidBatch.currency {
                state.decideForeign(receipt)
                continue
            }
            switch state.links(of: receipt) {
            case .none:
                if let unrecorded = state.unrecordedReference(of: receipt) {
                    state.decide(
                        receipt, .noBatch, batch: nil, rule: nil,
                        note: "备注写明批次 \(unrecorded)，但该批次的转账尚未登记；登记转账后重新对账，即可与它核对。")
                } else {
                    unlinked.append(receipt)
                }
            case .one(let batchID): linked[batchID, default: []].append(receipt)
            case .several(let ids):
                state.decide(
                    receipt, .ambiguous, batch: nil, candidates: ids, rule: .reference,
                    note: "备注或流水号同时指向多个批次（\(state.referenceList(ids))）；请人工确定它支付的是哪一个。")
            }
        }
        for batchID in linked.keys.sorted() {
            state.settleLinked(batchID: batchID, receipts: linked[batchID] ?? [])
        }
        state.settleByAccount(unlinked)
        return receipts.map { receipt in
            guard let decision = state.decisions[receipt.id] else { preconditionFailure("every rule decides each receipt it is given") }
            return decision
        }
    }

    /// Every `RB` + 10 base32 reference in a memo (full-width letters folded, case ignored), in order.
    public static func references(in memo: String) -> [String] {
        let scalars = memo.unicodeScalars.map { scalar -> UInt8 in
            let folded = ReceiptComparison.fullWidthFolded(scalar).value
            guard folded < 0x80 else { return 0 }
            let byte = UInt8(folded)
            return byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") ? byte - 0x20 : byte
        }
        func isAlnum(_ byte: UInt8) -> Bool {
            (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
        }
        func isBase32(_ byte: UInt8) -> Bool {
            (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) || (byte >= UInt8(ascii: "2") && byte <= UInt8(ascii: "7"))
        }
        var found: [String] = []
        var index = 0
        while index + referenceLength <= scalars.count {
            if scalars[index] == UInt8(ascii: "R"), scalars[index + 1] == UInt8(ascii: "B"),
                index == 0 || !isAlnum(scalars[index - 1]),
                index + referenceLength == scalars.count || !isAlnum(scalars[index + referenceLength]),
                scalars[(index + 2)..<(index + referenceLength)].allSatisfy(isBase32)
            {
                found.append(String(decoding: scalars[index..<(index + referenceLength)], as: UTF8.self))
                index += referenceLength
            } else {
                index += 1
            }
        }
        return found
    }

    /// `RB` and ten base32 characters.
    public static let referenceLength = 12
}
