import Foundation
import Testing

@testable import VoucherCore

@Suite("Deduction: the guide's examples and bad input")
struct DeductionTests {
    static let orderTotal = Money(fen: 5_000_000)  // ¥50,000.00

    @Test func capIsThirtyPercentRoundedDown() {
        // Proves the cap formula on the guide's order and on odd amounts where rounding matters.
        #expect(DeductionRule.capFen(5_000_000) == 1_500_000)
        #expect(DeductionRule.capFen(1) == 0)  // ¥0.01
        #expect(DeductionRule.capFen(3) == 0)  // ¥0.03 → 0.9 fen
        #expect(DeductionRule.capFen(4) == 1)  // ¥0.04 → 1.2 fen
        #expect(DeductionRule.capFen(33_333) == 9_999)  // ¥333.33 → ¥99.99
        #expect(DeductionRule.capFen(Int64.max) == 2_767_011_611_056_432_742)
        #expect(DeductionRule.cap(orderTotal: Money(fen: 33_333)) == Money(fen: 9_999))
    }

    @Test func voucherOfExactlyTheCapPaysThirtyPercent() throws {
        // Proves the guide's first example: a ¥15,000 voucher on ¥50,000 leaves ¥35,000 to pay and nothing on the voucher.
        let plan = try Deduction.plan(orderTotal: Self.orderTotal, vouchers: [Fixture.voucher("a", fen: 1_500_000)], at: Fixture.now)
        #expect(plan.deduction == Money(fen: 1_500_000))
        #expect(plan.payable == Money(fen: 3_500_000))
        #expect(plan.draws.map(\.kept) == [.zero])
    }

