import Foundation
import Hummingbird
import PostgresStore
import VoucherCore
import VoucherServices

/// A product card of the catalogue list (and the head of its detail).
struct CatalogueItemDTO: Encodable, Sendable {
    let productId: String
    let name: String
    let productNames: [String]
    let category: String
    /// The voucher kind and direction that pay for the category; absent when none does.
    let voucherKind: String?
    let voucherDirection: String?
    let tags: [String]
    let solutionClasses: [String]
    let industries: [String]
    let provider: Provider
    let priceLowFen: Int64
    let priceHighFen: Int64
    let lowestSpecPriceFen: Int64
    let deliveryDays: Int
    let personDays: Int
    let imageFileId: String?
    let listedAt: String
    let rating: Rating

    struct Provider: Encodable, Sendable {
        let organisationId: String
        let name: String
    }

    /// Stars summed over `count` visible reviews (1 to 5 each); both 0 until reviews exist.
    /// `averageTenths` is `sum / count` in tenths of a star, rounded once, half to even
    /// (`ReviewRules.averageTenths`): 43 is 4.3 stars; absent while unrated.
    struct Rating: Encodable, Sendable {
        let count: Int
        let sum: Int64
        let averageTenths: Int64?
    }

    init(_ listing: CatalogueListing) {
        productId = listing.productID
        name = listing.name
        productNames = listing.productNames
        category = listing.category.rawValue
        voucherKind = listing.category.voucherMatch?.kind.rawValue
        voucherDirection = listing.category.voucherMatch?.direction?.rawValue
        tags = listing.tags
        solutionClasses = listing.solutionClasses
        industries = listing.industries
        provider = Provider(organisationId: listing.providerOrgID, name: listing.providerName)
        priceLowFen = listing.priceLowFen
        priceHighFen = listing.priceHighFen
        lowestSpecPriceFen = listing.lowestSpecPriceFen
        deliveryDays = listing.deliveryDays
        personDays = listing.personDays
        imageFileId = listing.imageFileID
        listedAt = RFC3339.format(listing.listedAt)
        let average = ReviewRules.averageTenths(sum: listing.ratingSum, count: listing.ratingCount)
        rating = Rating(count: listing.ratingCount, sum: listing.ratingSum, averageTenths: average)
    }
}

/// A catalogue page: the shape of every list, and whether `total` counted every match (a broad
/// search counts up to `CatalogueFilter.matchesShownMax`).
struct CataloguePageDTO: ResponseEncodable, Sendable {
    let items: [CatalogueItemDTO]
    let page: Int
    let pageSize: Int
    let total: Int
    let totalExact: Bool
}

/// `GET /v1/catalogue/{productID}`: the card, the whole public detail and the latest visible
/// reviews (`CatalogueController.reviewsShown`; every one: `GET /v1/catalogue/{productID}/reviews`).
struct CatalogueDetailDTO: ResponseEncodable, Sendable {
    let product: CatalogueItemDTO
    let detail: CatalogueDetail
    let reviews: [PublicReviewDTO]
    /// The provider's experts the listing shows (专家团队 cards), in display order.
    let experts: [PublicExpertDTO]
}
