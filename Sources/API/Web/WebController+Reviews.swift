import Foundation
import Hummingbird
import PostgresStore
import VoucherCore
import VoucherServices

/// 我的评价 (guide §2.4.4, fig 2-17): the products the enterprise bought and accepted, with 订购时间,
/// 评价时间 and 我的评分; 立即评价 writes a review (1–5 stars and text, `ReviewRules.content` and
/// `ReviewsRepository.create`, as `POST /v1/reviews`), 查看评价 shows it and, within the edit
/// window, edits it (`ReviewsRepository.edit`, as `PUT /v1/reviews/{id}`). Menu `reviews`.
extension WebController {
    struct ReviewListRow {
        let productName: String
        let productHref: String
        let productState: String
        let orderedAt: String
        let reviewedAt: String
        let stars: String
        let actionLabel: String
        let actionHref: String
    }

    struct ReviewsView {
        let chrome: WebChrome
        let rows: [ReviewListRow]
        let empty: Bool
        let paging: WebPaging
    }

    func myReviews(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await workbenchPage(request, .reviews) { viewer in
            let page = WebPaging.requested(WebForm.query(request))
            let result = try await services.reviews.mine(orgID: viewer.identity.orgID, page: page, pageSize: WebPaging.pageSize)
            let rows = result.items.map { line in
                ReviewListRow(
                    productName: line.productName, productHref: "/products/" + line.productID,
                    productState: WebLabels.productState(line.productState),
                    orderedAt: WebLabels.time(line.orderedAt), reviewedAt: line.review.map { WebLabels.time($0.createdAt) } ?? "---",
                    stars: line.review.map { WebLabels.stars($0.stars) } ?? "---", actionLabel: line.review == nil ? "立即评价" : "查看评价",
                    actionHref: line.review.map { "/workbench/reviews/" + $0.id } ?? "/workbench/reviews/write/" + line.orderID)
            }
            return pages.page(
                "reviews",
                ReviewsView(
                    chrome: chrome("我的评价", viewer: viewer, crumbs: [("工作台", "/workbench"), ("我的评价", "")], menu: .reviews), rows: rows,
                    empty: rows.isEmpty, paging: WebPaging(page: page, total: result.total, path: "/workbench/reviews", filters: [])))
        }
    }

    struct StarOption {
        let value: Int
        let label: String
        let checked: Bool
    }

    struct ReviewFormView {
        let chrome: WebChrome
        let heading: String
        let productName: String
        let action: String
        let csrf: String
        let stars: [StarOption]
        let text: String
        let starsError: String
        let textError: String
        let formError: String
        let notice: String
        /// Whether the form is shown (a new review, or one still in its edit window).
        let editable: Bool
        let shownStars: String
        let createdAt: String
        let editableUntil: String
        let textMin: Int
        let textMax: Int
    }

    /// What the review form shows besides the review: the typed values and the errors by field.
    struct ReviewFormState {
        var stars: Int?
        var text = ""
        var starsError = ""
        var textError = ""
        var formError = ""
        var notice = ""
    }

    private func reviewForm(
        heading: String, productName: String, action: String, viewer: WebViewer, state: ReviewFormState, review: ReviewRecord?,
        status: HTTPResponse.Status = .ok
    ) -> Response {
        let editable = review.map { $0.hiddenAt == nil && ReviewRules.isEditable(createdAt: $0.createdAt, now: services.clock.now()) } ?? true
        let view = ReviewFormView(
            chrome: chrome(heading, viewer: viewer, crumbs: [("工作台", "/workbench"), ("我的评价", "/workbench/reviews"), (heading, "")], menu: .reviews),
            heading: heading, productName: productName, action: action, csrf: viewer.session.csrfToken,
            stars: ReviewRules.starsRange.map { StarOption(value: $0, label: WebLabels.stars($0), checked: $0 == state.stars) },
            text: state.text, starsError: state.starsError, textError: state.textError, formError: state.formError, notice: state.notice,
            editable: editable, shownStars: review.map { WebLabels.stars($0.stars) } ?? "",
            createdAt: review.map { WebLabels.time($0.createdAt) } ?? "",
            editableUntil: review.map { WebLabels.time($0.editableUntil) } ?? "", textMin: ReviewRules.textScalarsMin,
            textMax: ReviewRules.textScalarsMax)
        return pages.page("review", view, status: status)
    }

    /// The order of the path for 立即评价, or the page to answer instead.
    private func reviewableOrder(_ context: AppRequestContext, viewer: WebViewer) async throws -> Result<OrderRecord, ResponseBox> {
        guard let id = context.parameters.get("orderID"), OpaqueID.isWellFormed(id, prefix: OrdersRepository.orderPrefix) else {
            return .failure(ResponseBox(errorPage(.badRequest, viewer: viewer, reason: "订单编号格式不正确。")))
        }
        guard let order = try await services.orders.orders.order(id: id, viewer: .enterprise(orgID: viewer.identity.orgID)) else {
            return .failure(ResponseBox(errorPage(.notFound, viewer: viewer, reason: "没有这个订单。")))
        }
        return .success(order)
    }

