import Foundation
import Hummingbird
import PostgresStore
import VoucherCore
import VoucherServices

/// 客户评价 (guide §1.4.5, fig 1-24): the visible reviews of the provider's products — 评价的商品,
/// 客户名称, 评价时间, 客户评分, 评价详情 — filtered by 评分, 10 a page, as `GET /v1/provider/reviews`
/// lists them (`ReviewsRepository.list` with the provider's organisation). Menu `reviews` of the
/// provider's table.
extension WebController {
    struct CustomerReviewRow {
        let productName: String
        let productHref: String
        let customer: String
        let createdAt: String
        let stars: String
        let text: String
    }

    struct StarsFilterOption {
        let value: String
        let label: String
        let selected: Bool
    }

    struct CustomerReviewsView {
        let chrome: WebChrome
        let stars: [StarsFilterOption]
        let rows: [CustomerReviewRow]
        let empty: Bool
        let paging: WebPaging
    }

    func customerReviews(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await workbenchPage(request, .providerReviews) { viewer in
            let query = WebForm.query(request)
            let page = WebPaging.requested(query)
            let stars = query["stars"].flatMap(Int.init).flatMap { ReviewRules.starsRange.contains($0) ? $0 : nil }
            let result = try await services.reviews.list(
                ReviewFilter(providerOrgID: viewer.identity.orgID, stars: stars), page: page, pageSize: WebPaging.pageSize)
            let rows = result.items.map { review in
                CustomerReviewRow(
                    productName: review.productName, productHref: "/products/" + review.productID, customer: review.enterpriseName,
                    createdAt: WebLabels.time(review.createdAt), stars: WebLabels.stars(review.stars), text: review.text)
            }
            let options =
                [StarsFilterOption(value: "", label: "全部评分", selected: stars == nil)]
                + ReviewRules.starsRange.reversed().map { StarsFilterOption(value: String($0), label: WebLabels.stars($0), selected: $0 == stars) }
            return pages.page(
                "customer-reviews",
                CustomerReviewsView(
                    chrome: chrome("客户评价", viewer: viewer, crumbs: [("工作台", "/workbench"), ("客户评价", "")], menu: .providerReviews),
                    stars: options, rows: rows, empty: rows.isEmpty,
                    paging: WebPaging(
                        page: page, total: result.total, path: "/workbench/provider/reviews", filters: [("stars", stars.map(String.init) ?? "")])))
        }
    }
}
