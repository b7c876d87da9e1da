import Foundation
import Hummingbird
import PostgresStore
import VoucherServices

/// 服务券详情 (guide §2.4.6.3 step 4): the voucher as the list shows it, every ledger entry that
/// moved its balance, and the orders it paid with what it deducted from each.
struct VoucherDetailDTO: ResponseEncodable, Sendable {
    struct LedgerEntry: Encodable, Sendable {
        let entry: String
        let amountFen: Int64
        let orderId: String?
        let createdAt: String
    }

    struct PaidOrder: Encodable, Sendable {
        let orderId: String
        let productId: String
        let productName: String
        let orderedAt: String
        let orderState: String
        let deductionFen: Int64
        /// held, captured, released or refunded: whether the deduction stands.
        let deductionState: String
    }

    let voucher: VoucherDTO
    let ledger: [LedgerEntry]
    let orders: [PaidOrder]

    init(_ detail: VoucherDetailRecord, now: Date) {
        voucher = VoucherDTO(detail.voucher, now: now)
        ledger = detail.ledger.map {
            LedgerEntry(entry: $0.entry, amountFen: $0.amountFen, orderId: $0.orderID, createdAt: RFC3339.format($0.createdAt))
        }
        orders = detail.orders.map {
            PaidOrder(
                orderId: $0.orderID, productId: $0.productID, productName: $0.productName, orderedAt: RFC3339.format($0.orderedAt),
                orderState: $0.orderState.rawValue, deductionFen: $0.deductionFen, deductionState: $0.lineState)
        }
    }
}
