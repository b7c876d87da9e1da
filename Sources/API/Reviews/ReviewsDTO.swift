import Foundation
import Hummingbird
import PostgresStore
import VoucherCore

/// A review as its author sees it (查看评价), with whether it can still be edited.
struct MyReviewDTO: ResponseEncodable, Sendable {
    let id: String
    let orderId: String
    let productId: String
    let productName: String
    let stars: Int
    let text: String
    let createdAt: Date
    let updatedAt: Date
    let editableUntil: Date
    /// True while the window is open and no operator hid it.
    let editable: Bool
    let hidden: Bool

    init(_ review: ReviewRecord, now: Date) {
        id = review.id
        orderId = review.orderID
        productId = review.productID
        productName = review.productName
        stars = review.stars
        text = review.text
        createdAt = review.createdAt
        updatedAt = review.updatedAt
        editableUntil = review.editableUntil
        hidden = review.hiddenAt != nil
        editable = !hidden && ReviewRules.isEditable(createdAt: review.createdAt, now: now)
    }
}

/// A line of 我的评价: the product bought (name, state), 订购时间, and the review if written;
/// `action` is the guide's 操作: `review` (立即评价) or `view` (查看评价).
struct ReviewableOrderDTO: Encodable, Sendable {
    let orderId: String
    let product: Product
    let orderedAt: Date
    let review: MyReviewDTO?
    let action: String

    struct Product: Encodable, Sendable {
        let id: String
        let name: String
        let state: String
    }

    init(_ line: ReviewableOrder, now: Date) {
        orderId = line.orderID
        product = Product(id: line.productID, name: line.productName, state: line.productState)
        orderedAt = line.orderedAt
        review = line.review.map { MyReviewDTO($0, now: now) }
        action = line.review == nil ? "review" : "view"
    }
}

/// 客户评价: a review of one of the provider's products, with the customer (the enterprise).
struct CustomerReviewDTO: Encodable, Sendable {
    let id: String
    let orderId: String
    let product: Product
    let customer: Customer
    let stars: Int
    let text: String
    let createdAt: Date
    let updatedAt: Date

    struct Product: Encodable, Sendable {
        let id: String
        let name: String
    }

    struct Customer: Encodable, Sendable {
        let organisationId: String
        let name: String
    }

    init(_ review: ReviewRecord) {
        id = review.id
        orderId = review.orderID
        product = Product(id: review.productID, name: review.productName)
        customer = Customer(organisationId: review.orgID, name: review.enterpriseName)
        stars = review.stars
        text = review.text
        createdAt = review.createdAt
        updatedAt = review.updatedAt
    }
}

/// A review as operators see it: the provider's view, the provider, and whether (when, by whom,
/// why) it was hidden.
struct PlatformReviewDTO: ResponseEncodable, Sendable {
    let id: String
    let orderId: String
    let product: CustomerReviewDTO.Product
    let customer: CustomerReviewDTO.Customer
    let providerOrganisationId: String
    let stars: Int
    let text: String
    let createdAt: Date
    let updatedAt: Date
    let hidden: Bool
    let hiddenAt: Date?
    let hiddenBy: String?
    let hiddenReason: String?

    init(_ review: ReviewRecord) {
        id = review.id
        orderId = review.orderID
        product = CustomerReviewDTO.Product(id: review.productID, name: review.productName)
        customer = CustomerReviewDTO.Customer(organisationId: review.orgID, name: review.enterpriseName)
        providerOrganisationId = review.providerOrgID
        stars = review.stars
        text = review.text
        createdAt = review.createdAt
        updatedAt = review.updatedAt
        hidden = review.hiddenAt != nil
        hiddenAt = review.hiddenAt
        hiddenBy = review.hiddenBy
        hiddenReason = review.hiddenReason
    }
}

/// One entry of a review's audit.
struct ReviewAuditDTO: Encodable, Sendable {
    let action: String
    /// The user id of the author (create, edit) or the operator (hide).
    let actor: String
    let stars: Int?
    let text: String?
    let reason: String?
    let at: Date

    init(_ entry: ReviewAuditEntry) {
        action = entry.action
        actor = entry.actor
        stars = entry.stars
        text = entry.text
        reason = entry.reason
        at = entry.at
    }
}

/// `GET /v1/platform/reviews/{id}`: the review and everything that happened to it.
struct PlatformReviewDetailDTO: ResponseEncodable, Sendable {
    let review: PlatformReviewDTO
    let audit: [ReviewAuditDTO]
}

/// What the portal shows of a visible review: no reviewer, no order.
struct PublicReviewDTO: Encodable, Sendable {
    let id: String
    let stars: Int
    let text: String
    let createdAt: Date
    let updatedAt: Date

    init(_ review: ReviewRecord) {
        id = review.id
        stars = review.stars
        text = review.text
        createdAt = review.createdAt
        updatedAt = review.updatedAt
    }
}
