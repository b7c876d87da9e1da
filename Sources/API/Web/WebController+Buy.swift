import Foundation
import Hummingbird
import PostgresStore
import VoucherCore
import VoucherServices

/// 商品详情 and 商品购买 (guide §2.4.7): the public product page, and the enterprise's purchase
/// page — spec, quantity, its usable vouchers ticked as the quote ticks them, the 30% cap,
/// deduction and payable from the quote use case (`OrdersRepository.quote`, the JSON quote's), and
/// 确认下单 placing the order as `POST /v1/orders` does (`OrdersRepository.place`, certified only).
///
/// The page works by plain form posts (`action=quote` recalculates, `action=place` orders); with
/// JS, `buy.js` asks `POST /workbench/buy/{id}/quote` (the session's CSRF token in the body) for
/// the same numbers as JSON while the fields change.
extension WebController {
    struct ProductSpecRow {
        let name: String
        let mode: String
        let pricing: String
        let price: String
    }

    struct ProductModule {
        let title: String
        let text: String
        let images: [String]
        let videos: [String]
    }

    struct ProductReviewRow {
        let stars: String
        let text: String
        let createdAt: String
    }

    struct ProductCaseRow {
        let customer: String
        let deliveryMonths: Int
        let annualOutput: String
        let annualSales: String
        /// The case's intro document, "" when none was uploaded.
        let document: String
    }

    struct ProductExpertRow {
        let name: String
        let title: String
    }

    struct ProductView {
        let chrome: WebChrome
        let product: ProductBody
    }

    /// The latest visible reviews the product page shows (as the JSON detail).
    static var productReviewsShown: Int { CatalogueController.reviewsShown }

    /// 商品详情: a listed product as `GET /v1/catalogue/{id}` gives it; 立即购买 for an enterprise.
    /// The page's body is `productBody` (`product-body.mustache`), which 发布预览 and the listing's
    /// approval page render too.
    func productDetail(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let viewer = try await sessions.viewer(request)
        guard let id = context.parameters.get("id"), OpaqueID.isWellFormed(id, prefix: ProductsRepository.productPrefix) else {
            return errorPage(.badRequest, viewer: viewer, reason: "商品编号格式不正确。")
        }
        guard let found = try await services.catalogue.entry(productID: id) else {
            return errorPage(.notFound, viewer: viewer, reason: "没有这个已上架的商品。")
        }
        let latest = try await services.reviews.visible(productID: id, page: 1, pageSize: Self.productReviewsShown).items
        let experts = try await services.catalogue.attachedExperts(productID: id)
        let listing = found.listing
        let average = ReviewRules.averageTenths(sum: listing.ratingSum, count: listing.ratingCount)
        let isEnterprise = viewer?.identity.role == .enterprise
        let head = ProductHead(
            name: listing.name, provider: listing.providerName, category: listing.category, tags: listing.tags,
            priceLowFen: listing.priceLowFen, priceHighFen: listing.priceHighFen, deliveryDays: listing.deliveryDays,
            imageFileID: listing.imageFileID, rating: average.map { "\($0 / 10).\($0 % 10) 分（\(listing.ratingCount) 条评价）" } ?? "暂无评分")
        var product = Self.productBody(
            head, found.detail, experts: experts, reviews: latest, file: { "/v1/catalogue/\(id)/files/\($0)" })
        product.buyHref = viewer == nil ? "/login?next=" + WebForm.encode("/workbench/buy/" + id) : "/workbench/buy/" + id
        product.canBuy = viewer == nil || isEnterprise
        product.buyNote = viewer != nil && !isEnterprise ? "仅企业用户可购买商品。" : ""
        let view = ProductView(
            chrome: chrome(listing.name, viewer: viewer, crumbs: [("首页", "/"), ("产品和解决方案", "/products"), (listing.name, "")]),
            product: product)
        return pages.page("product", view)
    }

    // MARK: 商品购买

    struct BuySpecOption {
        let id: String
        let label: String
        let selected: Bool
    }

    struct BuyVoucherRow {
        let id: String
        let name: String
        let available: String
        let validUntil: String
        let taken: String
        let checked: Bool
    }

    struct BuyView {
        let chrome: WebChrome
        let productID: String
        let productName: String
        let provider: String
        let csrf: String
        let idempotencyKey: String
        let specs: [BuySpecOption]
        let quantity: String
        let quantityError: String
        let formError: String
        let vouchers: [BuyVoucherRow]
        let hasVouchers: Bool
        let unitPrice: String
        let total: String
        let cap: String
        let deduction: String
        let payable: String
    }

