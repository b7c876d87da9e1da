import Foundation
import VoucherCore

/// A spec as the provider sends it.
public struct NewSpec: Sendable {
    public let name: String
    public let purchaseMode: PurchaseMode
    public let pricing: Pricing
    public let unitPriceFen: Int64

    public init(name: String, purchaseMode: PurchaseMode, pricing: Pricing, unitPriceFen: Int64) {
        self.name = name
        self.purchaseMode = purchaseMode
        self.pricing = pricing
        self.unitPriceFen = unitPriceFen
    }
}

/// One spec of a revision. A live revision's specs never change, so an order's spec keeps the
/// name and price it was bought at.
public struct SpecRecord: Sendable, Equatable {
    public let id: String
    public let name: String
    public let purchaseMode: PurchaseMode
    public let pricing: Pricing
    public let unitPriceFen: Int64
}

/// One version of a product's listing: what is on sale (live) or what the provider edits and
/// submits (working); the same revision while no edit is under way.
public struct RevisionRecord: Sendable, Equatable {
    public let id: String
    public let number: Int
    /// `draft`, `in_review`, `rejected`, `withdrawn` or `approved` (went live).
    public let state: String
    /// Nil only for products made before listings had content (migration 0011).
    public let content: ListingContent?
    public let specs: [SpecRecord]
    /// The reason of the last rejection, for the provider to act on.
    public let rejectReason: String?
    /// The application of its last submission.
    public let approvalID: String?
    public let submittedAt: Date?
    public let updatedAt: Date
}

/// A product with its live and working revisions.
public struct ProductRecord: Sendable, Equatable {
    public let id: String
    public let orgID: String
    public let status: ListingState
    /// The live revision's name and category while one exists, else the working one's.
    public let name: String
    public let category: ProductCategory
    public let live: RevisionRecord?
    public let working: RevisionRecord
    public let createdAt: Date
    public let updatedAt: Date
    public let listedAt: Date?

    /// What an enterprise buys: the live revision's specs, else the working one's.
    public var specs: [SpecRecord] { (live ?? working).specs }

    /// The state of an edit under way on a listed or delisted product (nil when there is none).
    public var editState: String? {
        guard let live, live.id != working.id else { return nil }
        return working.state
    }
}

/// One line of 我的商品.
public struct ProductSummary: Sendable, Equatable {
    public let id: String
    public let name: String
    public let category: ProductCategory
    public let status: ListingState
    /// The working revision's state when an edit of a listed product is under way.
    public let editState: String?
    public let rejectReason: String?
    public let createdAt: Date
    public let updatedAt: Date
    public let listedAt: Date?
}

/// The filters of 我的商品 and the page asked for.
public struct ProductFilter: Sendable, Equatable {
    public let state: ListingState?
    public let name: String?
    public let category: ProductCategory?
    public let page: Int
    public let pageSize: Int

    public init(state: ListingState?, name: String?, category: ProductCategory?, page: Int, pageSize: Int) {
        self.state = state
        self.name = name
        self.category = category
        self.page = page
        self.pageSize = pageSize
    }
}

/// What an approval of type `listing` decides, for the approval's detail: the product, the
/// revision submitted, its full content and specs, and the version on sale now (if any).
public struct ListingSnapshot: Sendable, Equatable {
    public let productID: String
    public let orgID: String
    public let organisationName: String
    public let productStatus: ListingState
    public let revision: RevisionRecord
    /// The live revision's id when the submission is an edit of a listed product.
    public let liveRevisionID: String?
}
