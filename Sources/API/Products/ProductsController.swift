import Foundation
import Hummingbird
import PostgresStore
import VoucherCore
import VoucherServices

/// Products and their listing (§1.4.4): the provider writes a listing, submits it into the chain
/// operator → expert → authority (approvals type `listing`, decided in the inbox), and 我的商品
/// shows its six states.
///
/// - `POST /v1/provider/product-files?kind=image|document` (provider) one file as the raw body,
///   streamed to disk: image JPEG/PNG/BMP ≤ 2 MB, document ≤ 100 MB; answers the `fileId` to name
/// - `POST /v1/provider/products` (provider) a draft: the listing content and `specs`
/// - `GET /v1/provider/products` (provider) 我的商品, filters `state`, `name`, `category`, paged
/// - `PUT /v1/provider/products/{id}` (provider) edit: in place while never listed, else a new
///   working revision while the live one stays on sale; not while in review
/// - `POST /v1/provider/products/{id}/submit` (provider) 提交申请: the chain's application opens
/// - `POST /v1/provider/products/{id}/withdraw` (provider) 撤销 while in review
/// - `POST /v1/products/{id}/delist` (provider of the product, operator) 下架
/// - `GET /v1/products/{id}` (any signed-in user) a listed product; its provider and the
///   platform's reviewers also see the working revision and any other state
///
/// Another provider's product answers 404, as a missing one does.
struct ProductsController {
    let env: OrdersEnvironment

    /// Platform roles that may read any product (they review or run the catalogue).
    static let reviewerRoles: [Role] = [.operator, .expert, .authority]

    var endpoints: RouteCollection<AppRequestContext> {
        RouteCollection(context: AppRequestContext.self)
            .post("provider/product-files", use: upload)
            .post("provider/products", use: create)
            .get("provider/products", use: mine)
            .put("provider/products/:id", use: update)
            .post("provider/products/:id/submit", use: submit)
            .post("provider/products/:id/withdraw", use: withdraw)
            .post("products/:id/delist", use: delist)
            .get("products/:id", use: product)
    }