    /// What the purchase form asks: spec, quantity and (once the form was sent) the ticked vouchers.
    struct BuyChoice {
        var specID: String
        var quantityText: String
        /// nil: every eligible voucher (the quote's default, the first view); else the ticked ones.
        var voucherIDs: [String]?

        static let voucherFieldPrefix = "voucher."

        init(specID: String, quantityText: String, voucherIDs: [String]?) {
            self.specID = specID
            self.quantityText = quantityText
            self.voucherIDs = voucherIDs
        }

        /// The form's fields: `spec`, `quantity`, `vouchersChosen=1` and one `voucher.{id}` per tick.
        init(form: WebForm, defaultSpec: String) {
            specID = form.text("spec") ?? defaultSpec
            quantityText = form.text("quantity") ?? "1"
            if form["vouchersChosen"] == "1" {
                voucherIDs = form.fields.keys.filter { $0.hasPrefix(Self.voucherFieldPrefix) }
                    .map { String($0.dropFirst(Self.voucherFieldPrefix.count)) }.sorted()
            }
        }
    }

    /// The listed product of the path, or the page to answer instead (400, 404).
    private func buyProduct(
        _ context: AppRequestContext, viewer: WebViewer
    ) async throws -> Result<
        (listing: CatalogueListing, detail: CatalogueDetail), ResponseBox
    > {
        guard let id = context.parameters.get("productID"), OpaqueID.isWellFormed(id, prefix: ProductsRepository.productPrefix) else {
            return .failure(ResponseBox(errorPage(.badRequest, viewer: viewer, reason: "商品编号格式不正确。")))
        }
        guard let found = try await services.catalogue.entry(productID: id) else {
            return .failure(ResponseBox(errorPage(.notFound, viewer: viewer, reason: "没有这个已上架的商品。")))
        }
        return .success(found)
    }

    /// The quote of `choice` for the viewer: the JSON quote's use case after its certification check.
    func buyQuote(_ choice: BuyChoice, product: CatalogueDetail, productID: String, viewer: WebViewer) async throws -> OrderQuote {
        guard let quantity = Int(choice.quantityText) else { throw OrdersError.quantityOutOfRange(0) }
        try await services.orders.certification.require(viewer.identity, for: .quoting)
        // A free spec takes no voucher (the quote refuses vouchers on a free order).
        let free = product.specs.first { $0.id == choice.specID }?.pricing == .free
        let request = OrderRequest(
            orgID: viewer.identity.orgID, userID: viewer.identity.userID, productID: productID, specID: choice.specID,
            quantity: quantity, voucherIDs: free ? [] : choice.voucherIDs)
        return try await services.orders.orders.quote(request, now: services.clock.now())
    }

