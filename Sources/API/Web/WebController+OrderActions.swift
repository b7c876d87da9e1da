import Foundation
import Hummingbird
import MultipartKit
import NIOCore
import PostgresStore
import VoucherCore
import VoucherServices

/// 订单详情 with its actions (guide §2.4.5, §2.4.7 steps 6–7): 线下支付 — upload 1–3 payment proofs
/// from the browser (multipart, the JSON proof route's use case `OrdersController.addProof`) and
/// 确认支付 — then 取消订单, 确认验收 and 申请退订, each a CSRF form calling the use case of its JSON
/// route. Which buttons show follows the order's state (`OrderState.after`, the one table).
extension WebController {
    struct OrderLine {
        let voucherID: String
        let amount: String
        let state: String
    }

    struct OrderView {
        let chrome: WebChrome
        let id: String
        let productName: String
        let productHref: String
        let specName: String
        let quantity: Int
        let unitPrice: String
        let total: String
        let cap: String
        let deduction: String
        let payable: String
        let state: String
        let paymentState: String
        let createdAt: String
        let lines: [OrderLine]
        let hasLines: Bool
        let csrf: String
        let notice: String
        let formError: String
        let proofsError: String
        let proofCount: Int
        let canUpload: Bool
        let canPay: Bool
        let canCancel: Bool
        let canAccept: Bool
        let canRefund: Bool
        let inReview: Bool
        let canReview: Bool
    }

    /// The notices a finished action leaves on the order page (`?done=`).
    static let orderNotices = [
        "placed": "订单已提交。请通过对公转账线下支付应付金额，然后上传支付凭证并确认支付。",
        "proofs": "支付凭证已上传。", "paid": "已确认支付，等待平台审核支付凭证。", "cancelled": "订单已取消，服务券抵扣已退回。",
        "accepted": "已确认验收，可在“我的评价”中评价该商品。", "refund": "退订申请已提交，等待平台审核。",
    ]

    /// The order page again with a refused action's sentence next to its field (the 404 page for
    /// an order that is not the viewer's; a 5xx is rethrown for the error page).
    private func orderRefusal(
        _ error: any Error, id: String, viewer: WebViewer, _ request: Request, _ context: AppRequestContext
    ) async throws -> Response {
        let problem = try await WebErrorMiddleware.refusal(for: error, request, context)
        if problem.status == .notFound { return errorPage(.notFound, viewer: viewer, reason: "没有这个订单。") }
        let message = WebBuyErrors.message(problem)
        return try await orderPage(
            id: id, viewer: viewer, formError: message.field == nil ? message.text : "",
            proofsError: message.field == "proofs" ? message.text : "", status: problem.status)
    }

    /// The 400 page when the path's `name` is not a well-formed id of `prefix`, before the session
    /// check (the JSON routes' convention: a malformed id is 400, a well-formed unknown one 404).
    func malformedPathID(_ context: AppRequestContext, _ name: String, prefix: String, reason: String) -> Response? {
        guard let id = context.parameters.get(name), OpaqueID.isWellFormed(id, prefix: prefix) else {
            return errorPage(.badRequest, viewer: nil, reason: reason)
        }
        return nil
    }

    /// The order id of the path, or nil when malformed (the 400 page; a well-formed unknown one is 404).
    private func pathOrderID(_ context: AppRequestContext) -> String? {
        guard let id = context.parameters.get("id"), OpaqueID.isWellFormed(id, prefix: OrdersRepository.orderPrefix) else { return nil }
        return id
    }

    func orderDetail(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let id = pathOrderID(context) else { return errorPage(.badRequest, viewer: nil, reason: "订单编号格式不正确。") }
        return try await workbenchPage(request, .orders) { viewer in
            let notice = WebForm.query(request)["done"].flatMap { Self.orderNotices[$0] } ?? ""
            return try await orderPage(id: id, viewer: viewer, notice: notice)
        }
    }

