import Foundation
import Logging
import PostgresNIO
import VoucherCore

/// General vouchers are redeemed from a placed order (§1.4.7.2: "当使用服务券的订单发起之后，您可以提起
/// 该服务券的兑换申请流程"), not only a completed one. What keeps money that is refunded (or never
/// paid) from being paid out to the provider:
///
/// - filing takes the order's general-voucher deductions of the direction that are held or
///   captured, as usages made at filing (acceptance later finds them and makes no second one);
/// - the transfer of a batch is recorded only when every deduction it pays is captured (the
///   order's payment approved) and the order is not under refund review (409 `order_not_paid`);
/// - cancelling the order, or approving its refund, ends every live batch holding its usages
///   that has no transfer recorded (rejected, with the reason, its approval withdrawn) and voids
///   the usages: they are kept for the record and can never be redeemed;
/// - once a transfer is recorded for one of its usages (awaiting confirmation, disputed or
///   redeemed), the order can no longer be refunded (409 `order_redeemed`), on request and again
///   when the refund is approved.
extension RedemptionRepository {
    /// Order states a general-voucher redemption may be filed from: placed and neither ended
    /// without payment (cancelled, refunded) nor under refund review.
    public static let generalFilingStates: Set<OrderState> = [.pendingPayment, .paymentReview, .paid, .delivered, .completed]

    /// Batch states in which the transfer is recorded, so money has left (or is leaving) the fund.
    static let paidOutStates = ["awaiting_confirmation", "disputed", "redeemed"]

    /// Makes the usages of the order's general-voucher deductions of `direction` (held or
    /// captured lines) that have none yet, dated `now`; the order is locked by the caller.
    static func makeGeneralUsages(orderID: String, direction: String, now: Date, on tx: PostgresConnection, logger: Logger) async throws {
        let rows = try await tx.query(
            """
            SELECT ov.voucher_id, ov.amount_fen, o.provider_org_id, o.org_id
            FROM order_vouchers ov JOIN orders o ON o.id = ov.order_id JOIN vouchers v ON v.id = ov.voucher_id
            WHERE ov.order_id = \(orderID) AND ov.state IN ('held', 'captured') AND v.kind = 'general' AND v.direction = \(direction)
              AND NOT EXISTS (SELECT 1 FROM usages u WHERE u.order_id = ov.order_id AND u.voucher_id = ov.voucher_id)
            ORDER BY ov.voucher_id
            """, logger: logger)
        var lines: [(String, Int64, String, String)] = []
        for try await line in rows.decode((String, Int64, String, String).self) { lines.append(line) }
        for (voucherID, amountFen, provider, org) in lines {
            try await tx.query(
                """
                INSERT INTO usages (id, order_id, voucher_id, provider_org_id, org_id, amount_fen, used_at)
                VALUES (\(OpaqueID.make(prefix: OrdersRepository.usagePrefix)), \(orderID), \(voucherID), \(provider), \(org), \(amountFen), \(now))
                """, logger: logger)
        }
    }

    /// True when a batch whose transfer is recorded holds one of the order's usages.
    public static func orderPaidOut(orderID: String, on tx: PostgresConnection, logger: Logger) async throws -> Bool {
        let rows = try await tx.query(
            """
            SELECT count(*)::int FROM batch_usages bu JOIN usages u ON u.id = bu.usage_id JOIN redemption_batches b ON b.id = bu.batch_id
            WHERE u.order_id = \(orderID) AND bu.live AND b.state = ANY(\(paidOutStates))
            """, logger: logger)
        var count = 0
        for try await value in rows.decode(Int.self) { count = value }
        return count > 0
    }

    /// The order ends without the money its vouchers gave (cancelled, or refunded): live batches
    /// holding its usages end with `reason` and the usages are voided. Refused when a transfer
    /// is recorded for one of them; the caller holds the order's lock.
    public static func orderEnded(orderID: String, reason: String, now: Date, on tx: PostgresConnection, logger: Logger) async throws {
        guard try await !orderPaidOut(orderID: orderID, on: tx, logger: logger) else { throw RedemptionError.orderPaidOut(id: orderID) }
        let rows = try await tx.query(
            """
            SELECT DISTINCT bu.batch_id FROM batch_usages bu JOIN usages u ON u.id = bu.usage_id
            WHERE u.order_id = \(orderID) AND bu.live ORDER BY bu.batch_id
            """, logger: logger)
        var batchIDs: [String] = []
        for try await id in rows.decode(String.self) { batchIDs.append(id) }
        for batchID in batchIDs {
            guard let batch = try await batch(id: batchID, viewer: .platform, lock: true, on: tx, logger: logger) else { continue }
            _ = try transition(batch.state, batch.state == .inReview ? .approvalsRejected : .reject)
            try await release(batchID: batchID, reason: reason, now: now, on: tx, logger: logger)
            try await tx.query(
                """
                UPDATE approval_applications SET status = 'withdrawn', updated_at = \(now), closed_at = \(now)
                WHERE subject_id = \(batchID) AND status = 'pending'
                """, logger: logger)
        }
        try await tx.query(
            """
            UPDATE usages SET state = 'voided' WHERE order_id = \(orderID) AND state IN ('pending_redemption', 'in_redemption')
            """, logger: logger)
    }

    /// Before a transfer is recorded: every deduction the batch pays must be captured and its
    /// order paid and not under refund review, so no money leaves for a deduction that is only
    /// held or is being refunded.
    static func requirePaidOrders(batchID: String, on tx: PostgresConnection, logger: Logger) async throws {
        let rows = try await tx.query(
            """
            SELECT u.order_id FROM batch_usages bu JOIN usages u ON u.id = bu.usage_id JOIN orders o ON o.id = u.order_id
                LEFT JOIN order_vouchers ov ON ov.order_id = u.order_id AND ov.voucher_id = u.voucher_id
            WHERE bu.batch_id = \(batchID) AND bu.live
              AND (ov.state IS DISTINCT FROM 'captured' OR o.state NOT IN ('paid', 'delivered', 'completed'))
            ORDER BY u.order_id LIMIT 1
            """, logger: logger)
        for try await orderID in rows.decode(String.self) { throw RedemptionError.orderNotPaid(id: orderID) }
    }
}
