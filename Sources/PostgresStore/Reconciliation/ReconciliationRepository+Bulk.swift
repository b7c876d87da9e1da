import Foundation
import Logging
import PostgresNIO
import Reconciliation
import VoucherCore

extension ReconciliationRepository {
    /// Inserts new lines in chunks of `bulkChunkRows` (INSERT … SELECT FROM unnest: one round trip
    /// per chunk, one bind per column), each with the matcher's decision already made (`decisions`
    /// by line id; credits are `not_payout`), so an import writes each line once instead of
    /// inserting and then updating it. Under the reconciliation lock every serial here is new; the
    /// count proves it.
    static func insertLines(
        _ lines: [(id: String, entry: StatementEntry)], decisions: [String: LineDecision], statementID: String, ownAccount: String?,
        now: Date, on tx: PostgresConnection, logger: Logger
    ) async throws {
        for start in stride(from: 0, to: lines.count, by: ReconciliationLimits.bulkChunkRows) {
            let chunk = lines[start..<min(start + ReconciliationLimits.bulkChunkRows, lines.count)]
            let ids = chunk.map(\.id)
            let entries = chunk.map(\.entry)
            let decided = chunk.map { line -> LineDecision in
                if line.entry.direction == .credit {
                    return LineDecision(receiptID: line.id, outcome: .notPayout, batchID: nil, rule: nil, note: "")
                }
                guard let decision = decisions[line.id] else { preconditionFailure("every new debit was matched") }
                return decision
            }
            let inserted = try await tx.query(
                """
                WITH ins AS (
                    INSERT INTO statement_lines (id, serial, first_statement_id, line_number, booked_on, booked_time, direction, amount_fen,
                        currency, counterparty_name, counterparty_account, memo, own_account, outcome, batch_id, candidate_batch_ids, rule,
                        note, matched_at, created_at)
                    SELECT u.id, u.serial, \(statementID), u.line_number, u.booked_on::date, NULLIF(u.booked_time, ''), u.direction,
                        u.amount_fen, u.currency, u.name, u.account, u.memo, NULLIF(u.own_account, ''), u.outcome, NULLIF(u.batch_id, ''),
                        CASE WHEN u.candidates = '' THEN '{}'::text[] ELSE string_to_array(u.candidates, ',') END, NULLIF(u.rule, ''),
                        u.note, CASE WHEN u.outcome = 'matched' THEN \(now) ELSE NULL END, \(now)
                    FROM unnest(\(ids)::text[], \(entries.map(\.serial))::text[], \(entries.map(\.lineNumber))::int[],
                        \(entries.map(\.date.description))::text[], \(entries.map { $0.time ?? "" })::text[],
                        \(entries.map(\.direction.rawValue))::text[], \(entries.map(\.amountFen))::bigint[], \(entries.map(\.currency))::text[],
                        \(entries.map(\.counterpartyName))::text[], \(entries.map(\.counterpartyAccount))::text[], \(entries.map(\.memo))::text[],
                        \(entries.map { $0.ownAccount ?? ownAccount ?? "" })::text[], \(decided.map(\.outcome.rawValue))::text[],
                        \(decided.map { $0.batchID ?? "" })::text[], \(decided.map { $0.candidateBatchIDs.joined(separator: ",") })::text[],
                        \(decided.map { $0.rule?.rawValue ?? "" })::text[], \(decided.map(\.note))::text[])
                        AS u (id, serial, line_number, booked_on, booked_time, direction, amount_fen, currency, name, account, memo, own_account,
                              outcome, batch_id, candidates, rule, note)
                    ON CONFLICT (serial) DO NOTHING
                    RETURNING 1)
                SELECT count(*)::int FROM ins
                """, logger: logger)
            for try await count in inserted.decode(Int.self) {
                precondition(count == chunk.count, "under the reconciliation lock every planned line is new")
            }
        }
    }

    /// Links the statement to each line it lists (new or known), with the conflict when one.
    static func insertEntries(
        _ links: [(lineID: String, lineNumber: Int, conflict: String?)], statementID: String, on tx: PostgresConnection, logger: Logger
    ) async throws {
        for start in stride(from: 0, to: links.count, by: ReconciliationLimits.bulkChunkRows) {
            let chunk = links[start..<min(start + ReconciliationLimits.bulkChunkRows, links.count)]
            try await tx.query(
                """
                INSERT INTO statement_entries (statement_id, line_id, line_number, conflict)
                SELECT \(statementID), u.line_id, u.line_number, NULLIF(u.conflict, '')
                FROM unnest(\(chunk.map(\.lineID))::text[], \(chunk.map(\.lineNumber))::int[], \(chunk.map { $0.conflict ?? "" })::text[])
                    AS u (line_id, line_number, conflict)
                """, logger: logger)
        }
    }

