import Foundation
import Hummingbird
import PostgresStore
import VoucherCore
import VoucherServices

/// 平台列表 (issue 17, Operator): organisations, orders and products across the platform, with the
/// filters of `GET /v1/platform/organisations|orders|products` checked by `PlatformController`'s own
/// rules (a refused filter is shown above the list, as 我的待办 does) and read from the same
/// repositories, 10 a page.
extension WebController {
    static let platformTabs: [(String, String)] = [
        ("organisations", "机构列表"), ("orders", "订单列表"), ("products", "商品列表"),
    ]
    static let organisationKinds: [(String, String)] = [("enterprise", "企业"), ("provider", "服务商")]
    static let certificationStates: [(String, String)] = [
        ("draft", "未提交"), ("under_review", "审核中"), ("certified", "已认证"), ("rejected", "已驳回"),
    ]
    static let listingStates: [(String, String)] = [
        ("listed", "已上架"), ("in_review", "待审核"), ("rejected", "已驳回"), ("draft", "草稿"), ("withdrawn", "已撤销"), ("delisted", "已下架"),
    ]
    static var orderStates: [(String, String)] { OrderState.allCases.map { ($0.rawValue, WebLabels.orderState($0)) } }

    struct PlatformCell {
        let label: String
        let value: String
    }

    struct PlatformRow {
        let cells: [PlatformCell]
    }

    struct PlatformSelect {
        let name: String
        let label: String
        let options: [SelectOption]
    }

    struct PlatformListView {
        let chrome: WebChrome
        let heading: String
        let tabs: [Tab]
        let path: String
        let selects: [PlatformSelect]
        let hasName: Bool
        let name: String
        let filterError: String
        let columns: [String]
        let rows: [PlatformRow]
        let empty: Bool
        let paging: WebPaging
    }

    func platformOrganisations(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await platformList(request, list: "organisations")
    }

    func platformOrders(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await platformList(request, list: "orders")
    }

    func platformProducts(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await platformList(request, list: "products")
    }

    /// `GET /workbench/platform/{list}`: organisations (kind, certification, name), orders (state)
    /// or products (status).
    func platformList(_ request: Request, list: String) async throws -> Response {
        let tab = Self.platformTabs.first { $0.0 == list } ?? Self.platformTabs[0]
        return try await workbenchPage(request, .platform) { viewer in
            let query = WebForm.query(request)
            let page = WebPaging.requested(query)
            let path = "/workbench/platform/" + list
            var filterError = ""
            var rows: [PlatformRow] = []
            var total = 0
            var columns: [String] = []
            var selects: [PlatformSelect] = []
            var filters: [(String, String)] = []
            func select(_ name: String, _ label: String, _ all: [(String, String)]) {
                let value = query[name] ?? ""
                selects.append(PlatformSelect(name: name, label: label, options: Self.options(all, selected: value)))
                filters.append((name, value))
            }
            do {
                switch list {
                case "organisations":
                    columns = ["企业名称", "类型", "统一社会信用代码", "联系人", "认证状态", "注册时间"]
                    select("kind", "类型", Self.organisationKinds)
                    select("certification", "认证状态", Self.certificationStates)
                    filters.append(("name", query["name"] ?? ""))
                    let filter = OrganisationListFilter(
                        kind: try PlatformController.oneOf(query["kind"], PlatformController.kinds, "kind"),
                        certification: try PlatformController.oneOf(query["certification"], PlatformController.certifications, "certification"),
                        name: try PlatformController.text(query.text("name"), "name"))
                    let result = try await services.platform.lists.organisations(filter, page: page, pageSize: WebPaging.pageSize)
                    total = result.total
                    rows = result.items.map { item in
                        Self.row(
                            columns,
                            [
                                item.name, Self.label(Self.organisationKinds, item.kind), item.uscc ?? "—", item.contactName ?? "—",
                                Self.label(Self.certificationStates, item.certification), WebLabels.time(item.createdAt),
                            ])
                    }
                case "orders":
                    columns = ["商品名称", "订单类型", "订购企业", "总价", "抵扣金额", "应付金额", "订单状态", "创建时间"]
                    select("state", "订单状态", Self.orderStates)
                    let state = try PlatformController.oneOf(query["state"], OrderState.allCases.map(\.rawValue), "state")
                        .flatMap(OrderState.init(rawValue:))
                    let result = try await services.platform.lists.orders(state: state, page: page, pageSize: WebPaging.pageSize)
                    total = result.total
                    rows = result.items.map { order in
                        Self.row(
                            columns,
                            [
                                order.productName, WebLabels.orderType(order.orderType), order.enterpriseName, WebLabels.money(order.totalFen),
                                WebLabels.money(order.deductionFen), WebLabels.money(order.payableFen), WebLabels.orderState(order.state),
                                WebLabels.time(order.createdAt),
                            ])
                    }
                default:
                    columns = ["商品名称", "类别", "服务商", "状态", "创建时间", "上架时间"]
                    select("status", "状态", Self.listingStates)
                    let status = try PlatformController.status(query["status"])
                    let result = try await services.platform.products.products(status: status, page: page, pageSize: WebPaging.pageSize)
                    total = result.total
                    rows = result.items.map { product in
                        Self.row(
                            columns,
                            [
                                product.name, ProductCategory(rawValue: product.category).map(WebLabels.category) ?? product.category,
                                product.providerName, Self.label(Self.listingStates, product.status), WebLabels.time(product.createdAt),
                                product.listedAt.map(WebLabels.time) ?? "—",
                            ])
                    }
                }
            } catch let error as DomainError where error.kind == .invalidInput {
                filterError = "筛选条件无效（\(error.code)），请从列表中选择，名称不超过 \(PlatformController.nameFilterLengthMax) 个字。"
                rows = []
            }
            return pages.page(
                "platform-list",
                PlatformListView(
                    chrome: chrome(tab.1, viewer: viewer, crumbs: [("工作台", "/workbench"), ("平台列表", ""), (tab.1, "")], menu: .platform),
                    heading: tab.1, tabs: Self.platformTabs.map { Tab(label: $0.1, href: "/workbench/platform/" + $0.0, current: $0.0 == list) },
                    path: path, selects: selects, hasName: list == "organisations", name: query["name"] ?? "", filterError: filterError,
                    columns: columns, rows: rows, empty: rows.isEmpty,
                    paging: WebPaging(page: page, total: total, path: path, filters: filters)))
        }
    }

    static func row(_ columns: [String], _ values: [String]) -> PlatformRow {
        PlatformRow(cells: zip(columns, values).map { PlatformCell(label: $0.0, value: $0.1) })
    }
}
