import Foundation
import PropertyBased
import Testing

@testable import VoucherCore

@Suite("Money arithmetic and coding")
struct MoneyArithmeticTests {
    @Test func checkedOperationsAgreeWithWideArithmeticOrReportOverflow() async {
        // Proves adding/subtracting/multiplying equal the exact 128-bit result when it fits, and throw `.overflow` exactly when it does not.
        let range = Int128(Int64.min)...Int128(Int64.max)
        await propertyCheck(count: 500, input: Gens.anyFen, Gens.anyFen) { a, b in
            let x = Money(fen: a), y = Money(fen: b)
            let cases: [(Int128, Result<Money, MoneyArithmeticError>)] = [
                (Int128(a) + Int128(b), Result { () throws(MoneyArithmeticError) in try x.adding(y) }),
                (Int128(a) - Int128(b), Result { () throws(MoneyArithmeticError) in try x.subtracting(y) }),
                (Int128(a) * Int128(b), Result { () throws(MoneyArithmeticError) in try x.multiplied(by: b) }),
            ]
            for (exact, result) in cases {
                if range.contains(exact) {
                    #expect(result == .success(Money(fen: Int64(exact))))
                } else {
                    #expect(result == .failure(.overflow))
                }
            }
        }
    }

    @Test func overflowAtTheEdgesIsReported() throws {
        // Proves the boundary cases report overflow instead of trapping or wrapping.
        #expect(throws: MoneyArithmeticError.overflow) { try Money.max.adding(Money(fen: 1)) }
        #expect(throws: MoneyArithmeticError.overflow) { try Money.min.subtracting(Money(fen: 1)) }
        #expect(throws: MoneyArithmeticError.overflow) { try Money.min.negated() }
        #expect(throws: MoneyArithmeticError.overflow) { try Money.max.multiplied(by: 2) }
        #expect(throws: MoneyArithmeticError.overflow) { try Money(yuan: Int64.max / 100 + 1) }
        #expect(throws: MoneyArithmeticError.overflow) { try Money.sum([Money.max, Money(fen: 1)]) }
        #expect(try Money.max.adding(Money.min) == Money(fen: -1))
        #expect(try Money(yuan: 50_000) == Money(fen: 5_000_000))
        #expect(try Money.sum([Money(fen: 1), Money(fen: 2), Money(fen: 3)]) == Money(fen: 6))
    }

    @Test func encodesAsABareIntegerOfFen() throws {
        // Proves the JSON form is the fen integer the `…Fen` fields carry, and decodes back.
        let data = try JSONEncoder().encode(["totalFen": Money(fen: 5_000_001)])
        #expect(String(decoding: data, as: UTF8.self) == #"{"totalFen":5000001}"#)
        let decoded = try JSONDecoder().decode([String: Money].self, from: data)
        #expect(decoded["totalFen"] == Money(fen: 5_000_001))
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Money].self, from: Data(#"["1.00"]"#.utf8)) }
    }

    @Test func ordersByFen() async {
        // Proves Comparable follows the fen value, so min/max/sorting are money-correct.
        await propertyCheck(input: Gens.anyFen, Gens.anyFen) { a, b in
            #expect((Money(fen: a) < Money(fen: b)) == (a < b))
            #expect(min(Money(fen: a), Money(fen: b)).fen == min(a, b))
        }
    }
}
