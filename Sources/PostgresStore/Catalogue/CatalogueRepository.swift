import Foundation
import Logging
import PostgresNIO
import VoucherCore

/// The public catalogue (migration 0012): written by the listing chain inside its own
/// transactions, read by the public routes.
public struct CatalogueRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Puts a product in the catalogue or replaces its entry, on the caller's transaction (the
    /// final approval of a listing, so the catalogue and the listing commit together). The rating
    /// stays as it is; a product put (back) in starts from its visible reviews, which cannot change
    /// meanwhile: the caller holds the product's row, as every review write does (ReviewsRepository).
    public func upsert(_ entry: CatalogueEntry, on connection: PostgresConnection) async throws {
        try entry.validate()
        let detailJSON = String(decoding: try JSONEncoder().encode(entry.detail), as: UTF8.self)
        let fields = entry.searchFields
        try await connection.query(
            """
            INSERT INTO catalogue_entries (product_id, provider_org_id, provider_name, name, product_names, category, tags, solution_classes,
                industries, price_low_fen, price_high_fen, lowest_spec_price_fen, delivery_days, person_days, image_file_id, listed_at, detail,
                search_text, search_grams,
                rating_count, rating_sum)
            VALUES (\(entry.productID), \(entry.providerOrgID), \(entry.providerName), \(entry.name), \(entry.productNames),
                \(entry.category.rawValue), \(entry.tags), \(entry.solutionClasses), \(entry.industries), \(entry.priceLowFen),
                \(entry.priceHighFen), \(entry.lowestSpecPriceFen), \(entry.deliveryDays), \(entry.personDays), \(entry.imageFileID),
                \(entry.listedAt), \(detailJSON)::jsonb, \(CatalogueSearch.searchText(fields: fields)), \(CatalogueSearch.indexGrams(fields: fields)),
                (SELECT count(*)::int FROM reviews WHERE product_id = \(entry.productID) AND hidden_at IS NULL),
                (SELECT coalesce(sum(stars), 0)::bigint FROM reviews WHERE product_id = \(entry.productID) AND hidden_at IS NULL))
            ON CONFLICT (product_id) DO UPDATE SET provider_org_id = EXCLUDED.provider_org_id, provider_name = EXCLUDED.provider_name,
                name = EXCLUDED.name, product_names = EXCLUDED.product_names, category = EXCLUDED.category, tags = EXCLUDED.tags,
                solution_classes = EXCLUDED.solution_classes, industries = EXCLUDED.industries, price_low_fen = EXCLUDED.price_low_fen,
                price_high_fen = EXCLUDED.price_high_fen, lowest_spec_price_fen = EXCLUDED.lowest_spec_price_fen,
                delivery_days = EXCLUDED.delivery_days, person_days = EXCLUDED.person_days, image_file_id = EXCLUDED.image_file_id,
                listed_at = EXCLUDED.listed_at, detail = EXCLUDED.detail, search_text = EXCLUDED.search_text,
                search_grams = EXCLUDED.search_grams
            """, logger: logger)
    }

    /// Takes a product out of the catalogue (delisted), on the caller's transaction; true when it
    /// was there. Orders already placed keep their own snapshot and are not touched.
    @discardableResult
    public func remove(productID: String, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query(
            "DELETE FROM catalogue_entries WHERE product_id = \(productID) RETURNING product_id", logger: logger)
        var removed = false
        for try await _ in rows.decode(String.self) { removed = true }
        return removed
    }

    /// `upsert` in a transaction of its own, for seeding (tests, benchmarks) where no listing
    /// chain runs.
    public func upsert(_ entry: CatalogueEntry) async throws {
        try await client.transaction(logger: logger) { tx in try await upsert(entry, on: tx) }
    }

    /// A listed product's card and its whole detail; nil when it is not listed.
    public func entry(productID: String) async throws -> (listing: CatalogueListing, detail: CatalogueDetail)? {
        let rows = try await client.query(
            PostgresQuery(
                unsafeSQL: "SELECT \(Self.listingColumns), detail::text FROM catalogue_entries WHERE product_id = $1", binds: binds(productID)),
            logger: logger)
        for try await row in rows {
            let listing = try Self.listing(row)
            let detailJSON = try row.makeRandomAccess()["detail"].decode(String.self)
            return (listing, try JSONDecoder().decode(CatalogueDetail.self, from: Data(detailJSON.utf8)))
        }
        return nil
    }

    /// The media type of a file a listed product shows publicly (its display image or a file its
    /// detail names), as its provider uploaded it; nil for a product not listed or any other file.
    public func publicFile(productID: String, sha256: String) async throws -> String? {
        guard let (listing, detail) = try await entry(productID: productID),
            listing.imageFileID == sha256 || detail.fileIDs.contains(sha256)
        else { return nil }
        let rows = try await client.query(
            """
            SELECT f.media_type FROM product_files f JOIN catalogue_entries c ON c.provider_org_id = f.org_id
            WHERE c.product_id = \(productID) AND f.sha256 = \(sha256) ORDER BY f.kind LIMIT 1
            """, logger: logger)
        for try await mediaType in rows.decode(String.self) { return mediaType }
        return nil
    }

    /// One page of the catalogue for a query, and the number of matches counted up to
    /// `CatalogueFilter.matchesShownMax` (`exact` is false when there are more).
    public func search(_ query: CatalogueQuery) async throws -> (items: [CatalogueListing], total: Int, exact: Bool) {
        var binds = PostgresBindings()
        func bind(_ value: some PostgresDynamicTypeEncodable) -> String {
            binds.append(value)
            return "$\(binds.count)"
        }
        var conditions = ["true"]
        if !query.terms.isEmpty {
            let grams = Set(query.terms.flatMap { CatalogueSearch.queryGrams(term: $0) }).sorted()
            conditions.append("search_grams @> \(bind(grams))::text[]")
            // A term of one or two characters is exactly its gram; a longer one may be a false positive of its bigrams.
            for term in query.terms where term.unicodeScalars.count > 2 { conditions.append("strpos(search_text, \(bind(term))) > 0") }
        }
        if let categories = query.categories { conditions.append("category = ANY(\(bind(categories.map(\.rawValue).sorted()))::text[])") }
        if let tag = query.tag { conditions.append("tags @> \(bind([tag]))::text[]") }
        if let industry = query.industry { conditions.append("industries @> \(bind([industry]))::text[]") }
        if let low = query.priceMinFen { conditions.append("lowest_spec_price_fen >= \(bind(low))") }
        if let high = query.priceMaxFen { conditions.append("lowest_spec_price_fen <= \(bind(high))") }
        let whereClause = conditions.joined(separator: " AND ")
        var counted = 0
        let countLimit = CatalogueFilter.matchesShownMax + 1
        let countRows = try await client.query(
            PostgresQuery(
                unsafeSQL: "SELECT count(*) FROM (SELECT 1 FROM catalogue_entries WHERE \(whereClause) LIMIT \(countLimit)) m", binds: binds),
            logger: logger)
        for try await count in countRows.decode(Int.self) { counted = count }
        let sql = """
            SELECT \(Self.listingColumns) FROM catalogue_entries WHERE \(whereClause) ORDER BY \(query.sort.orderBy)
            LIMIT \(bind(query.pageSize)) OFFSET \(bind((query.page - 1) * query.pageSize))
            """
        var items: [CatalogueListing] = []
        for try await row in try await client.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger) {
            items.append(try Self.listing(row))
        }
        return (items, min(counted, CatalogueFilter.matchesShownMax), counted <= CatalogueFilter.matchesShownMax)
    }

    /// The kind and direction of an organisation's voucher (去使用), or nil when the organisation
    /// has no voucher with this id.
    public func voucherMatch(voucherID: String, orgID: String) async throws -> (kind: VoucherKind, direction: VoucherDirection?)? {
        let rows = try await client.query(
            "SELECT kind, direction FROM vouchers WHERE id = \(voucherID) AND org_id = \(orgID)", logger: logger)
        for try await (kind, direction) in rows.decode((String, String?).self) {
            return (
                try StoredValue.decode(VoucherKind.self, kind, column: "vouchers.kind"),
                try StoredValue.decodeOptional(VoucherDirection.self, direction, column: "vouchers.direction")
            )
        }
        return nil
    }

    private func binds(_ value: String) -> PostgresBindings {
        var binds = PostgresBindings()
        binds.append(value)
        return binds
    }

    static let listingColumns = """
        product_id, provider_org_id, provider_name, name, product_names, category, tags, solution_classes, industries, price_low_fen,
        price_high_fen, lowest_spec_price_fen, delivery_days, person_days, image_file_id, listed_at, rating_count, rating_sum
        """

    static func listing(_ row: PostgresRow) throws -> CatalogueListing {
        let (
            id, org, provider, name, productNames, category, tags, classes, industries, low, high, lowest, delivery, personDays, image, listed,
            ratingCount, ratingSum
        ) = try row.decode(
            (
                String, String, String, String, [String], String, [String], [String], [String], Int64, Int64, Int64, Int, Int, String?, Date,
                Int, Int64
            ).self)
        return CatalogueListing(
            productID: id, providerOrgID: org, providerName: provider, name: name, productNames: productNames,
            category: try StoredValue.decode(ProductCategory.self, category, column: "catalogue_entries.category"), tags: tags,
            solutionClasses: classes, industries: industries, priceLowFen: low, priceHighFen: high, lowestSpecPriceFen: lowest,
            deliveryDays: delivery, personDays: personDays, imageFileID: image, listedAt: listed, ratingCount: ratingCount, ratingSum: ratingSum)
    }
}

