import Foundation
import PostgresStore
import TestSupport
import Testing

/// Payment, rejection, delivery, acceptance, usages, cancellation and refunds over HTTP.
@Suite("Order lifecycle")
struct LifecycleTests {
    /// Proves a rejected payment keeps the holds and takes new proofs; approval captures; delivery
    /// and acceptance complete the order and show the deduction to the provider as pending redemption.
    @Test func payDeliverAccept() async throws {
        try await OrdersWorld.run { world in
            let product = try await world.listedProduct(unitPriceFen: 5_000_000)
            try await world.enterprise("ent_a")
            let voucher = try await world.voucher(org: "ent_a", faceFen: 3_000_000)
            let order = try await world.placeOrder(org: "ent_a", product: product)
            let id = try #require(order.string("id"))

            let rejected = try await world.pay(org: "ent_a", orderID: id, approve: false)
            #expect(rejected.status == .ok, "\(rejected.json)")
            let afterReject = try await world.call(.get, "/v1/orders/\(id)", token: try await world.token("ent_a"))
            #expect(afterReject.string("state") == "pending_payment")
            #expect(afterReject.json["paymentAttempt"] as? Int == 2)
            #expect(try await world.balances(voucher) == (1_500_000, 1_500_000, 0, 0))

            let approved = try await world.pay(org: "ent_a", orderID: id)
            #expect(approved.status == .ok, "\(approved.json)")
            #expect(try await world.balances(voucher) == (1_500_000, 0, 1_500_000, 0))
            let paid = try await world.call(.get, "/v1/orders/\(id)", token: try await world.token("ent_a"))
            #expect(paid.string("state") == "paid")
            #expect(paid.string("paymentState") == "paid")

            let early = try await world.call(.post, "/v1/orders/\(id)/accept", token: try await world.token("ent_a"))
            #expect(early.status == .conflict)
            let delivered = try await world.call(.post, "/v1/provider/orders/\(id)/deliver", token: try await world.providerToken())
            #expect(delivered.string("state") == "delivered")
            let accepted = try await world.call(.post, "/v1/orders/\(id)/accept", token: try await world.token("ent_a"))
            #expect(accepted.string("state") == "completed")

            let usages = try await world.call(.get, "/v1/provider/usages", token: try await world.providerToken())
            #expect(usages.json["total"] as? Int == 1)
            #expect(usages.items.first?["state"] as? String == "pending_redemption")
            #expect((usages.items.first?["deductionFen"] as? NSNumber)?.int64Value == 1_500_000)
            #expect(usages.items.first?["voucherId"] as? String == voucher)

            let providerOrders = try await world.call(.get, "/v1/provider/orders", token: try await world.providerToken())
            #expect(providerOrders.items.first?["subscriber"] as? String == "ent_a")
            let vouchers = try await world.call(.get, "/v1/vouchers", token: try await world.token("ent_a"))
            #expect(vouchers.items.first?["status"] as? String == "partly_used")
            #expect((vouchers.items.first?["availableFen"] as? NSNumber)?.int64Value == 1_500_000)
            let refund = try await world.call(.post, "/v1/orders/\(id)/refund", token: try await world.token("ent_a"))
            #expect(refund.status == .conflict, "a completed order is not refunded")
            try await world.expectLedgerConsistent()
        }
    }

    /// Proves cancelling an unpaid order releases its holds, and a cancelled order stays cancelled.
    @Test func cancelReleases() async throws {
        try await OrdersWorld.run { world in
            let product = try await world.listedProduct(unitPriceFen: 1_000_000)
            try await world.enterprise("ent_c")
            let voucher = try await world.voucher(org: "ent_c", faceFen: 500_000)
            let id = try #require(try await world.placeOrder(org: "ent_c", product: product).string("id"))
            #expect(try await world.balances(voucher) == (200_000, 300_000, 0, 0))
            let cancelled = try await world.call(.post, "/v1/orders/\(id)/cancel", token: try await world.token("ent_c"))
            #expect(cancelled.string("state") == "cancelled")
            #expect(try await world.balances(voucher) == (500_000, 0, 0, 0))
            let again = try await world.call(.post, "/v1/orders/\(id)/cancel", token: try await world.token("ent_c"))
            #expect(again.status == .conflict)
            #expect(again.code == "order_state_conflict")
            try await world.expectLedgerConsistent()
        }
    }

    /// Proves an approved refund gives captured amounts back to a valid voucher, and into
    /// `expired` for a voucher past its validity; a rejected refund returns the order to paid.
    @Test func refunds() async throws {
        try await OrdersWorld.run { world in
            let product = try await world.listedProduct(unitPriceFen: 1_000_000)
            try await world.enterprise("ent_r")
            let voucher = try await world.voucher(org: "ent_r", faceFen: 500_000)
            let first = try #require(try await world.placeOrder(org: "ent_r", product: product).string("id"))
            _ = try await world.pay(org: "ent_r", orderID: first)

            let asked = try await world.call(.post, "/v1/orders/\(first)/refund", token: try await world.token("ent_r"))
            #expect(asked.status == .ok, "\(asked.json)")
            let rejected = try await world.decide(try #require(asked.string("approvalId")), approve: false)
            #expect(rejected.status == .ok)
            let back = try await world.call(.get, "/v1/orders/\(first)", token: try await world.token("ent_r"))
            #expect(back.string("state") == "paid")

            let again = try await world.call(.post, "/v1/orders/\(first)/refund", token: try await world.token("ent_r"))
            _ = try await world.decide(try #require(again.string("approvalId")), approve: true)
            let refunded = try await world.call(.get, "/v1/orders/\(first)", token: try await world.token("ent_r"))
            #expect(refunded.string("state") == "refunded")
            #expect(try await world.balances(voucher) == (500_000, 0, 0, 0))

            let second = try #require(try await world.placeOrder(org: "ent_r", product: product).string("id"))
            _ = try await world.pay(org: "ent_r", orderID: second)
            try await world.expireValidity(voucher)
            let expiredCount = try await VoucherExpiryProbe.run(world)
            #expect(expiredCount == 1)
            #expect(try await world.balances(voucher) == (0, 0, 300_000, 200_000))
            let late = try await world.call(.post, "/v1/orders/\(second)/refund", token: try await world.token("ent_r"))
            _ = try await world.decide(try #require(late.string("approvalId")), approve: true)
            #expect(try await world.balances(voucher) == (0, 0, 0, 500_000))
            let listed = try await world.call(.get, "/v1/vouchers", token: try await world.token("ent_r"))
            #expect(listed.items.first?["status"] as? String == "expired")
            try await world.expectLedgerConsistent()
        }
    }

    /// Proves the verifier is not vacuous: a balance moved without a ledger entry is reported.
    @Test func verifierFindsTampering() async throws {
        try await OrdersWorld.run { world in
            try await world.enterprise("ent_t")
            let voucher = try await world.voucher(org: "ent_t", faceFen: 1_000)
            try await world.expectLedgerConsistent()
            try await world.postgres.query("UPDATE vouchers SET available_fen = 900, expired_fen = 100 WHERE id = \(voucher)")
            let report = try await LedgerVerifier(client: world.postgres, logger: TestEnvironment.logger).verify()
            #expect(report.breaches.count == 1)
            #expect(report.breaches.first?.contains(voucher) == true)
        }
    }
}

/// The expiry job as the CLI runs it.
enum VoucherExpiryProbe {
    static func run(_ world: OrdersWorld) async throws -> Int {
        try await VoucherExpiry(client: world.postgres, logger: TestEnvironment.logger).run(now: Date())
    }
}