    func buyPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        if let page = malformedPathID(context, "productID", prefix: ProductsRepository.productPrefix, reason: "商品编号格式不正确。") { return page }
        return try await workbenchPage(request, .orders) { viewer in
            let product: (listing: CatalogueListing, detail: CatalogueDetail)
            switch try await buyProduct(context, viewer: viewer) {
            case .failure(let box): return box.response
            case .success(let found): product = found
            }
            let choice = BuyChoice(
                form: WebForm.query(request), defaultSpec: product.detail.specs.first?.id ?? "")
            return try await buyForm(choice, product: product, viewer: viewer, request: request, context: context)
        }
    }

    /// `action=quote` recalculates (the page without JS); `action=place` is 确认下单.
    func buyPost(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        if let page = malformedPathID(context, "productID", prefix: ProductsRepository.productPrefix, reason: "商品编号格式不正确。") { return page }
        return try await workbenchForm(request, .orders) { viewer, form in
            let product: (listing: CatalogueListing, detail: CatalogueDetail)
            switch try await buyProduct(context, viewer: viewer) {
            case .failure(let box): return box.response
            case .success(let found): product = found
            }
            let choice = BuyChoice(form: form, defaultSpec: product.detail.specs.first?.id ?? "")
            guard form["action"] == "place" else {
                return try await buyForm(choice, product: product, viewer: viewer, request: request, context: context)
            }
            do {
                guard let quantity = Int(choice.quantityText) else { throw OrdersError.quantityOutOfRange(0) }
                try await services.orders.certification.require(viewer.identity, for: .ordering)
                let free = product.detail.specs.first { $0.id == choice.specID }?.pricing == .free
                let key = try IdempotencyKey.validated(form.text("idempotencyKey"))?.value ?? Secrets.randomToken(byteCount: 16)
                let (order, _) = try await services.orders.orders.place(
                    OrderRequest(
                        orgID: viewer.identity.orgID, userID: viewer.identity.userID, productID: product.listing.productID,
                        specID: choice.specID, quantity: quantity, voucherIDs: free ? [] : choice.voucherIDs),
                    idempotencyKey: key, now: services.clock.now())
                return redirect("/workbench/orders/\(order.id)?done=placed")
            } catch {
                return try await buyForm(choice, product: product, viewer: viewer, request: request, context: context, placing: error)
            }
        }
    }

    /// The purchase page for `choice`; a refused quote or order shows its sentence next to the field.
    private func buyForm(
        _ choice: BuyChoice, product: (listing: CatalogueListing, detail: CatalogueDetail), viewer: WebViewer, request: Request,
        context: AppRequestContext, placing: (any Error)? = nil
    ) async throws -> Response {
        var quote: OrderQuote?
        var failure = placing
        if failure == nil {
            do { quote = try await buyQuote(choice, product: product.detail, productID: product.listing.productID, viewer: viewer) } catch {
                failure = error
            }
        }
        var quantityError = ""
        var formError = ""
        var status = HTTPResponse.Status.ok
        if let failure {
            let problem = try await WebErrorMiddleware.refusal(for: failure, request, context)
            status = problem.status
            let message = WebBuyErrors.message(problem)
            if message.field == "quantity" { quantityError = message.text } else { formError = message.text }
        }
        let chosen = choice.voucherIDs.map(Set.init)
        let taken = Dictionary((quote?.draws ?? []).map { ($0.voucherID, $0.taken.fen) }, uniquingKeysWith: +)
        let vouchers = (quote?.eligible ?? []).map { voucher in
            BuyVoucherRow(
                id: voucher.id, name: voucher.name, available: WebLabels.money(voucher.availableFen), validUntil: WebLabels.time(voucher.validUntil),
                taken: WebLabels.money(taken[voucher.id] ?? 0), checked: chosen?.contains(voucher.id) ?? true)
        }
        let dash = "—"
        let view = BuyView(
            chrome: chrome(
                "商品购买", viewer: viewer,
                crumbs: [("工作台", "/workbench"), (product.listing.name, "/products/" + product.listing.productID), ("商品购买", "")],
                menu: .orders),
            productID: product.listing.productID, productName: product.listing.name, provider: product.listing.providerName,
            csrf: viewer.session.csrfToken, idempotencyKey: Secrets.randomToken(byteCount: 16),
            specs: product.detail.specs.map {
                BuySpecOption(
                    id: $0.id, label: "\($0.name)（\(WebLabels.purchaseMode($0.purchaseMode))，\(WebLabels.money($0.unitPriceFen))）",
                    selected: $0.id == choice.specID)
            },
            quantity: choice.quantityText, quantityError: quantityError, formError: formError, vouchers: vouchers, hasVouchers: !vouchers.isEmpty,
            unitPrice: quote.map { WebLabels.money($0.unitPriceFen) } ?? dash, total: quote.map { WebLabels.money($0.totalFen) } ?? dash,
            cap: quote.map { WebLabels.money($0.capFen) } ?? dash, deduction: quote.map { WebLabels.money($0.deductionFen) } ?? dash,
            payable: quote.map { WebLabels.money($0.payableFen) } ?? dash)
        return pages.page("buy", view, status: status)
    }

    /// The live preview's answer: the numbers as the page shows them, or the refusal's sentence.
    struct BuyQuoteJSON: Encodable {
        struct Draw: Encodable {
            let voucherId: String
            let taken: String
        }

        var unitPrice = "—"
        var total = "—"
        var cap = "—"
        var deduction = "—"
        var payable = "—"
        var draws: [Draw] = []
        var errorField = ""
        var error = ""
    }

    /// `POST /workbench/buy/{productID}/quote` (buy.js): the quote of the form's fields as JSON.
    func buyQuoteJSON(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        if let page = malformedPathID(context, "productID", prefix: ProductsRepository.productPrefix, reason: "商品编号格式不正确。") { return page }
        return try await workbenchForm(request, .orders) { viewer, form in
            let product: (listing: CatalogueListing, detail: CatalogueDetail)
            switch try await buyProduct(context, viewer: viewer) {
            case .failure(let box): return box.response
            case .success(let found): product = found
            }
            let choice = BuyChoice(form: form, defaultSpec: product.detail.specs.first?.id ?? "")
            var answer = BuyQuoteJSON()
            var status = HTTPResponse.Status.ok
            do {
                let quote = try await buyQuote(choice, product: product.detail, productID: product.listing.productID, viewer: viewer)
                answer.unitPrice = WebLabels.money(quote.unitPriceFen)
                answer.total = WebLabels.money(quote.totalFen)
                answer.cap = WebLabels.money(quote.capFen)
                answer.deduction = WebLabels.money(quote.deductionFen)
                answer.payable = WebLabels.money(quote.payableFen)
                answer.draws = quote.draws.map { BuyQuoteJSON.Draw(voucherId: $0.voucherID, taken: WebLabels.money($0.taken.fen)) }
            } catch {
                let problem = try await WebErrorMiddleware.refusal(for: error, request, context)
                status = problem.status
                let message = WebBuyErrors.message(problem)
                answer.errorField = message.field ?? ""
                answer.error = message.text
            }
            let body = try JSONEncoder().encode(answer)
            return Response(
                status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
    }

    /// A workbench form POST: the session (else the login page), the page's menu (else 403), and
    /// the session's CSRF token in the form's `csrf` field (else the 403 page; nothing changes).
    func workbenchForm(
        _ request: Request, _ page: WebMenu, _ body: (WebViewer, WebForm) async throws -> Response
    ) async throws -> Response {
        try await workbenchPage(request, page) { viewer in
            guard let form = try await WebForm.body(request), let sent = form["csrf"], WebSessions.tokensEqual(viewer.session.csrfToken, sent)
            else { return errorPage(.forbidden, viewer: viewer, reason: Self.csrfRefusal) }
            return try await body(viewer, form)
        }
    }
}

/// A response carried through a `Result` (Response is not an Error).
struct ResponseBox: Error {
    let response: Response

    init(_ response: Response) { self.response = response }
}

/// The Chinese sentence for a refused quote, order or order action, by the problem's `code`, and
/// the field it belongs next to (nil: above the form).
enum WebBuyErrors {
    static func message(_ problem: Problem) -> (field: String?, text: String) {
        switch problem.code {
        case "quantity_out_of_range": return ("quantity", "请输入有效的购买数量（正整数）。")
        case "order_total_too_large": return ("quantity", "订单总额超过上限，请减少数量。")
        case "certification_required": return (nil, "您的企业尚未通过认证，认证通过后才能购买商品。")
        case "spec_not_found": return (nil, "请选择商品的订购规格。")
        case "product_not_found": return (nil, "该商品已下架或不存在。")
        case "voucher_not_found", "voucher_not_applicable": return (nil, "所选服务券不可用于该商品，请重新勾选。")
        case "voucher_on_free_order": return (nil, "免费规格无需使用服务券。")
        case "order_state_conflict": return (nil, "订单当前状态不允许该操作，请刷新页面查看最新状态。")
        case "proofs_too_many": return ("proofs", "本次支付最多上传 3 份支付凭证。")
        case "proofs_missing": return ("proofs", "请先上传至少 1 份支付凭证再确认支付。")
        case "proof_too_large": return ("proofs", "每份支付凭证不能超过 10 MB。")
        case "proof_unsupported_format", "file_empty":
            return ("proofs", "支付凭证须为 PNG、JPG、JPEG、BMP 或 PDF 文件。")
        case "storage_quota_exceeded": return ("proofs", "企业的存储空间已满，无法再上传文件。")
        case "order_redeemed": return (nil, "该订单的服务券已兑付，不能退订。")
        default: return WebFieldErrors.message(problem)
        }
    }
}

extension WebLabels {
    static func purchaseMode(_ mode: PurchaseMode) -> String {
        switch mode {
        case .year: "按年"
        case .month: "按月"
        case .quantity: "按数量"
        }
    }

    /// ★★★★☆ for 4 of 5 stars.
    static func stars(_ stars: Int) -> String {
        let full = max(0, min(ReviewRules.starsRange.upperBound, stars))
        return String(repeating: "★", count: full) + String(repeating: "☆", count: ReviewRules.starsRange.upperBound - full)
    }
}
