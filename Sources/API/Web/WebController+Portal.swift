import Foundation
import Hummingbird
import PostgresStore
import VoucherCore
import VoucherServices

/// The public portal (guide §2.3.1, fig 2-2): 首页, 政策资讯, 产品和解决方案. No login needed; a
/// signed-in visitor sees 工作台 in the top bar.
extension WebController {
    struct AnnouncementRow {
        let title: String
        let category: String
        let publishedAt: String
        let content: String
        let pinned: Bool
    }

    struct HomeView {
        let chrome: WebChrome
        let announcements: [AnnouncementRow]
        let hasAnnouncements: Bool
    }

    /// The latest announcements at most on the home page.
    static let homeAnnouncementsMax = 5

    func portalHome(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let viewer = try await sessions.viewer(request)
        let rows = try await announcementRows(audiences: ["all"], category: nil, page: 1, pageSize: Self.homeAnnouncementsMax).rows
        return pages.page(
            "home", HomeView(chrome: chrome("首页", viewer: viewer, crumbs: [("首页", "")]), announcements: rows, hasAnnouncements: !rows.isEmpty))
    }

    func announcementRows(audiences: [String], category: String?, page: Int, pageSize: Int) async throws -> (rows: [AnnouncementRow], total: Int) {
        let result = try await services.announcements.list(
            .forReaders(audiences: audiences, category: category), reader: nil, now: services.clock.now(), page: page, pageSize: pageSize)
        let labels = Dictionary(uniqueKeysWithValues: AnnouncementsController.categories.map { ($0.0, $0.1) })
        let rows = result.items.map { item in
            AnnouncementRow(
                title: item.content.title, category: labels[item.content.category] ?? item.content.category,
                publishedAt: item.publishAt.map(WebLabels.time) ?? "", content: item.content.body, pinned: item.pinned)
        }
        return (rows, result.total)
    }

    struct Tab {
        let label: String
        let href: String
        let current: Bool
    }

    struct NewsView {
        let chrome: WebChrome
        let tabs: [Tab]
        let announcements: [AnnouncementRow]
        let empty: Bool
        let paging: WebPaging
    }

    /// 政策资讯: the published announcements for everyone, by tab (通知/公告/政策/资讯), 10 a page.
    func news(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let viewer = try await sessions.viewer(request)
        let query = WebForm.query(request)
        let category = query["category"].flatMap { code in AnnouncementsController.categoryCodes.contains(code) ? code : nil }
        let page = WebPaging.requested(query)
        let (rows, total) = try await announcementRows(audiences: ["all"], category: category, page: page, pageSize: WebPaging.pageSize)
        let tabs =
            [Tab(label: "全部", href: "/news", current: category == nil)]
            + AnnouncementsController.categories.map { Tab(label: $0.1, href: "/news?category=\($0.0)", current: category == $0.0) }
        return pages.page(
            "news",
            NewsView(
                chrome: chrome("政策资讯", viewer: viewer, crumbs: [("首页", "/"), ("政策资讯", "")]), tabs: tabs, announcements: rows,
                empty: rows.isEmpty, paging: WebPaging(page: page, total: total, path: "/news", filters: [("category", category ?? "")])))
    }

    struct ProductRow {
        let name: String
        let provider: String
        let category: String
        let priceRange: String
        let deliveryDays: Int
        let tags: String
        /// 商品详情 (`/products/{id}`).
        let href: String

        /// A catalogue listing as a row of 产品和解决方案 (and of 统一搜索's products).
        init(_ item: CatalogueListing) {
            name = item.name
            provider = item.providerName
            category = WebLabels.category(item.category)
            priceRange = WebLabels.money(item.priceLowFen) + " ~ " + WebLabels.money(item.priceHighFen)
            deliveryDays = item.deliveryDays
            tags = item.tags.joined(separator: "、")
            href = "/products/" + item.productID
        }
    }

    struct Option {
        let value: String
        let label: String
        let selected: Bool
    }

    struct ProductsView {
        let chrome: WebChrome
        let q: String
        let qError: String
        let categories: [Option]
        let products: [ProductRow]
        let empty: Bool
        let paging: WebPaging
    }

    /// 产品和解决方案: the public catalogue with its search (the JSON catalogue's terms and rules) and
    /// the category filter, 10 a page.
    func products(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let viewer = try await sessions.viewer(request)
        let query = WebForm.query(request)
        let q = query["q"] ?? ""
        let category = query["category"].flatMap(ProductCategory.init(rawValue:))
        let page = WebPaging.requested(query)
        var search = CatalogueQuery(categories: category.map { [$0] }, page: page, pageSize: WebPaging.pageSize)
        var qError = ""
        do throws(CatalogueSearch.QueryProblem) {
            search.terms = try CatalogueSearch.terms(q)
        } catch {
            qError = error == .tooLong ? "搜索内容过长，请缩短后重试。" : "搜索词过多，请减少关键词后重试。"
        }
        let result = qError.isEmpty ? try await services.catalogue.search(search) : (items: [], total: 0, exact: true)
        let rows = result.items.map(ProductRow.init)
        let options = ProductCategory.allCases.map {
            Option(value: $0.rawValue, label: WebLabels.category($0), selected: $0 == category)
        }
        return pages.page(
            "products",
            ProductsView(
                chrome: chrome("产品和解决方案", viewer: viewer, crumbs: [("首页", "/"), ("产品和解决方案", "")]), q: q, qError: qError,
                categories: options, products: rows, empty: rows.isEmpty,
                paging: WebPaging(
                    page: page, total: result.total, path: "/products", filters: [("q", q), ("category", category?.rawValue ?? "")])))
    }
}
