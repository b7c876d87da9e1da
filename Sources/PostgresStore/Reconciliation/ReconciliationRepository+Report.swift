import Foundation
import Logging
import PostgresNIO
import Reconciliation
import VoucherCore

extension ReconciliationRepository {
    static let statementColumns = """
        id, format, encoding, sha256, filename, own_account, to_char(period_from, 'YYYY-MM-DD'), to_char(period_to, 'YYYY-MM-DD'),
        entry_count, new_count, known_count, imported_by, source, created_at
        """

    static func decodeStatements(_ rows: PostgresRowSequence) async throws -> [StatementRecord] {
        var result: [StatementRecord] = []
        for try await (id, format, encoding, sha, filename, own, from, to, entries, new, known, by, source, created) in rows.decode(
            (String, String, String, String, String, String?, String?, String?, Int, Int, Int, String?, String, Date).self)
        {
            result.append(
                StatementRecord(
                    id: id, format: format, encoding: encoding, sha256: sha, filename: filename, ownAccount: own, periodFrom: from, periodTo: to,
                    entryCount: entries, newCount: new, knownCount: known, importedBy: by,
                    source: try StoredValue.decode(StatementSource.self, source, column: "statements.source"),
                    createdAt: created))
        }
        return result
    }

    static func statement(id: String, on connection: PostgresConnection, logger: Logger) async throws -> StatementRecord? {
        try await decodeStatements(
            try await connection.query(
                "SELECT \(unescaped: statementColumns) FROM bank_statements WHERE id = \(id)", logger: logger)
        ).first
    }

    static func statement(sha256: String, on connection: PostgresConnection, logger: Logger) async throws -> StatementRecord? {
        try await decodeStatements(
            try await connection.query(
                "SELECT \(unescaped: statementColumns) FROM bank_statements WHERE sha256 = \(sha256)", logger: logger)
        ).first
    }

    /// The first import of these bytes, answered as a re-import (`created` false), or nil. Lets a
    /// re-upload skip parsing; `importStatement` checks again under its lock.
    public func previousImport(sha256: String) async throws -> ImportResult? {
        try await client.withConnection { connection in
            guard let statement = try await Self.statement(sha256: sha256, on: connection, logger: logger) else { return nil }
            return ImportResult(
                statement: statement, created: false, conflicts: try await Self.conflicts(statementID: statement.id, on: connection, logger: logger),
                totals: try await Self.lineTotals(statementID: statement.id, on: connection, logger: logger))
        }
    }

    /// One statement.
    public func statement(id: String) async throws -> StatementRecord? {
        try await client.withConnection { try await Self.statement(id: id, on: $0, logger: logger) }
    }

    /// One page of statements, newest first, and the total.
    public func statements(page: Int, pageSize: Int) async throws -> (items: [StatementRecord], total: Int) {
        try await client.withConnection { connection in
            var total = 0
            for try await count in try await connection.query("SELECT count(*)::int FROM bank_statements", logger: logger).decode(Int.self) {
                total = count
            }
            let rows = try await connection.query(
                """
                SELECT \(unescaped: Self.statementColumns) FROM bank_statements ORDER BY created_at DESC, id
                LIMIT \(pageSize) OFFSET \((page - 1) * pageSize)
                """, logger: logger)
            return (try await Self.decodeStatements(rows), total)
        }
    }

    /// The statement's lines by outcome: every outcome, zeros included, in `Outcome.allCases` order.
    static func lineTotals(statementID: String, on connection: PostgresConnection, logger: Logger) async throws -> [OutcomeTotal] {
        var totals = Dictionary(
            uniqueKeysWithValues: Outcome.allCases.map { ($0.rawValue, OutcomeTotal(outcome: $0.rawValue, count: 0, amountFen: 0)) })
        for try await (outcome, count, sum) in try await connection.query(
            """
            SELECT l.outcome, count(*)::int, sum(l.amount_fen)::bigint
            FROM statement_entries e JOIN statement_lines l ON l.id = e.line_id WHERE e.statement_id = \(statementID)
            GROUP BY l.outcome
            """, logger: logger
        ).decode((String, Int, Int64).self) {
            totals[outcome] = OutcomeTotal(outcome: outcome, count: count, amountFen: sum)
        }
        return Outcome.allCases.compactMap { totals[$0.rawValue] }
    }

