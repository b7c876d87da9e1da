import PropertyBased
import Testing

@testable import VoucherCore

@Suite("Money formatting")
struct MoneyFormattingTests {
    @Test(arguments: [
        (Int64(5_000_000), "¥50,000.00", "50000.00"),
        (0, "¥0.00", "0.00"),
        (1, "¥0.01", "0.01"),
        (10, "¥0.10", "0.10"),
        (99_999, "¥999.99", "999.99"),
        (100_000, "¥1,000.00", "1000.00"),
        (123_456_789, "¥1,234,567.89", "1234567.89"),
        (-100, "-¥1.00", "-1.00"),
        (Int64.max, "¥92,233,720,368,547,758.07", "92233720368547758.07"),
        (Int64.min, "-¥92,233,720,368,547,758.08", "-92233720368547758.08"),
    ])
    func formatsLikeTheGuide(fen: Int64, display: String, plain: String) {
        // Proves the display form has the sign, thousands groups and two decimals, and the plain form has neither sign nor groups.
        #expect(Money(fen: fen).formatted == display)
        #expect(Money(fen: fen).yuanText == plain)
        #expect(Money(fen: fen).description == display)
    }

    @Test func displayFormRoundTripsForNonNegativeAmounts() async throws {
        // Proves parse(format(x)) == x with the default (non-negative) parser for every non-negative amount.
        await propertyCheck(count: 1_000, input: Gens.nonNegativeFen) { fen in
            let money = Money(fen: fen)
            let fromDisplay = try Money.parse(money.formatted)
            let fromPlain = try Money.parse(money.yuanText)
            #expect(fromDisplay == money)
            #expect(fromPlain == money)
        }
    }

    @Test func displayFormRoundTripsForAllAmountsWhenNegativesAreAllowed() async throws {
        // Proves the round trip also holds for negatives, down to Money.min, when the caller opts in.
        await propertyCheck(count: 1_000, input: Gens.anyFen) { fen in
            let money = Money(fen: fen)
            let fromDisplay = try Money.parse(money.formatted, allowNegative: true)
            let fromPlain = try Money.parse(money.yuanText, allowNegative: true)
            #expect(fromDisplay == money)
            #expect(fromPlain == money)
        }
    }
}