    /// Runs the matcher over every open line (a debit neither matched nor decided by a person)
    /// against every batch whose transfer was recorded, and writes back the decisions that changed.
    public func rematch(policy: MatchPolicy, now: Date) async throws -> RematchResult {
        try await client.transaction(logger: logger) { tx in
            try await Self.lock(tx, logger: logger)
            return try await Self.rematch(policy: policy, now: now, on: tx, logger: logger)
        }
    }

    /// An open line with what is stored for it now, so unchanged decisions are not rewritten.
    struct OpenLine {
        let receipt: Receipt
        let current: LineDecision
    }

    static func rematch(policy: MatchPolicy, now: Date, on tx: PostgresConnection, logger: Logger) async throws -> RematchResult {
        let matching = try await match(policy: policy, fresh: [], on: tx, logger: logger)
        try await write(matching.changed, now: now, on: tx, logger: logger)
        return matching.result
    }

    /// What one run of the matcher concluded: the stored open lines whose decision changed, and
    /// the decisions about `fresh` receipts (lines of an import, not written yet) by id.
    struct Matching {
        var changed: [LineDecision] = []
        var fresh: [String: LineDecision] = [:]
        var result: RematchResult
    }

    /// Runs the matcher over every stored open line plus `fresh` receipts against every batch
    /// whose transfer was recorded. Writes nothing.
    static func match(policy: MatchPolicy, fresh: [Receipt], on tx: PostgresConnection, logger: Logger) async throws -> Matching {
        let open = try await openLines(on: tx, logger: logger)
        let batches = try await paidBatches(on: tx, logger: logger)
        let receipts = open.map(\.receipt) + fresh
        let unrecorded = try await unrecordedReferences(in: receipts, on: tx, logger: logger)
        let decisions = Matcher.match(receipts: receipts, batches: batches, policy: policy, unrecordedReferences: unrecorded)
        precondition(decisions.count == receipts.count, "one decision per receipt")
        var matching = Matching(result: RematchResult(openLines: receipts.count, batches: batches.count, changed: 0, totals: []))
        var totals: [Outcome: OutcomeTotal] = [:]
        for (index, decision) in decisions.enumerated() {
            precondition(decision.receiptID == receipts[index].id, "decisions come in the order of the receipts")
            precondition(decision.outcome != .notPayout, "a debit is a payout")
            if index < open.count {
                if decision != open[index].current { matching.changed.append(decision) }
            } else {
                matching.fresh[decision.receiptID] = decision
            }
            totals[decision.outcome, default: OutcomeTotal(outcome: decision.outcome.rawValue, count: 0, amountFen: 0)].count += 1
            totals[decision.outcome]?.amountFen += receipts[index].amountFen
        }
        matching.result = RematchResult(
            openLines: receipts.count, batches: batches.count, changed: matching.changed.count + matching.fresh.count,
            totals: Outcome.allCases.compactMap { totals[$0] })
        return matching
    }

    static func openLines(on tx: PostgresConnection, logger: Logger) async throws -> [OpenLine] {
        let rows = try await tx.query(
            """
            SELECT id, serial, to_char(booked_on, 'YYYY-MM-DD'), amount_fen, counterparty_name, counterparty_account, memo,
                outcome, batch_id, array_to_string(candidate_batch_ids, ','), rule, note, currency
            FROM statement_lines WHERE direction = 'debit' AND outcome <> 'matched' AND decided_by IS NULL
            ORDER BY id
            """, logger: logger)
        var lines: [OpenLine] = []
        for try await (id, serial, day, amount, name, account, memo, outcome, batch, candidates, rule, note, currency) in rows.decode(
            (String, String, String, Int64, String, String, String, String, String?, String, String?, String, String).self)
        {
            guard let date = CalendarDay(iso: day), let outcome = Outcome(rawValue: outcome) else {
                preconditionFailure("the database holds days and outcomes its CHECKs allow")
            }
            lines.append(
                OpenLine(
                    receipt: Receipt(
                        id: id, serial: serial, date: date, amountFen: amount, counterpartyName: name, counterpartyAccount: account, memo: memo,
                        currency: currency),
                    current: LineDecision(
                        receiptID: id, outcome: outcome, batchID: batch,
                        candidateBatchIDs: candidates.isEmpty ? [] : candidates.split(separator: ",").map(String.init),
                        rule: rule.flatMap(MatchRule.init(rawValue:)), note: note)))
        }
        return lines
    }