    /// The conflicts an import recorded, to answer a re-import with the first answer.
    static func conflicts(statementID: String, on connection: PostgresConnection, logger: Logger) async throws -> [ImportConflict] {
        var result: [ImportConflict] = []
        for try await (number, serial, reason) in try await connection.query(
            """
            SELECT e.line_number, l.serial, e.conflict FROM statement_entries e JOIN statement_lines l ON l.id = e.line_id
            WHERE e.statement_id = \(statementID) AND e.conflict IS NOT NULL ORDER BY e.line_number
            """, logger: logger
        ).decode((Int, String, String).self) {
            result.append(ImportConflict(lineNumber: number, serial: serial, reason: reason))
        }
        return result
    }

    static let lineColumns = """
        l.id, l.serial, to_char(l.booked_on, 'YYYY-MM-DD'), l.booked_time, l.direction, l.amount_fen, l.currency, l.counterparty_name,
        l.counterparty_account, l.memo, l.outcome, l.batch_id, b.reference, o.name, array_to_string(l.candidate_batch_ids, ','), l.rule,
        l.note, l.decided_by, l.matched_at,
        array_to_string(ARRAY(SELECT c.reference FROM unnest(l.candidate_batch_ids) WITH ORDINALITY AS u (id, n)
            JOIN redemption_batches c ON c.id = u.id ORDER BY u.n), ',')
        """

    static func decodeLines(_ rows: PostgresRowSequence) async throws -> [StatementLineRecord] {
        var result: [StatementLineRecord] = []
        for try await row in rows.decode(
            (
                String, String, String, String?, String, Int64, String, String, String, String, String, String?, String?, String?, String,
                String?, String, String?, Date?, String, Int, String?
            ).self)
        {
            let (
                id, serial, day, time, direction, amount, currency, name, account, memo, outcome, batch, reference, provider, candidates,
                rule, note, decidedBy, matchedAt, candidateReferences, lineNumber, conflict
            ) = row
            result.append(
                StatementLineRecord(
                    id: id, serial: serial, lineNumber: lineNumber, bookedOn: day, bookedTime: time, direction: direction, amountFen: amount,
                    currency: currency, counterpartyName: name, counterpartyAccount: account, memo: memo, outcome: outcome, batchID: batch,
                    batchReference: reference, providerName: provider,
                    candidateBatchIDs: candidates.isEmpty ? [] : candidates.split(separator: ",").map(String.init),
                    candidateBatchReferences: candidateReferences.isEmpty ? [] : candidateReferences.split(separator: ",").map(String.init),
                    rule: rule, note: note,
                    decidedBy: decidedBy, matchedAt: matchedAt, conflict: conflict))
        }
        return result
    }

    static func line(id: String, on connection: PostgresConnection, logger: Logger) async throws -> StatementLineRecord? {
        try await decodeLines(
            try await connection.query(
                """
                SELECT \(unescaped: lineColumns), l.line_number, NULL::text
                FROM statement_lines l LEFT JOIN redemption_batches b ON b.id = l.batch_id LEFT JOIN organisations o ON o.id = b.org_id
                WHERE l.id = \(id)
                """, logger: logger)
        ).first
    }

    /// The report of a statement: totals by outcome, its lines in file order (every one, or the
    /// page of the outcomes `selection` names), and the batches whose transfer was recorded within
    /// its period that receipts do not cover (`paid_no_receipt`, always all of them).
    ///
    /// The outcome filter and the page are the query's (`ORDER BY line_number … LIMIT/OFFSET`
    /// along `statement_entries_order_idx`), so a page of a 100,000-line statement reads one page
    /// of rows. The count across pages is the sum of the selected outcomes' totals, which the
    /// report reads anyway.
    public func report(statementID: String, selection: ReportLineSelection? = nil) async throws -> StatementReport? {
        try await client.withConnection { connection in
            guard let statement = try await Self.statement(id: statementID, on: connection, logger: logger) else { return nil }
            let outcomes = selection?.outcomes.map(\.rawValue) ?? []
            // LIMIT NULL is no limit: the whole statement for the CSV and the CLI.
            let limit = selection?.pageSize
            let offset = selection.map { ($0.page - 1) * $0.pageSize } ?? 0
            let lines = try await Self.decodeLines(
                try await connection.query(
                    """
                    SELECT \(unescaped: Self.lineColumns), e.line_number, e.conflict
                    FROM statement_entries e JOIN statement_lines l ON l.id = e.line_id
                        LEFT JOIN redemption_batches b ON b.id = l.batch_id LEFT JOIN organisations o ON o.id = b.org_id
                    WHERE e.statement_id = \(statementID) AND (cardinality(\(outcomes)::text[]) = 0 OR l.outcome = ANY(\(outcomes)::text[]))
                    ORDER BY e.line_number, l.id
                    LIMIT \(limit) OFFSET \(offset)
                    """, logger: logger))
            let unpaid = try await Self.unpaidBatches(from: statement.periodFrom, to: statement.periodTo, on: connection, logger: logger)
            var totals = try await Self.lineTotals(statementID: statementID, on: connection, logger: logger)
            let selected = totals.filter { outcomes.isEmpty || outcomes.contains($0.outcome) }.reduce(0) { $0 + $1.count }
            // A statement's entries are written once, by its import's transaction.
            precondition(selection != nil || lines.count == selected, "the whole report lists every line its totals count")
            totals.append(
                OutcomeTotal(
                    outcome: StatementReport.paidNoReceipt, count: unpaid.count, amountFen: unpaid.reduce(0) { $0 + $1.uncoveredFen }))
            return StatementReport(
                statement: statement, totals: totals, lines: lines, selection: selection, linesTotal: selected, unpaidBatches: unpaid)
        }
    }

