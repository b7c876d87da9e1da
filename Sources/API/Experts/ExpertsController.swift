import Foundation
import Hummingbird
import PostgresStore
import VoucherCore
import VoucherServices

/// Experts (专家管理, guide §1.4.8 表1-3) and the portal's 专家团队 (§2.3.1).
///
/// - `POST /v1/provider/expert-photos` (provider) a photo as the raw body: JPEG or PNG by
///   content, smaller than 2048 KB; answers the `fileId` an expert's `photoFileId` names
/// - `POST /v1/provider/experts` (provider) a new expert: the whole record of 表1-3 in one body
///   (the page's "确定要提交吗？" confirmation is the client's; there are no partial saves)
/// - `GET /v1/provider/experts` (provider) the provider's experts, `q` (name or title), paged
/// - `GET`/`PUT`/`DELETE /v1/provider/experts/{id}` (provider) one expert: read, replace every
///   field, remove (deleted at once, and taken off every listing that showed it)
/// - `PUT /v1/provider/products/{id}/experts` (provider) the experts a listing shows, in order;
///   only the provider's own (at once, without review: they are the provider's own records)
/// - `GET /v1/public/experts`, `…/{id}`, `…/{id}/photo` (no token) 专家团队: experts of certified
///   providers, filters `field` (any 领域 list) and `q`; no phone unless marked public, no
///   organisation id, only the provider's name
///
/// Another provider's expert answers 404, as a missing one does. Writes need a certified
/// provider (`CertificationGate`); sub-accounts need the `experts` menu (`MenuPolicy`), and
/// attaching to a listing the `products` menu.
struct ExpertsController {
    let env: OrdersEnvironment
    let experts: ExpertsRepository

    var endpoints: RouteCollection<AppRequestContext> {
        RouteCollection(context: AppRequestContext.self)
            .post("provider/expert-photos", use: uploadPhoto)
            .post("provider/experts", use: create)
            .get("provider/experts", use: mine)
            .get("provider/experts/:id", use: detail)
            .put("provider/experts/:id", use: update)
            .delete("provider/experts/:id", use: remove)
            .put("provider/products/:id/experts", use: attach)
            .get("public/experts", use: publicList)
            .get("public/experts/:id", use: publicDetail)
            .get("public/experts/:id/photo", use: publicPhoto)
    }

    // MARK: The provider

