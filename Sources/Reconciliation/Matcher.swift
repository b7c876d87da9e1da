/// Matches open payout receipts against batches whose transfer was recorded (SPEC §6). Pure:
/// the same input gives the same decisions whatever order it comes in.
public enum Matcher {
    /// One decision per receipt, in the order of `receipts`.
    public static func match(receipts: [Receipt], batches: [PaidBatch], policy: MatchPolicy) -> [LineDecision] {
        receipts.map { LineDecision(receiptID: $0.id, outcome: .noBatch, batchID: nil, rule: nil, note: "Not implemented yet.") }
    }
}
