/// Checked arithmetic: every operation that can leave the `Int64` range throws instead of trapping
/// or wrapping, so a corrupt amount can never be written (house habit 2).
extension Money {
    /// The sum, or `.overflow` when it leaves the fen range.
    public func adding(_ other: Money) throws(MoneyArithmeticError) -> Money {
        let (sum, overflow) = fen.addingReportingOverflow(other.fen)
        guard !overflow else { throw .overflow }
        return Money(fen: sum)
    }

    /// The difference, or `.overflow` when it leaves the fen range.
    public func subtracting(_ other: Money) throws(MoneyArithmeticError) -> Money {
        let (difference, overflow) = fen.subtractingReportingOverflow(other.fen)
        guard !overflow else { throw .overflow }
        return Money(fen: difference)
    }

    /// The amount times a count (unit price × quantity, SPEC §4), or `.overflow`.
    public func multiplied(by factor: Int64) throws(MoneyArithmeticError) -> Money {
        let (product, overflow) = fen.multipliedReportingOverflow(by: factor)
        guard !overflow else { throw .overflow }
        return Money(fen: product)
    }

    /// The opposite amount, or `.overflow` for `Money.min`, which has no positive counterpart.
    public func negated() throws(MoneyArithmeticError) -> Money {
        try Money.zero.subtracting(self)
    }

    /// The sum of many amounts, or `.overflow` as soon as a partial sum leaves the fen range.
    public static func sum(_ amounts: some Sequence<Money>) throws(MoneyArithmeticError) -> Money {
        var total = Money.zero
        for amount in amounts {
            total = try total.adding(amount)
        }
        return total
    }
}

/// The one way money arithmetic fails: the exact result does not fit in `Int64` fen.
public enum MoneyArithmeticError: DomainErrorConvertible, Hashable {
    /// The exact result is outside ±92,233,720,368,547,758.07 yuan.
    case overflow

    /// `amount_overflow`, shared with parsing so clients see one code for "too large".
    public var code: String { ErrorCode.amountOverflow }
    /// Too-large amounts are the caller's input.
    public var kind: DomainError.Kind { .invalidInput }
    /// What to fix.
    public var detail: String {
        "The amount is too large to be represented; use a smaller amount or quantity."
    }
}