    func create(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<ExpertDTO> {
        let identity = try context.requireIdentity(.provider)
        try await env.certification.require(identity, for: .experts)
        var request = request
        let profile = try await request.decodeJSON(as: ExpertProfile.self, context: context).validated()
        let created = try await experts.create(orgID: identity.orgID, profile: profile, now: env.clock.now())
        return EditedResponse(status: .created, response: ExpertDTO(created))
    }

    func mine(_ request: Request, _ context: AppRequestContext) async throws -> Page<ExpertDTO> {
        let identity = try context.requireIdentity(.provider)
        let query = PageRequest.query(request)
        let page = try PageRequest(query)
        let text = try ApprovalsController.text(query["q"], "q")
        let result = try await experts.mine(orgID: identity.orgID, text: text, page: page.page, pageSize: page.pageSize)
        return Page(items: result.items.map(ExpertDTO.init), page: page.page, pageSize: page.pageSize, total: result.total)
    }

    func detail(_ request: Request, _ context: AppRequestContext) async throws -> ExpertDTO {
        let identity = try context.requireIdentity(.provider)
        guard let found = try await experts.find(id: try Self.expertID(context), orgID: identity.orgID) else { throw ExpertError.notFound }
        return ExpertDTO(found)
    }

    func update(_ request: Request, _ context: AppRequestContext) async throws -> ExpertDTO {
        let identity = try context.requireIdentity(.provider)
        let id = try Self.expertID(context)
        try await env.certification.require(identity, for: .experts)
        var request = request
        let profile = try await request.decodeJSON(as: ExpertProfile.self, context: context).validated()
        guard let updated = try await experts.update(id: id, orgID: identity.orgID, profile: profile, now: env.clock.now()) else {
            throw ExpertError.notFound
        }
        return ExpertDTO(updated)
    }

    func remove(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.requireIdentity(.provider)
        guard try await experts.delete(id: try Self.expertID(context), orgID: identity.orgID) else { throw ExpertError.notFound }
        return Response(status: .noContent)
    }

    /// The body of `PUT /v1/provider/products/{id}/experts`.
    struct AttachInput: Decodable, Sendable {
        let expertIds: [String]
    }

    func attach(_ request: Request, _ context: AppRequestContext) async throws -> ListingExpertsDTO {
        let identity = try context.requireIdentity(.provider)
        let productID = try ProductsController.productID(context)
        var request = request
        let input = try await request.decodeJSON(as: AttachInput.self, context: context)
        try ExpertAttachment.validate(input.expertIds)
        guard let shown = try await experts.attach(productID: productID, orgID: identity.orgID, expertIDs: input.expertIds) else {
            throw OrdersError.productNotFound
        }
        return ListingExpertsDTO(productId: productID, experts: shown.map(PublicExpertDTO.init))
    }

    /// Streams the body to disk within the photo's bound, recognised by its first bytes; a
    /// refused upload keeps nothing.
    func uploadPhoto(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<ExpertPhotoDTO> {
        let identity = try context.requireIdentity(.provider)
        try await env.certification.require(identity, for: .experts)
        let bytesMax = ExpertLimits.photoBytesMax
        if let length = request.headers[.contentLength].flatMap(Int.init), length > bytesMax { throw ExpertError.photoTooLarge }
        let stored: StoredFile
        do {
            stored = try await env.files.storeStreaming(
                request.body.map { Array($0.readableBytesView) }, bytesMax: bytesMax, sniff: ImageFormat.sniff)
        } catch let error as StreamedUploadError {
            switch error {
            case .tooLarge: throw ExpertError.photoTooLarge
            case .unrecognised: throw ExpertError.photoUnsupportedFormat
            case .empty:
                throw DomainError(code: "file_empty", kind: .invalidInput, detail: "The body is empty. Send the photo as the request body.")
            }
        }
        try await env.storage.admitStreamed(stored, orgID: identity.orgID)
        try await experts.recordPhoto(
            orgID: identity.orgID, sha256: stored.sha256, mediaType: stored.mediaType, sizeBytes: stored.sizeBytes, now: env.clock.now())
        return EditedResponse(
            status: .created, response: ExpertPhotoDTO(fileId: stored.sha256, mediaType: stored.mediaType, sizeBytes: stored.sizeBytes))
    }

    // MARK: The portal

    func publicList(_ request: Request, _ context: AppRequestContext) async throws -> Page<PublicExpertDTO> {
        let query = PageRequest.query(request)
        let page = try PageRequest(query)
        let filter = ExpertFilter(
            field: try ApprovalsController.text(query["field"], "field"), text: try ApprovalsController.text(query["q"], "q"),
            page: page.page, pageSize: page.pageSize)
        let result = try await experts.published(filter)
        return Page(items: result.items.map(PublicExpertDTO.init), page: page.page, pageSize: page.pageSize, total: result.total)
    }

    func publicDetail(_ request: Request, _ context: AppRequestContext) async throws -> PublicExpertDTO {
        guard let found = try await experts.published(id: try Self.expertID(context)) else { throw Self.publicNotFound }
        return PublicExpertDTO(found)
    }

    func publicPhoto(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let photo = try await experts.publishedPhoto(id: try Self.expertID(context)),
            let path = try await env.files.localPath(sha256: photo.sha256)
        else { throw Self.publicNotFound }
        let body = try await FileIO().loadFile(path: path, context: context)
        // Short-lived: the address stays when the provider replaces the photo.
        return Response(status: .ok, headers: [.contentType: photo.mediaType, .cacheControl: "public, max-age=300"], body: body)
    }

    // MARK: Rules

    static let publicNotFound = DomainError(
        code: "expert_not_found", kind: .notFound, detail: "The portal shows no expert with this id. Take the id from the experts list.")

    /// The path's expert id; garbage is a 400 `id_malformed`.
    static func expertID(_ context: AppRequestContext) throws -> String {
        guard let id = context.parameters.get("id"), OpaqueID.isWellFormed(id, prefix: ExpertsRepository.expertPrefix) else {
            throw OpaqueIDError.malformed(prefix: ExpertsRepository.expertPrefix)
        }
        return id
    }
}
