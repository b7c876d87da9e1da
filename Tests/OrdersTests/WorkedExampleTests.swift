import Foundation
import Testing

/// The guide's worked example and odd amounts, end to end over HTTP against real PostgreSQL.
@Suite("Worked example")
struct WorkedExampleTests {
    /// Proves the four cases of the guide on a ¥50,000.00 order, and that the ¥15,000 left on a
    /// ¥30,000 voucher pays for a second order.
    @Test func guideExample() async throws {
        try await OrdersWorld.run { world in
            let product = try await world.listedProduct(unitPriceFen: 5_000_000)
            for org in ["ent_a", "ent_b", "ent_c", "ent_d"] { try await world.enterprise(org) }
            let a = try await world.voucher(org: "ent_a", faceFen: 1_500_000)
            let b = try await world.voucher(org: "ent_b", faceFen: 3_000_000)
            _ = try await world.voucher(org: "ent_c", faceFen: 50_000)

            // The quote shows cap, deduction, payable and what the voucher keeps.
            let quote = try await world.call(
                .post, "/v1/orders/quote", token: try await world.token("ent_b"),
                json: ["productId": product.0, "specId": product.1, "quantity": 1])
            #expect(quote.status == .ok)
            #expect(quote.fen("totalFen") == 5_000_000)
            #expect(quote.fen("capFen") == 1_500_000)
            #expect(quote.fen("deductionFen") == 1_500_000)
            #expect(quote.fen("payableFen") == 3_500_000)
            let draws = quote.json["draws"] as? [[String: Any]] ?? []
            #expect(draws.count == 1)
            #expect((draws.first?["keptFen"] as? NSNumber)?.int64Value == 1_500_000)
            #expect((quote.json["eligibleVouchers"] as? [Any])?.count == 1)

            let orderA = try await world.placeOrder(org: "ent_a", product: product)
            #expect(orderA.status == .created)
            #expect(orderA.fen("deductionFen") == 1_500_000)
            #expect(orderA.fen("payableFen") == 3_500_000)
            #expect(try await world.balances(a) == (0, 1_500_000, 0, 0))

            let firstB = try await world.placeOrder(org: "ent_b", product: product)
            #expect(firstB.fen("deductionFen") == 1_500_000)
            #expect(firstB.fen("payableFen") == 3_500_000)
            #expect(try await world.balances(b) == (1_500_000, 1_500_000, 0, 0))
            let secondB = try await world.placeOrder(org: "ent_b", product: product)
            #expect(secondB.fen("deductionFen") == 1_500_000)
            #expect(secondB.fen("payableFen") == 3_500_000)
            #expect(try await world.balances(b) == (0, 3_000_000, 0, 0))

            let orderC = try await world.placeOrder(org: "ent_c", product: product)
            #expect(orderC.fen("deductionFen") == 50_000)
            #expect(orderC.fen("payableFen") == 4_950_000)

            let orderD = try await world.placeOrder(org: "ent_d", product: product)
            #expect(orderD.fen("deductionFen") == 0)
            #expect(orderD.fen("payableFen") == 5_000_000)
            try await world.expectLedgerConsistent()
        }
    }

    /// Proves the cap is floored to the fen: ¥0.01 and ¥0.03 deduct nothing, ¥333.33 at most ¥99.99.
    @Test(arguments: [(Int64(1), Int64(0)), (3, 0), (33_333, 9_999), (5_000_001, 1_500_000)])
    func oddAmounts(totalFen: Int64, capFen: Int64) async throws {
        try await OrdersWorld.run { world in
            let product = try await world.listedProduct(unitPriceFen: totalFen)
            try await world.enterprise("ent_odd")
            let voucher = try await world.voucher(org: "ent_odd", faceFen: 10_000_000)
            let order = try await world.placeOrder(org: "ent_odd", product: product)
            #expect(order.status == .created, "\(order.json)")
            #expect(order.fen("capFen") == capFen)
            #expect(order.fen("deductionFen") == capFen)
            #expect(order.fen("payableFen") == totalFen - capFen)
            #expect(try await world.balances(voucher) == (10_000_000 - capFen, capFen, 0, 0))
            try await world.expectLedgerConsistent()
        }
    }

    /// Proves the cap applies to the whole order: several vouchers draw earliest expiry first.
    @Test func severalVouchersEarliestExpiryFirst() async throws {
        try await OrdersWorld.run { world in
            let product = try await world.listedProduct(unitPriceFen: 1_000_000)
            try await world.enterprise("ent_multi")
            let late = try await world.voucher(org: "ent_multi", faceFen: 200_000, validFor: 86_400 * 60)
            let early = try await world.voucher(org: "ent_multi", faceFen: 200_000, validFor: 86_400 * 10)
            let order = try await world.placeOrder(org: "ent_multi", product: product)
            #expect(order.fen("deductionFen") == 300_000)
            #expect(try await world.balances(early) == (0, 200_000, 0, 0))
            #expect(try await world.balances(late) == (100_000, 100_000, 0, 0))
            try await world.expectLedgerConsistent()
        }
    }
}