    /// The order page of `id` for the viewer's organisation (another's: the 404 page), with a
    /// notice or a refusal next to its form.
    func orderPage(
        id: String, viewer: WebViewer, notice: String = "", formError: String = "", proofsError: String = "",
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        guard let order = try await services.orders.orders.order(id: id, viewer: .enterprise(orgID: viewer.identity.orgID)) else {
            return errorPage(.notFound, viewer: viewer, reason: "没有这个订单。")
        }
        let proofs = try await services.orders.orders.currentProofCount(orderID: id, orgID: viewer.identity.orgID)
        let lines = order.vouchers.map { OrderLine(voucherID: $0.voucherID, amount: WebLabels.money($0.amountFen), state: $0.state) }
        let allows = { (event: OrderEvent) in (try? order.state.after(event)) != nil }
        return pages.page(
            "order",
            OrderView(
                chrome: chrome(
                    "订单详情", viewer: viewer, crumbs: [("工作台", "/workbench"), ("订单管理", "/workbench/orders"), ("订单详情", "")],
                    menu: .orders),
                id: order.id, productName: order.productName, productHref: "/products/" + order.productID, specName: order.specName,
                quantity: order.quantity, unitPrice: WebLabels.money(order.unitPriceFen), total: WebLabels.money(order.totalFen),
                cap: WebLabels.money(order.capFen), deduction: WebLabels.money(order.deductionFen), payable: WebLabels.money(order.payableFen),
                state: WebLabels.orderState(order.state), paymentState: WebLabels.paymentState(order.state),
                createdAt: WebLabels.time(order.createdAt), lines: lines, hasLines: !lines.isEmpty, csrf: viewer.session.csrfToken,
                notice: notice, formError: formError, proofsError: proofsError, proofCount: proofs,
                canUpload: allows(.attachProofs) && proofs < OrdersLimits.proofsPerAttemptMax, canPay: allows(.submitPayment),
                canCancel: allows(.cancel), canAccept: allows(.accept), canRefund: allows(.requestRefund),
                inReview: order.state == .paymentReview || order.state == .refundReview, canReview: order.state == .completed),
            status: status)
    }

    /// A state action of the order page: the CSRF form, then `action` (the JSON route's use case),
    /// then the page again with `done`, or with the refusal's sentence.
    private func orderAction(
        _ request: Request, _ context: AppRequestContext, done: String, _ action: (String, WebViewer) async throws -> Void
    ) async throws -> Response {
        guard let id = pathOrderID(context) else { return errorPage(.badRequest, viewer: nil, reason: "订单编号格式不正确。") }
        return try await workbenchForm(request, .orders) { viewer, _ in
            do {
                try await action(id, viewer)
                return redirect("/workbench/orders/\(id)?done=\(done)")
            } catch {
                return try await orderRefusal(error, id: id, viewer: viewer, request, context)
            }
        }
    }

    /// 确认支付: `POST /v1/orders/{id}/payment`'s use case; an operator's approval opens.
    func orderPay(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await orderAction(request, context, done: "paid") { id, viewer in
            _ = try await services.orders.orders.submitPayment(
                orderID: id, orgID: viewer.identity.orgID, userID: viewer.identity.userID, now: services.clock.now())
        }
    }

    /// 取消订单: `POST /v1/orders/{id}/cancel`'s use case; the holds go back to the vouchers.
    func orderCancel(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await orderAction(request, context, done: "cancelled") { id, viewer in
            _ = try await services.orders.orders.cancel(id: id, orgID: viewer.identity.orgID)
        }
    }

    /// 确认验收: `POST /v1/orders/{id}/accept`'s use case.
    func orderAccept(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await orderAction(request, context, done: "accepted") { id, viewer in
            _ = try await services.orders.orders.accept(id: id, orgID: viewer.identity.orgID, now: services.clock.now())
        }
    }

    /// 申请退订: `POST /v1/orders/{id}/refund`'s use case; an operator decides.
    func orderRefund(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await orderAction(request, context, done: "refund") { id, viewer in
            _ = try await services.orders.orders.requestRefund(
                id: id, orgID: viewer.identity.orgID, userID: viewer.identity.userID, now: services.clock.now())
        }
    }

