import Logging
import PostgresNIO
import VoucherCore

/// The balance moves of a voucher, each an append-only ledger entry written in the same
/// transaction as the balance change (SPEC §2). The sign of every entry, which `ledger verify`
/// uses to derive the balances from the ledger:
///
/// | entry   | available | held | captured | expired |
/// |---------|-----------|------|----------|---------|
/// | grant   | +         |      |          |         |
/// | hold    | −         | +    |          |         |
/// | release | +         | −    |          |         |
/// | capture |           | −    | +        |         |
/// | refund  | +         |      | −        |         |
/// | expire  | −         |      |          | +       |
///
/// A refund to a voucher that has expired is a `refund` followed by an `expire` of the same
/// amount, so the fen end in `expired` and each entry keeps one meaning.
public enum VoucherMove: String, Sendable, CaseIterable {
    case hold, release, capture, refund, expire

    /// (available, held, captured, expired) deltas per fen moved.
    var signs: (Int64, Int64, Int64, Int64) {
        switch self {
        case .hold: (-1, 1, 0, 0)
        case .release: (1, -1, 0, 0)
        case .capture: (0, -1, 1, 0)
        case .refund: (1, 0, -1, 0)
        case .expire: (-1, 0, 0, 1)
        }
    }

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
