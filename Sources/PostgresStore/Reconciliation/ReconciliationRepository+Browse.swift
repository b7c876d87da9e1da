import Foundation
import Logging
import PostgresNIO
import Reconciliation
import VoucherCore

/// Which lines of a statement the finance pages list: the report's outcome filter plus an exact
/// amount and a text, one page of them in line order. The totals stay the whole statement's.
public struct ReportLineFilter: Sendable, Equatable {
    /// Each outcome at most once; empty selects every outcome.
    public let outcomes: [Outcome]
    /// Only lines of exactly this amount.
    public let amountFen: Int64?
    /// Only lines whose serial, counterparty, account, memo, note or batch reference contain it
    /// (case-insensitive); nil or empty: any.
    public let text: String?
    /// From 1.
    public let page: Int
    public let pageSize: Int

    /// The longest text searched for, in characters.
    public static let textLengthMax = 100

    public init(outcomes: [Outcome], amountFen: Int64?, text: String?, page: Int, pageSize: Int) {
        precondition(page >= 1 && pageSize >= 1, "the page validates paging before it reaches the repository")
        precondition((text?.count ?? 0) <= Self.textLengthMax, "the page bounds the search text")
        self.outcomes = outcomes
        self.amountFen = amountFen
        self.text = text?.isEmpty == true ? nil : text
        self.page = page
        self.pageSize = pageSize
    }
}

/// One manual decision or release about a line, as the finance pages show it: who by name, and
/// the batch by its `RB…` reference.
public struct AuditTrailRow: Sendable, Equatable {
    public let action: String
    public let batchReference: String?
    public let actorName: String
    public let note: String
    public let createdAt: Date
}

/// The matched and still open payout (debit) amounts of the receipts booked on one day.
public struct DailyReconciliationRow: Sendable, Equatable {
    /// `YYYY-MM-DD`.
    public let day: String
    public let matchedFen: Int64
    /// Payouts not matched to a batch (every outcome but `matched` and `not_payout`).
    public let openFen: Int64

    public init(day: String, matchedFen: Int64, openFen: Int64) {
        self.day = day
        self.matchedFen = matchedFen
        self.openFen = openFen
    }
}

extension ReconciliationRepository {
    /// One page of a statement's lines that `filter` selects, in line order, and how many it
    /// selects across pages; nil for an unknown statement. Filter and page are the database's.
    public func lines(statementID: String, filter: ReportLineFilter) async throws -> (items: [StatementLineRecord], total: Int)? {
        try await client.withConnection { connection in
            guard try await Self.statement(id: statementID, on: connection, logger: logger) != nil else { return nil }
            var total = 0
            for try await value in try await connection.query(
                Self.filteredLines(statementID: statementID, filter, select: "count(*)::int", tail: ""), logger: logger
            ).decode(Int.self) {
                total = value
            }
            let page = Self.filteredLines(
                statementID: statementID, filter, select: Self.lineColumns + ", e.line_number, e.conflict",
                tail: "ORDER BY e.line_number, l.id LIMIT \(filter.pageSize) OFFSET \((filter.page - 1) * filter.pageSize)")
            return (try await Self.decodeLines(try await connection.query(page, logger: logger)), total)
        }
    }

    /// The lines query of `filter` with `select` and `tail` (order and page), both ours, never typed.
    static func filteredLines(statementID: String, _ filter: ReportLineFilter, select: String, tail: String) -> PostgresQuery {
        let outcomes = filter.outcomes.map(\.rawValue)
        let pattern = filter.text.map { "%" + likeEscaped($0) + "%" }
        return """
            SELECT \(unescaped: select)
            FROM statement_entries e JOIN statement_lines l ON l.id = e.line_id
                LEFT JOIN redemption_batches b ON b.id = l.batch_id LEFT JOIN organisations o ON o.id = b.org_id
            WHERE e.statement_id = \(statementID) AND (cardinality(\(outcomes)::text[]) = 0 OR l.outcome = ANY(\(outcomes)::text[]))
                AND (\(filter.amountFen)::bigint IS NULL OR l.amount_fen = \(filter.amountFen)::bigint)
                AND (\(pattern)::text IS NULL OR l.serial ILIKE \(pattern)::text OR l.counterparty_name ILIKE \(pattern)::text
                    OR l.counterparty_account ILIKE \(pattern)::text OR l.memo ILIKE \(pattern)::text OR l.note ILIKE \(pattern)::text
                    OR coalesce(b.reference, '') ILIKE \(pattern)::text)
            \(unescaped: tail)
            """
    }

