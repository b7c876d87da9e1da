import Foundation
import Hummingbird
import PostgresStore
import VoucherCore
import VoucherServices

/// The public catalogue (解决方案与产品, issue #14): listed products only, no token needed.
///
/// - `GET /v1/catalogue` a page of listed products: `q` (Chinese or Latin substrings of the name,
///   product names and tags; words separated by spaces must all be found), `category`, `tag`,
///   `industry`, `voucherKind` (+ `voucherDirection`), `priceMinFen`/`priceMaxFen` (the cheapest
///   spec), `sort` (newest, price_asc, price_desc, rating), `page`, `pageSize`; and 去使用:
///   `voucherId`, an enterprise's own voucher (token required), for the products it can pay
/// - `GET /v1/catalogue/{productID}` one listed product with its whole public detail, its latest visible
///   reviews and the experts it shows
/// - `GET /v1/catalogue/{productID}/files/{fileId}` a file the listed product shows (display image,
///   banner, module media, case documents), streamed from disk; any other file is 404
///
/// Neither handler calls `requireIdentity` unless `voucherId` is sent; `AuthMiddleware` still
/// checks a token that is sent, so a stale one is 401 here as everywhere.
struct CatalogueController {
    let catalogue: CatalogueRepository
    let files: any FileStore
    let reviews: ReviewsRepository

    /// The latest visible reviews a product's detail shows.
    static let reviewsShown = 5

    var endpoints: RouteCollection<AppRequestContext> {
        RouteCollection(context: AppRequestContext.self)
            .get("catalogue", use: list)
            .get("catalogue/:productID", use: detail)
            .get("catalogue/:productID/files/:fileId", use: file)
    }

    func list(_ request: Request, _ context: AppRequestContext) async throws -> CataloguePageDTO {
        var query = try CatalogueListQuery(PageRequest.query(request))
        if let voucherID = query.voucherID {
            let identity = try context.requireIdentity(.enterprise)
            guard let voucher = try await catalogue.voucherMatch(voucherID: voucherID, orgID: identity.orgID) else {
                throw OrdersError.voucherNotFound(id: voucherID)
            }
            let accepted = CatalogueListQuery.acceptedCategories(of: voucher)
            query.search.categories = (query.search.categories ?? Set(ProductCategory.allCases)).intersection(accepted)
        }
        let result = try await catalogue.search(query.search)
        return CataloguePageDTO(
            items: result.items.map(CatalogueItemDTO.init), page: query.search.page, pageSize: query.search.pageSize, total: result.total,
            totalExact: result.exact)
    }

    func detail(_ request: Request, _ context: AppRequestContext) async throws -> CatalogueDetailDTO {
        guard let id = context.parameters.get("productID"), OpaqueID.isWellFormed(id, prefix: ProductsRepository.productPrefix) else {
            throw OpaqueIDError.malformed(prefix: ProductsRepository.productPrefix)
        }
        guard let found = try await catalogue.entry(productID: id) else { throw CatalogueError.productNotFound }
        let latest = try await reviews.visible(productID: id, page: 1, pageSize: Self.reviewsShown).items
        let experts = try await catalogue.attachedExperts(productID: id)
        return CatalogueDetailDTO(
            product: CatalogueItemDTO(found.listing), detail: found.detail, reviews: latest.map(PublicReviewDTO.init),
            experts: experts.map(PublicExpertDTO.init))
    }

    func file(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let id = context.parameters.get("productID"), OpaqueID.isWellFormed(id, prefix: ProductsRepository.productPrefix) else {
            throw OpaqueIDError.malformed(prefix: ProductsRepository.productPrefix)
        }
        guard let fileID = context.parameters.get("fileId"), StoredFile.isSHA256(fileID) else {
            throw OpaqueIDError.malformedParameter(name: "fileId")
        }
        guard let mediaType = try await catalogue.publicFile(productID: id, sha256: fileID),
            let path = try await files.localPath(sha256: fileID)
        else { throw Self.fileNotFound }
        let body = try await FileIO().loadFile(path: path, context: context)
        return Response(
            status: .ok, headers: [.contentType: mediaType, .cacheControl: "public, max-age=86400, immutable"], body: body)
    }

    static let fileNotFound = DomainError(
        code: "file_not_found", kind: .notFound,
        detail: "This listed product shows no such file. Take the file's id from the product's detail.")
}