    /// Outcomes of a line that names a batch without settling it (wrong amount, wrong party, a
    /// second payment, or one a person must assign): its money is reported under that outcome, so
    /// `paid_no_receipt` counts only what no receipt shows, never the same money twice.
    static let exceptionOutcomes = "'amount_mismatch', 'name_or_account_mismatch', 'duplicate_payment', 'ambiguous'"

    static func unpaidBatches(from: String?, to: String?, on connection: PostgresConnection, logger: Logger) async throws -> [UnpaidBatchRecord] {
        guard let from, let to else { return [] }
        let rows = try await connection.query(
            """
            SELECT b.id, b.reference, b.org_id, o.name, b.payee_name, b.payee_number, to_char(b.transfer_date, 'YYYY-MM-DD'), b.total_fen,
                coalesce(m.settled_fen, 0)::bigint, coalesce(m.exception_fen, 0)::bigint
            FROM redemption_batches b JOIN organisations o ON o.id = b.org_id
            LEFT JOIN LATERAL (
                SELECT sum(amount_fen) FILTER (WHERE outcome = 'matched') AS settled_fen,
                    sum(amount_fen) FILTER (WHERE outcome IN (\(unescaped: exceptionOutcomes))) AS exception_fen
                FROM statement_lines WHERE batch_id = b.id) m ON true
            WHERE b.transfer_amount_fen IS NOT NULL AND b.state IN (\(unescaped: paidStates))
                AND b.transfer_date BETWEEN \(from)::date AND \(to)::date
                AND coalesce(m.settled_fen, 0) + coalesce(m.exception_fen, 0) < b.total_fen
            ORDER BY b.transfer_date, b.reference
            """, logger: logger)
        var result: [UnpaidBatchRecord] = []
        for try await (id, reference, org, provider, payee, number, day, total, settled, exception) in rows.decode(
            (String, String, String, String, String, String, String, Int64, Int64, Int64).self)
        {
            result.append(
                UnpaidBatchRecord(
                    batchID: id, reference: reference, providerOrgID: org, providerName: provider, payeeName: payee, payeeNumber: number,
                    transferDate: day, totalFen: total, settledFen: settled, exceptionFen: exception))
        }
        return result
    }

    /// One page of the statement lines linked to a batch (matched or not), for the batch's
    /// provider: no other line; by booking day, then serial, then id (stable across pages); and
    /// how many there are.
    public func receipts(batchID: String, page: Int, pageSize: Int) async throws -> (items: [BatchReceiptRecord], total: Int) {
        precondition(page >= 1 && pageSize >= 1, "the API validates paging before it reaches the repository")
        return try await client.withConnection { connection in
            var total = 0
            for try await count in try await connection.query(
                "SELECT count(*)::int FROM statement_lines WHERE batch_id = \(batchID)", logger: logger
            ).decode(Int.self) {
                total = count
            }
            var result: [BatchReceiptRecord] = []
            for try await (serial, day, amount, outcome, rule) in try await connection.query(
                """
                SELECT serial, to_char(booked_on, 'YYYY-MM-DD'), amount_fen, outcome, rule FROM statement_lines
                WHERE batch_id = \(batchID) ORDER BY booked_on, serial, id LIMIT \(pageSize) OFFSET \((page - 1) * pageSize)
                """, logger: logger
            ).decode((String, String, Int64, String, String?).self) {
                result.append(BatchReceiptRecord(serial: serial, bookedOn: day, amountFen: amount, outcome: outcome, rule: rule))
            }
            return (result, total)
        }
    }
}
