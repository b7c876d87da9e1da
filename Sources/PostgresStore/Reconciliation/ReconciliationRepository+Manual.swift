import Foundation
import Logging
import PostgresNIO
import Reconciliation
import VoucherCore

extension ReconciliationRepository {
    /// A person matches a payout line to a batch with a recorded transfer, up to what the batch
    /// still owes. The line leaves automatic matching (`decided_by`); the audit keeps who and why.
    public func match(lineID: String, batchID: String, actor: String, note: String, now: Date) async throws -> StatementLineRecord {
        let note = try Self.validated(note: note)
        return try await client.transaction(logger: logger) { tx in
            try await Self.lock(tx, logger: logger)
            let line = try await Self.lockLine(id: lineID, on: tx, logger: logger)
            var batch: (totalFen: Int64, paid: Bool)?
            for try await (total, paid) in try await tx.query(
                """
                SELECT total_fen, transfer_amount_fen IS NOT NULL AND state IN (\(unescaped: Self.paidStates))
                FROM redemption_batches WHERE id = \(batchID) FOR UPDATE
                """, logger: logger
            ).decode((Int64, Bool).self) {
                batch = (total, paid)
            }
            guard let batch else { throw ReconciliationError.batchNotFound }
            guard batch.paid else { throw ReconciliationError.batchNotPaid }
            var settledFen: Int64 = 0
            for try await sum in try await tx.query(
                """
                SELECT coalesce(sum(amount_fen), 0)::bigint FROM statement_lines
                WHERE batch_id = \(batchID) AND outcome = 'matched' AND id <> \(lineID)
                """, logger: logger
            ).decode(Int64.self) {
                settledFen = sum
            }
            let owedFen = batch.totalFen - settledFen
            guard line.amountFen <= owedFen else { throw ReconciliationError.matchExceedsBatch(owedFen: owedFen, amountFen: line.amountFen) }
            do {
                try await tx.query(
                    """
                    UPDATE statement_lines SET outcome = 'matched', batch_id = \(batchID), candidate_batch_ids = '{}', rule = 'manual',
                        note = \(note), decided_by = \(actor), decided_at = \(now), matched_at = \(now)
                    WHERE id = \(lineID)
                    """, logger: logger)
            } catch let error as PSQLError where error.serverInfo?[.constraintName] == "statement_lines_batch_not_overpaid" {
                throw ReconciliationError.matchExceedsBatch(owedFen: owedFen, amountFen: line.amountFen)
            }
            try await Self.audit(lineID: lineID, action: "match", batchID: batchID, actor: actor, note: note, now: now, on: tx, logger: logger)
            return try await Self.requireLine(id: lineID, on: tx, logger: logger)
        }
    }

    /// A person says a payout line pays no batch we know: `no_batch`, out of automatic matching,
    /// with an audit entry naming the batch it was matched to before, if any.
    public func unmatch(lineID: String, actor: String, note: String, now: Date) async throws -> StatementLineRecord {
        let note = try Self.validated(note: note)
        return try await client.transaction(logger: logger) { tx in
            try await Self.lock(tx, logger: logger)
            let line = try await Self.lockLine(id: lineID, on: tx, logger: logger)
            try await tx.query(
                """
                UPDATE statement_lines SET outcome = 'no_batch', batch_id = NULL, candidate_batch_ids = '{}', rule = 'manual',
                    note = \(note), decided_by = \(actor), decided_at = \(now), matched_at = NULL
                WHERE id = \(lineID)
                """, logger: logger)
            try await Self.audit(lineID: lineID, action: "unmatch", batchID: line.batchID, actor: actor, note: note, now: now, on: tx, logger: logger)
            return try await Self.requireLine(id: lineID, on: tx, logger: logger)
        }
    }

