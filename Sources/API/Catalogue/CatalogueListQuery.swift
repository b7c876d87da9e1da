import Foundation
import PostgresStore
import VoucherCore

/// The query string of `GET /v1/catalogue`, checked: every refusal is a 400 that names the
/// parameter and changes nothing. `voucherId` is only read here; the controller resolves it.
struct CatalogueListQuery: Sendable {
    var search: CatalogueQuery
    var voucherID: String?

    init(_ query: [String: String]) throws {
        let page = try PageRequest(query)
        guard page.page * page.pageSize <= CatalogueFilter.matchesShownMax else { throw CatalogueError.pageBeyondWindow }
        search = CatalogueQuery(page: page.page, pageSize: page.pageSize)
        do throws(CatalogueSearch.QueryProblem) { search.terms = try CatalogueSearch.terms(query["q"] ?? "") } catch {
            throw error == .tooLong ? CatalogueError.queryTooLong : CatalogueError.queryTermsTooMany
        }
        if let raw = query["category"] {
            guard let category = ProductCategory(rawValue: raw) else { throw CatalogueError.categoryInvalid }
            search.categories = [category]
        }
        if let accepted = try Self.acceptedCategories(kind: query["voucherKind"], direction: query["voucherDirection"]) {
            search.categories = (search.categories ?? Set(ProductCategory.allCases)).intersection(accepted)
        }
        search.tag = try Self.text(query["tag"], "tag")
        search.industry = try Self.text(query["industry"], "industry")
        search.priceMinFen = try Self.price(query["priceMinFen"], "priceMinFen")
        search.priceMaxFen = try Self.price(query["priceMaxFen"], "priceMaxFen")
        if let low = search.priceMinFen, let high = search.priceMaxFen, low > high { throw CatalogueError.priceRangeInvalid }
        if let raw = query["sort"] {
            guard let sort = CatalogueSort(rawValue: raw) else { throw CatalogueError.sortInvalid }
            search.sort = sort
        }
        if let raw = query["voucherId"] { voucherID = try PathID.check(raw, "voucherId") }
    }

    /// The categories a voucher of this kind (and direction) pays for (`ProductCategory.accepts`);
    /// nil when no voucher filter was sent.
    static func acceptedCategories(kind rawKind: String?, direction rawDirection: String?) throws -> Set<ProductCategory>? {
        guard let rawKind else {
            if rawDirection != nil { throw CatalogueError.voucherDirectionInvalid }
            return nil
        }
        guard let kind = VoucherKind(rawValue: rawKind) else { throw CatalogueError.voucherKindInvalid }
        var direction: VoucherDirection?
        if let rawDirection {
            guard kind == .general, let parsed = VoucherDirection(rawValue: rawDirection) else { throw CatalogueError.voucherDirectionInvalid }
            direction = parsed
        }
        return Set(
            ProductCategory.allCases.filter { category in
                guard let match = category.voucherMatch, match.kind == kind else { return false }
                return direction.map { category.accepts(kind: kind, direction: $0) } ?? true
            })
    }

    /// The categories one voucher pays for.
    static func acceptedCategories(of voucher: (kind: VoucherKind, direction: VoucherDirection?)) -> Set<ProductCategory> {
        Set(ProductCategory.allCases.filter { $0.accepts(kind: voucher.kind, direction: voucher.direction) })
    }

    private static func text(_ raw: String?, _ field: String) throws -> String? {
        guard let raw else { return nil }
        guard (1...CatalogueFilter.textLengthMax).contains(raw.count) else { throw CatalogueError.filterInvalid(field: field) }
        return raw
    }

    private static func price(_ raw: String?, _ field: String) throws -> Int64? {
        guard let raw else { return nil }
        guard raw.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let fen = Int64(raw), (0...CatalogueFilter.priceFenMax).contains(fen) else {
            throw CatalogueError.priceInvalid(field: field)
        }
        return fen
    }
}
