import Foundation
import Logging
import PostgresNIO
import VoucherCore

extension OrdersRepository {
    /// The order row locked for a state change, if the viewer may see it.
    static func lockOrder(
        id: String, viewer: OrderViewer, on tx: PostgresConnection, logger: Logger
    ) async throws -> (state: OrderState, attempt: Int, orgID: String) {
        let (column, orgID) =
            switch viewer {
            case .enterprise(let org): ("org_id", org)
            case .provider(let org): ("provider_org_id", org)
            }
        let rows = try await tx.query(
            """
            SELECT state, payment_attempt, org_id FROM orders WHERE id = \(id) AND \(unescaped: column) = \(orgID) FOR UPDATE
            """, logger: logger)
        for try await (state, attempt, org) in rows.decode((String, Int, String).self) {
            return (try StoredValue.decode(OrderState.self, state, column: "orders.state"), attempt, org)
        }
        throw OrdersError.orderNotFound
    }

    /// The state after `event`, or the 409 that names the state that refuses it.
    @discardableResult
    static func transition(_ state: OrderState, _ event: OrderEvent) throws(OrdersError) -> OrderState {
        do { return try state.after(event) } catch { throw OrdersError.invalidState(current: state.rawValue, action: event.action) }
    }

    static func setState(_ id: String, _ state: OrderState, on tx: PostgresConnection, logger: Logger, extra: String = "") async throws {
        try await tx.query(
            """
            UPDATE orders SET state = \(state.rawValue), updated_at = now() \(unescaped: extra) WHERE id = \(id)
            """, logger: logger)
    }

    /// Moves every line of the order in `from` state with `move`, in voucher id order.
    static func moveLines(
        orderID: String, from: String, to: String, move: VoucherMove, on tx: PostgresConnection, logger: Logger,
        expireAfterRefundAt now: Date? = nil
    ) async throws {
        let rows = try await tx.query(
            """
            SELECT ov.voucher_id, ov.amount_fen, v.valid_until FROM order_vouchers ov JOIN vouchers v ON v.id = ov.voucher_id
            WHERE ov.order_id = \(orderID) AND ov.state = \(from) ORDER BY ov.voucher_id
            """, logger: logger)
        var lines: [(String, Int64, Date)] = []
        for try await line in rows.decode((String, Int64, Date).self) { lines.append(line) }
        for (voucherID, amountFen, validUntil) in lines {
            try await move.apply(voucherID: voucherID, amountFen: amountFen, orderID: orderID, on: tx, logger: logger)
            if let now, validUntil < now {
                // Expired vouchers take refunds into `expired` (issue #7: expired ones stay expired).
                try await VoucherMove.expire.apply(voucherID: voucherID, amountFen: amountFen, orderID: orderID, on: tx, logger: logger)
            }
        }
        try await tx.query(
            """
            UPDATE order_vouchers SET state = \(to) WHERE order_id = \(orderID) AND state = \(from)
            """, logger: logger)
    }

    /// The enterprise cancels an unpaid order; its holds go back to the vouchers, and a general
    /// redemption filed from it ends (`RedemptionRepository.orderEnded`).
    public func cancel(id: String, orgID: String) async throws -> OrderRecord {
        try await client.transaction(logger: logger) { tx in
            let order = try await Self.lockOrder(id: id, viewer: .enterprise(orgID: orgID), on: tx, logger: logger)
            let next = try Self.transition(order.state, .cancel)
            try await Self.moveLines(orderID: id, from: "held", to: "released", move: .release, on: tx, logger: logger)
            try await RedemptionRepository.orderEnded(
                orderID: id, reason: "订单已取消，兑付申请随之结束。", now: Date(), on: tx, logger: logger)
            try await Self.setState(id, next, on: tx, logger: logger)
        }
        return try await visibleOrder(id: id, viewer: .enterprise(orgID: orgID))
    }

    /// Records one payment proof of the current attempt (the file is stored by the caller).
    public func addProof(orderID: String, orgID: String, sha256: String, mediaType: String, sizeBytes: Int, now: Date) async throws -> Int {
        try await client.transaction(logger: logger) { tx in
            let order = try await Self.lockOrder(id: orderID, viewer: .enterprise(orgID: orgID), on: tx, logger: logger)
            try Self.transition(order.state, .attachProofs)
            let count = try await Self.proofCount(orderID: orderID, attempt: order.attempt, on: tx, logger: logger)
            guard count < OrdersLimits.proofsPerAttemptMax else { throw OrdersError.proofsTooMany }
            try await tx.query(
                """
                INSERT INTO payment_proofs (id, order_id, attempt, sha256, media_type, size_bytes, created_at)
                VALUES (\(OpaqueID.make(prefix: Self.proofPrefix)), \(orderID), \(order.attempt), \(sha256), \(mediaType), \(sizeBytes), \(now))
                """, logger: logger)
            return count + 1
        }
    }

    static func proofCount(orderID: String, attempt: Int, on tx: PostgresConnection, logger: Logger) async throws -> Int {
        let rows = try await tx.query("SELECT count(*)::int FROM payment_proofs WHERE order_id = \(orderID) AND attempt = \(attempt)", logger: logger)
        var count = 0
        for try await value in rows.decode(Int.self) { count = value }
        return count
    }