    @Test func largerVoucherIsCappedAndKeepsTheRest() throws {
        // Proves the guide's carry-over example: a ¥30,000 voucher deducts ¥15,000 and keeps ¥15,000.
        let plan = try Deduction.plan(orderTotal: Self.orderTotal, vouchers: [Fixture.voucher("a", fen: 3_000_000)], at: Fixture.now)
        #expect(plan.cap == Money(fen: 1_500_000))
        #expect(plan.deduction == Money(fen: 1_500_000))
        #expect(plan.payable == Money(fen: 3_500_000))
        #expect(
            plan.draws == [
                VoucherDraw(
                    voucherID: "a", validUntil: Fixture.voucher("a", fen: 0).validUntil,
                    availableBefore: Money(fen: 3_000_000), taken: Money(fen: 1_500_000), kept: Money(fen: 1_500_000)
                )
            ])
    }

    @Test func smallVoucherIsSpentWhole() throws {
        // Proves the guide's third example: a ¥500 voucher is used up and ¥49,500 remains to pay.
        let plan = try Deduction.plan(orderTotal: Self.orderTotal, vouchers: [Fixture.voucher("a", fen: 50_000)], at: Fixture.now)
        #expect(plan.deduction == Money(fen: 50_000))
        #expect(plan.payable == Money(fen: 4_950_000))
        #expect(plan.draws.first?.kept == .zero)
    }

    @Test func noVoucherPaysTheFullAmount() throws {
        // Proves an order without vouchers pays the full total.
        let plan = try Deduction.plan(orderTotal: Self.orderTotal, vouchers: [], at: Fixture.now)
        #expect(plan.deduction == .zero)
        #expect(plan.payable == Self.orderTotal)
        #expect(plan.draws.isEmpty)
    }

    @Test(arguments: [(Int64(1), Int64(0)), (3, 0), (33_333, 9_999)])
    func oddTotalsDeductOnlyTheRoundedDownCap(totalFen: Int64, deductionFen: Int64) throws {
        // Proves tiny and odd totals deduct ⌊30 %⌋ even with a large voucher: ¥0.01 and ¥0.03 deduct nothing, ¥333.33 deducts ¥99.99.
        let plan = try Deduction.plan(orderTotal: Money(fen: totalFen), vouchers: [Fixture.voucher("a", fen: 1_000_000)], at: Fixture.now)
        #expect(plan.deduction.fen == deductionFen)
        #expect(plan.payable.fen == totalFen - deductionFen)
        #expect(plan.draws.first?.kept.fen == 1_000_000 - deductionFen)
    }

    @Test func earliestExpiryIsDrawnFirstAndTiesGoById() throws {
        // Proves the draw order: soonest expiry first, equal expiries by id, later vouchers only once earlier ones are empty.
        let vouchers = [
            Fixture.voucher("late", fen: 1_000_000, days: 90),
            Fixture.voucher("b-soon", fen: 600_000, days: 10),
            Fixture.voucher("a-soon", fen: 600_000, days: 10),
            Fixture.voucher("mid", fen: 200_000, days: 30),
        ]
        let plan = try Deduction.plan(orderTotal: Self.orderTotal, vouchers: vouchers, at: Fixture.now)
        #expect(plan.draws.map(\.voucherID) == ["a-soon", "b-soon", "mid", "late"])
        #expect(plan.draws.map(\.taken.fen) == [600_000, 600_000, 200_000, 100_000])
        #expect(plan.draws.map(\.kept.fen) == [0, 0, 0, 900_000])
        #expect(plan.payable == Money(fen: 3_500_000))
    }

    @Test func voucherValidUntilNowIsStillUsable() throws {
        // Proves validUntil is inclusive: a voucher expiring at the planning instant is drawn, one a second earlier is rejected.
        let atNow = VoucherBalance(id: "edge", available: Money(fen: 100), validUntil: Fixture.now)
        let plan = try Deduction.plan(orderTotal: Self.orderTotal, vouchers: [atNow], at: Fixture.now)
        #expect(plan.deduction == Money(fen: 100))
        let expired = VoucherBalance(id: "old", available: Money(fen: 100), validUntil: Fixture.now.addingTimeInterval(-1))
        #expect(throws: DeductionError.voucherExpired(id: "old", validUntil: expired.validUntil)) {
            try Deduction.plan(orderTotal: Self.orderTotal, vouchers: [atNow, expired], at: Fixture.now)
        }
    }

    @Test func badInputIsRejectedWithATypedError() {
        // Proves non-positive totals, duplicate ids and oversized voucher lists are rejected before anything is planned.
        #expect(throws: DeductionError.orderTotalNotPositive(.zero)) {
            try Deduction.plan(orderTotal: .zero, vouchers: [], at: Fixture.now)
        }
        #expect(throws: DeductionError.orderTotalNotPositive(Money(fen: -1))) {
            try Deduction.plan(orderTotal: Money(fen: -1), vouchers: [], at: Fixture.now)
        }
        #expect(throws: DeductionError.duplicateVoucher(id: "a")) {
            try Deduction.plan(
                orderTotal: Self.orderTotal, vouchers: [Fixture.voucher("a", fen: 1), Fixture.voucher("b", fen: 1), Fixture.voucher("a", fen: 2)],
                at: Fixture.now)
        }
        let many = (0...Deduction.vouchersPerPlanMax).map { Fixture.voucher("v\($0)", fen: 1) }
        #expect(throws: DeductionError.tooManyVouchers(count: Deduction.vouchersPerPlanMax + 1)) {
            try Deduction.plan(orderTotal: Self.orderTotal, vouchers: many, at: Fixture.now)
        }
        let allowed = Array(many.dropLast())
        #expect(throws: Never.self) { try Deduction.plan(orderTotal: Self.orderTotal, vouchers: allowed, at: Fixture.now) }
    }

    @Test func errorsDescribeThemselves() {
        // Proves every deduction error carries a registered code, the intended kind and a sentence naming the voucher.
        let errors: [DeductionError] = [
            .orderTotalNotPositive(.zero), .duplicateVoucher(id: "v1"),
            .voucherExpired(id: "v2", validUntil: Fixture.now), .tooManyVouchers(count: 99),
        ]
        #expect(errors.map(\.domainError.kind) == [.invalidInput, .invalidInput, .conflict, .invalidInput])
        #expect(
            errors.map(\.code) == [ErrorCode.orderTotalNotPositive, ErrorCode.voucherDuplicate, ErrorCode.voucherExpired, ErrorCode.vouchersTooMany])
        #expect(errors[1].detail.contains("v1"))
        #expect(errors[2].detail.contains("v2"))
    }

    @Test func planEncodesAmountsAsFen() throws {
        // Proves a plan serialises with fen integers, so it can be stored or returned as is.
        let plan = try Deduction.plan(orderTotal: Self.orderTotal, vouchers: [Fixture.voucher("a", fen: 3_000_000)], at: Fixture.now)
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(plan)) as? [String: Any]
        #expect(json?["deduction"] as? Int == 1_500_000)
        #expect(json?["payable"] as? Int == 3_500_000)
        #expect(try JSONDecoder().decode(DeductionPlan.self, from: JSONEncoder().encode(plan)) == plan)
    }
}