    /// A person hands a line they decided back to automatic matching: it is open again (`no_batch`,
    /// no batch, no rule, no decider) and, in the same transaction under the reconciliation lock,
    /// the matcher runs over every open line as `rematch` does, so the answer carries the line's
    /// automatic outcome. The audit keeps who released it, why, and the batch it was linked to.
    public func release(lineID: String, actor: String, note: String, now: Date, policy: MatchPolicy) async throws -> StatementLineRecord {
        let note = try Self.validated(note: note)
        return try await client.transaction(logger: logger) { tx in
            try await Self.lock(tx, logger: logger)
            let line = try await Self.lockLine(id: lineID, on: tx, logger: logger)
            guard line.decided else { throw ReconciliationError.lineNotDecided }
            try await tx.query(
                """
                UPDATE statement_lines SET outcome = 'no_batch', batch_id = NULL, candidate_batch_ids = '{}', rule = NULL, note = '',
                    decided_by = NULL, decided_at = NULL, matched_at = NULL
                WHERE id = \(lineID)
                """, logger: logger)
            try await Self.audit(lineID: lineID, action: "release", batchID: line.batchID, actor: actor, note: note, now: now, on: tx, logger: logger)
            _ = try await Self.rematch(policy: policy, now: now, on: tx, logger: logger)
            let released = try await Self.requireLine(id: lineID, on: tx, logger: logger)
            precondition(released.decidedBy == nil && released.rule != MatchRule.manual.rawValue, "a released line is the matcher's again")
            return released
        }
    }

    /// One page of the manual decisions about a line, oldest first, and how many there are; nil
    /// when the line does not exist.
    public func audit(lineID: String, page: Int, pageSize: Int) async throws -> (items: [AuditRecord], total: Int)? {
        precondition(page >= 1 && pageSize >= 1, "the API validates paging before it reaches the repository")
        return try await client.withConnection { connection in
            guard try await Self.line(id: lineID, on: connection, logger: logger) != nil else { return nil }
            var total = 0
            for try await count in try await connection.query(
                "SELECT count(*)::int FROM reconciliation_audit WHERE line_id = \(lineID)", logger: logger
            ).decode(Int.self) {
                total = count
            }
            var records: [AuditRecord] = []
            for try await (id, line, action, batch, actor, note, created) in try await connection.query(
                """
                SELECT id, line_id, action, batch_id, actor, note, created_at FROM reconciliation_audit
                WHERE line_id = \(lineID) ORDER BY created_at, id LIMIT \(pageSize) OFFSET \((page - 1) * pageSize)
                """, logger: logger
            ).decode((String, String, String, String?, String, String, Date).self) {
                records.append(AuditRecord(id: id, lineID: line, action: action, batchID: batch, actor: actor, note: note, createdAt: created))
            }
            return (records, total)
        }
    }

    static func validated(note: String) throws -> String {
        let trimmed = note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...ReconciliationLimits.noteLengthMax).contains(trimmed.count) else { throw ReconciliationError.noteMissing }
        return trimmed
    }

    /// Locks a payout line; a credit is refused (it is never a payout). `decided` is whether a
    /// person matched or unmatched it.
    static func lockLine(
        id: String, on tx: PostgresConnection, logger: Logger
    ) async throws -> (amountFen: Int64, batchID: String?, decided: Bool) {
        for try await (direction, amount, batch, decided) in try await tx.query(
            """
            SELECT direction, amount_fen, batch_id, decided_by IS NOT NULL FROM statement_lines WHERE id = \(id) FOR UPDATE
            """, logger: logger
        ).decode((String, Int64, String?, Bool).self) {
            guard direction == EntryDirection.debit.rawValue else { throw ReconciliationError.lineNotPayout }
            return (amount, batch, decided)
        }
        throw ReconciliationError.lineNotFound
    }

    static func audit(
        lineID: String, action: String, batchID: String?, actor: String, note: String, now: Date, on tx: PostgresConnection, logger: Logger
    ) async throws {
        try await tx.query(
            """
            INSERT INTO reconciliation_audit (id, line_id, action, batch_id, actor, note, created_at)
            VALUES (\(OpaqueID.make(prefix: auditPrefix)), \(lineID), \(action), \(batchID), \(actor), \(note), \(now))
            """, logger: logger)
    }

    static func requireLine(id: String, on tx: PostgresConnection, logger: Logger) async throws -> StatementLineRecord {
        guard let line = try await line(id: id, on: tx, logger: logger) else { throw ReconciliationError.lineNotFound }
        return line
    }
}
