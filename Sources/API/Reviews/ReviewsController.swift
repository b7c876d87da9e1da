import Foundation
import Hummingbird
import PostgresStore
import VoucherCore
import VoucherServices

/// Reviews (评价, issue 15 item 1; guide §2.4.4 我的评价, §1.4.5 客户评价):
///
/// - enterprises (menu `reviews`): `GET /v1/reviews` 我的评价, the orders whose delivery they
///   accepted with their reviews (立即评价 / 查看评价); `POST /v1/reviews` `{orderId, stars, text}`
///   reviews one, once; `GET /v1/reviews/{id}`; `PUT /v1/reviews/{id}` `{stars, text}` within
///   `ReviewRules.editWindowSeconds` of writing it;
/// - providers (menu `reviews`): `GET /v1/provider/reviews` 客户评价, the visible reviews of their
///   own products, filtered by `productId`, `stars`, `from`/`to` (when written);
/// - operators: `GET /v1/platform/reviews` (any visibility), `GET /v1/platform/reviews/{id}` with
///   its audit, `POST /v1/platform/reviews/{id}/hide` `{reason}`;
/// - the portal (no token): `GET /v1/catalogue/{productID}/reviews`, a listed product's visible
///   reviews without the reviewer.
///
/// The catalogue's rating moves in the transaction of each write, edit and hide (ReviewsRepository).
struct ReviewsController {
    let reviews: ReviewsRepository
    let catalogue: CatalogueRepository
    let clock: any WallClock

    var endpoints: RouteCollection<AppRequestContext> {
        RouteCollection(context: AppRequestContext.self)
            .get("reviews", use: mine)
            .post("reviews", use: create)
            .get("reviews/:id", use: detail)
            .put("reviews/:id", use: edit)
            .get("provider/reviews", use: customerReviews)
            .get("platform/reviews", use: platformList)
            .get("platform/reviews/:id", use: platformDetail)
            .post("platform/reviews/:id/hide", use: hide)
            .get("catalogue/:productID/reviews", use: publicList)
    }

    /// `POST /v1/reviews`. `stars` is nil for a number that is not whole (4.5) or null, so that
    /// it gets the rule's own problem (`review_stars_invalid`), not a generic `body_invalid`.
    struct CreateInput: Decodable, Sendable {
        let orderId: String
        let stars: Int?
        let text: String

