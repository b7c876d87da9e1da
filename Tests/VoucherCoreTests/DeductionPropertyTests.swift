import Foundation
import PropertyBased
import Testing

@testable import VoucherCore

@Suite("Deduction invariants")
struct DeductionPropertyTests {
    /// Plans an order over generated vouchers; generated input is always valid, so a throw is a failure.
    static func plan(_ totalFen: Int64, _ specs: [(Int64, Int64)]) throws -> (DeductionPlan, [VoucherBalance]) {
        let vouchers = Fixture.vouchers(specs)
        return (try Deduction.plan(orderTotal: Money(fen: totalFen), vouchers: vouchers, at: Fixture.now), vouchers)
    }

    @Test func deductionIsTheMinimumOfCapAndBalances() async throws {
        // Proves deduction = min(cap, Σ balances) (so ≤ both), with the sum taken in 128 bits because balances may add past Int64.
        await propertyCheck(count: 1_000, input: Gens.orderTotalFen, Gens.voucherSpecs) { totalFen, specs in
            let (plan, vouchers) = try Self.plan(totalFen, specs)
            let balances = vouchers.reduce(Int128(0)) { $0 + Int128($1.available.fen) }
            let cap = Int128(DeductionRule.capFen(totalFen))
            #expect(Int128(plan.deduction.fen) == min(cap, balances))
            #expect(plan.deduction <= plan.cap)
            #expect(Int128(plan.deduction.fen) <= balances)
            #expect(plan.cap.fen == DeductionRule.capFen(totalFen))
        }
    }

    @Test func payablePlusDeductionIsTheTotal() async throws {
        // Proves no fen is lost or created: payable + deduction = total, and the draws add up to the deduction.
        await propertyCheck(count: 1_000, input: Gens.orderTotalFen, Gens.voucherSpecs) { totalFen, specs in
            let (plan, _) = try Self.plan(totalFen, specs)
            #expect(try plan.payable.adding(plan.deduction) == Money(fen: totalFen))
            #expect(try Money.sum(plan.draws.map(\.taken)) == plan.deduction)
            #expect(plan.payable.isPositive)
        }
    }

    @Test func eachVoucherGivesAtMostItsBalanceAndKeepsTheRest() async throws {
        // Proves every voucher appears once, gives 0…balance, and keeps exactly balance − taken (carry-over).
        await propertyCheck(count: 1_000, input: Gens.orderTotalFen, Gens.voucherSpecs) { totalFen, specs in
            let (plan, vouchers) = try Self.plan(totalFen, specs)
            #expect(plan.draws.map(\.voucherID).sorted() == vouchers.map(\.id).sorted())
            let balanceByID = Dictionary(uniqueKeysWithValues: vouchers.map { ($0.id, $0.available) })
            for draw in plan.draws {
                #expect(draw.availableBefore == balanceByID[draw.voucherID])
                #expect(draw.taken >= .zero && draw.taken <= draw.availableBefore)
                #expect(try draw.kept.adding(draw.taken) == draw.availableBefore)
            }
        }
    }

    @Test func laterVouchersAreDrawnOnlyWhenEarlierOnesAreEmpty() async throws {
        // Proves earliest-expiry-first: draws are in (expiry, id) order, and a voucher gives anything only if every earlier one gave all it had.
        await propertyCheck(count: 1_000, input: Gens.orderTotalFen, Gens.voucherSpecs) { totalFen, specs in
            let (plan, _) = try Self.plan(totalFen, specs)
            for (earlier, later) in zip(plan.draws, plan.draws.dropFirst()) {
                #expect(earlier.validUntil < later.validUntil || (earlier.validUntil == later.validUntil && earlier.voucherID < later.voucherID))
            }
            for (index, draw) in plan.draws.enumerated() where draw.taken.isPositive {
                #expect(plan.draws[..<index].allSatisfy { $0.kept.isZero })
            }
        }
    }

    @Test func theOrderOfTheInputDoesNotMatter() async throws {
        // Proves the plan is deterministic: shuffling the offered vouchers yields the identical plan.
        await propertyCheck(count: 500, input: Gens.orderTotalFen, Gens.voucherSpecs) { totalFen, specs in
            let vouchers = Fixture.vouchers(specs)
            let plan = try Deduction.plan(orderTotal: Money(fen: totalFen), vouchers: vouchers, at: Fixture.now)
            let shuffled = try Deduction.plan(orderTotal: Money(fen: totalFen), vouchers: vouchers.shuffled(), at: Fixture.now)
            #expect(plan == shuffled)
        }
    }
}
