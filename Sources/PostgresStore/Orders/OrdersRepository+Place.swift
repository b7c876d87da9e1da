import Foundation
import Logging
import PostgresNIO
import VoucherCore

extension OrdersRepository {
    /// Places an order and holds its deduction on the chosen vouchers, all in one transaction.
    ///
    /// The same Idempotency-Key with the same request returns the order placed first
    /// (`created` false); with a different request it is refused. Two concurrent requests with
    /// one key meet at the UNIQUE (org_id, idempotency_key): the loser reads the winner's order.
    public func place(_ request: OrderRequest, idempotencyKey key: String, now: Date) async throws -> (order: OrderRecord, created: Bool) {
        if let existing = try await existingOrder(orgID: request.orgID, key: key, fingerprint: request.fingerprint) {
            return (existing, false)
        }
        let id = OpaqueID.make(prefix: Self.orderPrefix)
        do {
            try await client.transaction(logger: logger) { tx in
                let quote = try await Self.compute(request, lock: true, now: now, on: tx, logger: logger)
                try await Self.insert(id: id, request: request, quote: quote, key: key, now: now, on: tx, logger: logger)
            }
        } catch let error as PSQLError where error.violatedUniqueConstraint == "orders_org_id_idempotency_key_key" {
            if let existing = try await existingOrder(orgID: request.orgID, key: key, fingerprint: request.fingerprint) {
                return (existing, false)
            }
            throw error
        }
        guard let order = try await order(id: id, viewer: .enterprise(orgID: request.orgID)) else { throw OrdersError.orderNotFound }
        return (order, true)
    }

    /// The order placed with this key, if any; a different request under the key is a 422.
    func existingOrder(orgID: String, key: String, fingerprint: String) async throws -> OrderRecord? {
        let rows = try await client.query(
            """
            SELECT id, request_fingerprint FROM orders WHERE org_id = \(orgID) AND idempotency_key = \(key)
            """, logger: logger)
        for try await (id, stored) in rows.decode((String, String).self) {
            guard stored == fingerprint else { throw OrdersError.idempotencyKeyReused }
            return try await order(id: id, viewer: .enterprise(orgID: orgID))
        }
        return nil
    }

    static func insert(
        id: String, request: OrderRequest, quote: OrderQuote, key: String, now: Date, on tx: PostgresConnection, logger: Logger
    ) async throws {
        try await tx.query(
            """
            INSERT INTO orders (id, org_id, provider_org_id, product_id, spec_id, created_by, quantity, unit_price_fen, total_fen, cap_fen,
                deduction_fen, payable_fen, state, idempotency_key, request_fingerprint, created_at, updated_at)
            VALUES (\(id), \(request.orgID), \(quote.providerOrgID), \(quote.productID), \(quote.specID), \(request.userID), \(quote.quantity),
                \(quote.unitPriceFen), \(quote.totalFen), \(quote.capFen), \(quote.deductionFen), \(quote.payableFen),
                \(OrderState.pendingPayment.rawValue), \(key), \(request.fingerprint), \(now), \(now))
            """, logger: logger)
        var heldFen: Int64 = 0
        // Draws come in expiry order; the rows are already locked in id order by `compute`.
        for (position, draw) in quote.draws.enumerated() where draw.taken.isPositive {
            try await tx.query(
                """
                INSERT INTO order_vouchers (order_id, voucher_id, position, amount_fen, state)
                VALUES (\(id), \(draw.voucherID), \(position), \(draw.taken.fen), 'held')
                """, logger: logger)
            try await VoucherMove.hold.apply(voucherID: draw.voucherID, amountFen: draw.taken.fen, orderID: id, on: tx, logger: logger)
            heldFen += draw.taken.fen
        }
        precondition(heldFen == quote.deductionFen, "holds \(heldFen) differ from the deduction \(quote.deductionFen)")
    }
}
