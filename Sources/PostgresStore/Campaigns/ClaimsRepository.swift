import Foundation
import Logging
import PostgresNIO
import VoucherCore

/// Writes claims as vouchers with their ledger grant, idempotently.
public struct ClaimsRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Inserts the claims' vouchers and their `grant` ledger entries in one transaction. A claim
    /// whose voucher is already stored is skipped (`ON CONFLICT DO NOTHING` on the voucher id and
    /// on lot + enterprise + sequence), so replaying a batch after a crash changes nothing.
    /// Returns the voucher ids that are stored after the commit — inserted now or earlier with
    /// the same identity; a claim missing from it could not be stored (unknown lot, a conflicting
    /// voucher) and must not be acknowledged.
    public func store(_ claims: [Claim]) async throws -> Set<String> {
        guard !claims.isEmpty else { return [] }
        return try await client.transaction(logger: logger) { tx in
            try await tx.query(
                """
                INSERT INTO vouchers (id, lot_id, campaign_id, org_id, seq, kind, direction, face_value_fen, available_fen,
                                      valid_until, granted_at, source, stream_entry_id)
                SELECT c.vid, l.id, l.campaign_id, c.org, c.seq, l.kind, l.direction, l.face_value_fen, l.face_value_fen,
                       timestamptz 'epoch' + c.at * interval '1 millisecond' + l.validity_days * interval '1 day',
                       timestamptz 'epoch' + c.at * interval '1 millisecond', 'grab', c.entry
                FROM unnest(\(claims.map(\.voucherID))::text[], \(claims.map(\.lotID))::text[], \(claims.map(\.orgID))::text[],
                            \(claims.map(\.sequence))::int[], \(claims.map(\.grantedAtMs))::bigint[], \(claims.map(\.entryID))::text[])
                     AS c(vid, lot, org, seq, at, entry)
                JOIN lots l ON l.id = c.lot
                JOIN organisations o ON o.id = c.org
                WHERE c.seq <= l.per_enterprise_limit
                ON CONFLICT DO NOTHING
                """, logger: logger)
            try await tx.query(
                """
                INSERT INTO voucher_ledger (voucher_id, entry, amount_fen)
                SELECT id, 'grant', face_value_fen FROM vouchers WHERE id = ANY(\(claims.map(\.voucherID)))
                ON CONFLICT (voucher_id) WHERE entry = 'grant' DO NOTHING
                """, logger: logger)
            // Stored means: this voucher id exists for exactly this lot, enterprise and sequence.
            let rows = try await tx.query(
                """
                SELECT v.id FROM vouchers v
                JOIN unnest(\(claims.map(\.voucherID))::text[], \(claims.map(\.lotID))::text[], \(claims.map(\.orgID))::text[],
                    \(claims.map(\.sequence))::int[])
                     AS c(vid, lot, org, seq)
                  ON v.id = c.vid AND v.lot_id = c.lot AND v.org_id = c.org AND v.seq = c.seq
                """, logger: logger)
            var stored = Set<String>()
            for try await id in rows.decode(String.self) { stored.insert(id) }
            return stored
        }
    }

    /// Voucher counts of a lot for `campaign verify`: rows, and enterprises above the limit.
    public func lotSummary(lotID: String) async throws -> (rows: Int, overLimit: [String], maxSequence: Int) {
        var rows = 0
        var maxSequence = 0
        for try await (count, maxSeq) in try await client.query(
            "SELECT count(*)::int, coalesce(max(seq), 0)::int FROM vouchers WHERE lot_id = \(lotID)", logger: logger
        ).decode((Int, Int).self) {
            rows = count
            maxSequence = maxSeq
        }
        var overLimit: [String] = []
        for try await org in try await client.query(
            """
            SELECT v.org_id FROM vouchers v JOIN lots l ON l.id = v.lot_id WHERE v.lot_id = \(lotID)
            GROUP BY v.org_id, l.per_enterprise_limit HAVING count(*) > l.per_enterprise_limit
            """, logger: logger
        ).decode(String.self) {
            overLimit.append(org)
        }
        return (rows, overLimit, maxSequence)
    }

    /// Per-enterprise voucher counts and grant records of a lot, for reloading Redis after a loss.
    public func grants(lotID: String) async throws -> [(orgID: String, sequence: Int, voucherID: String, grantedAtMs: Int64)] {
        var result: [(String, Int, String, Int64)] = []
        for try await row in try await client.query(
            """
            SELECT org_id, seq, id, (extract(epoch FROM granted_at) * 1000)::bigint FROM vouchers WHERE lot_id = \(lotID)
            """, logger: logger
        ).decode((String, Int, String, Int64).self) {
            result.append(row)
        }
        return result.map { (orgID: $0.0, sequence: $0.1, voucherID: $0.2, grantedAtMs: $0.3) }
    }
}
