import Foundation
import Hummingbird
import PostgresStore
import VoucherCore
import VoucherServices

/// The enterprise's side of buying (SPEC §4):
///
/// - `POST /v1/orders/quote` `{productId, specId, quantity, voucherIds?}` total, cap, eligible vouchers, deduction, payable, carry-over
/// - `POST /v1/orders` same body, `Idempotency-Key` required: places the order and holds the deduction (201; a replay 200)
/// - `GET /v1/orders`, `GET /v1/orders/{id}` the organisation's orders, newest first
/// - `POST /v1/orders/{id}/cancel` an unpaid order; the holds are released
/// - `POST /v1/orders/{id}/proofs` one payment proof as the raw body (PNG, JPG, BMP, PDF ≤ 10 MB; 1–3 per attempt)
/// - `POST /v1/orders/{id}/payment` submits the proofs: an operator's approval opens
/// - `POST /v1/orders/{id}/accept` accepts delivery (验收): completed, usages pending redemption
/// - `POST /v1/orders/{id}/refund` asks to unsubscribe (退订) a paid order: an operator's approval opens
/// - `GET /v1/vouchers` the organisation's vouchers with balances and status
/// - `GET /v1/vouchers/{id}` one of them with its ledger entries and the orders it paid (服务券详情)
struct OrdersController {
    let env: OrdersEnvironment

    var endpoints: RouteCollection<AppRequestContext> {
        RouteCollection(context: AppRequestContext.self)
            .post("orders/quote", use: quote)
            .post("orders", use: place)
            .get("orders", use: list)
            .get("orders/:id", use: detail)
            .post("orders/:id/cancel", use: cancel)
            .post("orders/:id/proofs", use: uploadProof)
            .post("orders/:id/payment", use: submitPayment)
            .post("orders/:id/accept", use: accept)
            .post("orders/:id/refund", use: requestRefund)
            .get("vouchers", use: vouchers)
            .get("vouchers/:id", use: voucher)
    }

    func quote(_ request: Request, _ context: AppRequestContext) async throws -> QuoteDTO {
        let identity = try context.requireIdentity(.enterprise)
        try await env.certification.require(identity, for: .quoting)
        var request = request
        let body = try await request.decodeJSON(as: OrderBody.self, context: context)
        return QuoteDTO(try await env.orders.quote(try body.request(identity), now: env.clock.now()))
    }

    func list(_ request: Request, _ context: AppRequestContext) async throws -> Page<OrderDTO> {
        let identity = try context.requireIdentity(.enterprise)
        let page = try PageRequest(PageRequest.query(request))
        let result = try await env.orders.orders(viewer: .enterprise(orgID: identity.orgID), page: page.page, pageSize: page.pageSize)
        return Page(items: result.items.map(OrderDTO.init), page: page.page, pageSize: page.pageSize, total: result.total)
    }

    func detail(_ request: Request, _ context: AppRequestContext) async throws -> OrderDTO {
        let identity = try context.requireIdentity(.enterprise)
        guard let order = try await env.orders.order(id: try Self.orderID(context), viewer: .enterprise(orgID: identity.orgID)) else {
            throw OrdersError.orderNotFound
        }
        return OrderDTO(order)
    }

    func cancel(_ request: Request, _ context: AppRequestContext) async throws -> OrderDTO {
        let identity = try context.requireIdentity(.enterprise)
        return OrderDTO(try await env.orders.cancel(id: try Self.orderID(context), orgID: identity.orgID))
    }

    func submitPayment(_ request: Request, _ context: AppRequestContext) async throws -> OrderWithApprovalDTO {
        let identity = try context.requireIdentity(.enterprise)
        let (order, approval) = try await env.orders.submitPayment(
            orderID: try Self.orderID(context), orgID: identity.orgID, userID: identity.userID, now: env.clock.now())
        return OrderWithApprovalDTO(order: OrderDTO(order), approvalId: approval)
    }

    func accept(_ request: Request, _ context: AppRequestContext) async throws -> OrderDTO {
        let identity = try context.requireIdentity(.enterprise)
        return OrderDTO(try await env.orders.accept(id: try Self.orderID(context), orgID: identity.orgID, now: env.clock.now()))
    }

    func requestRefund(_ request: Request, _ context: AppRequestContext) async throws -> OrderWithApprovalDTO {
        let identity = try context.requireIdentity(.enterprise)
        let (order, approval) = try await env.orders.requestRefund(
            id: try Self.orderID(context), orgID: identity.orgID, userID: identity.userID, now: env.clock.now())
        return OrderWithApprovalDTO(order: OrderDTO(order), approvalId: approval)
    }

