import Foundation
import Hummingbird
import PostgresStore
import VoucherCore
import VoucherServices

/// The provider's 订单管理 (guide §1.4.6, fig 1-25): 客户订单 with the guide's columns (商品名称,
/// 订单类型, 价格, 抵扣金额, 应付金额, 订阅用户, 订阅时间, 查看), 10 a page, as
/// `GET /v1/provider/orders` lists them; 订单详情 with 企业信息查询 (the subscriber's name and contact,
/// `PlatformListsRepository.enterpriseContact`, as `GET /v1/provider/enterprises/{id}`) and 交付 for
/// a paid order (`OrdersRepository.deliver`, as `POST /v1/provider/orders/{id}/deliver`). Menu `orders`
/// of the provider's table; another provider's order is the 404 page.
extension WebController {
    struct ProviderOrderRow {
        let productName: String
        let orderType: String
        let total: String
        let deduction: String
        let payable: String
        let subscriber: String
        let createdAt: String
        let state: String
        let href: String
    }

    struct ProviderOrdersView {
        let chrome: WebChrome
        let rows: [ProviderOrderRow]
        let empty: Bool
        let paging: WebPaging
    }

    func providerOrders(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await workbenchPage(request, .providerOrders) { viewer in
            let page = WebPaging.requested(WebForm.query(request))
            let result = try await services.orders.orders.orders(
                viewer: .provider(orgID: viewer.identity.orgID), page: page, pageSize: WebPaging.pageSize)
            let rows = result.items.map { order in
                // Before the payment is approved the deduction is only held: the guide's list shows ---.
                let settled = ![.pendingPayment, .paymentReview, .cancelled].contains(order.state)
                return ProviderOrderRow(
                    productName: order.productName, orderType: WebLabels.orderType(order.orderType), total: WebLabels.money(order.totalFen),
                    deduction: settled ? WebLabels.money(order.deductionFen) : "---", payable: settled ? WebLabels.money(order.payableFen) : "---",
                    subscriber: order.enterpriseName, createdAt: WebLabels.time(order.createdAt), state: WebLabels.orderState(order.state),
                    href: "/workbench/provider/orders/" + order.id)
            }
            return pages.page(
                "provider-orders",
                ProviderOrdersView(
                    chrome: chrome("订单管理", viewer: viewer, crumbs: [("工作台", "/workbench"), ("订单管理", "")], menu: .providerOrders),
                    rows: rows, empty: rows.isEmpty,
                    paging: WebPaging(page: page, total: result.total, path: "/workbench/provider/orders", filters: [])))
        }
    }

    struct ProviderOrderView {
        let chrome: WebChrome
        let id: String
        let productName: String
        let specName: String
        let quantity: Int
        let unitPrice: String
        let total: String
        let deduction: String
        let payable: String
        let state: String
        let orderType: String
        let createdAt: String
        let enterpriseName: String
        let contactName: String
        let contactPhone: String
        let mayDeliver: Bool
        let notice: String
        let formError: String
    }

    func providerOrder(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        if let page = malformedPathID(context, "id", prefix: OrdersRepository.orderPrefix, reason: "订单编号格式不正确。") { return page }
        return try await workbenchPage(request, .providerOrders) { viewer in
            let notice = WebForm.query(request)["done"] == "delivered" ? "已交付，等待企业确认验收。" : ""
            return try await providerOrderPage(id: context.parameters.get("id") ?? "", viewer: viewer, notice: notice)
        }
    }

    func providerOrderPage(
        id: String, viewer: WebViewer, notice: String = "", formError: String = "", status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        guard let order = try await services.orders.orders.order(id: id, viewer: .provider(orgID: viewer.identity.orgID)) else {
            return errorPage(.notFound, viewer: viewer, reason: "没有这个订单。")
        }
        let contact = try await services.platform.lists.enterpriseContact(id: order.orgID, providerOrgID: viewer.identity.orgID)
        let view = ProviderOrderView(
            chrome: chrome(
                "订单详情", viewer: viewer, crumbs: [("工作台", "/workbench"), ("订单管理", "/workbench/provider/orders"), ("订单详情", "")],
                menu: .providerOrders),
            id: order.id, productName: order.productName, specName: order.specName, quantity: order.quantity,
            unitPrice: WebLabels.money(order.unitPriceFen), total: WebLabels.money(order.totalFen), deduction: WebLabels.money(order.deductionFen),
            payable: WebLabels.money(order.payableFen), state: WebLabels.orderState(order.state), orderType: WebLabels.orderType(order.orderType),
            createdAt: WebLabels.time(order.createdAt), enterpriseName: contact?.name ?? order.enterpriseName,
            contactName: contact?.contactName ?? "---", contactPhone: contact?.contactPhone ?? "---", mayDeliver: order.state == .paid,
            notice: notice, formError: formError)
        return pages.page("provider-order", view, status: status)
    }

    /// 交付: the session's CSRF token, then the JSON route's use case; a refusal is shown on the order.
    func providerDeliver(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        if let page = malformedPathID(context, "id", prefix: OrdersRepository.orderPrefix, reason: "订单编号格式不正确。") { return page }
        return try await workbenchForm(request, .providerOrders) { viewer, _ in
            let id = context.parameters.get("id") ?? ""
            do {
                _ = try await services.orders.orders.deliver(id: id, providerOrgID: viewer.identity.orgID)
                return redirect("/workbench/provider/orders/\(id)?done=delivered")
            } catch {
                let problem = try await WebErrorMiddleware.refusal(for: error, request, context)
                if problem.status == .notFound { return errorPage(.notFound, viewer: viewer, reason: "没有这个订单。") }
                let text = problem.code == "order_state_conflict" ? "订单当前状态不能交付（须为已支付）。" : WebFieldErrors.message(problem).text
                return try await providerOrderPage(id: id, viewer: viewer, formError: text, status: problem.status)
            }
        }
    }
}