    func create(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<ProductDTO> {
        let identity = try context.requireIdentity(.provider)
        try await env.certification.require(identity, for: .listing)
        var request = request
        let body = try await request.decodeJSON(as: ProductBody.self, context: context)
        let product = try await env.products.create(orgID: identity.orgID, content: body.content, specs: body.newSpecs, now: env.clock.now())
        return EditedResponse(status: .created, response: ProductDTO(product))
    }

    func update(_ request: Request, _ context: AppRequestContext) async throws -> ProductDTO {
        let identity = try context.requireIdentity(.provider)
        let id = try Self.productID(context)
        var request = request
        let body = try await request.decodeJSON(as: ProductBody.self, context: context)
        return ProductDTO(
            try await env.products.update(id: id, orgID: identity.orgID, content: body.content, specs: body.newSpecs, now: env.clock.now()))
    }

    func submit(_ request: Request, _ context: AppRequestContext) async throws -> SubmittedProductDTO {
        let identity = try context.requireIdentity(.provider)
        let (product, approvalID) = try await Self.submit(env, identity, id: try Self.productID(context))
        return SubmittedProductDTO(product: ProductDTO(product), approvalId: approvalID)
    }

    /// 提交申请 for the JSON route and the pages: a certified provider's product into the chain.
    static func submit(_ env: OrdersEnvironment, _ identity: Identity, id: String) async throws -> (ProductRecord, approvalID: String) {
        try await env.certification.require(identity, for: .listing)
        return try await env.products.submit(id: id, orgID: identity.orgID, applicantUserID: identity.userID, now: env.clock.now())
    }

    func withdraw(_ request: Request, _ context: AppRequestContext) async throws -> ProductDTO {
        let identity = try context.requireIdentity(.provider)
        return ProductDTO(try await Self.withdraw(env, identity, id: try Self.productID(context)))
    }

    /// 撤销 for the JSON route and the pages: the pending listing application of the provider's
    /// product is withdrawn (its approvals effect makes the revision 已撤销).
    static func withdraw(_ env: OrdersEnvironment, _ identity: Identity, id: String) async throws -> ProductRecord {
        guard let product = try await env.products.product(id: id), product.orgID == identity.orgID else { throw OrdersError.productNotFound }
        guard let approvalID = try await env.products.pendingApproval(productID: id, orgID: identity.orgID) else {
            throw ListingError.stateConflict(current: product.editState ?? product.status.rawValue, action: "withdrawn")
        }
        let name = try await env.products.username(userID: identity.userID) ?? identity.userID
        let actor = ApprovalsRepository.Actor(userID: identity.userID, name: name, role: identity.role.rawValue)
        _ = try await env.approvals.withdraw(id: approvalID, by: actor, now: env.clock.now())
        guard let after = try await env.products.product(id: id) else { throw OrdersError.productNotFound }
        return after
    }

    func delist(_ request: Request, _ context: AppRequestContext) async throws -> ProductDTO {
        let identity = try context.requireIdentity(.provider, .operator)
        let owner = identity.role == .provider ? identity.orgID : nil
        return ProductDTO(try await env.products.delist(id: try Self.productID(context), orgID: owner, now: env.clock.now()))
    }

    func product(_ request: Request, _ context: AppRequestContext) async throws -> ProductDTO {
        let identity = try context.requireIdentity()
        guard let product = try await env.products.product(id: try Self.productID(context)) else { throw OrdersError.productNotFound }
        if product.orgID == identity.orgID || Self.reviewerRoles.contains(identity.role) { return ProductDTO(product) }
        guard product.status == .listed else { throw OrdersError.productNotFound }
        return ProductDTO(product, full: false)
    }

    func mine(_ request: Request, _ context: AppRequestContext) async throws -> Page<ProductSummaryDTO> {
        let identity = try context.requireIdentity(.provider)
        let query = PageRequest.query(request)
        let page = try PageRequest(query)
        var state: ListingState?
        if let text = query["state"], !text.isEmpty {
            guard let parsed = ListingState(rawValue: text) else {
                throw AccountsError.invalid(
                    "status_invalid", "state must be one of \(ListingState.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            state = parsed
        }
        var category: ProductCategory?
        if let text = query["category"], !text.isEmpty {
            guard let parsed = ProductCategory(rawValue: text) else {
                throw AccountsError.invalid(
                    "filter_invalid", "category must be one of \(ProductCategory.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            category = parsed
        }
        let name = try ApprovalsController.text(query["name"], "name")
        let result = try await env.products.mine(
            orgID: identity.orgID, filter: ProductFilter(state: state, name: name, category: category, page: page.page, pageSize: page.pageSize))
        return Page(items: result.items.map(ProductSummaryDTO.init), page: page.page, pageSize: page.pageSize, total: result.total)
    }

    /// Streams the body to disk (never whole in memory) within the kind's bound, recognised by
    /// its first bytes; a refused upload keeps nothing.
    func upload(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<ProductFileDTO> {
        let identity = try context.requireIdentity(.provider)
        try await env.certification.require(identity, for: .listing)
        guard let kind = PageRequest.query(request)["kind"].flatMap(ListingFileKind.init(rawValue:)) else { throw ListingError.fileKindInvalid }
        let tooLarge: ListingError = kind == .image ? .imageTooLarge : .documentTooLarge
        if let length = request.headers[.contentLength].flatMap(Int.init), length > kind.bytesMax { throw tooLarge }
        let stored: StoredFile
        do {
            stored = try await env.files.storeStreaming(
                request.body.map { Array($0.readableBytesView) }, bytesMax: kind.bytesMax,
                sniff: kind == .image ? ListingFormat.image : ListingFormat.document)
        } catch let error as StreamedUploadError {
            switch error {
            case .tooLarge: throw tooLarge
            case .unrecognised: throw kind == .image ? ListingError.imageUnsupportedFormat : ListingError.documentUnsupportedFormat
            case .empty:
                throw DomainError(code: "file_empty", kind: .invalidInput, detail: "The body is empty. Send the file as the request body.")
            }
        }
        try await env.storage.admitStreamed(stored, orgID: identity.orgID)
        try await env.products.recordFile(
            orgID: identity.orgID, kind: kind, sha256: stored.sha256, mediaType: stored.mediaType, sizeBytes: stored.sizeBytes,
            now: env.clock.now())
        return EditedResponse(
            status: .created,
            response: ProductFileDTO(fileId: stored.sha256, kind: kind.rawValue, mediaType: stored.mediaType, sizeBytes: stored.sizeBytes))
    }

    /// One listing file already in memory (the listing editor's multipart form): the same bounds
    /// and recognition by content as `upload`, stored within the organisation's bound and recorded
    /// for its listings; answers the `fileId` the content names.
    static func storeFile(_ env: OrdersEnvironment, _ identity: Identity, kind: ListingFileKind, bytes: [UInt8]) async throws -> String {
        try await env.certification.require(identity, for: .listing)
        guard !bytes.isEmpty else { throw DomainError(code: "file_empty", kind: .invalidInput, detail: "The file is empty.") }
        guard bytes.count <= kind.bytesMax else { throw kind == .image ? ListingError.imageTooLarge : ListingError.documentTooLarge }
        let head = Array(bytes.prefix(ListingLimits.sniffBytesMax))
        guard let mediaType = kind == .image ? ListingFormat.image(head) : ListingFormat.document(head) else {
            throw kind == .image ? ListingError.imageUnsupportedFormat : ListingError.documentUnsupportedFormat
        }
        let stored = try await env.storage.store(bytes, mediaType: mediaType, orgID: identity.orgID)
        try await env.products.recordFile(
            orgID: identity.orgID, kind: kind, sha256: stored.sha256, mediaType: stored.mediaType, sizeBytes: stored.sizeBytes,
            now: env.clock.now())
        return stored.sha256
    }

    /// The path's product id; garbage is a 400 `id_malformed`.
    static func productID(_ context: AppRequestContext) throws -> String {
        guard let id = context.parameters.get("id"), OpaqueID.isWellFormed(id, prefix: ProductsRepository.productPrefix) else {
            throw OpaqueIDError.malformed(prefix: ProductsRepository.productPrefix)
        }
        return id
    }
}
