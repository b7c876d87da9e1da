import Foundation
import Hummingbird
import PostgresStore
import VoucherCore
import VoucherServices

/// `POST /v1/orders/quote` and `POST /v1/orders` bodies.
struct OrderBody: Decodable, Sendable {
    let productId: String
    let specId: String
    let quantity: Int
    /// Omitted: every eligible voucher is offered (SPEC §3); `[]`: pay without vouchers.
    let voucherIds: [String]?

    func request(_ identity: Identity) throws -> OrderRequest {
        for id in voucherIds ?? [] { _ = try PathID.check(id, "voucherIds") }
        return OrderRequest(
            orgID: identity.orgID, userID: identity.userID, productID: try PathID.check(productId, "productId"),
            specID: try PathID.check(specId, "specId"), quantity: quantity, voucherIDs: voucherIds)
    }
}

struct EligibleVoucherDTO: Encodable, Sendable {
    let id: String
    let name: String
    let kind: String
    let direction: String?
    let faceValueFen: Int64
    let availableFen: Int64
    let validUntil: String

    init(_ voucher: EligibleVoucher) {
        id = voucher.id
        name = voucher.name
        kind = voucher.kind
        direction = voucher.direction
        faceValueFen = voucher.faceValueFen
        availableFen = voucher.availableFen
        validUntil = RFC3339.format(voucher.validUntil)
    }
}

/// What a chosen voucher gives and keeps (余额结转).
struct DrawDTO: Encodable, Sendable {
    let voucherId: String
    let validUntil: String
    let availableBeforeFen: Int64
    let takenFen: Int64
    let keptFen: Int64

    init(_ draw: VoucherDraw) {
        voucherId = draw.voucherID
        validUntil = RFC3339.format(draw.validUntil)
        availableBeforeFen = draw.availableBefore.fen
        takenFen = draw.taken.fen
        keptFen = draw.kept.fen
    }
}

struct QuoteDTO: ResponseEncodable, Sendable {
    let productId: String
    let productName: String
    let specId: String
    let specName: String
    let quantity: Int
    let unitPriceFen: Int64
    let totalFen: Int64
    let capFen: Int64
    let deductionFen: Int64
    let payableFen: Int64
    let eligibleVouchers: [EligibleVoucherDTO]
    let draws: [DrawDTO]

    init(_ quote: OrderQuote) {
        productId = quote.productID
        productName = quote.productName
        specId = quote.specID
        specName = quote.specName
        quantity = quote.quantity
        unitPriceFen = quote.unitPriceFen
        totalFen = quote.totalFen
        capFen = quote.capFen
        deductionFen = quote.deductionFen
        payableFen = quote.payableFen
        eligibleVouchers = quote.eligible.map(EligibleVoucherDTO.init)
        draws = quote.draws.map(DrawDTO.init)
    }
}

struct OrderLineDTO: Encodable, Sendable {
    let voucherId: String
    let amountFen: Int64
    let state: String
}

/// One order for its enterprise (product, type, payment state, order state, total, created) and
/// its provider (product, type, price, deduction, payable, subscriber, time).
struct OrderDTO: ResponseEncodable, Sendable {
    let id: String
    let productId: String
    let productName: String
    let specId: String
    let specName: String
    let orderType: String
    let quantity: Int
    let unitPriceFen: Int64
    let totalFen: Int64
    let capFen: Int64
    let deductionFen: Int64
    let payableFen: Int64
    let state: String
    let paymentState: String
    let subscriber: String
    let subscriberOrgId: String
    let paymentAttempt: Int
    let createdAt: String
    let updatedAt: String
    let vouchers: [OrderLineDTO]

    init(_ order: OrderRecord) {
        id = order.id
        productId = order.productID
        productName = order.productName
        specId = order.specID
        specName = order.specName
        orderType = order.orderType
        quantity = order.quantity
        unitPriceFen = order.unitPriceFen
        totalFen = order.totalFen
        capFen = order.capFen
        deductionFen = order.deductionFen
        payableFen = order.payableFen
        state = order.state.rawValue
        paymentState = Self.paymentState(order.state)
        subscriber = order.enterpriseName
        subscriberOrgId = order.orgID
        paymentAttempt = order.paymentAttempt
        createdAt = RFC3339.format(order.createdAt)
        updatedAt = RFC3339.format(order.updatedAt)
        vouchers = order.vouchers.map { OrderLineDTO(voucherId: $0.voucherID, amountFen: $0.amountFen, state: $0.state) }
    }

    /// The payment column of the enterprise's list: unpaid, under_review, paid, refunded.
    static func paymentState(_ state: OrderState) -> String {
        switch state {
        case .pendingPayment, .cancelled: "unpaid"
        case .paymentReview: "under_review"
        case .paid, .delivered, .completed, .refundReview: "paid"
        case .refunded: "refunded"
        }
    }
}

/// An order together with the approval it opened (payment or refund).
struct OrderWithApprovalDTO: ResponseEncodable, Sendable {
    let order: OrderDTO
    let approvalId: String
}

struct VoucherDTO: Encodable, Sendable {
    let id: String
    let name: String
    let kind: String
    let direction: String?
    let faceValueFen: Int64
    let availableFen: Int64
    let heldFen: Int64
    let capturedFen: Int64
    let expiredFen: Int64
    let validUntil: String
    let grantedAt: String
    let status: String

    init(_ voucher: VoucherRecord, now: Date) {
        id = voucher.id
        name = voucher.name
        kind = voucher.kind
        direction = voucher.direction
        faceValueFen = voucher.faceValueFen
        availableFen = voucher.availableFen
        heldFen = voucher.heldFen
        capturedFen = voucher.capturedFen
        expiredFen = voucher.expiredFen
        validUntil = RFC3339.format(voucher.validUntil)
        grantedAt = RFC3339.format(voucher.grantedAt)
        status = voucher.status(at: now)
    }
}

struct UsageDTO: Encodable, Sendable {
    let id: String
    let voucherId: String
    let voucherName: String
    let deductionFen: Int64
    let enterprise: String
    let productName: String
    let orderId: String
    let state: String
    let usedAt: String

    init(_ usage: UsageRecord) {
        id = usage.id
        voucherId = usage.voucherID
        voucherName = usage.voucherName
        deductionFen = usage.amountFen
        enterprise = usage.enterpriseName
        productName = usage.productName
        orderId = usage.orderID
        state = usage.state
        usedAt = RFC3339.format(usage.usedAt)
    }
}
