import PropertyBased
import Testing

@testable import VoucherCore

@Suite("Money percentages and rounding")
struct MoneyPercentTests {
    /// One row of the rounding table: an amount, a percentage and the result of each mode.
    struct Row: Sendable, CustomTestStringConvertible {
        let fen: Int64
        let percent: Int64
        let down: Int64
        let up: Int64
        let halfEven: Int64
        let towardZero: Int64
        var testDescription: String { "\(fen) × \(percent)%" }
    }

    static let rows: [Row] = [
        Row(fen: 5_000_000, percent: 30, down: 1_500_000, up: 1_500_000, halfEven: 1_500_000, towardZero: 1_500_000),
        Row(fen: 1, percent: 30, down: 0, up: 1, halfEven: 0, towardZero: 0),  // 0.3 fen
        Row(fen: 3, percent: 30, down: 0, up: 1, halfEven: 1, towardZero: 0),  // 0.9 fen
        Row(fen: 5, percent: 10, down: 0, up: 1, halfEven: 0, towardZero: 0),  // 0.5 fen: half to even 0
        Row(fen: 15, percent: 10, down: 1, up: 2, halfEven: 2, towardZero: 1),  // 1.5 fen: half to even 2
        Row(fen: 25, percent: 10, down: 2, up: 3, halfEven: 2, towardZero: 2),  // 2.5 fen: half to even 2
        Row(fen: -5, percent: 10, down: -1, up: 0, halfEven: 0, towardZero: 0),  // -0.5 fen
        Row(fen: -15, percent: 10, down: -2, up: -1, halfEven: -2, towardZero: -1),  // -1.5 fen
        Row(fen: -3, percent: 30, down: -1, up: 0, halfEven: -1, towardZero: 0),  // -0.9 fen
        Row(fen: 33_333, percent: 30, down: 9_999, up: 10_000, halfEven: 10_000, towardZero: 9_999),  // 9999.9 fen
        Row(fen: .max, percent: 100, down: .max, up: .max, halfEven: .max, towardZero: .max),
        Row(fen: .min, percent: 100, down: .min, up: .min, halfEven: .min, towardZero: .min),
        Row(fen: .max, percent: 0, down: 0, up: 0, halfEven: 0, towardZero: 0),
        Row(
            fen: .max, percent: 30, down: 2_767_011_611_056_432_742, up: 2_767_011_611_056_432_743,
            halfEven: 2_767_011_611_056_432_742, towardZero: 2_767_011_611_056_432_742),  // …742.1 fen
    ]

    @Test(arguments: rows)
    func roundsAsNamed(row: Row) {
        // Proves each rounding mode picks the documented neighbour, including exact halves, negatives and the Int64 extremes.
        let money = Money(fen: row.fen)
        #expect(money.percent(row.percent, rounding: .down).fen == row.down)
        #expect(money.percent(row.percent, rounding: .up).fen == row.up)
        #expect(money.percent(row.percent, rounding: .halfEven).fen == row.halfEven)
        #expect(money.percent(row.percent, rounding: .towardZero).fen == row.towardZero)
    }

    @Test func thirtyPercentDownIsTheWideFloor() async {
        // Proves percent(30, .down) equals ⌊x·30/100⌋ computed in 128 bits, for any amount, so the product never overflows.
        await propertyCheck(count: 1_000, input: Gens.anyFen) { fen in
            let expected = Fixture.floorDivide(Int128(fen) * 30, 100)
            #expect(Int128(Money(fen: fen).percent(30, rounding: .down).fen) == expected)
        }
    }

    @Test func everyModeLandsOnANeighbourOfTheExactValue() async {
        // Proves every mode returns ⌊exact⌋ or ⌈exact⌉ with the direction the mode names, for any amount and percentage.
        await propertyCheck(count: 1_000, input: Gens.anyFen, Gen.int64(in: 0...Money.percentMax)) { fen, percent in
            let product = Int128(fen) * Int128(percent)
            let floor = Fixture.floorDivide(product, 100)
            let exact = product % 100 == 0
            let ceiling = exact ? floor : floor + 1
            let money = Money(fen: fen)
            #expect(Int128(money.percent(percent, rounding: .down).fen) == floor)
            #expect(Int128(money.percent(percent, rounding: .up).fen) == ceiling)
            #expect(Int128(money.percent(percent, rounding: .towardZero).fen) == (product < 0 ? ceiling : floor))
            let nearest = Int128(money.percent(percent, rounding: .halfEven).fen)
            #expect(nearest == floor || nearest == ceiling)
            let twiceDistanceToFloor = (product - floor * 100) * 2
            if twiceDistanceToFloor < 100 { #expect(nearest == floor) }
            if twiceDistanceToFloor > 100 { #expect(nearest == ceiling) }
            if twiceDistanceToFloor == 100 { #expect(nearest % 2 == 0) }
        }
    }

    @Test func aPercentageUpToAHundredNeverExceedsTheAmount() async {
        // Proves 0 ≤ percent(p) ≤ x for non-negative x and p ≤ 100, in every rounding mode.
        await propertyCheck(count: 1_000, input: Gens.nonNegativeFen, Gen.int64(in: 0...Money.percentMax), Gen<Rounding>.case) {
            fen, percent, rounding in
            let result = Money(fen: fen).percent(percent, rounding: rounding)
            #expect(result >= .zero)
            #expect(result <= Money(fen: fen))
        }
    }

    @Test func aPercentageAboveAHundredIsAProgrammerError() async {
        // Proves an out-of-range rate stops the process instead of returning a wrong amount.
        await #expect(processExitsWith: .failure) {
            _ = Money(fen: 100).percent(101, rounding: .down)
        }
    }
}
