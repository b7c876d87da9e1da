import Foundation
import VoucherCore

/// A listed product as the public catalogue shows it: what the listing chain writes with
/// `CatalogueRepository.upsert` when a revision is finally approved. Every field comes from the
/// approved revision; the rating is the catalogue's own and never part of an upsert.
public struct CatalogueEntry: Sendable, Equatable {
    public var productID: String
    public var providerOrgID: String
    /// The provider organisation's registered name, shown on the card.
    public var providerName: String
    /// 方案名称.
    public var name: String
    /// 相关产品名称.
    public var productNames: [String]
    public var category: ProductCategory
    public var tags: [String]
    /// At most `CatalogueEntry.solutionClassesMax`.
    public var solutionClasses: [String]
    /// At most `CatalogueEntry.industriesMax`.
    public var industries: [String]
    /// 历史最低价.
    public var priceLowFen: Int64
    /// 历史最高价.
    public var priceHighFen: Int64
    /// 平均交付周期, days.
    public var deliveryDays: Int
    /// 人天.
    public var personDays: Int
    /// The display image.
    public var imageFileID: String?
    /// When the product was first listed; "newest" sorts by it. Pass the first listing's time again
    /// when an edit is approved, so an edit does not jump the product to the top.
    public var listedAt: Date
    public var detail: CatalogueDetail

    /// Bounds the database also holds (CHECKs of `catalogue_entries`).
    public static let solutionClassesMax = 5
    public static let industriesMax = 3
    public static let tagsMax = 20
    public static let productNamesMax = 20

    public init(
        productID: String, providerOrgID: String, providerName: String, name: String, productNames: [String], category: ProductCategory,
        tags: [String], solutionClasses: [String], industries: [String], priceLowFen: Int64, priceHighFen: Int64, deliveryDays: Int,
        personDays: Int, imageFileID: String?, listedAt: Date, detail: CatalogueDetail
    ) {
        self.productID = productID
        self.providerOrgID = providerOrgID
        self.providerName = providerName
        self.name = name
        self.productNames = productNames
        self.category = category
        self.tags = tags
        self.solutionClasses = solutionClasses
        self.industries = industries
        self.priceLowFen = priceLowFen
        self.priceHighFen = priceHighFen
        self.deliveryDays = deliveryDays
        self.personDays = personDays
        self.imageFileID = imageFileID
        self.listedAt = listedAt
        self.detail = detail
    }

    /// The cheapest spec on sale: what the price filter and the price sorts use.
    public var lowestSpecPriceFen: Int64 { detail.specs.map(\.unitPriceFen).min() ?? 0 }

    /// The fields the text search looks in.
    public var searchFields: [String] { [name] + productNames + tags }

    /// Why an entry cannot be written: the listing chain let through what its own validation
    /// should have refused (a programmer error there, so the approval fails instead of listing it).
    public struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
        public let description: String
    }

    /// Checks what the database would refuse less readably.
    public func validate() throws(Invalid) {
        guard !productID.isEmpty, !providerOrgID.isEmpty else { throw Invalid(description: "a catalogue entry needs its product and provider ids") }
        guard (1...100).contains(name.count) else { throw Invalid(description: "a catalogue entry's name has 1 to 100 characters") }
        guard !detail.specs.isEmpty else { throw Invalid(description: "a listed product has at least one spec") }
        guard solutionClasses.count <= Self.solutionClassesMax, industries.count <= Self.industriesMax, tags.count <= Self.tagsMax,
            productNames.count <= Self.productNamesMax
        else { throw Invalid(description: "a catalogue entry has too many solution classes, industries, tags or product names") }
        guard priceLowFen >= 0, priceHighFen >= priceLowFen, detail.specs.allSatisfy({ $0.unitPriceFen >= 0 }) else {
            throw Invalid(description: "a catalogue entry's prices are not negative and the low price is at most the high one")
        }
        guard deliveryDays >= 0, personDays >= 0 else { throw Invalid(description: "delivery days and person-days are not negative") }
    }
}

/// One product of a catalogue page: the entry's card fields with its rating, without the detail.
public struct CatalogueListing: Sendable, Equatable {
    public let productID: String
    public let providerOrgID: String
    public let providerName: String
    public let name: String
    public let productNames: [String]
    public let category: ProductCategory
    public let tags: [String]
    public let solutionClasses: [String]
    public let industries: [String]
    public let priceLowFen: Int64
    public let priceHighFen: Int64
    public let lowestSpecPriceFen: Int64
    public let deliveryDays: Int
    public let personDays: Int
    public let imageFileID: String?
    public let listedAt: Date
    /// 0 until reviews exist.
    public let ratingCount: Int
    /// Stars summed over the reviews (1 to 5 each).
    public let ratingSum: Int64
}
