import Foundation
import Hummingbird
import PostgresStore
import VoucherCore
import VoucherServices

/// 发布预览 (guide §1.4.4.1 步骤5) and the listing as the subject of its approval: both render the
/// catalogue's own detail of the revision (`ProductsRepository.previewDetail`, which calls the
/// builder the approval uses to fill the catalogue) through the product page's template
/// (`product-body.mustache`), so what the provider previews and the reviewers decide is what the
/// catalogue will show. Their images come from routes that serve only the files the revision names,
/// to the provider (`/workbench/products/{id}/files/{fileId}`) or to whoever may see the
/// application (`/workbench/inbox/{id}/listing-files/{fileId}`).
extension WebController {
    /// The card fields of the product page (the catalogue's listing, or a revision's content).
    struct ProductHead {
        let name: String
        let provider: String
        let category: ProductCategory
        let tags: [String]
        let priceLowFen: Int64
        let priceHighFen: Int64
        let deliveryDays: Int
        let imageFileID: String?
        let rating: String

        /// A revision's head before it is listed: no rating yet, as the catalogue shows a new product.
        init(_ content: ListingContent, provider: String) {
            self.init(
                name: content.name, provider: provider, category: content.category, tags: content.tags, priceLowFen: content.priceLowFen,
                priceHighFen: content.priceHighFen, deliveryDays: content.deliveryCycleDays, imageFileID: content.imageFileId, rating: "暂无评分")
        }

        init(
            name: String, provider: String, category: ProductCategory, tags: [String], priceLowFen: Int64, priceHighFen: Int64, deliveryDays: Int,
            imageFileID: String?, rating: String
        ) {
            self.name = name
            self.provider = provider
            self.category = category
            self.tags = tags
            self.priceLowFen = priceLowFen
            self.priceHighFen = priceHighFen
            self.deliveryDays = deliveryDays
            self.imageFileID = imageFileID
            self.rating = rating
        }
    }

    /// What `product-body.mustache` shows: 商品详情 without its frame.
    struct ProductBody {
        let name: String
        let provider: String
        let category: String
        let tags: String
        let priceRange: String
        let deliveryDays: Int
        let image: String
        let banner: String
        let highlights: [String]
        let description: String
        let modules: [ProductModule]
        let afterSales: String
        let specs: [ProductSpecRow]
        let cases: [ProductCaseRow]
        let experts: [ProductExpertRow]
        let hasExperts: Bool
        let rating: String
        let reviews: [ProductReviewRow]
        let hasReviews: Bool
        /// 联系方式 (§1.4.4.1's contact block).
        let contactName: String
        let contactPhone: String
        let contactEmail: String
        var buyHref = ""
        var canBuy = false
        var buyNote = ""
    }

    /// The product page's body of `head` and `detail`; `file` names the route of a stored file.
    static func productBody(
        _ head: ProductHead, _ detail: CatalogueDetail, experts: [ExpertRecord], reviews: [ReviewRecord], file: (String) -> String
    ) -> ProductBody {
        ProductBody(
            name: head.name, provider: head.provider, category: WebLabels.category(head.category), tags: head.tags.joined(separator: "、"),
            priceRange: WebLabels.money(head.priceLowFen) + " ~ " + WebLabels.money(head.priceHighFen), deliveryDays: head.deliveryDays,
            image: head.imageFileID.map(file) ?? "", banner: detail.introPage.bannerFileId.map(file) ?? "",
            highlights: detail.introPage.highlights, description: detail.introPage.description,
            modules: detail.introPage.modules.map { module in
                ProductModule(
                    title: module.title, text: module.text, images: module.media.filter { $0.kind == .image }.map { file($0.fileId) },
                    videos: module.media.filter { $0.kind == .video }.map { file($0.fileId) })
            },
            afterSales: detail.introPage.afterSales,
            specs: detail.specs.map {
                ProductSpecRow(
                    name: $0.name, mode: WebLabels.purchaseMode($0.purchaseMode), pricing: $0.pricing == .free ? "免费" : "简单模式",
                    price: WebLabels.money($0.unitPriceFen))
            },
            cases: detail.caseStudies.map {
                ProductCaseRow(
                    customer: $0.customerName, deliveryMonths: $0.deliveryMonths, annualOutput: WebLabels.money($0.annualOutputFen),
                    annualSales: WebLabels.money($0.annualSalesFen), document: $0.introDocumentFileId.map(file) ?? "")
            },
            experts: experts.map { ProductExpertRow(name: $0.profile.name, title: $0.profile.title ?? "") }, hasExperts: !experts.isEmpty,
            rating: head.rating,
            reviews: reviews.map { ProductReviewRow(stars: WebLabels.stars($0.stars), text: $0.text, createdAt: WebLabels.time($0.createdAt)) },
            hasReviews: !reviews.isEmpty, contactName: detail.contact.name, contactPhone: detail.contact.phone,
            contactEmail: detail.contact.email ?? "")
    }

    /// The body of a revision as the catalogue would show it, or nil for a revision without content.
    func revisionBody(
        _ revision: RevisionRecord, orgID: String, provider: String, productID: String, file: (String) -> String
    ) async throws
        -> ProductBody?
    {
        guard let content = revision.content, let detail = try await services.orders.products.previewDetail(of: revision, orgID: orgID) else {
            return nil
        }
        let experts = try await expertsRepository.attached(productID: productID)
        return Self.productBody(ProductHead(content, provider: provider), detail, experts: experts, reviews: [], file: file)
    }