    func reviewWritePage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        if let page = malformedPathID(context, "orderID", prefix: OrdersRepository.orderPrefix, reason: "订单编号格式不正确。") { return page }
        return try await workbenchPage(request, .reviews) { viewer in
            switch try await reviewableOrder(context, viewer: viewer) {
            case .failure(let box): return box.response
            case .success(let order):
                return reviewForm(
                    heading: "立即评价", productName: order.productName, action: "/workbench/reviews/write/" + order.id, viewer: viewer,
                    state: ReviewFormState(), review: nil)
            }
        }
    }

    func reviewWrite(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        if let page = malformedPathID(context, "orderID", prefix: OrdersRepository.orderPrefix, reason: "订单编号格式不正确。") { return page }
        return try await workbenchForm(request, .reviews) { viewer, form in
            let order: OrderRecord
            switch try await reviewableOrder(context, viewer: viewer) {
            case .failure(let box): return box.response
            case .success(let found): order = found
            }
            var state = ReviewFormState(stars: form.text("stars").flatMap { Int($0) }, text: form["text"] ?? "")
            do {
                let content = try ReviewRules.content(stars: state.stars, text: state.text)
                let review = try await services.reviews.create(
                    orderID: order.id, orgID: viewer.identity.orgID, userID: viewer.identity.userID, content: content, now: services.clock.now())
                return redirect("/workbench/reviews/\(review.id)?done=written")
            } catch {
                let status = try await reviewRefusal(error, request, context, into: &state)
                return reviewForm(
                    heading: "立即评价", productName: order.productName, action: "/workbench/reviews/write/" + order.id, viewer: viewer,
                    state: state, review: nil, status: status)
            }
        }
    }

    /// The review of the path, the viewer's organisation's only (else the 404 page).
    private func ownReview(_ context: AppRequestContext, viewer: WebViewer) async throws -> Result<ReviewRecord, ResponseBox> {
        guard let id = context.parameters.get("id"), OpaqueID.isWellFormed(id, prefix: ReviewsRepository.reviewPrefix) else {
            return .failure(ResponseBox(errorPage(.badRequest, viewer: viewer, reason: "评价编号格式不正确。")))
        }
        guard let review = try await services.reviews.review(id: id, orgID: viewer.identity.orgID) else {
            return .failure(ResponseBox(errorPage(.notFound, viewer: viewer, reason: "没有这条评价。")))
        }
        return .success(review)
    }

    func reviewPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        if let page = malformedPathID(context, "id", prefix: ReviewsRepository.reviewPrefix, reason: "评价编号格式不正确。") { return page }
        return try await workbenchPage(request, .reviews) { viewer in
            switch try await ownReview(context, viewer: viewer) {
            case .failure(let box): return box.response
            case .success(let review):
                let done = WebForm.query(request)["done"]
                let notice = done == "written" ? "评价已提交。" : done == "edited" ? "评价已修改。" : ""
                return reviewForm(
                    heading: "查看评价", productName: review.productName, action: "/workbench/reviews/" + review.id, viewer: viewer,
                    state: ReviewFormState(stars: review.stars, text: review.text, notice: notice), review: review)
            }
        }
    }

    func reviewEdit(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        if let page = malformedPathID(context, "id", prefix: ReviewsRepository.reviewPrefix, reason: "评价编号格式不正确。") { return page }
        return try await workbenchForm(request, .reviews) { viewer, form in
            let review: ReviewRecord
            switch try await ownReview(context, viewer: viewer) {
            case .failure(let box): return box.response
            case .success(let found): review = found
            }
            var state = ReviewFormState(stars: form.text("stars").flatMap { Int($0) }, text: form["text"] ?? "")
            do {
                let content = try ReviewRules.content(stars: state.stars, text: state.text)
                _ = try await services.reviews.edit(
                    id: review.id, orgID: viewer.identity.orgID, userID: viewer.identity.userID, content: content, now: services.clock.now())
                return redirect("/workbench/reviews/\(review.id)?done=edited")
            } catch {
                let status = try await reviewRefusal(error, request, context, into: &state)
                return reviewForm(
                    heading: "查看评价", productName: review.productName, action: "/workbench/reviews/" + review.id, viewer: viewer, state: state,
                    review: review, status: status)
            }
        }
    }

    /// Puts a refused review's sentence next to its field (from the problem `code`); answers the
    /// status. A 5xx failure is thrown on to the error page.
    private func reviewRefusal(
        _ error: any Error, _ request: Request, _ context: AppRequestContext, into state: inout ReviewFormState
    ) async throws -> HTTPResponse.Status {
        let problem = try await WebErrorMiddleware.refusal(for: error, request, context)
        let (low, high) = (ReviewRules.textScalarsMin, ReviewRules.textScalarsMax)
        switch problem.code {
        case "review_stars_invalid": state.starsError = "请选择 1–5 星评分。"
        case "review_text_too_short": state.textError = "评价内容至少 \(low) 个字，请补充。"
        case "review_text_too_long": state.textError = "评价内容最多 \(high) 个字，请精简。"
        case "order_not_accepted": state.formError = "订单确认验收后才能评价。"
        case "review_exists": state.formError = "该订单已评价过，请在“我的评价”中查看评价。"
        case "review_edit_window_closed": state.formError = "评价已超过可修改期限，不能再修改。"
        case "review_hidden": state.formError = "该评价已被平台隐藏，不能修改。"
        default: state.formError = WebFieldErrors.message(problem).text
        }
        return problem.status
    }
}

extension WebLabels {
    /// 商品状态 of 我的评价: the listing's state now.
    static func productState(_ state: String) -> String {
        switch state {
        case "listed": "已上架"
        case "delisted": "已下架"
        case "in_review": "待审核"
        case "rejected": "已驳回"
        case "draft": "草稿"
        case "withdrawn": "已撤销"
        default: state
        }
    }
}
