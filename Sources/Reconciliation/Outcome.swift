/// What reconciliation concluded about one statement line (SPEC §6). Stable strings: clients,
/// CSV reports and the database use them.
public enum Outcome: String, Sendable, Hashable, Codable, CaseIterable {
    /// The receipt pays its batch (alone, or with others of a split payment that sum exactly).
    case matched
    /// The receipt names a batch (reference in the memo, or the recorded bank serial) and its
    /// account, but the amount is not what the batch still owes.
    case amountMismatch = "amount_mismatch"
    /// The receipt names a batch and has the right amount, but the counterparty name or account
    /// is not the batch's payee.
    case nameOrAccountMismatch = "name_or_account_mismatch"
    /// The receipt pays a batch that other receipts already settled.
    case duplicatePayment = "duplicate_payment"
    /// A payout that no batch explains.
    case noBatch = "no_batch"
    /// Several batches (or several receipts for one batch) fit equally; a person decides.
    case ambiguous
    /// Money in (a credit line): not a payout, listed for completeness and never matched.
    case notPayout = "not_payout"
}

/// How a line came to its outcome.
public enum MatchRule: String, Sendable, Hashable, Codable, CaseIterable {
    /// The batch reference (`RB` + 10) appeared in the memo.
    case reference
    /// The line's serial equals the bank serial the operator recorded with the transfer.
    case bankSerial = "bank_serial"
    /// No reference: the payee account and the amount, within the date window.
    case accountAndAmount = "account_and_amount"
    /// A person matched or unmatched it by hand (with an audit entry).
    case manual
}

/// A debit line that is still open (not matched, not decided by a person), as the matcher sees it.
public struct Receipt: Sendable, Hashable {
    /// The statement line's id in the database (any unique string in tests).
    public var id: String
    public var serial: String
    public var date: CalendarDay
    public var amountFen: Int64
    public var counterpartyName: String
    public var counterpartyAccount: String
    public var memo: String
    /// ISO code; batches are paid in `PaidBatch.currency`, and a receipt in another currency never settles one.
    public var currency: String

    public init(
        id: String, serial: String, date: CalendarDay, amountFen: Int64, counterpartyName: String, counterpartyAccount: String, memo: String,
        currency: String = PaidBatch.currency
    ) {
        self.id = id
        self.currency = currency
        self.serial = serial
        self.date = date
        self.amountFen = amountFen
        self.counterpartyName = counterpartyName
        self.counterpartyAccount = counterpartyAccount
        self.memo = memo
    }
}

/// A redemption batch whose transfer the operator recorded, as the matcher sees it.
public struct PaidBatch: Sendable, Hashable {
    /// Every batch is paid in renminbi (SPEC §5: amounts are fen of CNY).
    public static let currency = "CNY"

    public var id: String
    /// `RB` + 10 base32, the memo the operator is asked to put on the transfer.
    public var reference: String
    public var payeeName: String
    public var payeeNumber: String
    /// What the batch owes in total.
    public var totalFen: Int64
    /// The day the operator says the transfer was made.
    public var transferDate: CalendarDay
    /// The bank serial the operator recorded with the transfer.
    public var bankSerial: String?
    /// What receipts outside this run (matched earlier, or by hand) already paid; 0...totalFen.
    public var settledFen: Int64

    public init(
        id: String, reference: String, payeeName: String, payeeNumber: String, totalFen: Int64, transferDate: CalendarDay,
        bankSerial: String?, settledFen: Int64 = 0
    ) {
        self.id = id
        self.reference = reference
        self.payeeName = payeeName
        self.payeeNumber = payeeNumber
        self.totalFen = totalFen
        self.transferDate = transferDate
        self.bankSerial = bankSerial
        self.settledFen = settledFen
    }
}

/// The matcher's conclusion about one receipt.
public struct LineDecision: Sendable, Hashable {
    public var receiptID: String
    public var outcome: Outcome
    /// The batch the outcome is about (nil for `no_batch`; for `ambiguous` when no single one).
    public var batchID: String?
    /// For `ambiguous`: every batch that fits, sorted.
    public var candidateBatchIDs: [String]
    /// How it was decided (nil for `no_batch`).
    public var rule: MatchRule?
    /// One sentence for the finance person: why this outcome.
    public var note: String

    public init(receiptID: String, outcome: Outcome, batchID: String?, candidateBatchIDs: [String] = [], rule: MatchRule?, note: String) {
        self.receiptID = receiptID
        self.outcome = outcome
        self.batchID = batchID
        self.candidateBatchIDs = candidateBatchIDs
        self.rule = rule
        self.note = note
    }
}

/// The knobs of matching, named in one place.
public struct MatchPolicy: Sendable, Hashable {
    /// How many days a receipt's booking day may be from the recorded transfer day for a match by
    /// account and amount (no reference). Config `reconciliation.dateWindowDays`.
    public var dateWindowDays: Int

    /// The default window: 3 days either side (a transfer recorded on Friday booked on Monday).
    public static let standard = MatchPolicy(dateWindowDays: 3)
    /// The largest window accepted from configuration.
    public static let dateWindowDaysMax = 31

    public init(dateWindowDays: Int) {
        precondition((0...Self.dateWindowDaysMax).contains(dateWindowDays), "date window out of range")
        self.dateWindowDays = dateWindowDays
    }
}
