import VoucherCore

/// The working state of one `Matcher.match` run: indexes of the batches, what each still owes,
/// and the decisions so far. Kept out of `Matcher` so each rule reads as one short function.
struct MatchState {
    enum Links {
        case none
        case one(String)
        case several([String])
    }

    let policy: MatchPolicy
    var batchesByID: [String: PaidBatch] = [:]
    var byReference: [String: String] = [:]
    var bySerial: [String: [String]] = [:]
    var byAccount: [String: [String]] = [:]
    /// What each batch still owes, updated as receipts settle it.
    var owedFen: [String: Int64] = [:]
    /// Each batch's payee, normalised once (name, account).
    var payees: [String: (name: String, account: String)] = [:]
    /// Each receipt's references and normalised counterparty, computed once per run.
    var references: [String: [String]] = [:]
    var parties: [String: (name: String, account: String)] = [:]
    /// Normalised forms by raw text: a statement repeats a few hundred payees thousands of times.
    var normalisedNames: [String: String] = [:]
    var normalisedAccounts: [String: String] = [:]
    var decisions: [String: LineDecision] = [:]
    /// References of batches whose transfer is not recorded (rule 4).
    var unrecordedReferences: Set<String> = []

    init(batches: [PaidBatch], policy: MatchPolicy) {
        self.policy = policy
        for batch in batches.sorted(by: { $0.id < $1.id }) {
            precondition(batch.totalFen > 0 && (0...batch.totalFen).contains(batch.settledFen), "a batch is settled within its total")
            batchesByID[batch.id] = batch
            byReference[batch.reference] = batch.id
            if let serial = batch.bankSerial, !serial.isEmpty { bySerial[serial, default: []].append(batch.id) }
            let payee = (normalisedName(batch.payeeName), normalisedAccount(batch.payeeNumber))
            payees[batch.id] = payee
            byAccount[payee.1, default: []].append(batch.id)
            owedFen[batch.id] = batch.totalFen - batch.settledFen
        }
    }

    /// Booking day, then serial, then id: the order in which receipts are considered.
    static func chronological(_ a: Receipt, _ b: Receipt) -> Bool {
        if a.date != b.date { return a.date < b.date }
        if a.serial != b.serial { return a.serial < b.serial }
        return a.id < b.id
    }

    /// Reads what the rules ask of a receipt again and again: its references and its party.
    mutating func index(_ receipt: Receipt) {
        references[receipt.id] = Matcher.references(in: receipt.memo)
        parties[receipt.id] = (normalisedName(receipt.counterpartyName), normalisedAccount(receipt.counterpartyAccount))
    }

    mutating func normalisedName(_ name: String) -> String {
        if let known = normalisedNames[name] { return known }
        let normalised = ReceiptComparison.normalisedName(name)
        normalisedNames[name] = normalised
        return normalised
    }

    mutating func normalisedAccount(_ account: String) -> String {
        if let known = normalisedAccounts[account] { return known }
        let normalised = ReceiptComparison.normalisedAccount(account)
        normalisedAccounts[account] = normalised
        return normalised
    }

    /// The batches a receipt names by reference in its memo or by the recorded bank serial.
    func links(of receipt: Receipt) -> Links {
        var ids = Set((references[receipt.id] ?? []).compactMap { byReference[$0] })
        ids.formUnion(bySerial[receipt.serial] ?? [])
        switch ids.count {
        case 0: return .none
        case 1: return .one(ids.first ?? "")
        default: return .several(ids.sorted())
        }
    }

    /// The first reference in the receipt's memo that names a batch without a recorded transfer.
    func unrecordedReference(of receipt: Receipt) -> String? {
        (references[receipt.id] ?? []).first { unrecordedReferences.contains($0) && byReference[$0] == nil }
    }

    /// Batches by their `RB…` references, for notes: `RBAAAAAAAAAA、RBBBBBBBBBBB`.
    func referenceList(_ ids: [String]) -> String {
        ids.map { batchesByID[$0]?.reference ?? $0 }.joined(separator: "、")
    }

    /// Rule 0: a payout in another currency is compared with nothing; it names its batch or none.
    mutating func decideForeign(_ receipt: Receipt) {
        let amount = "\(receipt.currency) \(Money(fen: receipt.amountFen).yuanText)"
        if case .one(let id) = links(of: receipt), let batch = batchesByID[id] {
            decide(
                receipt, .amountMismatch, batch: id, rule: references[receipt.id]?.contains(batch.reference) == true ? .reference : .bankSerial,
                note: "写明 \(batch.reference)，但付款为 \(amount)；批次以人民币（\(PaidBatch.currency)）支付。")
        } else {
            decide(receipt, .noBatch, batch: nil, rule: nil, note: "一笔 \(amount) 的付款；批次以人民币（\(PaidBatch.currency)）支付，不与任何批次比对。")
        }
    }

    mutating func decide(_ receipt: Receipt, _ outcome: Outcome, batch: String?, candidates: [String] = [], rule: MatchRule?, note: String) {
        precondition(decisions[receipt.id] == nil, "one decision per receipt")
        decisions[receipt.id] = LineDecision(
            receiptID: receipt.id, outcome: outcome, batchID: batch, candidateBatchIDs: candidates, rule: rule, note: note)
    }

    /// `ReceiptComparison.sameParty`, on the normalised forms computed once.
    func rightParty(_ receipt: Receipt, _ batch: PaidBatch) -> Bool {
        guard let party = parties[receipt.id], let payee = payees[batch.id] else { return false }
        return !party.account.isEmpty && !party.name.isEmpty && party.account == payee.account && party.name == payee.name
    }

    func withinWindow(_ receipt: Receipt, _ batch: PaidBatch) -> Bool {
        abs(batch.transferDate.days(to: receipt.date)) <= policy.dateWindowDays
    }

    /// An amount in a note, as the platform's guide writes it (`¥50,000.00`).
    static func yuan(_ fen: Int64) -> String { Money(fen: fen).formatted }
}
