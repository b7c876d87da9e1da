import Foundation
import PostgresStore
import TestSupport
import Testing
import VoucherCore

/// Random sequences of quote/order/cancel/pay (approve or reject)/deliver/accept/refund
/// (approve or reject)/expire on real PostgreSQL keep every invariant of `ledger verify` after
/// each step. Bounded: `seeds.count` sequences of `stepsPerSequence` steps.
@Suite("Ledger properties")
struct LedgerPropertyTests {
    static let stepsPerSequence = 60

    /// Proves the ledger invariant holds after every step of random order workflows.
    @Test(arguments: [UInt64(1), 2, 3, 42])
    func randomSequencesKeepTheInvariant(seed: UInt64) async throws {
        try await OrdersWorld.run { world in
            var rng = SplitMix64(state: seed)
            let products = [
                try await world.listedProduct(unitPriceFen: 1_000_000), try await world.listedProduct(unitPriceFen: 33_333),
                try await world.listedProduct(unitPriceFen: 7),
            ]
            try await world.enterprise("ent_p")
            var vouchers: [String] = []
            for face in [Int64(300_000), 1_500_000, 1, 99_999] {
                vouchers.append(try await world.voucher(org: "ent_p", faceFen: face, validFor: Double.random(in: 3600...864_000, using: &rng)))
            }
            var orderIDs: [String] = []
            let operatorActor = ApprovalsRepository.Actor(userID: OrdersWorld.operatorUser, name: "operator", role: "operator")
            let repository = world.orders.orders
            let now = { Date() }
            var applied = 0
            for step in 0..<Self.stepsPerSequence {
                let action = Int.random(in: 0..<9, using: &rng)
                var log = "seed \(seed) step \(step) action \(action)"
                do {
                    switch action {
                    case 0, 1:
                        let product = products.randomElement(using: &rng)!
                        let chosen: [String]? =
                            Bool.random(using: &rng) ? nil : Array(vouchers.shuffled(using: &rng).prefix(Int.random(in: 0...3, using: &rng)))
                        let request = OrderRequest(
                            orgID: "ent_p", userID: "usr_ent_p", productID: product.0, specID: product.1,
                            quantity: Int.random(in: 1...3, using: &rng), voucherIDs: chosen)
                        _ = try await repository.quote(request, now: now())
                        let placed = try await repository.place(request, idempotencyKey: UUID().uuidString, now: now())
                        orderIDs.append(placed.order.id)
                        log += " placed \(placed.order.id) deduction \(placed.order.deductionFen)"
                    case 2:
                        guard let id = orderIDs.randomElement(using: &rng) else { continue }
                        _ = try await repository.cancel(id: id, orgID: "ent_p")
                    case 3, 4:
                        guard let id = orderIDs.randomElement(using: &rng) else { continue }
                        _ = try await repository.addProof(orderID: id, orgID: "ent_p", sha256: "x", mediaType: "image/png", sizeBytes: 1, now: now())
                        let (_, approval) = try await repository.submitPayment(orderID: id, orgID: "ent_p", userID: "usr_ent_p", now: now())
                        _ = try await world.accounts.approvals.decide(
                            id: approval, by: operatorActor, approve: Bool.random(using: &rng), reason: "凭证不清晰", now: now())
                    case 5:
                        guard let id = orderIDs.randomElement(using: &rng) else { continue }
                        _ = try await repository.deliver(id: id, providerOrgID: OrdersWorld.provider)
                        if Bool.random(using: &rng) { _ = try await repository.accept(id: id, orgID: "ent_p", now: now()) }
                    case 6, 7:
                        guard let id = orderIDs.randomElement(using: &rng) else { continue }
                        let (_, approval) = try await repository.requestRefund(id: id, orgID: "ent_p", userID: "usr_ent_p", now: now())
                        _ = try await world.accounts.approvals.decide(
                            id: approval, by: operatorActor, approve: Bool.random(using: &rng), reason: "不符合退订条件", now: now())
                    default:
                        let voucher = vouchers.randomElement(using: &rng)!
                        try await world.expireValidity(voucher)
                        _ = try await VoucherExpiry(client: world.postgres, logger: TestEnvironment.logger).run(now: now())
                        // A fresh grant keeps money flowing for the rest of the sequence.
                        vouchers.append(try await world.voucher(org: "ent_p", faceFen: Int64.random(in: 1...2_000_000, using: &rng)))
                    }
                    applied += 1
                } catch let error as OrdersError {
                    log += " refused \(error.code)"
                } catch let error as DeductionError {
                    log += " refused \(error.code)"
                }
                try await world.expectLedgerConsistent(Comment(rawValue: log))
            }
            // The sequence must have exercised the money moves, not only refusals.
            var entries: [String: Int] = [:]
            for try await (entry, count) in try await world.postgres.query(
                "SELECT entry, count(*)::int FROM voucher_ledger GROUP BY entry"
            ).decode((String, Int).self) {
                entries[entry] = count
            }
            print(
                "ledger properties: seed \(seed), \(applied) of \(Self.stepsPerSequence) steps applied, entries \(entries.sorted { $0.key < $1.key })"
            )
            #expect(applied >= Self.stepsPerSequence / 4)
            #expect((entries["hold"] ?? 0) > 0)
        }
    }
}