    /// Submits the uploaded proofs: the order goes under review and an operator's approval opens.
    public func submitPayment(orderID: String, orgID: String, userID: String, now: Date) async throws -> (OrderRecord, approvalID: String) {
        let approvalID = try await client.transaction(logger: logger) { tx in
            let order = try await Self.lockOrder(id: orderID, viewer: .enterprise(orgID: orgID), on: tx, logger: logger)
            let next = try Self.transition(order.state, .submitPayment)
            guard try await Self.proofCount(orderID: orderID, attempt: order.attempt, on: tx, logger: logger) >= 1 else {
                throw OrdersError.proofsMissing
            }
            try await Self.setState(orderID, next, on: tx, logger: logger)
            return try await Self.file(
                type: OrderPaymentEffect.type, title: "线下支付审核 \(orderID)", orderID: orderID, orgID: orgID, userID: userID, now: now,
                on: tx, logger: logger)
        }
        return (try await visibleOrder(id: orderID, viewer: .enterprise(orgID: orgID)), approvalID)
    }

    static func file(
        type: String, title: String, orderID: String, orgID: String, userID: String, now: Date, on tx: PostgresConnection, logger: Logger
    ) async throws -> String {
        let rows = try await tx.query("SELECT username FROM users WHERE id = \(userID)", logger: logger)
        var name = userID
        for try await username in rows.decode(String.self) { name = username }
        return try await ApprovalsRepository.file(
            NewApproval(
                type: type, title: title, applicantUserID: userID, applicantName: name, orgID: orgID, subjectID: orderID,
                stageRoles: ["operator"]),
            now: now, on: tx, logger: logger)
    }

    /// The provider marks a paid order delivered.
    public func deliver(id: String, providerOrgID: String) async throws -> OrderRecord {
        try await client.transaction(logger: logger) { tx in
            let order = try await Self.lockOrder(id: id, viewer: .provider(orgID: providerOrgID), on: tx, logger: logger)
            try await Self.setState(id, try Self.transition(order.state, .deliver), on: tx, logger: logger)
        }
        return try await visibleOrder(id: id, viewer: .provider(orgID: providerOrgID))
    }

    /// The enterprise accepts delivery (验收): the order completes and each deduction becomes a
    /// usage pending redemption (待兑换) for the provider, unless a general-voucher redemption
    /// filed from the placed order made it already.
    public func accept(id: String, orgID: String, now: Date) async throws -> OrderRecord {
        try await client.transaction(logger: logger) { tx in
            let order = try await Self.lockOrder(id: id, viewer: .enterprise(orgID: orgID), on: tx, logger: logger)
            let next = try Self.transition(order.state, .accept)
            let rows = try await tx.query(
                """
                SELECT ov.voucher_id, ov.amount_fen, o.provider_org_id FROM order_vouchers ov JOIN orders o ON o.id = ov.order_id
                WHERE ov.order_id = \(id) AND ov.state = 'captured' ORDER BY ov.voucher_id
                """, logger: logger)
            var lines: [(String, Int64, String)] = []
            for try await line in rows.decode((String, Int64, String).self) { lines.append(line) }
            for (voucherID, amountFen, provider) in lines {
                try await tx.query(
                    """
                    INSERT INTO usages (id, order_id, voucher_id, provider_org_id, org_id, amount_fen, used_at)
                    VALUES (\(OpaqueID.make(prefix: Self.usagePrefix)), \(id), \(voucherID), \(provider), \(orgID), \(amountFen), \(now))
                    ON CONFLICT (order_id, voucher_id) DO NOTHING
                    """, logger: logger)
            }
            try await Self.setState(id, next, on: tx, logger: logger)
        }
        return try await visibleOrder(id: id, viewer: .enterprise(orgID: orgID))
    }

    /// The enterprise asks to unsubscribe (退订) a paid order that is not completed; an operator decides.
    public func requestRefund(id: String, orgID: String, userID: String, now: Date) async throws -> (OrderRecord, approvalID: String) {
        let approvalID = try await client.transaction(logger: logger) { tx in
            let order = try await Self.lockOrder(id: id, viewer: .enterprise(orgID: orgID), on: tx, logger: logger)
            let next = try Self.transition(order.state, .requestRefund)
            guard try await !RedemptionRepository.orderPaidOut(orderID: id, on: tx, logger: logger) else {
                throw RedemptionError.orderPaidOut(id: id)
            }
            try await tx.query(
                """
                UPDATE orders SET state = \(next.rawValue), state_before_refund = \(order.state.rawValue), updated_at = now() WHERE id = \(id)
                """, logger: logger)
            return try await Self.file(
                type: OrderRefundEffect.type, title: "退订审核 \(id)", orderID: id, orgID: orgID, userID: userID, now: now, on: tx, logger: logger)
        }
        return (try await visibleOrder(id: id, viewer: .enterprise(orgID: orgID)), approvalID)
    }

    func visibleOrder(id: String, viewer: OrderViewer) async throws -> OrderRecord {
        guard let order = try await order(id: id, viewer: viewer) else { throw OrdersError.orderNotFound }
        return order
    }
}
