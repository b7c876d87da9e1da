import Reconciliation
import VoucherCore

/// Why a reconciliation request was refused; the API maps each case to a problem response.
public enum ReconciliationError: DomainErrorConvertible, Equatable {
    /// Lines of the file could not be read; nothing was imported. The API lists them.
    case statementUnreadable(problems: [LineProblem])
    /// No entries (the parser says so first, as `StatementError.empty`; this guards the importer).
    case statementEmpty
    case statementNotFound
    case lineNotFound
    case batchNotFound
    /// Credits are money in: they are never matched or unmatched.
    case lineNotPayout
    /// Only batches whose transfer was recorded (and not rejected) can be paid by a receipt.
    case batchNotPaid
    /// The receipt is more than the batch still owes.
    case matchExceedsBatch(owedFen: Int64, amountFen: Int64)
    /// Only a line a person decided (matched or unmatched by hand) can be released to automatic matching.
    case lineNotDecided
    case noteMissing
    case filenameInvalid
    /// An upload larger than `bytesMax`.
    case statementTooLarge(bytesMax: Int)
    /// An upload that is not a bank statement (the parser's own refusals are `StatementError`s).
    case statementNotRecognised

    public var code: String {
        switch self {
        case .statementUnreadable: "statement_unreadable"
        case .statementEmpty: "statement_empty"
        case .statementNotFound: "statement_not_found"
        case .lineNotFound: "statement_line_not_found"
        case .batchNotFound: "batch_not_found"
        case .lineNotPayout: "line_not_payout"
        case .batchNotPaid: "batch_not_paid"
        case .matchExceedsBatch: "match_exceeds_batch"
        case .lineNotDecided: "line_not_decided"
        case .noteMissing: "note_missing"
        case .filenameInvalid: "filename_invalid"
        case .statementTooLarge: "statement_too_large"
        case .statementNotRecognised: "statement_not_recognised"
        }
    }

    public var kind: DomainError.Kind {
        switch self {
        case .statementNotFound, .lineNotFound, .batchNotFound: .notFound
        case .lineNotPayout, .batchNotPaid, .matchExceedsBatch, .lineNotDecided: .conflict
        case .noteMissing, .filenameInvalid: .invalidInput
        case .statementUnreadable, .statementEmpty: .unprocessable
        case .statementTooLarge: .tooLarge
        case .statementNotRecognised: .unprocessable
        }
    }

    public var detail: String {
        switch self {
        case .statementUnreadable(let problems):
            "\(problems.count) line(s) of the statement cannot be read, so nothing was imported; fix the lines listed and upload the file again."
        case .statementEmpty: "The statement has no entries; export a period in which the account had transactions."
        case .statementNotFound: "No imported statement has this id. List them with GET /v1/finance/statements."
        case .lineNotFound: "No statement line has this id. Take it from a statement's report."
        case .batchNotFound: "No redemption batch has this id. Check the batchId."
        case .lineNotPayout: "The line is money in (a credit); only payouts (debits) are matched to batches."
        case .batchNotPaid: "The batch has no recorded transfer (or was rejected); record the transfer before matching receipts to it."
        case .matchExceedsBatch(let owed, let amount):
            "The receipt is \(Money(fen: amount).formatted) but the batch still owes \(Money(fen: owed).formatted); unmatch the other receipts "
                + "first or choose another batch."
        case .lineNotDecided:
            "The line was not decided by a person, so automatic matching already takes it; only a line matched or unmatched by hand can be released."
        case .noteMissing: "Give a note of 1 to \(ReconciliationLimits.noteLengthMax) characters saying why."
        case .filenameInvalid: "The filename must be 1 to \(ReconciliationLimits.filenameLengthMax) characters."
        case .statementTooLarge(let bytesMax): "A statement may be at most \(bytesMax / (1024 * 1024)) MiB; export a shorter period."
        case .statementNotRecognised: "The file is not a bank statement."
        }
    }
}

/// Bounds of reconciliation, named in one place.
public enum ReconciliationLimits {
    /// Notes of manual decisions, in characters (the audit table checks it too).
    public static let noteLengthMax = 500
    /// Stored file names, in characters.
    public static let filenameLengthMax = 255
    /// Rows per bulk statement (INSERT … SELECT FROM unnest, UPDATE … FROM unnest): large enough
    /// that 100,000 lines take 20 round trips, small enough that one bind stays a few MB.
    public static let bulkChunkRows = 5_000
    /// Lines of one import from which the tables' statistics are refreshed inside the import.
    public static let analyzeAfterRows = 5_000
    /// Line problems an API answer lists one by one; the rest are counted.
    public static let problemsListedMax = 100
    /// Lines of a report's JSON page when the request names no `pageSize`, and the most it may
    /// name: a page of exceptions to work through, not the statement (the CSV is the full export).
    public static let reportPageSizeDefault = 100
    public static let reportPageSizeMax = 500
}
