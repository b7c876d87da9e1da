import VoucherCore

/// Why a catalogue request was refused; each sentence says what to send instead.
public enum CatalogueError: DomainErrorConvertible, Equatable {
    /// No listed product has the id (never listed, delisted, or in review only).
    case productNotFound
    case queryTooLong
    case queryTermsTooMany
    case categoryInvalid
    case voucherKindInvalid
    case voucherDirectionInvalid
    /// A tag or industry filter that is empty or longer than `CatalogueFilter.textLengthMax`.
    case filterInvalid(field: String)
    case priceInvalid(field: String)
    case priceRangeInvalid
    case sortInvalid
    /// A page beyond the first `CatalogueFilter.matchesShownMax` matches.
    case pageBeyondWindow

    public var code: String {
        switch self {
        case .productNotFound: "product_not_found"
        case .queryTooLong, .queryTermsTooMany: "query_invalid"
        case .categoryInvalid: "category_invalid"
        case .voucherKindInvalid: "voucher_kind_invalid"
        case .voucherDirectionInvalid: "voucher_direction_invalid"
        case .filterInvalid: "filter_invalid"
        case .priceInvalid, .priceRangeInvalid: "price_range_invalid"
        case .sortInvalid: "sort_invalid"
        case .pageBeyondWindow: "page_invalid"
        }
    }

    public var kind: DomainError.Kind {
        switch self {
        case .productNotFound: .notFound
        default: .invalidInput
        }
    }

    public var detail: String {
        switch self {
        case .productNotFound: "No listed product has this id. Choose a product from GET /v1/catalogue."
        case .queryTooLong: "q is longer than \(CatalogueSearch.queryScalarsMax) characters; search for a shorter text."
        case .queryTermsTooMany: "q has more than \(CatalogueSearch.termsMax) words; search for fewer words."
        case .categoryInvalid:
            "category must be one of: \(ProductCategory.allCases.map(\.rawValue).joined(separator: ", "))."
        case .voucherKindInvalid: "voucherKind must be diagnostic or general."
        case .voucherDirectionInvalid:
            "voucherDirection must be one of \(VoucherDirection.allCases.map(\.rawValue).joined(separator: ", ")), with voucherKind general."
        case .filterInvalid(let field): "\(field) must have 1 to \(CatalogueFilter.textLengthMax) characters."
        case .priceInvalid(let field): "\(field) must be a whole number of fen from 0 to \(CatalogueFilter.priceFenMax)."
        case .priceRangeInvalid: "priceMinFen must not be above priceMaxFen; swap them or widen the range."
        case .sortInvalid: "sort must be one of: \(CatalogueSort.allCases.map(\.rawValue).joined(separator: ", "))."
        case .pageBeyondWindow:
            "The catalogue pages through the first \(CatalogueFilter.matchesShownMax) matches only; narrow the search or the filters."
        }
    }
}

/// The bounds of a catalogue search, in one place.
public enum CatalogueFilter {
    /// The longest tag or industry filter.
    public static let textLengthMax = 50
    /// The highest price a filter may name (the most a spec may cost, `OrdersLimits.unitPriceFenMax`).
    public static let priceFenMax = OrdersLimits.unitPriceFenMax
    /// How many matches a search counts and pages through: a one-character query (云) can match a
    /// fifth of the catalogue, and counting every match reads that many rows (docs/BENCHMARKS.md);
    /// beyond this the answer says `totalExact: false` and the caller narrows the search.
    public static let matchesShownMax = 1_000
}
