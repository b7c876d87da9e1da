import Foundation
import Hummingbird
import PostgresStore
import VoucherCore
import VoucherServices

/// The workbench (guide §2.4): 工作台 and the enterprise's 订单管理 and 服务券查询, each behind a
/// session and the page's menu check (`WebMenu`, over `MenuPolicy`).
extension WebController {
    struct WorkbenchView {
        let chrome: WebChrome
        let roleLabel: String
        let certified: Bool
        let mainAccount: Bool
        let organisationName: String
        /// The 待办 counts; absent for a sub-account without the inbox menu.
        let hasInbox: Bool
        let waiting: Int
        let minePending: Int
        let unread: Int
        let hasUnread: Bool
        let announcements: [AnnouncementRow]
        let hasAnnouncements: Bool
    }

    /// 工作台: role, organisation and certification, the 待办 counts and the announcements for the
    /// viewer's audience, from the same summary as `GET /v1/workbench` (`WorkbenchController`).
    func workbenchHome(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await workbenchPage(request, .home) { viewer in
            let summary = try await WorkbenchController(services: services).summary(for: viewer.identity)
            let audiences = AnnouncementsController.audiences(of: viewer.identity.role)
            let rows = try await announcementRows(audiences: audiences, category: nil, page: 1, pageSize: Self.homeAnnouncementsMax).rows
            return pages.page(
                "workbench",
                WorkbenchView(
                    chrome: chrome("工作台", viewer: viewer, crumbs: [("工作台", "")], menu: .home), roleLabel: WebLabels.role(viewer.identity.role),
                    certified: viewer.identity.certified, mainAccount: summary.mainAccount, organisationName: summary.organisation.name,
                    hasInbox: summary.inbox != nil, waiting: summary.inbox?.waiting ?? 0, minePending: summary.inbox?.minePending ?? 0,
                    unread: summary.announcements.unread, hasUnread: summary.announcements.unread > 0, announcements: rows,
                    hasAnnouncements: !rows.isEmpty))
        }
    }

    struct OrderRow {
        let productName: String
        let orderType: String
        let paymentState: String
        let state: String
        let total: String
        let createdAt: String
        let href: String
    }

    struct OrdersView {
        let chrome: WebChrome
        let orders: [OrderRow]
        let empty: Bool
        let paging: WebPaging
    }

    /// 订单管理 › 我的订单 with the guide's columns (fig 2-18), 10 a page.
    func orders(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await workbenchPage(request, .orders) { viewer in
            let page = WebPaging.requested(WebForm.query(request))
            let result = try await services.orders.orders.orders(
                viewer: .enterprise(orgID: viewer.identity.orgID), page: page, pageSize: WebPaging.pageSize)
            let rows = result.items.map { order in
                OrderRow(
                    productName: order.productName, orderType: WebLabels.orderType(order.orderType),
                    paymentState: WebLabels.paymentState(order.state), state: WebLabels.orderState(order.state),
                    total: WebLabels.money(order.totalFen), createdAt: WebLabels.time(order.createdAt), href: "/workbench/orders/" + order.id)
            }
            return pages.page(
                "orders",
                OrdersView(
                    chrome: chrome("我的订单", viewer: viewer, crumbs: [("工作台", "/workbench"), ("订单管理", "")], menu: .orders),
                    orders: rows, empty: rows.isEmpty,
                    paging: WebPaging(page: page, total: result.total, path: "/workbench/orders", filters: [])))
        }
    }

    struct VoucherRow {
        let name: String
        let kind: String
        let available: String
        let faceValue: String
        let validUntil: String
        let status: String
        let href: String
    }

    struct VouchersView {
        let chrome: WebChrome
        let vouchers: [VoucherRow]
        let empty: Bool
        let paging: WebPaging
    }

    /// 服务券管理 › 服务券查询 (guide §2.4.6.3): name, balance, face value, validity, state; 10 a page.
    func vouchers(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await workbenchPage(request, .vouchers) { viewer in
            let page = WebPaging.requested(WebForm.query(request))
            let result = try await services.orders.orders.vouchers(orgID: viewer.identity.orgID, page: page, pageSize: WebPaging.pageSize)
            let now = services.clock.now()
            let rows = result.items.map { voucher in
                VoucherRow(
                    name: voucher.name, kind: WebLabels.voucherKind(voucher.kind), available: WebLabels.money(voucher.availableFen),
                    faceValue: WebLabels.money(voucher.faceValueFen), validUntil: WebLabels.time(voucher.validUntil),
                    status: WebLabels.voucherStatus(voucher.status(at: now)), href: "/workbench/vouchers/" + voucher.id)
            }
            return pages.page(
                "vouchers",
                VouchersView(
                    chrome: chrome("服务券查询", viewer: viewer, crumbs: [("工作台", "/workbench"), ("服务券查询", "")], menu: .vouchers),
                    vouchers: rows, empty: rows.isEmpty,
                    paging: WebPaging(page: page, total: result.total, path: "/workbench/vouchers", filters: [])))
        }
    }
}
