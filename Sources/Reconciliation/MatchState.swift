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
    var decisions: [String: LineDecision] = [:]

    init(batches: [PaidBatch], policy: MatchPolicy) {
        self.policy = policy
        for batch in batches.sorted(by: { $0.id < $1.id }) {
            precondition(batch.totalFen > 0 && (0...batch.totalFen).contains(batch.settledFen), "a batch is settled within its total")
            batchesByID[batch.id] = batch
            byReference[batch.reference] = batch.id
            if let serial = batch.bankSerial, !serial.isEmpty { bySerial[serial, default: []].append(batch.id) }
            byAccount[ReceiptComparison.normalisedAccount(batch.payeeNumber), default: []].append(batch.id)
            owedFen[batch.id] = batch.totalFen - batch.settledFen
        }
    }

    /// Booking day, then serial, then id: the order in which receipts are considered.
    static func chronological(_ a: Receipt, _ b: Receipt) -> Bool {
        if a.date != b.date { return a.date < b.date }
        if a.serial != b.serial { return a.serial < b.serial }
        return a.id < b.id
    }

    /// The batches a receipt names by reference in its memo or by the recorded bank serial.
    func links(of receipt: Receipt) -> Links {
        var ids = Set(Matcher.references(in: receipt.memo).compactMap { byReference[$0] })
        ids.formUnion(bySerial[receipt.serial] ?? [])
        switch ids.count {
        case 0: return .none
        case 1: return .one(ids.first ?? "")
        default: return .several(ids.sorted())
        }
    }

    mutating func decide(_ receipt: Receipt, _ outcome: Outcome, batch: String?, candidates: [String] = [], rule: MatchRule?, note: String) {
        precondition(decisions[receipt.id] == nil, "one decision per receipt")
        decisions[receipt.id] = LineDecision(
            receiptID: receipt.id, outcome: outcome, batchID: batch, candidateBatchIDs: candidates, rule: rule, note: note)
    }

    func rightParty(_ receipt: Receipt, _ batch: PaidBatch) -> Bool {
        ReceiptComparison.sameParty(
            name: receipt.counterpartyName, account: receipt.counterpartyAccount, expectedName: batch.payeeName, expectedAccount: batch.payeeNumber)
    }

    func withinWindow(_ receipt: Receipt, _ batch: PaidBatch) -> Bool {
        abs(batch.transferDate.days(to: receipt.date)) <= policy.dateWindowDays
    }

    static func yuan(_ fen: Int64) -> String {
        let sign = fen < 0 ? "-" : ""
        let magnitude = fen.magnitude
        let cents = magnitude % 100
        return "\(sign)¥\(magnitude / 100).\(cents < 10 ? "0" : "")\(cents)"
    }
}
