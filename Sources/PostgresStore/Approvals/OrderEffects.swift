import Foundation
import Logging
import PostgresNIO
import VoucherCore

/// Offline payment (线下支付审核) as an approvals workflow: approval captures the order's holds
/// and the order is paid; a rejection (or withdrawal) keeps the holds and lets the enterprise
/// upload new proofs (the next attempt).
public struct OrderPaymentEffect: ApprovalEffect {
    public static let type = "order_payment"

    public init() {}

    public func closed(_ application: ApprovalRecord, as status: ApprovalStatus, on connection: PostgresConnection, logger: Logger) async throws {
        let orderID = application.subjectID
        let order = try await OrdersRepository.lockOrder(id: orderID, viewer: .enterprise(orgID: application.orgID), on: connection, logger: logger)
        guard status != .pending else { return }
        let next = try OrdersRepository.transition(order.state, status == .approved ? .approvePayment : .rejectPayment)
        switch status {
        case .approved:
            try await OrdersRepository.moveLines(orderID: orderID, from: "held", to: "captured", move: .capture, on: connection, logger: logger)
            try await OrdersRepository.setState(orderID, next, on: connection, logger: logger)
        case .rejected, .withdrawn:
            try await OrdersRepository.setState(
                orderID, next, on: connection, logger: logger, extra: ", payment_attempt = payment_attempt + 1")
        case .pending: return
        }
    }
}

/// Unsubscribing (退订) as an approvals workflow: approval gives the captured amounts back to the
/// vouchers (into `expired` for vouchers past validity) and ends a general redemption filed from
/// the order (refused once its transfer is recorded); a rejection returns the order to where it was.
public struct OrderRefundEffect: ApprovalEffect {
    public static let type = "order_refund"

    public init() {}

    public func closed(_ application: ApprovalRecord, as status: ApprovalStatus, on connection: PostgresConnection, logger: Logger) async throws {
        let orderID = application.subjectID
        let order = try await OrdersRepository.lockOrder(id: orderID, viewer: .enterprise(orgID: application.orgID), on: connection, logger: logger)
        guard status != .pending else { return }
        // The refused refund's way back (`state_before_refund`) is read by the UPDATE below; the
        // table is checked with `paid`, a state the request came from.
        let next = try OrdersRepository.transition(order.state, status == .approved ? .approveRefund : .rejectRefund(backTo: .paid))
        switch status {
        case .approved:
            try await OrdersRepository.moveLines(
                orderID: orderID, from: "captured", to: "refunded", move: .refund, on: connection, logger: logger, expireAfterRefundAt: Date())
            try await RedemptionRepository.orderEnded(
                orderID: orderID, reason: "订单已退订，兑付申请随之结束。", now: Date(), on: connection, logger: logger)
            try await OrdersRepository.setState(orderID, next, on: connection, logger: logger, extra: ", state_before_refund = NULL")
        case .rejected, .withdrawn:
            try await connection.query(
                """
                UPDATE orders SET state = state_before_refund, state_before_refund = NULL, updated_at = now() WHERE id = \(orderID)
                """, logger: logger)
        case .pending: return
        }
    }
}

/// The approval workflows of orders, to merge into the approvals module's effects.
public enum OrderEffects {
    public static let all: [String: any ApprovalEffect] = [
        OrderPaymentEffect.type: OrderPaymentEffect(),
        OrderRefundEffect.type: OrderRefundEffect(),
    ]
}