    /// The references memos name of batches that exist but have no recorded transfer (in a paid
    /// state), so the matcher says so instead of ignoring them.
    static func unrecordedReferences(in receipts: [Receipt], on tx: PostgresConnection, logger: Logger) async throws -> Set<String> {
        let named = Set(receipts.flatMap { Matcher.references(in: $0.memo) })
        guard !named.isEmpty else { return [] }
        var result: Set<String> = []
        for try await reference in try await tx.query(
            """
            SELECT reference FROM redemption_batches WHERE reference = ANY(\(Array(named).sorted())::text[])
                AND NOT (transfer_amount_fen IS NOT NULL AND transfer_date IS NOT NULL AND state IN (\(unescaped: paidStates)))
            """, logger: logger
        ).decode(String.self) {
            result.insert(reference)
        }
        return result
    }

    /// Batches whose transfer was recorded and not rejected, with what matched lines already paid.
    static func paidBatches(on tx: PostgresConnection, logger: Logger) async throws -> [PaidBatch] {
        let rows = try await tx.query(
            """
            SELECT b.id, b.reference, b.payee_name, b.payee_number, b.total_fen, to_char(b.transfer_date, 'YYYY-MM-DD'), b.bank_serial,
                coalesce(m.settled_fen, 0)::bigint
            FROM redemption_batches b
            LEFT JOIN (SELECT batch_id, sum(amount_fen) AS settled_fen FROM statement_lines WHERE outcome = 'matched' GROUP BY batch_id) m
                ON m.batch_id = b.id
            WHERE b.transfer_amount_fen IS NOT NULL AND b.transfer_date IS NOT NULL AND b.state IN (\(unescaped: paidStates))
            ORDER BY b.id
            """, logger: logger)
        var batches: [PaidBatch] = []
        for try await (id, reference, name, number, total, day, serial, settled) in rows.decode(
            (String, String, String, String, Int64, String, String?, Int64).self)
        {
            guard let date = CalendarDay(iso: day) else { preconditionFailure("transfer_date is a date") }
            precondition((0...total).contains(settled), "the trigger keeps matched receipts within the batch total")
            batches.append(
                PaidBatch(
                    id: id, reference: reference, payeeName: name, payeeNumber: number, totalFen: total, transferDate: date, bankSerial: serial,
                    settledFen: settled))
        }
        return batches
    }

    /// Writes decisions in chunks (UPDATE … FROM unnest); `matched_at` is set as a line becomes matched.
    static func write(_ decisions: [LineDecision], now: Date, on tx: PostgresConnection, logger: Logger) async throws {
        for start in stride(from: 0, to: decisions.count, by: ReconciliationLimits.bulkChunkRows) {
            let chunk = decisions[start..<min(start + ReconciliationLimits.bulkChunkRows, decisions.count)]
            try await tx.query(
                """
                UPDATE statement_lines l SET outcome = u.outcome, batch_id = NULLIF(u.batch_id, ''),
                    candidate_batch_ids = CASE WHEN u.candidates = '' THEN '{}'::text[] ELSE string_to_array(u.candidates, ',') END,
                    rule = NULLIF(u.rule, ''), note = u.note,
                    matched_at = CASE WHEN u.outcome = 'matched' THEN \(now) ELSE NULL END
                FROM unnest(\(chunk.map(\.receiptID))::text[], \(chunk.map(\.outcome.rawValue))::text[], \(chunk.map { $0.batchID ?? "" })::text[],
                    \(chunk.map { $0.candidateBatchIDs.joined(separator: ",") })::text[], \(chunk.map { $0.rule?.rawValue ?? "" })::text[],
                    \(chunk.map(\.note))::text[]) AS u (id, outcome, batch_id, candidates, rule, note)
                WHERE l.id = u.id AND l.direction = 'debit' AND l.outcome <> 'matched' AND l.decided_by IS NULL
                """, logger: logger)
        }
    }
}