        enum CodingKeys: String, CodingKey { case orderId, stars, text }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            orderId = try container.decode(String.self, forKey: .orderId)
            stars = try ReviewsController.stars(container, .stars)
            text = try container.decode(String.self, forKey: .text)
        }
    }

    /// `PUT /v1/reviews/{id}`: the whole new content (`stars` as in `CreateInput`).
    struct EditInput: Decodable, Sendable {
        let stars: Int?
        let text: String

        enum CodingKeys: String, CodingKey { case stars, text }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            stars = try ReviewsController.stars(container, .stars)
            text = try container.decode(String.self, forKey: .text)
        }
    }

    /// `POST /v1/platform/reviews/{id}/hide`.
    struct HideInput: Decodable, Sendable {
        let reason: String
    }

    /// Whole stars, or nil for null or a number that is not whole; a missing key or a text does not decode.
    static func stars<Key: CodingKey>(_ container: KeyedDecodingContainer<Key>, _ key: Key) throws -> Int? {
        guard try !container.decodeNil(forKey: key) else { return nil }
        if let whole = try? container.decode(Int.self, forKey: key) { return whole }
        _ = try container.decode(Double.self, forKey: key)
        return nil
    }

    // MARK: Enterprises

    func mine(_ request: Request, _ context: AppRequestContext) async throws -> Page<ReviewableOrderDTO> {
        let identity = try context.requireIdentity(.enterprise)
        let page = try PageRequest(PageRequest.query(request))
        let result = try await reviews.mine(orgID: identity.orgID, page: page.page, pageSize: page.pageSize)
        let now = clock.now()
        return Page(
            items: result.items.map { ReviewableOrderDTO($0, now: now) }, page: page.page, pageSize: page.pageSize, total: result.total)
    }

    func create(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<MyReviewDTO> {
        let identity = try context.requireIdentity(.enterprise)
        var request = request
        let input = try await request.decodeJSON(as: CreateInput.self, context: context)
        guard OpaqueID.isWellFormed(input.orderId, prefix: OrdersRepository.orderPrefix) else {
            throw OpaqueIDError.malformed(prefix: OrdersRepository.orderPrefix)
        }
        let content = try ReviewRules.content(stars: input.stars, text: input.text)
        let now = clock.now()
        let review = try await reviews.create(orderID: input.orderId, orgID: identity.orgID, userID: identity.userID, content: content, now: now)
        return EditedResponse(status: .created, headers: [.location: "/v1/reviews/\(review.id)"], response: MyReviewDTO(review, now: now))
    }

    func detail(_ request: Request, _ context: AppRequestContext) async throws -> MyReviewDTO {
        let identity = try context.requireIdentity(.enterprise)
        guard let review = try await reviews.review(id: try Self.id(context), orgID: identity.orgID) else { throw ReviewError.notFound }
        return MyReviewDTO(review, now: clock.now())
    }

    func edit(_ request: Request, _ context: AppRequestContext) async throws -> MyReviewDTO {
        let identity = try context.requireIdentity(.enterprise)
        let id = try Self.id(context)
        var request = request
        let input = try await request.decodeJSON(as: EditInput.self, context: context)
        let content = try ReviewRules.content(stars: input.stars, text: input.text)
        let now = clock.now()
        return MyReviewDTO(try await reviews.edit(id: id, orgID: identity.orgID, userID: identity.userID, content: content, now: now), now: now)
    }

    // MARK: Providers and operators

    func customerReviews(_ request: Request, _ context: AppRequestContext) async throws -> Page<CustomerReviewDTO> {
        let identity = try context.requireIdentity(.provider)
        let query = PageRequest.query(request)
        let page = try PageRequest(query)
        var filter = try Self.filter(query)
        filter.providerOrgID = identity.orgID
        let result = try await reviews.list(filter, page: page.page, pageSize: page.pageSize)
        return Page(items: result.items.map(CustomerReviewDTO.init), page: page.page, pageSize: page.pageSize, total: result.total)
    }

    func platformList(_ request: Request, _ context: AppRequestContext) async throws -> Page<PlatformReviewDTO> {
        _ = try context.requireIdentity(.operator)
        let query = PageRequest.query(request)
        let page = try PageRequest(query)
        var filter = try Self.filter(query)
        let visibility = try PlatformController.oneOf(query["visibility"], ReviewVisibility.allCases.map(\.rawValue), "visibility")
        filter.visibility = visibility.flatMap(ReviewVisibility.init(rawValue:)) ?? .all
        let result = try await reviews.list(filter, page: page.page, pageSize: page.pageSize)
        return Page(items: result.items.map(PlatformReviewDTO.init), page: page.page, pageSize: page.pageSize, total: result.total)
    }

    func platformDetail(_ request: Request, _ context: AppRequestContext) async throws -> PlatformReviewDetailDTO {
        _ = try context.requireIdentity(.operator)
        let id = try Self.id(context)
        guard let review = try await reviews.review(id: id, orgID: nil) else { throw ReviewError.notFound }
        return PlatformReviewDetailDTO(review: PlatformReviewDTO(review), audit: try await reviews.audit(reviewID: id).map(ReviewAuditDTO.init))
    }

    func hide(_ request: Request, _ context: AppRequestContext) async throws -> PlatformReviewDTO {
        let identity = try context.requireIdentity(.operator)
        let id = try Self.id(context)
        var request = request
        let reason = try ReviewRules.hideReason(try await request.decodeJSON(as: HideInput.self, context: context).reason)
        return PlatformReviewDTO(try await reviews.hide(id: id, operatorID: identity.userID, reason: reason, now: clock.now()))
    }

    // MARK: The portal

    func publicList(_ request: Request, _ context: AppRequestContext) async throws -> Page<PublicReviewDTO> {
        guard let id = context.parameters.get("productID"), OpaqueID.isWellFormed(id, prefix: ProductsRepository.productPrefix) else {
            throw OpaqueIDError.malformed(prefix: ProductsRepository.productPrefix)
        }
        let page = try PageRequest(PageRequest.query(request))
        guard try await catalogue.entry(productID: id) != nil else { throw CatalogueError.productNotFound }
        let result = try await reviews.visible(productID: id, page: page.page, pageSize: page.pageSize)
        return Page(items: result.items.map(PublicReviewDTO.init), page: page.page, pageSize: page.pageSize, total: result.total)
    }

    // MARK: Rules

    static func id(_ context: AppRequestContext) throws -> String {
        guard let id = context.parameters.get("id"), OpaqueID.isWellFormed(id, prefix: ReviewsRepository.reviewPrefix) else {
            throw OpaqueIDError.malformed(prefix: ReviewsRepository.reviewPrefix)
        }
        return id
    }

    /// The list filters of 客户评价 and the operators' list: `productId`, `stars` (1–5), `from`
    /// and `to` (RFC 3339; written at or after `from`, before `to`).
    static func filter(_ query: [String: String]) throws -> ReviewFilter {
        var filter = ReviewFilter()
        if let product = query["productId"], !product.isEmpty {
            guard OpaqueID.isWellFormed(product, prefix: ProductsRepository.productPrefix) else {
                throw AccountsError.invalid("filter_invalid", "productId must be a product id (prd_…) from your products list.")
            }
            filter.productID = product
        }
        if let stars = query["stars"], !stars.isEmpty {
            guard let value = Int(stars), ReviewRules.starsRange.contains(value) else {
                throw AccountsError.invalid("filter_invalid", "stars must be a whole number from 1 to 5.")
            }
            filter.stars = value
        }
        filter.from = try ApprovalsController.time(query["from"], "from")
        filter.to = try ApprovalsController.time(query["to"], "to")
        if let from = filter.from, let to = filter.to, from >= to {
            throw AccountsError.invalid("filter_invalid", "from must be before to; swap them or widen the range.")
        }
        return filter
    }
}