/// How the catalogue is ordered; each order ends with the product id, so pages never overlap.
public enum CatalogueSort: String, Sendable, CaseIterable {
    case newest
    case priceAsc = "price_asc"
    case priceDesc = "price_desc"
    case rating

    var orderBy: String {
        switch self {
        case .newest: "listed_at DESC, product_id"
        case .priceAsc: "lowest_spec_price_fen, product_id"
        case .priceDesc: "lowest_spec_price_fen DESC, product_id DESC"
        case .rating: "rating_average_milli DESC NULLS LAST, rating_count DESC, product_id"
        }
    }
}

/// A catalogue search, already checked by the caller.
public struct CatalogueQuery: Sendable, Equatable {
    /// Normalised terms (`CatalogueSearch.terms`); every one must be found.
    public var terms: [String]
    /// nil: every category. An empty set matches nothing (a voucher kind no category takes).
    public var categories: Set<ProductCategory>?
    public var tag: String?
    public var industry: String?
    /// Bounds on the cheapest spec's price, inclusive.
    public var priceMinFen: Int64?
    public var priceMaxFen: Int64?
    public var sort: CatalogueSort
    public var page: Int
    public var pageSize: Int

    public init(
        terms: [String] = [], categories: Set<ProductCategory>? = nil, tag: String? = nil, industry: String? = nil, priceMinFen: Int64? = nil,
        priceMaxFen: Int64? = nil, sort: CatalogueSort = .newest, page: Int = 1, pageSize: Int = 10
    ) {
        self.terms = terms
        self.categories = categories
        self.tag = tag
        self.industry = industry
        self.priceMinFen = priceMinFen
        self.priceMaxFen = priceMaxFen
        self.sort = sort
        self.page = page
        self.pageSize = pageSize
    }
}
