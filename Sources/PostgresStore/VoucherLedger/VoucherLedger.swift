import Logging
import PostgresNIO
import VoucherCore

/// The voucher ledger: a `VoucherMove` (VoucherCore, where its signs are defined and
/// property-tested) applied to a voucher row with its append-only ledger entry, in the caller's
/// transaction (SPEC §2).
extension VoucherMove {
    /// Applies the move to one voucher and appends its ledger entry. The CHECK constraints of
    /// `vouchers` refuse any balance below zero, so a bug aborts the transaction instead of
    /// losing a fen; the caller must hold the voucher's row lock (or take it here by the UPDATE).
    public func apply(
        voucherID: String, amountFen: Int64, orderID: String?, on tx: PostgresConnection, logger: Logger
    ) async throws {
        precondition(amountFen > 0, "a voucher move carries a positive amount")
        let (available, held, captured, expired) = signs
        let rows = try await tx.query(
            """
            UPDATE vouchers SET available_fen = available_fen + \(available * amountFen), held_fen = held_fen + \(held * amountFen),
                captured_fen = captured_fen + \(captured * amountFen), expired_fen = expired_fen + \(expired * amountFen)
            WHERE id = \(voucherID) RETURNING id
            """, logger: logger)
        var updated = 0
        for try await _ in rows.decode(String.self) { updated += 1 }
        precondition(updated == 1, "voucher \(voucherID) vanished during a \(rawValue)")
        try await tx.query(
            """
            INSERT INTO voucher_ledger (voucher_id, entry, amount_fen, order_id) VALUES (\(voucherID), \(rawValue), \(amountFen), \(orderID))
            """, logger: logger)
    }
}
