import Foundation
import Logging
import PostgresNIO
import VoucherCore

/// One entry of a voucher's append-only ledger, as its enterprise sees it.
public struct VoucherLedgerLine: Sendable, Equatable {
    /// grant, hold, release, capture, refund, expire or redeem (`VoucherMove`, plus `redeem`).
    public let entry: String
    public let amountFen: Int64
    /// The order the entry belongs to; nil for a grant or an expiry.
    public let orderID: String?
    public let createdAt: Date
}

/// An order a voucher paid part of (服务券详情 → 订单详情): what it deducted and where that stands.
public struct VoucherOrderLine: Sendable, Equatable {
    public let orderID: String
    public let productID: String
    public let productName: String
    public let orderedAt: Date
    public let orderState: OrderState
    /// What this voucher deducted from the order.
    public let deductionFen: Int64
    /// held, captured, released or refunded.
    public let lineState: String
}

/// A voucher with its ledger and the orders it paid (guide §2.4.6.3 step 4).
public struct VoucherDetailRecord: Sendable {
    public let voucher: VoucherRecord
    public let ledger: [VoucherLedgerLine]
    public let orders: [VoucherOrderLine]
}

extension OrdersRepository {
    /// Ledger entries and orders a detail lists at most; a voucher pays a handful of orders in
    /// its life (each takes part of its balance), so the bound is a guard, not a page.
    public static let voucherDetailLinesMax = 500

    /// One voucher of the enterprise with its ledger (oldest first) and the orders it paid
    /// (newest first); nil when the voucher is not the enterprise's (another organisation's
    /// voucher is answered exactly like a missing one).
    public func voucher(id: String, orgID: String) async throws -> VoucherDetailRecord? {
        try await client.withConnection { connection in
            let rows = try await connection.query(
                """
                SELECT v.id, c.name, v.kind, v.direction, v.face_value_fen, v.available_fen, v.held_fen, v.captured_fen, v.expired_fen,
                    v.valid_until, v.granted_at
                FROM vouchers v JOIN campaigns c ON c.id = v.campaign_id WHERE v.id = \(id) AND v.org_id = \(orgID)
                """, logger: logger)
            var found: VoucherRecord?
            for try await (id, name, kind, direction, face, available, held, captured, expired, until, granted) in rows.decode(
                (String, String, String, String?, Int64, Int64, Int64, Int64, Int64, Date, Date).self)
            {
                found = VoucherRecord(
                    id: id, name: name, kind: kind, direction: direction, faceValueFen: face, availableFen: available, heldFen: held,
                    capturedFen: captured, expiredFen: expired, validUntil: until, grantedAt: granted)
            }
            guard let voucher = found else { return nil }
            var ledger: [VoucherLedgerLine] = []
            for try await (entry, amount, order, created) in try await connection.query(
                """
                SELECT entry, amount_fen, order_id, created_at FROM voucher_ledger WHERE voucher_id = \(id)
                ORDER BY id LIMIT \(Self.voucherDetailLinesMax)
                """, logger: logger
            ).decode((String, Int64, String?, Date).self) {
                ledger.append(VoucherLedgerLine(entry: entry, amountFen: amount, orderID: order, createdAt: created))
            }
            var orders: [VoucherOrderLine] = []
            for try await (orderID, productID, product, created, state, amount, lineState) in try await connection.query(
                """
                SELECT o.id, o.product_id, p.name, o.created_at, o.state, ov.amount_fen, ov.state
                FROM order_vouchers ov JOIN orders o ON o.id = ov.order_id JOIN products p ON p.id = o.product_id
                WHERE ov.voucher_id = \(id) AND o.org_id = \(orgID)
                ORDER BY o.created_at DESC, o.id DESC LIMIT \(Self.voucherDetailLinesMax)
                """, logger: logger
            ).decode((String, String, String, Date, String, Int64, String).self) {
                orders.append(
                    VoucherOrderLine(
                        orderID: orderID, productID: productID, productName: product, orderedAt: created,
                        orderState: try StoredValue.decode(OrderState.self, state, column: "orders.state"), deductionFen: amount,
                        lineState: lineState))
            }
            return VoucherDetailRecord(voucher: voucher, ledger: ledger, orders: orders)
        }
    }
}
