/// The deduction cap of SPEC §2: a voucher pays at most 30 % of an order.
public enum DeductionRule {
    /// The share of an order total that vouchers may pay, in percent.
    public static let capPercent: Int64 = 30

    /// `floor(orderTotalFen × 30 / 100)`: the most fen vouchers may deduct from an order.
    ///
    /// Rounds down so the cap never exceeds 30 % (¥0.03 → 0 fen, ¥333.33 → 9,999 fen). A negative
    /// total is a programmer error: totals are checked positive before any cap is computed.
    public static func capFen(_ orderTotalFen: Int64) -> Int64 {
        cap(orderTotal: Money(fen: orderTotalFen)).fen
    }

    /// The cap as money; see `capFen(_:)`.
    public static func cap(orderTotal: Money) -> Money {
        precondition(!orderTotal.isNegative, "order total must not be negative: \(orderTotal.fen)")
        return orderTotal.percent(capPercent, rounding: .down)
    }
}