    func vouchers(_ request: Request, _ context: AppRequestContext) async throws -> Page<VoucherDTO> {
        let identity = try context.requireIdentity(.enterprise)
        let page = try PageRequest(PageRequest.query(request))
        let result = try await env.orders.vouchers(orgID: identity.orgID, page: page.page, pageSize: page.pageSize)
        let now = env.clock.now()
        return Page(items: result.items.map { VoucherDTO($0, now: now) }, page: page.page, pageSize: page.pageSize, total: result.total)
    }

    func voucher(_ request: Request, _ context: AppRequestContext) async throws -> VoucherDetailDTO {
        let identity = try context.requireIdentity(.enterprise)
        let id = try PathID.check(context.parameters.get("id") ?? "", "id")
        guard let detail = try await env.orders.voucher(id: id, orgID: identity.orgID) else { throw OrdersError.voucherNotFound(id: id) }
        return VoucherDetailDTO(detail, now: env.clock.now())
    }

    func place(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<OrderDTO> {
        let identity = try context.requireIdentity(.enterprise)
        try await env.certification.require(identity, for: .ordering)
        let key = try Self.idempotencyKey(request)
        var request = request
        let body = try await request.decodeJSON(as: OrderBody.self, context: context)
        let (order, created) = try await env.orders.place(try body.request(identity), idempotencyKey: key, now: env.clock.now())
        return EditedResponse(status: created ? .created : .ok, response: OrderDTO(order))
    }

    func uploadProof(_ request: Request, _ context: AppRequestContext) async throws -> OrderDTO {
        let identity = try context.requireIdentity(.enterprise)
        let orderID = try Self.orderID(context)
        guard try await env.orders.order(id: orderID, viewer: .enterprise(orgID: identity.orgID)) != nil else {
            throw OrdersError.orderNotFound
        }
        let upload = try await Upload.read(
            request, bytesMax: OrdersLimits.proofBytesMax, sniff: ProofFormat.sniff,
            tooLarge: OrdersError.proofTooLarge, emptyDetail: "The body is empty. Send the proof file as the request body.",
            unsupported: OrdersError.proofUnsupportedFormat)
        _ = try await Self.addProof(env, orderID: orderID, orgID: identity.orgID, bytes: upload.bytes)
        guard let order = try await env.orders.order(id: orderID, viewer: .enterprise(orgID: identity.orgID)) else {
            throw OrdersError.orderNotFound
        }
        return OrderDTO(order)
    }

    /// One payment proof of the organisation's order, the one use case of the JSON route and the
    /// order page's upload: recognised by its content (PNG, JPG, BMP, PDF; `ProofFormat`), at most
    /// `OrdersLimits.proofBytesMax`, stored within the organisation's bound and recorded on the
    /// current payment attempt (1–3). Answers how many proofs the attempt has now.
    static func addProof(_ env: OrdersEnvironment, orderID: String, orgID: String, bytes: [UInt8]) async throws -> Int {
        guard !bytes.isEmpty else {
            throw DomainError(code: "file_empty", kind: .invalidInput, detail: "The proof file is empty. Send the proof file itself.")
        }
        guard bytes.count <= OrdersLimits.proofBytesMax else { throw OrdersError.proofTooLarge }
        guard let mediaType = ProofFormat.sniff(bytes) else { throw OrdersError.proofUnsupportedFormat }
        guard try await env.orders.order(id: orderID, viewer: .enterprise(orgID: orgID)) != nil else { throw OrdersError.orderNotFound }
        let stored = try await env.storage.store(bytes, mediaType: mediaType, orgID: orgID)
        return try await env.orders.addProof(
            orderID: orderID, orgID: orgID, sha256: stored.sha256, mediaType: mediaType, sizeBytes: bytes.count, now: env.clock.now())
    }

    /// The path's order id; garbage is a 400 `id_malformed` (no database round trip).
    static func orderID(_ context: AppRequestContext) throws -> String {
        guard let id = context.parameters.get("id"), OpaqueID.isWellFormed(id, prefix: OrdersRepository.orderPrefix) else {
            throw OpaqueIDError.malformed(prefix: OrdersRepository.orderPrefix)
        }
        return id
    }

    static func idempotencyKey(_ request: Request) throws -> String {
        guard let key = try IdempotencyKey.validated(request.headers[.idempotencyKey]) else { throw OrdersError.idempotencyKeyMissing }
        return key.value
    }
}
