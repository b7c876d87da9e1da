import Foundation
import Logging
import PostgresNIO
import Reconciliation
import VoucherCore

/// Bank statements and their reconciliation in PostgreSQL (SPEC §6): import (deduplicated on the
/// bank serial), matching of open payout lines against batches whose transfer was recorded,
/// manual decisions with an audit entry, and the report of a statement.
///
/// Every write takes one transaction-scoped advisory lock first, so an import, a rematch and a
/// manual decision never interleave: finance is a handful of people, and a serial order makes
/// "what a batch still owes" a plain read instead of a race.
public struct ReconciliationRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// Id prefixes of statements, lines and audit entries.
    public static let statementPrefix = "st"
    public static let linePrefix = "sl"
    public static let auditPrefix = "ra"
    /// Batch states in which a recorded transfer counts as money sent.
    static let paidStates = "'awaiting_confirmation', 'disputed', 'redeemed'"
    /// Arbitrary constant naming the reconciliation lock ("reconcil").
    static let advisoryLockKey: Int64 = 0x7265_636f_6e63_696c

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    static func lock(_ tx: PostgresConnection, logger: Logger) async throws {
        try await tx.query("SELECT pg_advisory_xact_lock(\(advisoryLockKey))", logger: logger)
    }

    /// Imports a parsed statement in one transaction and matches what is open. The same bytes
    /// again answer the first import (`created` false) and change nothing; a file with unreadable
    /// lines is refused whole. Known serials are linked, not duplicated; one whose amount,
    /// direction, day or account differs is listed as a conflict and the stored line kept.
    public func importStatement(
        parsed: ParsedStatement, sha256: String, filename: String, actor: String?, source: StatementSource, now: Date,
        policy: MatchPolicy
    ) async throws -> ImportResult {
        guard (1...ReconciliationLimits.filenameLengthMax).contains(filename.count) else { throw ReconciliationError.filenameInvalid }
        return try await client.transaction(logger: logger) { tx in
            try await Self.lock(tx, logger: logger)
            if let existing = try await Self.statement(sha256: sha256, on: tx, logger: logger) {
                return ImportResult(
                    statement: existing, created: false, conflicts: try await Self.conflicts(statementID: existing.id, on: tx, logger: logger),
                    totals: try await Self.lineTotals(statementID: existing.id, on: tx, logger: logger))
            }
            guard parsed.problems.isEmpty else { throw ReconciliationError.statementUnreadable(problems: parsed.problems) }
            guard !parsed.entries.isEmpty else { throw ReconciliationError.statementEmpty }
            let plan = try await Self.plan(parsed.entries, on: tx, logger: logger)
            let id = OpaqueID.make(prefix: Self.statementPrefix)
            try await tx.query(
                """
                INSERT INTO bank_statements (id, format, encoding, sha256, filename, own_account, period_from, period_to, entry_count,
                    new_count, known_count, imported_by, source, created_at)
                VALUES (\(id), \(parsed.format.rawValue), \(parsed.encoding), \(sha256), \(filename), \(parsed.ownAccount),
                    \(parsed.periodFrom?.description)::date, \(parsed.periodTo?.description)::date, \(parsed.entries.count),
                    \(plan.newLines.count), \(parsed.entries.count - plan.newLines.count), \(actor), \(source.rawValue), \(now))
                """, logger: logger)
            // Matching runs before the lines are written, over the stored open lines and this
            // file's new payouts together, so each new line is inserted once with its outcome.
            let fresh = plan.newLines.filter { $0.entry.direction == .debit }.map { line in
                Receipt(
                    id: line.id, serial: line.entry.serial, date: line.entry.date, amountFen: line.entry.amountFen,
                    counterpartyName: line.entry.counterpartyName, counterpartyAccount: line.entry.counterpartyAccount, memo: line.entry.memo,
                    currency: line.entry.currency)
            }
            let matching = try await Self.match(policy: policy, fresh: fresh, on: tx, logger: logger)
            try await Self.insertLines(
                plan.newLines, decisions: matching.fresh, statementID: id, ownAccount: parsed.ownAccount, now: now, on: tx, logger: logger)
            try await Self.write(matching.changed, now: now, on: tx, logger: logger)
            try await Self.insertEntries(plan.links, statementID: id, on: tx, logger: logger)
            if plan.links.count >= ReconciliationLimits.analyzeAfterRows {
                // The planner's statistics do not know the rows this transaction just wrote; on a
                // young table it then joins 100,000 entries to 100,000 lines by nested seq scans
                // (minutes). ANALYZE samples a bounded 30,000 rows, sees our own rows, and costs ~0.1 s.
                try await tx.query("ANALYZE statement_lines, statement_entries", logger: logger)
            }
            guard let statement = try await Self.statement(id: id, on: tx, logger: logger) else { throw ReconciliationError.statementNotFound }
            return ImportResult(
                statement: statement, created: true, conflicts: plan.conflicts,
                totals: try await Self.lineTotals(statementID: id, on: tx, logger: logger))
        }
    }

    /// What an import writes: the new lines (with their ids), every link of the statement to a
    /// line, and the conflicts.
    struct ImportPlan {
        var newLines: [(id: String, entry: StatementEntry)] = []
        var links: [(lineID: String, lineNumber: Int, conflict: String?)] = []
        var conflicts: [ImportConflict] = []
    }

    /// The stored details a known serial is compared on.
    struct StoredLine {
        let id: String
        let bookedOn: String
        let direction: String
        let amountFen: Int64
        let counterpartyAccount: String
    }

    /// Sorts the entries into new lines and known ones. A serial seen earlier in the same file is
    /// known too (linked once); either kind is a conflict when its details differ.
    static func plan(_ entries: [StatementEntry], on tx: PostgresConnection, logger: Logger) async throws -> ImportPlan {
        var stored: [String: StoredLine] = [:]
        let rows = try await tx.query(
            """
            SELECT l.id, l.serial, to_char(l.booked_on, 'YYYY-MM-DD'), l.direction, l.amount_fen, l.counterparty_account
            FROM unnest(\(entries.map(\.serial))::text[]) AS s (serial) JOIN statement_lines l ON l.serial = s.serial
            """, logger: logger)
        for try await (id, serial, day, direction, amount, account) in rows.decode((String, String, String, String, Int64, String).self) {
            stored[serial] = StoredLine(id: id, bookedOn: day, direction: direction, amountFen: amount, counterpartyAccount: account)
        }
        var plan = ImportPlan()
        var linked = Set<String>()
        for entry in entries {
            if let known = stored[entry.serial] {
                let reason = differences(entry, known)
                if let reason { plan.conflicts.append(ImportConflict(lineNumber: entry.lineNumber, serial: entry.serial, reason: reason)) }
                // Linked once per statement, at the first occurrence in the file.
                if linked.insert(known.id).inserted { plan.links.append((known.id, entry.lineNumber, reason)) }
                continue
            }
            let id = OpaqueID.make(prefix: linePrefix)
            linked.insert(id)
            plan.newLines.append((id, entry))
            plan.links.append((id, entry.lineNumber, nil))
            stored[entry.serial] = StoredLine(
                id: id, bookedOn: entry.date.description, direction: entry.direction.rawValue, amountFen: entry.amountFen,
                counterpartyAccount: entry.counterpartyAccount)
        }
        return plan
    }

    /// A sentence (in Chinese, for the finance person) naming what differs between a file's entry
    /// and the stored line, or nil.
    static func differences(_ entry: StatementEntry, _ stored: StoredLine) -> String? {
        func direction(_ raw: String) -> String { raw == EntryDirection.debit.rawValue ? "借（付出）" : "贷（收入）" }
        var parts: [String] = []
        if entry.amountFen != stored.amountFen {
            parts.append("本文件金额 \(Money(fen: entry.amountFen).yuanText)，已存 \(Money(fen: stored.amountFen).yuanText)")
        }
        if entry.direction.rawValue != stored.direction {
            parts.append("本文件方向 \(direction(entry.direction.rawValue))，已存 \(direction(stored.direction))")
        }
        if entry.date.description != stored.bookedOn { parts.append("本文件日期 \(entry.date)，已存 \(stored.bookedOn)") }
        if entry.counterpartyAccount != stored.counterpartyAccount {
            parts.append("本文件对方账号 \(entry.counterpartyAccount)，已存 \(stored.counterpartyAccount)")
        }
        return parts.isEmpty ? nil : "该流水号已导入过，但明细不同（" + parts.joined(separator: "；") + "）；保留已存的记录。"
    }
}
