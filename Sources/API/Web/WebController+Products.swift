import Foundation
import Hummingbird
import PostgresStore
import VoucherCore
import VoucherServices

/// 商品管理 › 我的商品 (guide §1.4.4.2): the provider's products in the six states (已上架, 待审核,
/// 已驳回, 草稿, 已撤销, 已下架) with the name and category filters and 10 a page, as
/// `GET /v1/provider/products` lists them (`ProductsRepository.mine`), and each state's actions:
/// 编辑, 发布预览, 提交审核 (`ProductsController.submit`), 撤销 (`ProductsController.withdraw`),
/// 下架 (`ProductsRepository.delist`, as `POST /v1/products/{id}/delist`). Menu `products`.
extension WebController {
    /// The state tabs in the guide's order: the query value and the label (全部 first).
    static let productTabs: [(String, String)] = [("", "全部")] + ListingState.allCases.map { ($0.rawValue, WebLabels.productState($0.rawValue)) }

    struct ProductListRow {
        let id: String
        let name: String
        let category: String
        let state: String
        let editState: String
        let rejectReason: String
        let updatedAt: String
        let listedAt: String
        let previewHref: String
        let editHref: String
        let mayEdit: Bool
        let maySubmit: Bool
        let mayWithdraw: Bool
        let mayDelist: Bool
        let catalogueHref: String
    }

    struct CategoryOption {
        let code: String
        let label: String
        let selected: Bool
    }

    struct MyProductsView {
        let chrome: WebChrome
        let tabs: [Tab]
        let state: String
        let name: String
        let categories: [CategoryOption]
        let rows: [ProductListRow]
        let empty: Bool
        let paging: WebPaging
        let notice: String
        let formError: String
    }

    func myProducts(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await workbenchPage(request, .products) { viewer in
            let query = WebForm.query(request)
            return try await myProductsPage(viewer, query: query, notice: query["done"].map(Self.productNotice) ?? "")
        }
    }

    func myProductsPage(
        _ viewer: WebViewer, query: WebForm, notice: String = "", formError: String = "", status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let state = ListingState(rawValue: query["state"] ?? "")
        let category = ProductCategory(rawValue: query["category"] ?? "")
        let name = String((query.text("name") ?? "").prefix(AccountsLimits.filterTextLengthMax))
        let page = WebPaging.requested(query)
        let result = try await services.orders.products.mine(
            orgID: viewer.identity.orgID,
            filter: ProductFilter(state: state, name: name.isEmpty ? nil : name, category: category, page: page, pageSize: WebPaging.pageSize))
        let rows = result.items.map(Self.productRow)
        let tab = state?.rawValue ?? ""
        var filters: [(String, String)] = [("state", tab), ("name", name)]
        filters.append(("category", category?.rawValue ?? ""))
        return pages.page(
            "my-products",
            MyProductsView(
                chrome: chrome("我的商品", viewer: viewer, crumbs: [("工作台", "/workbench"), ("商品管理", ""), ("我的商品", "")], menu: .products),
                tabs: Self.productTabs.map {
                    Tab(label: $0.1, href: "/workbench/products" + ($0.0.isEmpty ? "" : "?state=" + $0.0), current: $0.0 == tab)
                },
                state: tab, name: name,
                categories: ProductCategory.allCases.map {
                    CategoryOption(code: $0.rawValue, label: WebLabels.category($0), selected: $0 == category)
                },
                rows: rows, empty: rows.isEmpty, paging: WebPaging(page: page, total: result.total, path: "/workbench/products", filters: filters),
                notice: notice, formError: formError),
            status: status)
    }

    /// One line of 我的商品 with the actions its state allows (the use cases check them again).
    static func productRow(_ summary: ProductSummary) -> ProductListRow {
        // The revision being worked on: an edit of a listed product has its own state.
        let working = summary.editState ?? summary.status.rawValue
        let onSale = summary.status == .listed
        return ProductListRow(
            id: summary.id, name: summary.name, category: WebLabels.category(summary.category),
            state: WebLabels.productState(summary.status.rawValue),
            editState: summary.editState.map { "修改" + WebLabels.revisionState($0) } ?? "", rejectReason: summary.rejectReason ?? "",
            updatedAt: WebLabels.time(summary.updatedAt), listedAt: summary.listedAt.map(WebLabels.time) ?? "---",
            previewHref: "/workbench/products/\(summary.id)/preview", editHref: "/workbench/products/\(summary.id)/edit",
            mayEdit: working != "in_review", maySubmit: ["draft", "rejected", "withdrawn"].contains(working), mayWithdraw: working == "in_review",
            mayDelist: onSale, catalogueHref: onSale ? "/products/\(summary.id)" : "")
    }

    /// 提交审核, 撤销 and 下架 from 我的商品 or 发布预览: the session's CSRF token, then the JSON
    /// routes' use cases; a refusal is shown above the list.
    func productAction(_ request: Request, _ context: AppRequestContext, action: String) async throws -> Response {
        if let page = malformedPathID(context, "id", prefix: ProductsRepository.productPrefix, reason: "商品编号格式不正确。") { return page }
        return try await workbenchForm(request, .products) { viewer, form in
            let id = context.parameters.get("id") ?? ""
            do {
                switch action {
                case "submit": _ = try await ProductsController.submit(services.orders, viewer.identity, id: id)
                case "withdraw": _ = try await ProductsController.withdraw(services.orders, viewer.identity, id: id)
                case "delist": _ = try await services.orders.products.delist(id: id, orgID: viewer.identity.orgID, now: services.clock.now())
                default: return errorPage(.notFound, viewer: viewer)
                }
                return redirect("/workbench/products?done=" + action)
            } catch {
                let problem = try await WebErrorMiddleware.refusal(for: error, request, context)
                if problem.status == .notFound { return errorPage(.notFound, viewer: viewer, reason: "没有这个商品。") }
                return try await myProductsPage(
                    viewer, query: WebForm(fields: [:]), formError: WebListingErrors.message(problem).text, status: problem.status)
            }
        }
    }

    static func productNotice(_ action: String) -> String {
        switch action {
        case "submit": "已提交审核，等待运营审核、专家评审和工信厅终审。"
        case "withdraw": "已撤销上架申请，可修改后重新提交。"
        case "delist": "商品已下架，已下的订单不受影响。"
        case "saved": "草稿已保存。"
        default: ""
        }
    }
}
