import Foundation
import Reconciliation
import VoucherCore

/// Where a statement came from: an upload by a finance user through the JSON API or the finance
/// page, or `voucherctl statement import`.
public enum StatementSource: String, Sendable, Codable {
    case api, cli, web
}

/// An imported statement as stored.
public struct StatementRecord: Sendable, Equatable {
    public let id: String
    public let format: String
    public let encoding: String
    public let sha256: String
    public let filename: String
    public let ownAccount: String?
    /// `YYYY-MM-DD`, when the file says or has entries.
    public let periodFrom: String?
    public let periodTo: String?
    public let entryCount: Int
    public let newCount: Int
    public let knownCount: Int
    public let importedBy: String?
    public let source: StatementSource
    public let createdAt: Date
}

/// A known serial whose copy in this file differs from the stored line; the stored line stays.
public struct ImportConflict: Sendable, Equatable, Codable {
    public let lineNumber: Int
    public let serial: String
    public let reason: String
}

/// Count and sum of the lines (or unpaid batches) with one outcome.
public struct OutcomeTotal: Sendable, Equatable, Codable {
    /// An `Outcome` raw value, or `paid_no_receipt` for batches marked paid with no receipt.
    public let outcome: String
    public var count: Int
    public var amountFen: Int64
}

/// What an import did: the statement, whether it is new, what its lines were, how they matched.
public struct ImportResult: Sendable, Equatable {
    public let statement: StatementRecord
    /// False when the same bytes were imported before; nothing changed then.
    public let created: Bool
    public let conflicts: [ImportConflict]
    /// The statement's lines by outcome, after matching.
    public let totals: [OutcomeTotal]
}

/// The outcome written for each line a rematch decided differently than before.
public struct RematchResult: Sendable, Equatable {
    /// Open lines the matcher looked at.
    public let openLines: Int
    /// Batches with a recorded transfer it matched against.
    public let batches: Int
    /// Lines whose outcome, batch, candidates, rule or note changed.
    public let changed: Int
    /// Open lines by outcome after the run.
    public let totals: [OutcomeTotal]
}

/// One statement line as a report shows it.
public struct StatementLineRecord: Sendable, Equatable {
    public let id: String
    public let serial: String
    public let lineNumber: Int
    /// `YYYY-MM-DD`.
    public let bookedOn: String
    public let bookedTime: String?
    public let direction: String
    public let amountFen: Int64
    public let currency: String
    public let counterpartyName: String
    public let counterpartyAccount: String
    public let memo: String
    public let outcome: String
    public let batchID: String?
    public let batchReference: String?
    public let providerName: String?
    public let candidateBatchIDs: [String]
    /// The `RB…` references of `candidateBatchIDs`, in the same order: what people read.
    public let candidateBatchReferences: [String]
    public let rule: String?
    public let note: String
    public let decidedBy: String?
    public let matchedAt: Date?
    /// How this statement's copy differed from the stored line, when it did.
    public let conflict: String?
}

/// A batch whose transfer was recorded in the statement's period but whose receipts do not cover it
/// (neither matched receipts nor receipts naming it that a person must look at).
public struct UnpaidBatchRecord: Sendable, Equatable {
    public let batchID: String
    public let reference: String
    public let providerOrgID: String
    public let providerName: String
    public let payeeName: String
    public let payeeNumber: String
    /// `YYYY-MM-DD`.
    public let transferDate: String
    public let totalFen: Int64
    /// What matched receipts paid so far.
    public let settledFen: Int64
    /// What receipts naming the batch without settling it show (wrong amount or party, a second
    /// payment, awaiting a person): their lines report that money under their own outcomes.
    public let exceptionFen: Int64

    /// What no receipt shows: the amount `paid_no_receipt` counts for this batch (above zero).
    public var uncoveredFen: Int64 { totalFen - settledFen - exceptionFen }
}

/// Which lines of a statement a report lists: those with one of `outcomes` (every line when
/// empty), one page of them in line order. Finance works through the exceptions a page at a
/// time; the totals and unpaid batches of the report stay those of the whole statement.
public struct ReportLineSelection: Sendable, Equatable {
    /// Each outcome at most once; empty selects every line.
    public let outcomes: [Outcome]
    /// From 1.
    public let page: Int
    public let pageSize: Int

    public init(outcomes: [Outcome], page: Int, pageSize: Int) {
        precondition(page >= 1 && pageSize >= 1, "the API validates paging before it reaches the repository")
        self.outcomes = outcomes
        self.page = page
        self.pageSize = pageSize
    }
}

/// The report of a statement: totals by outcome, its lines (all, or the selected page), and the
/// paid batches without receipts.
public struct StatementReport: Sendable, Equatable {
    public let statement: StatementRecord
    /// Every outcome (in `Outcome.allCases` order, then `paid_no_receipt`), zero ones included.
    public let totals: [OutcomeTotal]
    /// Every line in file order, or the page `selection` names.
    public let lines: [StatementLineRecord]
    /// What was asked for; nil for the whole statement (the CSV and `voucherctl`).
    public let selection: ReportLineSelection?
    /// The lines the selection's outcomes select across every page (all of them without one).
    public let linesTotal: Int
    public let unpaidBatches: [UnpaidBatchRecord]

    /// The outcome of a batch marked paid that no receipt (or not enough) explains.
    public static let paidNoReceipt = "paid_no_receipt"
}

/// A manual decision (`match`, `unmatch`) or a `release` to automatic matching, as the audit keeps it.
public struct AuditRecord: Sendable, Equatable {
    public let id: String
    public let lineID: String
    public let action: String
    public let batchID: String?
    public let actor: String
    public let note: String
    public let createdAt: Date
}

/// A receipt linked to a batch, as its provider sees it: nothing about other lines.
public struct BatchReceiptRecord: Sendable, Equatable {
    public let serial: String
    /// `YYYY-MM-DD`.
    public let bookedOn: String
    public let amountFen: Int64
    public let outcome: String
    public let rule: String?
}
