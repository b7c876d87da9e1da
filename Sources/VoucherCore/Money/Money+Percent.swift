/// Percentages of an amount, in integer math only.
extension Money {
    /// The largest percentage `percent(_:rounding:)` takes; at most 100 % the result never has a
    /// larger magnitude than the amount, so it always fits and the function cannot fail.
    public static let percentMax: Int64 = 100
    /// The divisor of a percentage.
    static let percentDivisor: Int64 = 100

    /// `self × percent / 100`, rounded as asked.
    ///
    /// The product is formed in 128 bits (`multipliedFullWidth`), so even `Money.max` × 100 is
    /// exact before the division. A percentage outside `0...percentMax` is a programmer error:
    /// rates are named constants (such as `DeductionRule.capPercent`), never user input.
    public func percent(_ percent: Int64, rounding: Rounding) -> Money {
        precondition((0...Money.percentMax).contains(percent), "percent must be in 0...\(Money.percentMax): \(percent)")
        let product = fen.multipliedFullWidth(by: percent)
        let (quotient, remainder) = Money.percentDivisor.dividingFullWidth(product)
        let rounded = rounding.adjust(quotient: quotient, remainder: remainder, divisor: Money.percentDivisor)
        return Money(fen: rounded)
    }
}
