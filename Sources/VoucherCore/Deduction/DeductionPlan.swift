#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What one voucher contributes to an order and what it keeps (余额结转, carry-over).
public struct VoucherDraw: Sendable, Hashable, Codable {
    /// The voucher's id.
    public let voucherID: String
    /// The voucher's expiry, kept so the plan shows why it was drawn in this order.
    public let validUntil: Date
    /// The voucher's available balance before this order.
    public let availableBefore: Money
    /// What this order takes from the voucher (becomes a hold, SPEC §2).
    public let taken: Money
    /// What stays on the voucher for a later purchase: `availableBefore − taken`.
    public let kept: Money
}

/// The result of `Deduction.plan`: how much the vouchers pay, from which voucher, and what the
/// enterprise still pays offline. Every amount satisfies the invariants checked in `init`.
public struct DeductionPlan: Sendable, Hashable, Codable {
    /// The order total the plan was made for.
    public let orderTotal: Money
    /// `DeductionRule.cap(orderTotal:)`, the most vouchers could pay.
    public let cap: Money
    /// What the vouchers pay: `min(sum of balances, cap)`.
    public let deduction: Money
    /// What the enterprise pays: `orderTotal − deduction`.
    public let payable: Money
    /// One entry per offered voucher, in draw order (earliest expiry first), including vouchers
    /// that give nothing, so the caller can show every voucher's carry-over.
    public let draws: [VoucherDraw]

    /// Checks the money invariants before a plan can exist, so a bug fails here instead of
    /// becoming a wrong hold (house habit 4).
    init(orderTotal: Money, cap: Money, draws: [VoucherDraw]) {
        var deductionFen: Int64 = 0
        for draw in draws {
            precondition(draw.taken.fen >= 0 && draw.taken <= draw.availableBefore, "draw exceeds balance: \(draw.voucherID)")
            precondition(draw.kept.fen == draw.availableBefore.fen - draw.taken.fen, "carry-over mismatch: \(draw.voucherID)")
            deductionFen += draw.taken.fen  // bounded by cap, cannot overflow
            precondition(deductionFen <= cap.fen, "deduction exceeds cap")
        }
        precondition(cap <= orderTotal, "cap exceeds order total")
        self.orderTotal = orderTotal
        self.cap = cap
        self.deduction = Money(fen: deductionFen)
        self.payable = Money(fen: orderTotal.fen - deductionFen)
        self.draws = draws
    }
}