    struct PreviewView {
        let chrome: WebChrome
        let id: String
        let state: String
        let product: ProductBody
        let maySubmit: Bool
        let editHref: String
    }

    /// 发布预览: the working revision of one of the provider's products, exactly as the catalogue will
    /// show it, with 提交审核 and 返回编辑 while it may still be submitted.
    func listingPreview(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        if let page = malformedPathID(context, "id", prefix: ProductsRepository.productPrefix, reason: "商品编号格式不正确。") { return page }
        return try await workbenchPage(request, .products) { viewer in
            guard let product = try await ownProduct(context, viewer) else { return errorPage(.notFound, viewer: viewer, reason: "没有这个商品。") }
            let provider = try await services.accounts.accounts.organisation(id: viewer.identity.orgID)?.name ?? ""
            guard
                let body = try await revisionBody(
                    product.working, orgID: product.orgID, provider: provider, productID: product.id,
                    file: { "/workbench/products/\(product.id)/files/\($0)" })
            else {
                return redirect("/workbench/products/\(product.id)/edit")
            }
            let state = product.working.state
            return pages.page(
                "listing-preview",
                PreviewView(
                    chrome: chrome(
                        "发布预览", viewer: viewer, crumbs: [("工作台", "/workbench"), ("我的商品", "/workbench/products"), ("发布预览", "")],
                        menu: .products),
                    id: product.id, state: WebLabels.revisionState(state), product: body,
                    maySubmit: ["draft", "rejected", "withdrawn"].contains(state), editHref: "/workbench/products/\(product.id)/edit"))
        }
    }

    /// The product of the path when it is the viewer's organisation's (else nil: the 404 page).
    func ownProduct(_ context: AppRequestContext, _ viewer: WebViewer) async throws -> ProductRecord? {
        guard let id = context.parameters.get("id"), let product = try await services.orders.products.product(id: id),
            product.orgID == viewer.identity.orgID
        else { return nil }
        return product
    }

    /// A file the provider's product names (its working or live revision), for the preview's images.
    func listingPreviewFile(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        if let page = malformedPathID(context, "id", prefix: ProductsRepository.productPrefix, reason: "商品编号格式不正确。") { return page }
        return try await workbenchPage(request, .products) { viewer in
            guard let product = try await ownProduct(context, viewer), let fileID = context.parameters.get("fileId"),
                StoredFile.isSHA256(fileID)
            else { return errorPage(.notFound, viewer: viewer) }
            let named = [product.working, product.live].compactMap { $0?.content }.flatMap { $0.fileReferences.map(\.fileID) }
            return try await storedFile(fileID, among: Set(named), viewer: viewer)
        }
    }

    /// The listing subject of an approval page: the submitted revision as the catalogue will show
    /// it; nil when the application is not a listing (or its revision has no content).
    func listingSubject(_ record: ApprovalRecord) async throws -> ProductBody? {
        guard record.type == ListingEffect.type, let listing = try await services.orders.products.listingSnapshot(approval: record) else {
            return nil
        }
        return try await revisionBody(
            listing.revision, orgID: listing.orgID, provider: listing.organisationName, productID: listing.productID,
            file: { "/workbench/inbox/\(record.id)/listing-files/\($0)" })
    }

    /// A file of a listing application's subject, to whoever may see the application (else 404).
    func listingSubjectFile(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let id = Self.approvalID(context) else { return errorPage(.badRequest, viewer: nil, reason: "申请编号格式不正确。") }
        return try await workbenchPage(request, .inbox) { viewer in
            let approvals = ApprovalsController(env: services.accounts, platform: services.platform)
            let record: ApprovalRecord
            do {
                (record, _) = try await approvals.visible(id: id, viewer.identity)
            } catch ApprovalsStoreError.notFound {
                return errorPage(.notFound, viewer: viewer, reason: "没有这个申请。")
            }
            guard let fileID = context.parameters.get("fileId"), StoredFile.isSHA256(fileID), record.type == ListingEffect.type,
                let listing = try await services.orders.products.listingSnapshot(approval: record)
            else { return errorPage(.notFound, viewer: viewer) }
            return try await storedFile(fileID, among: Set(listing.revision.content?.fileReferences.map(\.fileID) ?? []), viewer: viewer)
        }
    }

    /// The stored file `fileID` when it is among `named`, with its recorded media type.
    private func storedFile(_ fileID: String, among named: Set<String>, viewer: WebViewer) async throws -> Response {
        guard named.contains(fileID), let bytes = try await services.files.read(sha256: fileID) else { return errorPage(.notFound, viewer: viewer) }
        let mediaType = ListingFormat.document(Array(bytes.prefix(ListingLimits.sniffBytesMax))) ?? "application/octet-stream"
        return Response(
            status: .ok, headers: [.contentType: mediaType, .cacheControl: "private, max-age=300", .contentDisposition: "inline"],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

extension WebLabels {
    /// The state of a product's working revision, in 我的商品's words.
    static func revisionState(_ state: String) -> String {
        switch state {
        case "approved": "已上架"
        default: productState(state)
        }
    }
}
