import Foundation
import PostgresStore
import VoucherCore

/// Count and fen of one outcome.
package struct OutcomeTotalDTO: Codable, Sendable {
    package let count: Int
    package let amountFen: Int64
}

/// An imported statement; days are `YYYY-MM-DD`, `createdAt` RFC 3339.
public struct StatementDTO: Encodable, Sendable {
    package let id: String
    package let format: String
    package let encoding: String
    package let sha256: String
    package let filename: String
    package let ownAccount: String?
    package let periodFrom: String?
    package let periodTo: String?
    package let entryCount: Int
    package let newCount: Int
    package let knownCount: Int
    package let importedBy: String?
    package let source: String
    package let createdAt: Date

    package init(_ record: StatementRecord) {
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
package func totalsObject(_ totals: [OutcomeTotal]) -> [String: OutcomeTotalDTO] {
    Dictionary(uniqueKeysWithValues: totals.map { ($0.outcome, OutcomeTotalDTO(count: $0.count, amountFen: $0.amountFen)) })
}

/// What an import did (201 when new, 200 with `created` false for the same file again).
public struct ImportResultDTO: Encodable, Sendable {
    package struct Conflict: Codable, Sendable {
        package let lineNumber: Int
        package let serial: String
        package let reason: String
    }

    package let statementId: String
    package let created: Bool
    package let entries: Int
    package let new: Int
    package let known: Int
    package let conflicts: [Conflict]
    package let totals: [String: OutcomeTotalDTO]
    package let statement: StatementDTO

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
package struct StatementLineDTO: Encodable, Sendable {
    package let id: String
    package let serial: String
    package let lineNumber: Int
    package let date: String
    package let time: String?
    package let direction: String
    package let amountFen: Int64
    package let currency: String
    package let counterpartyName: String
    package let counterpartyAccount: String
    package let memo: String
    package let outcome: String
    package let batchId: String?
    package let batchReference: String?
    package let providerName: String?
    package let candidateBatchIds: [String]
    /// The candidates' `RB…` references, in the order of `candidateBatchIds`.
    package let candidateReferences: [String]
    package let rule: String?
    package let note: String
    package let decidedBy: String?
    package let matchedAt: Date?
    package let conflict: String?

    package init(_ line: StatementLineRecord) {
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
package struct UnpaidBatchDTO: Codable, Sendable {
    package let batchId: String
    package let reference: String
    package let providerOrgId: String
    package let providerName: String
    package let payeeName: String
    package let payeeNumber: String
    package let transferDate: String
    package let totalFen: Int64
    package let settledFen: Int64
    /// What receipts naming the batch without settling it show (reported under their outcomes).
    package let exceptionFen: Int64
    /// What no receipt shows: what `paid_no_receipt` counts for this batch.
    package let uncoveredFen: Int64
    package let outcome: String

    package init(_ batch: UnpaidBatchRecord) {
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
public struct StatementReportDTO: Encodable, Sendable {
    package let statement: StatementDTO
    package let totals: [String: OutcomeTotalDTO]
    package let lines: [StatementLineDTO]
    package let page: Int?
    package let pageSize: Int?
    package let total: Int
    package let unpaidBatches: [UnpaidBatchDTO]

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
public struct RematchDTO: Encodable, Sendable {
    package let openLines: Int
    package let batches: Int
    package let changed: Int
    package let totals: [String: OutcomeTotalDTO]

    public init(_ result: RematchResult) {
        openLines = result.openLines
        batches = result.batches
        changed = result.changed
        totals = totalsObject(result.totals)
    }
}

package struct AuditDTO: Codable, Sendable {
    package let id: String
    package let lineId: String
    package let action: String
    package let batchId: String?
    package let actor: String
    package let note: String
    package let createdAt: Date

    package init(_ record: AuditRecord) {
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
package struct BatchReceiptDTO: Codable, Sendable {
    package let serial: String
    package let date: String
    package let amountFen: Int64
    package let outcome: String
    package let rule: String?

    package init(_ record: BatchReceiptRecord) {
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
