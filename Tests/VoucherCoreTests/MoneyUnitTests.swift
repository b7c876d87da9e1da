import PropertyBased
import Testing

@testable import VoucherCore

@Suite("Money in 万元 and 亿元")
struct MoneyUnitTests {
    @Test(arguments: [
        ("12", MoneyUnit.wan, Int64(12_000_000)),
        ("0.35", .wan, 350_000),
        ("150.5", .wan, 150_500_000),
        ("0.000001", .wan, 1),
        ("1,200.5", .wan, 1_200_500_000),
        ("¥1.5", .wan, 1_500_000),
        ("9223372036854.775807", .wan, Int64.max),
        ("0.015", .yi, 150_000_000),
        ("2", .yi, 20_000_000_000),
        ("0.0000000001", .yi, 1),
        ("922337203.6854775807", .yi, Int64.max),
        ("0", .yi, 0),
        ("12.5", .yuan, 1_250),
    ])
    func acceptsDecimalsDownToOneFen(text: String, unit: MoneyUnit, fen: Int64) throws {
        // Proves an amount typed in a larger unit becomes the exact fen, down to one fen and up to Int64.max.
        #expect(try Money.parse(text, unit: unit) == Money(fen: fen))
    }

    @Test(arguments: [
        ("0.0000001", MoneyUnit.wan, MoneyParseError.tooManyDecimals),
        ("1.0000000", .wan, .tooManyDecimals),
        ("0.00000000001", .yi, .tooManyDecimals),
        ("9223372036854.775808", .wan, .overflow),
        ("922337203.6854775808", .yi, .overflow),
        ("9999999999", .yi, .overflow),
        ("012", .wan, .leadingZero),
        ("-1", .wan, .negative),
        ("1e3", .yi, .notANumber),
        ("1.", .yi, .incompleteDecimal),
        ("1,20", .wan, .misplacedSeparator),
        ("", .wan, .empty),
        (" 1", .yi, .whitespace),
    ])
    func refusesWhatIsNotAnExactAmount(text: String, unit: MoneyUnit, error: MoneyParseError) {
        // Proves the larger units share the yuan grammar and refuse, never round, digits below one fen.
        #expect(throws: error) { try Money.parse(text, unit: unit) }
    }

    @Test func negativesFollowAllowNegativeInEveryUnit() throws {
        // Proves the sign rule is the same in every unit, down to Money.min.
        #expect(try Money.parse("-0.5", unit: .wan, allowNegative: true) == Money(fen: -500_000))
        #expect(try Money.parse("-922337203.6854775808", unit: .yi, allowNegative: true) == Money.min)
    }

    @Test func yuanIsTheDefaultUnit() async {
        // Proves parse(text) and parse(text, unit: .yuan) give the same amount or the same error for any text.
        let alphabet = Array("0123456789.,-¥e ")
        let texts = Gen.int(in: 0...(alphabet.count - 1)).map { alphabet[$0] }.array(of: 0...14).map { String($0) }
        await propertyCheck(count: 2_000, input: texts) { text in
            let byDefault = Result { () throws(MoneyParseError) -> Money in try Money.parse(text) }
            let inYuan = Result { () throws(MoneyParseError) -> Money in try Money.parse(text, unit: .yuan) }
            #expect(byDefault == inYuan, "\(text)")
        }
    }

    @Test func shortestTextRoundTripsInEveryUnit() async {
        // Proves parse(shortestText(in: unit), unit) == x for every amount and unit, negatives when allowed.
        await propertyCheck(count: 1_000, input: Gens.anyFen) { fen in
            let money = Money(fen: fen)
            for unit in MoneyUnit.allCases {
                let text = money.shortestText(in: unit)
                #expect((try? Money.parse(text, unit: unit, allowNegative: true)) == money, "\(text) \(unit)")
                #expect(!text.contains(".") || !text.hasSuffix("0"), "\(text): no trailing zero")
            }
        }
    }

    @Test func aWholeNumberIsItsUnitsFen() async {
        // Proves the scale: n in a unit is n × fenPerUnit fen, and one more than the unit's decimals is refused.
        await propertyCheck(count: 1_000, input: Gens.nonNegativeFen, Gens.digit.string(of: 1...4)) { fen, extra in
            for unit in MoneyUnit.allCases {
                let whole = fen / unit.fenPerUnit
                #expect((try? Money.parse(String(whole), unit: unit)) == Money(fen: whole * unit.fenPerUnit), "\(whole) \(unit)")
                let digits = String(repeating: "0", count: unit.decimalsMax) + extra
                #expect(throws: MoneyParseError.tooManyDecimals) { try Money.parse("\(whole).\(digits)", unit: unit) }
            }
        }
    }

    @Test func theUnitsAreTheGuides() {
        // Proves each unit's decimals reach exactly one fen: 10^decimalsMax == fenPerUnit.
        for unit in MoneyUnit.allCases {
            var scale: Int64 = 1
            for _ in 0..<unit.decimalsMax { scale *= 10 }
            #expect(scale == unit.fenPerUnit, "\(unit)")
        }
        #expect(MoneyUnit.yuan.fenPerUnit == Money.fenPerYuan && MoneyUnit.yuan.decimalsMax == Money.yuanDecimalsMax)
    }
}
