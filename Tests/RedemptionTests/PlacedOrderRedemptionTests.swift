import API
import Foundation
import HTTPTypes
import PostgresStore
import TestSupport
import Testing
import VoucherServices

/// General-voucher redemption from a placed order (guide §1.4.7.2), and what keeps refunded or
/// unpaid money from being paid out (`RedemptionRepository+PlacedOrders`).
@Suite("General redemption from a placed order")
struct PlacedOrderRedemptionTests {
    /// Proves a general redemption can be filed once the order is placed (before payment); its
    /// transfer is refused while the deduction is only held (409 `order_not_paid`, nothing
    /// changed); cancelling the order ends the batch with the reason and voids the usage, the
    /// voucher gets its money back, and the ledger still verifies.
    @Test func placedOrderFilesAndCancellingEndsTheBatch() async throws {
        try await RedemptionWorld.run { world in
            let payee = try await world.payeeAccount()
            let order = try await world.placedGeneralOrder(priceFen: 1_000_000, paid: false)
            let filed = try await world.fileGeneral(order.orderID, payee: payee)
            #expect(filed.status == .created, "\(filed.json)")
            #expect(filed.fen("totalFen") == 300_000)
            let batch = try #require(filed.string("id"))
            let usages = try #require(filed.json["usageIds"] as? [String])
            #expect(try await world.usageStates(usages) == ["in_redemption"])
            #expect(try await world.decide(try #require(filed.string("approvalId")), role: .operator, approve: true).status == .ok)

            let early = try await world.recordTransfer(batch, amountFen: 300_000)
            #expect(early.status == .conflict && early.code == "order_not_paid", "\(early.json)")
            #expect(try await world.batch(batch).string("state") == "awaiting_transfer", "a refused transfer changes nothing")

            let cancelled = try await world.call(.post, "/v1/orders/\(order.orderID)/cancel", token: try await world.token(order.org))
            #expect(cancelled.string("state") == "cancelled", "\(cancelled.json)")
            let ended = try await world.batch(batch)
            #expect(ended.string("state") == "rejected")
            #expect(ended.string("rejectionReason")?.contains("取消") == true, "\(ended.json)")
            #expect(try await world.usageStates(usages) == ["voided"])
            let voucher = try await world.call(.get, "/v1/vouchers/\(order.voucherID)", token: try await world.token(order.org))
            #expect(((voucher.json["voucher"] as? [String: Any])?["availableFen"] as? NSNumber)?.int64Value == 1_000_000)
            #expect(try await world.fileGeneral(order.orderID, payee: payee).code == "order_state_conflict")
            try await world.expectLedgerConsistent()
        }
    }

    /// Proves a paid order's general redemption pays out once the transfer is recorded, after
    /// which the order's refund is refused (409 `order_redeemed`, the order still paid); and that
    /// delivering and accepting an order whose usage was made at filing makes no second usage.
    @Test func aRecordedTransferBlocksTheRefund() async throws {
        try await RedemptionWorld.run { world in
            let payee = try await world.payeeAccount()
            let order = try await world.placedGeneralOrder(priceFen: 2_000_000, paid: true)
            let filed = try await world.fileGeneral(order.orderID, payee: payee)
            #expect(filed.status == .created, "\(filed.json)")
            let batch = try #require(filed.string("id"))
            #expect(try await world.decide(try #require(filed.string("approvalId")), role: .operator, approve: true).status == .ok)
            let transfer = try await world.recordTransfer(batch, amountFen: 600_000)
            #expect(transfer.status == .ok, "\(transfer.json)")

            let refund = try await world.call(.post, "/v1/orders/\(order.orderID)/refund", token: try await world.token(order.org))
            #expect(refund.status == .conflict && refund.code == "order_redeemed", "\(refund.json)")
            #expect(try await world.text("SELECT state FROM orders WHERE id = '\(order.orderID)'") == "paid")

            let delivered = try await world.call(.post, "/v1/provider/orders/\(order.orderID)/deliver", token: try await world.providerToken())
            #expect(delivered.string("state") == "delivered")
            let accepted = try await world.call(.post, "/v1/orders/\(order.orderID)/accept", token: try await world.token(order.org))
            #expect(accepted.string("state") == "completed", "\(accepted.json)")
            #expect(try await world.count("SELECT count(*)::int FROM usages WHERE order_id = '\(order.orderID)'") == 1)
            let confirmed = try await world.call(
                .post, "/v1/redemption/batches/\(batch)/confirm", token: try await world.providerToken(),
                json: ["payerName": "专项资金专户", "payerAccount": "11010101040012345", "amountFen": 600_000])
            #expect(confirmed.string("state") == "redeemed", "\(confirmed.json)")
            try await world.expectLedgerConsistent()
        }
    }

    /// Proves a refund requested before any transfer wins: while it is under review the batch's
    /// transfer is refused (409 `order_not_paid`); approving the refund ends the batch with the
    /// reason, voids the usage and gives the voucher its money back, and nothing was paid out.
    @Test func anApprovedRefundEndsTheBatchBeforeAnyPayout() async throws {
        try await RedemptionWorld.run { world in
            let payee = try await world.payeeAccount()
            let order = try await world.placedGeneralOrder(priceFen: 1_000_000, paid: true)
            let filed = try await world.fileGeneral(order.orderID, payee: payee)
            let batch = try #require(filed.string("id"))
            #expect(try await world.decide(try #require(filed.string("approvalId")), role: .operator, approve: true).status == .ok)

            let refund = try await world.call(.post, "/v1/orders/\(order.orderID)/refund", token: try await world.token(order.org))
            #expect(refund.status == .ok, "\(refund.json)")
            let duringReview = try await world.recordTransfer(batch, amountFen: 300_000)
            #expect(duringReview.status == .conflict && duringReview.code == "order_not_paid", "\(duringReview.json)")

            let approval = try #require(refund.string("approvalId"))
            let op = try await world.platformToken(.operator)
            let approved = try await world.call(.post, "/v1/approvals/\(approval)/approve", token: op, json: [:])
            #expect(approved.status == .ok, "\(approved.json)")
            #expect(try await world.text("SELECT state FROM orders WHERE id = '\(order.orderID)'") == "refunded")
            let ended = try await world.batch(batch)
            #expect(ended.string("state") == "rejected")
            #expect(ended.string("rejectionReason")?.contains("退订") == true, "\(ended.json)")
            #expect(try await world.usageStates(try #require(filed.json["usageIds"] as? [String])) == ["voided"])
            #expect(try await world.count("SELECT count(*)::int FROM voucher_ledger WHERE entry = 'redeem'") == 0)
            let voucher = try await world.call(.get, "/v1/vouchers/\(order.voucherID)", token: try await world.token(order.org))
            #expect(((voucher.json["voucher"] as? [String: Any])?["availableFen"] as? NSNumber)?.int64Value == 1_000_000)
            try await world.expectLedgerConsistent()
        }
    }
}
