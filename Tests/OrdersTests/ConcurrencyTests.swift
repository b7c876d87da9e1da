import Foundation
import TestSupport
import Testing

/// Concurrent orders against one voucher on real PostgreSQL.
@Suite("Concurrency")
struct ConcurrencyTests {
    /// Proves 50 concurrent orders on one ¥15,000 voucher hold exactly its balance in total —
    /// never more — whatever the interleaving: five orders take ¥3,000 each, the rest nothing.
    @Test func fiftyOrdersOneVoucher() async throws {
        try await OrdersWorld.run { world in
            let product = try await world.listedProduct(unitPriceFen: 1_000_000)
            try await world.enterprise("ent_rush")
            let voucher = try await world.voucher(org: "ent_rush", faceFen: 1_500_000)
            let answers = try await withThrowingTaskGroup(of: Answer.self) { group in
                for _ in 0..<50 {
                    group.addTask { try await world.placeOrder(org: "ent_rush", product: product, vouchers: [voucher]) }
                }
                var all: [Answer] = []
                for try await answer in group { all.append(answer) }
                return all
            }
            #expect(answers.allSatisfy { $0.status == .created }, "\(answers.filter { $0.status != .created }.map(\.json))")
            let deductions = answers.compactMap { $0.fen("deductionFen") }
            #expect(deductions.reduce(0, +) == 1_500_000)
            #expect(deductions.filter { $0 == 300_000 }.count == 5)
            #expect(try await world.balances(voucher) == (0, 1_500_000, 0, 0))
            try await world.expectLedgerConsistent()
        }
    }

    /// Proves the same Idempotency-Key sent 20 times at once makes one order.
    @Test func sameKeyConcurrently() async throws {
        try await OrdersWorld.run { world in
            let product = try await world.listedProduct(unitPriceFen: 1_000_000)
            try await world.enterprise("ent_key")
            let voucher = try await world.voucher(org: "ent_key", faceFen: 1_500_000)
            let ids = try await withThrowingTaskGroup(of: String?.self) { group in
                for _ in 0..<20 {
                    group.addTask { try await world.placeOrder(org: "ent_key", product: product, key: "same-key").string("id") }
                }
                var all: [String?] = []
                for try await id in group { all.append(id) }
                return all
            }
            #expect(Set(ids.compactMap { $0 }).count == 1)
            #expect(ids.allSatisfy { $0 != nil })
            #expect(try await world.balances(voucher) == (1_200_000, 300_000, 0, 0))
            try await world.expectLedgerConsistent()
        }
    }
}