    /// The batches whose transfer was recorded on a day of `[from, to]` (`YYYY-MM-DD`) that
    /// receipts do not cover: the report's `paid_no_receipt`, for any period.
    public func unpaidBatches(from: String, to: String) async throws -> [UnpaidBatchRecord] {
        try await client.withConnection { try await Self.unpaidBatches(from: from, to: to, on: $0, logger: logger) }
    }

    /// Per booking day of `[from, to]` (`YYYY-MM-DD`) with payouts: the matched amount and the open
    /// one, over every stored receipt (each bank serial once, whichever statements carried it).
    public func dailyAmounts(from: String, to: String) async throws -> [DailyReconciliationRow] {
        try await client.withConnection { connection in
            var rows: [DailyReconciliationRow] = []
            for try await (day, matched, open) in try await connection.query(
                """
                SELECT to_char(booked_on, 'YYYY-MM-DD'), coalesce(sum(amount_fen) FILTER (WHERE outcome = 'matched'), 0)::bigint,
                    coalesce(sum(amount_fen) FILTER (WHERE outcome <> 'matched'), 0)::bigint
                FROM statement_lines WHERE direction = 'debit' AND booked_on BETWEEN \(from)::date AND \(to)::date
                GROUP BY booked_on ORDER BY booked_on
                """, logger: logger
            ).decode((String, Int64, Int64).self) {
                rows.append(DailyReconciliationRow(day: day, matchedFen: matched, openFen: open))
            }
            return rows
        }
    }

    /// `text` for `ILIKE … ESCAPE '\'`: its `\`, `%` and `_` match themselves.
    static func likeEscaped(_ text: String) -> String {
        var result = ""
        for character in text {
            if character == "\\" || character == "%" || character == "_" { result.append("\\") }
            result.append(character)
        }
        return result
    }

    /// One statement line with its batch and candidates, nil when there is none.
    public func line(id: String) async throws -> StatementLineRecord? {
        try await client.withConnection { try await Self.line(id: id, on: $0, logger: logger) }
    }

    /// The id of the batch with this `RB…` reference, if any: people type references, not ids.
    public func batchID(reference: String) async throws -> String? {
        for try await id in try await client.query("SELECT id FROM redemption_batches WHERE reference = \(reference)", logger: logger)
            .decode(String.self)
        {
            return id
        }
        return nil
    }

    /// The newest `limit` audit rows of a line, newest first, with the actor's username.
    public func auditTrail(lineID: String, limit: Int) async throws -> [AuditTrailRow] {
        var rows: [AuditTrailRow] = []
        for try await (action, reference, actor, note, created) in try await client.query(
            """
            SELECT a.action, b.reference, coalesce(u.username, a.actor), a.note, a.created_at
            FROM reconciliation_audit a LEFT JOIN redemption_batches b ON b.id = a.batch_id LEFT JOIN users u ON u.id = a.actor
            WHERE a.line_id = \(lineID) ORDER BY a.created_at DESC, a.id DESC LIMIT \(limit)
            """, logger: logger
        ).decode((String, String?, String, String, Date).self) {
            rows.append(AuditTrailRow(action: action, batchReference: reference, actorName: actor, note: note, createdAt: created))
        }
        return rows
    }
}
