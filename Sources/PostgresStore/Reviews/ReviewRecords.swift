import Foundation
import VoucherCore

/// One review as stored, with the names its lists show.
public struct ReviewRecord: Sendable, Equatable {
    public let id: String
    public let orderID: String
    /// The reviewing enterprise (客户) and its registered name.
    public let orgID: String
    public let enterpriseName: String
    public let providerOrgID: String
    public let productID: String
    /// The product's current name (方案名称).
    public let productName: String
    public let stars: Int
    public let text: String
    public let createdAt: Date
    public let updatedAt: Date
    /// Set when an operator hid the review, with who and why.
    public let hiddenAt: Date?
    public let hiddenBy: String?
    public let hiddenReason: String?

    /// The last moment its author may edit it.
    public var editableUntil: Date { ReviewRules.editableUntil(createdAt: createdAt) }
}

/// A line of 我的评价: an order whose delivery the enterprise accepted, and its review if written.
public struct ReviewableOrder: Sendable, Equatable {
    public let orderID: String
    public let productID: String
    public let productName: String
    /// The product's listing state now (listed 已上架, delisted 已下架).
    public let productState: String
    /// 订购时间.
    public let orderedAt: Date
    public let review: ReviewRecord?
}

/// Which reviews a list shows, by their visibility.
public enum ReviewVisibility: String, Sendable, CaseIterable {
    case visible, hidden, all
}

/// The filters of a review list; nil filters nothing.
public struct ReviewFilter: Sendable, Equatable {
    /// Only this provider's products (客户评价); nil for operators.
    public var providerOrgID: String?
    public var productID: String?
    public var stars: Int?
    /// Written at or after `from`, before `to`.
    public var from: Date?
    public var to: Date?
    public var visibility: ReviewVisibility

    public init(
        providerOrgID: String? = nil, productID: String? = nil, stars: Int? = nil, from: Date? = nil, to: Date? = nil,
        visibility: ReviewVisibility = .visible
    ) {
        self.providerOrgID = providerOrgID
        self.productID = productID
        self.stars = stars
        self.from = from
        self.to = to
        self.visibility = visibility
    }
}
