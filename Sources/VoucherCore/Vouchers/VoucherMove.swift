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
/// amount, so the fen end in `expired` and each entry keeps one meaning. The grant is the
/// voucher's creation (its face value starts in `available`), so it is not a move here.
public enum VoucherMove: String, Sendable, CaseIterable {
    case hold, release, capture, refund, expire

    /// (available, held, captured, expired) deltas per fen moved. Every row sums to zero, which
    /// is what keeps `face = available + held + captured + expired` through any sequence of moves.
    public var signs: (available: Int64, held: Int64, captured: Int64, expired: Int64) {
        switch self {
        case .hold: (-1, 1, 0, 0)
        case .release: (1, -1, 0, 0)
        case .capture: (0, -1, 1, 0)
        case .refund: (1, 0, -1, 0)
        case .expire: (-1, 0, 0, 1)
        }
    }
}

/// A voucher's four balances, which always add up to its face value (SPEC §2).
public struct VoucherBalances: Sendable, Equatable {
    public var availableFen: Int64
    public var heldFen: Int64
    public var capturedFen: Int64
    public var expiredFen: Int64

    public init(availableFen: Int64, heldFen: Int64 = 0, capturedFen: Int64 = 0, expiredFen: Int64 = 0) {
        self.availableFen = availableFen
        self.heldFen = heldFen
        self.capturedFen = capturedFen
        self.expiredFen = expiredFen
    }

    /// available + held + captured + expired: the face value, whatever moved.
    public var totalFen: Int64 { availableFen + heldFen + capturedFen + expiredFen }

    /// The balances after `move` of `amountFen`, or nil when a balance would go below zero — the
    /// same refusal the `vouchers` CHECK constraints make in PostgreSQL.
    public func applying(_ move: VoucherMove, amountFen: Int64) -> VoucherBalances? {
        precondition(amountFen > 0, "a voucher move carries a positive amount")
        let signs = move.signs
        let next = VoucherBalances(
            availableFen: availableFen + signs.available * amountFen, heldFen: heldFen + signs.held * amountFen,
            capturedFen: capturedFen + signs.captured * amountFen, expiredFen: expiredFen + signs.expired * amountFen)
        guard next.availableFen >= 0, next.heldFen >= 0, next.capturedFen >= 0, next.expiredFen >= 0 else { return nil }
        return next
    }
}