    /// 上传支付凭证: a multipart form with the CSRF field and 1–3 files in `proofs`; every file is
    /// checked (count, size, content) before any is stored, then each goes through the JSON proof
    /// route's use case.
    func orderProofs(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let id = pathOrderID(context) else { return errorPage(.badRequest, viewer: nil, reason: "订单编号格式不正确。") }
        return try await workbenchPage(request, .orders) { viewer in
            let form: WebMultipartForm
            do {
                form = try await WebMultipartForm.read(request)
            } catch {
                // Not a multipart form, larger than three proofs, or not parseable.
                return try await orderPage(
                    id: id, viewer: viewer, proofsError: "请选择 1–3 份不超过 10 MB 的支付凭证后再上传。", status: .badRequest)
            }
            guard let sent = form.fields["csrf"], WebSessions.tokensEqual(viewer.session.csrfToken, sent) else {
                return errorPage(.forbidden, viewer: viewer, reason: Self.csrfRefusal)
            }
            let files = form.files["proofs"] ?? []
            do {
                guard !files.isEmpty else { throw OrdersError.proofsMissing }
                let existing = try await services.orders.orders.currentProofCount(orderID: id, orgID: viewer.identity.orgID)
                guard existing + files.count <= OrdersLimits.proofsPerAttemptMax else { throw OrdersError.proofsTooMany }
                for file in files {
                    guard file.count <= OrdersLimits.proofBytesMax else { throw OrdersError.proofTooLarge }
                    guard ProofFormat.sniff(file) != nil else { throw OrdersError.proofUnsupportedFormat }
                }
                for file in files {
                    _ = try await OrdersController.addProof(services.orders, orderID: id, orgID: viewer.identity.orgID, bytes: file)
                }
                return redirect("/workbench/orders/\(id)?done=proofs")
            } catch {
                return try await orderRefusal(error, id: id, viewer: viewer, request, context)
            }
        }
    }
}

/// A `multipart/form-data` body from a browser form (vapor/multipart-kit's parser): its text
/// fields and its files by field name, files with no name and no bytes (nothing chosen) left out.
/// The body is read with a bound: three proofs of 10 MB and the form's small fields.
struct WebMultipartForm {
    var fields: [String: String] = [:]
    var files: [String: [[UInt8]]] = [:]
    /// The file names the browser sent, in the order of `files` (the statement upload keeps its name).
    var filenames: [String: [String]] = [:]

    /// The largest multipart body read: `proofsPerAttemptMax` files of `proofBytesMax`, plus the fields.
    static let bodyBytesMax = OrdersLimits.proofsPerAttemptMax * OrdersLimits.proofBytesMax + fieldsBytesMax
    /// Parts read from one form; more is not a form of ours.
    static let partsMax = 16

    enum Failure: Error { case notMultipart, tooLarge, malformed }

    /// What a form adds around its files: boundaries, part headers, the csrf and action fields.
    static let fieldsBytesMax = 64 * 1024

    /// Reads the form of `request`, at most `limit` bytes (the proof form's bound unless given).
    static func read(_ request: Request, upTo limit: Int = bodyBytesMax, partsMax: Int = WebMultipartForm.partsMax) async throws -> WebMultipartForm {
        guard let contentType = request.headers[.contentType], let boundary = boundary(contentType) else { throw Failure.notMultipart }
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: limit) } catch { throw Failure.tooLarge }
        return try parse(buffer, boundary: boundary, partsMax: partsMax)
    }

    /// The `boundary` parameter of a `multipart/form-data` content type.
    static func boundary(_ contentType: String) -> String? {
        let parts = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.first?.lowercased() == "multipart/form-data" else { return nil }
        for part in parts.dropFirst() where part.lowercased().hasPrefix("boundary=") {
            let value = part.dropFirst("boundary=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            return value.isEmpty || value.utf8.count > 70 ? nil : value
        }
        return nil
    }

    static func parse(_ buffer: ByteBuffer, boundary: String, partsMax: Int = WebMultipartForm.partsMax) throws -> WebMultipartForm {
        let parser = MultipartParser(boundary: boundary)
        var form = WebMultipartForm()
        var parts = 0
        var name = ""
        var isFile = false
        var filename = ""
        var body: [UInt8] = []
        parser.onHeader = { field, value in
            guard field.lowercased() == "content-disposition" else { return }
            name = parameter("name", in: value) ?? ""
            let file = parameter("filename", in: value)
            isFile = file != nil
            filename = file ?? ""
        }
        parser.onBody = { chunk in body.append(contentsOf: chunk.readableBytesView) }
        parser.onPartComplete = {
            parts += 1
            if parts <= partsMax, !name.isEmpty {
                if isFile {
                    if !(filename.isEmpty && body.isEmpty) {
                        form.files[name, default: []].append(body)
                        form.filenames[name, default: []].append(filename)
                    }
                } else if form.fields[name] == nil {
                    form.fields[name] = String(decoding: body, as: UTF8.self)
                }
            }
            (name, isFile, filename, body) = ("", false, "", [])
        }
        do { try parser.execute(buffer) } catch { throw Failure.malformed }
        return form
    }

    /// `name="value"` of a Content-Disposition header.
    static func parameter(_ key: String, in header: String) -> String? {
        for part in header.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            guard part.hasPrefix(key + "=") else { continue }
            return String(part.dropFirst(key.count + 1)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return nil
    }
}
