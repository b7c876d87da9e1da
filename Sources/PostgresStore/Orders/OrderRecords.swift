import Foundation
import VoucherCore

/// What an enterprise asks to buy; the same value quotes and places an order.
public struct OrderRequest: Sendable, Equatable {
    public let orgID: String
    public let userID: String
    public let productID: String
    public let specID: String
    public let quantity: Int
    /// The vouchers the enterprise chose; nil lets the system offer every eligible one (SPEC §3).
    public let voucherIDs: [String]?

    public init(orgID: String, userID: String, productID: String, specID: String, quantity: Int, voucherIDs: [String]?) {
        self.orgID = orgID
        self.userID = userID
        self.productID = productID
        self.specID = specID
        self.quantity = quantity
        self.voucherIDs = voucherIDs
    }

    /// The request in one canonical line, kept with the Idempotency-Key: the same body gives the
    /// same line whatever the JSON's key order; voucher order matters not (the draw sorts).
    public var fingerprint: String {
        let vouchers = voucherIDs.map { $0.sorted().joined(separator: ",") } ?? "*"
        return "product=\(productID);spec=\(specID);quantity=\(quantity);vouchers=\(vouchers)"
    }
}

/// A voucher the enterprise could use for a product.
public struct EligibleVoucher: Sendable, Equatable {
    public let id: String
    /// The campaign's name, which is what the guide shows as the voucher's name.
    public let name: String
    public let kind: String
    public let direction: String?
    public let faceValueFen: Int64
    public let availableFen: Int64
    public let validUntil: Date
}

/// The answer of a quote, and the numbers an order is placed with.
public struct OrderQuote: Sendable {
    public let productID: String
    public let productName: String
    public let providerOrgID: String
    public let specID: String
    public let specName: String
    public let quantity: Int
    public let unitPriceFen: Int64
    public let totalFen: Int64
    public let capFen: Int64
    public let deductionFen: Int64
    public let payableFen: Int64
    /// Matching, valid vouchers with a balance, earliest expiry first.
    public let eligible: [EligibleVoucher]
    /// One per chosen voucher in draw order: what it gives and what it keeps.
    public let draws: [VoucherDraw]
}

/// States of an order (SPEC §4), with the refund states of issue #7.
/// What one order takes from one voucher.
public struct OrderVoucherLine: Sendable, Equatable {
    public let voucherID: String
    public let amountFen: Int64
    /// held, captured, released or refunded.
    public let state: String
}

/// An order as its enterprise and its provider see it.
public struct OrderRecord: Sendable {
    public let id: String
    public let orgID: String
    public let enterpriseName: String
    public let providerOrgID: String
    public let productID: String
    public let productName: String
    public let specID: String
    public let specName: String
    public let orderType: String
    public let quantity: Int
    public let unitPriceFen: Int64
    public let totalFen: Int64
    public let capFen: Int64
    public let deductionFen: Int64
    public let payableFen: Int64
    public let state: OrderState
    public let paymentAttempt: Int
    public let createdAt: Date
    public let updatedAt: Date
    public var vouchers: [OrderVoucherLine]
}

/// Whose eyes a read is for; other organisations' rows do not exist for them.
public enum OrderViewer: Sendable {
    case enterprise(orgID: String)
    case provider(orgID: String)
}

/// A voucher as its enterprise sees it.
public struct VoucherRecord: Sendable {
    public let id: String
    public let name: String
    public let kind: String
    public let direction: String?
    public let faceValueFen: Int64
    public let availableFen: Int64
    public let heldFen: Int64
    public let capturedFen: Int64
    public let expiredFen: Int64
    public let validUntil: Date
    public let grantedAt: Date

    /// available, partly_used, used_up or expired (SPEC §3), at `instant`.
    public func status(at instant: Date) -> String {
        if instant > validUntil || expiredFen > 0 { return "expired" }
        if availableFen == 0 { return "used_up" }
        return availableFen < faceValueFen ? "partly_used" : "available"
    }
}

/// A deduction on a completed order, as its provider sees it (SPEC §3).
public struct UsageRecord: Sendable {
    public let id: String
    public let voucherID: String
    public let voucherName: String
    public let amountFen: Int64
    public let enterpriseName: String
    public let productName: String
    public let orderID: String
    public let state: String
    public let usedAt: Date
}
