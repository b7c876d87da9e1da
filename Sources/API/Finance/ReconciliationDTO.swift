import Foundation
import Hummingbird
import Ledger

struct MatchBody: Decodable {
    let batchId: String
    let note: String
}

struct NoteBody: Decodable {
    let note: String
}

/// Count and fen of one outcome.
struct OutcomeTotalDTO: Codable, Sendable {
    let count: Int
    let amountFen: Int64
}

/// An imported statement; days are `YYYY-MM-DD`, `createdAt` RFC 3339.
public struct StatementDTO: ResponseEncodable, Sendable {
    let id: String
    let format: String
    let encoding: String
    let sha256: String
    let filename: String
    let ownAccount: String?
    let periodFrom: String?
    let periodTo: String?
    let entryCount: Int
    let newCount: Int
    let knownCount: Int
    let importedBy: String?
    let source: String
    let createdAt: Date

    init(_ record: StatementRecord) {
        id = record.id
        format = record.format
        encoding = record.encoding
        sha256 = record.sha256
        filename = record.filename
        ownAccount = record.ownAccount
        periodFrom = record.periodFrom
        periodTo = record.periodTo
        entryCount = record.entryCount
        newCount = record.newCount
        knownCount = record.knownCount
        importedBy = record.importedBy
        source = record.source.rawValue
        createdAt = record.createdAt
    }
}

/// `{outcome: {count, amountFen}}` for every outcome (and `paid_no_receipt` in a report).
func totalsObject(_ totals: [OutcomeTotal]) -> [String: OutcomeTotalDTO] {
    Dictionary(uniqueKeysWithValues: totals.map { ($0.outcome, OutcomeTotalDTO(count: $0.count, amountFen: $0.amountFen)) })
}

/// What an import did (201 when new, 200 with `created` false for the same file again).
public struct ImportResultDTO: ResponseEncodable, Sendable {
    struct Conflict: Codable, Sendable {
        let lineNumber: Int
        let serial: String
        let reason: String
    }

    let statementId: String
    let created: Bool
    let entries: Int
    let new: Int
    let known: Int
    let conflicts: [Conflict]
    let totals: [String: OutcomeTotalDTO]
    let statement: StatementDTO

    public init(_ result: ImportResult) {
        statementId = result.statement.id
        created = result.created
        entries = result.statement.entryCount
        new = result.statement.newCount
        known = result.statement.knownCount
        conflicts = result.conflicts.map { Conflict(lineNumber: $0.lineNumber, serial: $0.serial, reason: $0.reason) }
        totals = totalsObject(result.totals)
        statement = StatementDTO(result.statement)
    }
}

/// One statement line with its outcome and batch.
struct StatementLineDTO: ResponseEncodable, Sendable {
    let id: String
    let serial: String
    let lineNumber: Int
    let date: String
    let time: String?
    let direction: String
    let amountFen: Int64
    let currency: String
    let counterpartyName: String
    let counterpartyAccount: String
    let memo: String
    let outcome: String
    let batchId: String?
    let batchReference: String?
    let providerName: String?
    let candidateBatchIds: [String]
    /// The candidates' `RB…` references, in the order of `candidateBatchIds`.
    let candidateReferences: [String]
    let rule: String?
    let note: String
    let decidedBy: String?
    let matchedAt: Date?
    let conflict: String?

    init(_ line: StatementLineRecord) {
        id = line.id
        serial = line.serial
        lineNumber = line.lineNumber
        date = line.bookedOn
        time = line.bookedTime
        direction = line.direction
        amountFen = line.amountFen
        currency = line.currency
        counterpartyName = line.counterpartyName
        counterpartyAccount = line.counterpartyAccount
        memo = line.memo
        outcome = line.outcome
        batchId = line.batchID
        batchReference = line.batchReference
        providerName = line.providerName
        candidateBatchIds = line.candidateBatchIDs
        candidateReferences = line.candidateBatchReferences
        rule = line.rule
        note = line.note
        decidedBy = line.decidedBy
        matchedAt = line.matchedAt
        conflict = line.conflict
    }
}

/// A batch marked paid in the statement's period that receipts do not cover.
struct UnpaidBatchDTO: Codable, Sendable {
    let batchId: String
    let reference: String
    let providerOrgId: String
    let providerName: String
    let payeeName: String
    let payeeNumber: String
    let transferDate: String
    let totalFen: Int64
    let settledFen: Int64
    /// What receipts naming the batch without settling it show (reported under their outcomes).
    let exceptionFen: Int64
    /// What no receipt shows: what `paid_no_receipt` counts for this batch.
    let uncoveredFen: Int64
    let outcome: String

    init(_ batch: UnpaidBatchRecord) {
        batchId = batch.batchID
        reference = batch.reference
        providerOrgId = batch.providerOrgID
        providerName = batch.providerName
        payeeName = batch.payeeName
        payeeNumber = batch.payeeNumber
        transferDate = batch.transferDate
        totalFen = batch.totalFen
        settledFen = batch.settledFen
        exceptionFen = batch.exceptionFen
        uncoveredFen = batch.uncoveredFen
        outcome = StatementReport.paidNoReceipt
    }
}

/// The report of a statement as JSON. `totals` and `unpaidBatches` are the whole statement's;
/// `lines` is one page of the selected outcomes' lines, with the paging fields every list
/// answers (`page`, `pageSize`, `total` — the lines selected across all pages). The whole
/// report (`voucherctl reconcile`) lists every line and leaves `page` and `pageSize` out.
public struct StatementReportDTO: ResponseEncodable, Sendable {
    let statement: StatementDTO
    let totals: [String: OutcomeTotalDTO]
    let lines: [StatementLineDTO]
    let page: Int?
    let pageSize: Int?
    let total: Int
    let unpaidBatches: [UnpaidBatchDTO]

    public init(_ report: StatementReport) {
        statement = StatementDTO(report.statement)
        totals = totalsObject(report.totals)
        lines = report.lines.map(StatementLineDTO.init)
        page = report.selection?.page
        pageSize = report.selection?.pageSize
        total = report.linesTotal
        unpaidBatches = report.unpaidBatches.map(UnpaidBatchDTO.init)
    }
}

/// What a rematch did.
public struct RematchDTO: ResponseEncodable, Sendable {
    let openLines: Int
    let batches: Int
    let changed: Int
    let totals: [String: OutcomeTotalDTO]

    public init(_ result: RematchResult) {
        openLines = result.openLines
        batches = result.batches
        changed = result.changed
        totals = totalsObject(result.totals)
    }
}

struct AuditDTO: Codable, Sendable {
    let id: String
    let lineId: String
    let action: String
    let batchId: String?
    let actor: String
    let note: String
    let createdAt: Date

    init(_ record: AuditRecord) {
        id = record.id
        lineId = record.lineID
        action = record.action
        batchId = record.batchID
        actor = record.actor
        note = record.note
        createdAt = record.createdAt
    }
}

/// A receipt of the provider's own batch: nothing about other lines or counterparties.
struct BatchReceiptDTO: Codable, Sendable {
    let serial: String
    let date: String
    let amountFen: Int64
    let outcome: String
    let rule: String?

    init(_ record: BatchReceiptRecord) {
        serial = record.serial
        date = record.bookedOn
        amountFen = record.amountFen
        outcome = record.outcome
        rule = record.rule
    }
}

/// JSON of the CLI: the same bodies and date convention as the API.
public enum ReconciliationJSON {
    public static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(RFC3339.format(date))
        }
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
