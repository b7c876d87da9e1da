import Foundation
import Hummingbird
import PostgresStore
import VoucherCore
import VoucherServices

/// 服务券查询 › 详情: one voucher of the viewer's organisation with its ledger and the orders it
/// paid, from the same repository call as `GET /v1/vouchers/:id` (`OrdersRepository.voucher(id:orgID:)`);
/// another organisation's voucher is the 404 page, as on the JSON route.
extension WebController {
    struct VoucherLedgerRow {
        let entry: String
        let amount: String
        let orderID: String
        let orderHref: String
        let createdAt: String
    }

    struct VoucherOrderRow {
        let productName: String
        let orderedAt: String
        let state: String
        let deduction: String
        let deductionState: String
        let href: String
    }

    struct VoucherView {
        let chrome: WebChrome
        let id: String
        let name: String
        let kind: String
        let faceValue: String
        let available: String
        let held: String
        let captured: String
        let expired: String
        let grantedAt: String
        let validUntil: String
        let status: String
        let ledger: [VoucherLedgerRow]
        let hasLedger: Bool
        let orders: [VoucherOrderRow]
        let hasOrders: Bool
    }

    func voucher(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        // A malformed id is 400 before anything else, as on the JSON routes; a well-formed unknown one 404.
        guard let id = context.parameters.get("id"), (try? PathID.check(id, "id")) != nil else {
            return errorPage(.badRequest, viewer: nil, reason: "服务券编号格式不正确。")
        }
        return try await workbenchPage(request, .vouchers) { viewer in
            guard let detail = try await services.orders.orders.voucher(id: id, orgID: viewer.identity.orgID) else {
                return errorPage(.notFound, viewer: viewer, reason: "没有这张服务券。")
            }
            let voucher = detail.voucher
            let ledger = detail.ledger.map { line in
                VoucherLedgerRow(
                    entry: WebLabels.ledgerEntry(line.entry), amount: WebLabels.money(line.amountFen), orderID: line.orderID ?? "",
                    orderHref: line.orderID.map { "/workbench/orders/" + $0 } ?? "", createdAt: WebLabels.time(line.createdAt))
            }
            let orders = detail.orders.map { line in
                VoucherOrderRow(
                    productName: line.productName, orderedAt: WebLabels.time(line.orderedAt), state: WebLabels.orderState(line.orderState),
                    deduction: WebLabels.money(line.deductionFen), deductionState: WebLabels.deductionState(line.lineState),
                    href: "/workbench/orders/" + line.orderID)
            }
            return pages.page(
                "voucher",
                VoucherView(
                    chrome: chrome(
                        "服务券详情", viewer: viewer, crumbs: [("工作台", "/workbench"), ("服务券查询", "/workbench/vouchers"), ("服务券详情", "")],
                        menu: .vouchers),
                    id: voucher.id, name: voucher.name, kind: WebLabels.voucherKind(voucher.kind), faceValue: WebLabels.money(voucher.faceValueFen),
                    available: WebLabels.money(voucher.availableFen), held: WebLabels.money(voucher.heldFen),
                    captured: WebLabels.money(voucher.capturedFen), expired: WebLabels.money(voucher.expiredFen),
                    grantedAt: WebLabels.time(voucher.grantedAt), validUntil: WebLabels.time(voucher.validUntil),
                    status: WebLabels.voucherStatus(voucher.status(at: services.clock.now())), ledger: ledger, hasLedger: !ledger.isEmpty,
                    orders: orders, hasOrders: !orders.isEmpty))
        }
    }
}

extension WebLabels {
    /// A ledger line's entry (the voucher ledger's moves, and the grant that opened it).
    static func ledgerEntry(_ entry: String) -> String {
        switch entry {
        case "grant": "发放"
        case "hold": "下单冻结"
        case "release": "释放"
        case "capture": "抵扣"
        case "refund": "退回"
        case "expire": "过期"
        default: entry
        }
    }

    /// Whether an order's deduction from this voucher stands.
    static func deductionState(_ state: String) -> String {
        switch state {
        case "held": "冻结中"
        case "captured": "已抵扣"
        case "released": "已释放"
        case "refunded": "已退回"
        default: state
        }
    }
}

/// An unknown path outside the JSON API is the HTML 404 page (a browser gets a page it can read);
/// under `/v1` and the operational paths it stays the problem+json answer of `ProblemMiddleware`.
/// Sits inside `ProblemMiddleware`, so it sees the router's own not-found before that does.
struct WebNotFoundMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let controller: WebController

    /// Paths whose unknown children answer problem+json.
    static let apiPrefixes = ["/v1/", "/v1", "/health", "/ready", "/metrics", "/openapi.json"]

    func handle(_ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response) async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && Self.isPage(request) {
            let viewer = try? await controller.sessions.viewer(request)
            return controller.errorPage(.notFound, viewer: viewer, reason: "您访问的页面不存在，请检查地址，或从首页重新进入。")
        }
    }

    /// A GET or HEAD of a path outside the JSON API.
    static func isPage(_ request: Request) -> Bool {
        guard request.method == .get || request.method == .head else { return false }
        let path = request.uri.path
        return !apiPrefixes.contains { path == $0 || (path.hasPrefix($0) && ($0.hasSuffix("/") || path.dropFirst($0.count).hasPrefix("/"))) }
    }
}
