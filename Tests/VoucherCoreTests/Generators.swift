import PropertyBased

@testable import VoucherCore

/// Generators shared by the property tests. Wide ranges alone would almost never produce small
/// amounts or ties, so each mixes a small range (where rounding and odd fen show) with the full one.
enum Gens {
    /// Non-negative fen: small amounts, realistic order sizes, and the whole `Int64` range.
    static let nonNegativeFen = Gen.oneOf(
        Gen.int64(in: 0...1_000),
        Gen.int64(in: 0...10_000_000_000),
        Gen.int64(in: 0...Int64.max)
    )

    /// Any fen, negative included, up to both ends of `Int64`.
    static let anyFen = Gen.oneOf(
        Gen.int64(in: -1_000...1_000),
        Gen.int64(in: -10_000_000_000...10_000_000_000),
        Gen.int64(in: Int64.min...Int64.max)
    )

    /// Positive order totals from one fen to beyond any real order.
    static let orderTotalFen = Gen.oneOf(
        Gen.int64(in: 1...1_000),
        Gen.int64(in: 1...10_000_000_000),
        Gen.int64(in: 1...Int64.max)
    )

    /// Balances and expiry offsets (in days, a small range so ties are frequent) of 0–8 vouchers.
    static let voucherSpecs = zip(
        Gen.oneOf(Gen.int64(in: 0...2_000_000), Gen.int64(in: 0...Int64.max)),
        Gen.int64(in: 0...3)
    ).array(of: 0...8)

    /// One decimal digit as a character.
    static let digit = Gen.number

    /// A non-zero leading digit.
    static let leadingDigit = Gen.character(in: "1"..."9")
}
