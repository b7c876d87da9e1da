import Foundation
import PostgresNIO
import VoucherCore

/// Vouchers granted by SQL, as the grab sink and the apply flow write them: a lot of its own in
/// campaign `cmp_test`, the voucher, and its `grant` ledger entry.
public enum TestVouchers {
    /// Grants a voucher valid for `seconds` from now and returns its id.
    public static func grant(
        _ postgres: PostgresClient, org: String, faceFen: Int64, kind: String = "diagnostic", direction: String? = nil,
        validFor seconds: TimeInterval = 86_400 * 90
    ) async throws -> String {
        let lot = OpaqueID.make(prefix: "lot")
        let id = OpaqueID.make(prefix: "vch")
        let until = Date().addingTimeInterval(seconds)
        try await postgres.query(
            """
            INSERT INTO lots (id, campaign_id, position, kind, direction, face_value_fen, stock, per_enterprise_limit, mode, validity_days)
            VALUES (\(lot), 'cmp_test', (SELECT count(*)::int FROM lots), \(kind), \(direction), \(faceFen), 1000, 1, 'apply', 90)
            """)
        try await postgres.query(
            """
            INSERT INTO vouchers (id, lot_id, campaign_id, org_id, seq, kind, direction, face_value_fen, available_fen, valid_until, granted_at,
                source)
            VALUES (\(id), \(lot), 'cmp_test', \(org), 1, \(kind), \(direction), \(faceFen), \(faceFen), \(until), now(), 'apply')
            """)
        try await postgres.query("INSERT INTO voucher_ledger (voucher_id, entry, amount_fen) VALUES (\(id), 'grant', \(faceFen))")
        return id
    }
}
