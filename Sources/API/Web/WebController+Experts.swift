import Foundation
import Hummingbird
import PostgresStore
import VoucherCore
import VoucherServices

/// The portal's 专家团队 (guide §2.3.1) and 统一搜索: public pages over the same repositories as
/// `GET /v1/public/experts` and `GET /v1/catalogue`, with the JSON routes' filters and limits.
/// An expert's phone shows only when its provider marked it public (as `PublicExpertDTO`).
extension WebController {
    var expertsRepository: ExpertsRepository { ExpertsRepository(client: services.stores.postgres, logger: services.logger) }

    struct ExpertRow {
        let name: String
        let title: String
        let fields: String
        let years: Int
        let provider: String
        let photo: String
        let href: String
    }

    struct ExpertsView {
        let chrome: WebChrome
        let q: String
        let field: String
        let filterError: String
        let rows: [ExpertRow]
        let empty: Bool
        let paging: WebPaging
    }

    static func expertRow(_ record: ExpertRecord) -> ExpertRow {
        let p = record.profile
        return ExpertRow(
            name: p.name, title: p.title ?? "", fields: Self.fields(p).joined(separator: "、"), years: p.industryServiceYears,
            provider: record.providerName, photo: PublicExpertDTO.photoURL(record.id), href: "/experts/" + record.id)
    }

    static func fields(_ p: ExpertProfile) -> [String] {
        p.industrialInternetFields + p.industryFields + p.industrialOperationFields
    }

    /// 专家团队: experts of certified providers, by 领域 (`field`, exactly) and name or title (`q`), 10 a page.
    func expertsPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let viewer = try await sessions.viewer(request)
        let query = WebForm.query(request)
        let q = query.text("q") ?? ""
        let field = query.text("field") ?? ""
        let page = WebPaging.requested(query)
        var filterError = ""
        var result: (items: [ExpertRecord], total: Int) = ([], 0)
        do {
            let filter = ExpertFilter(
                field: try ApprovalsController.text(field, "field"), text: try ApprovalsController.text(q, "q"), page: page,
                pageSize: WebPaging.pageSize)
            result = try await expertsRepository.published(filter)
        } catch let error as DomainError where error.kind == .invalidInput {
            filterError = "搜索内容过长，请不超过 \(AccountsLimits.filterTextLengthMax) 个字。"
        }
        let rows = result.items.map(Self.expertRow)
        return pages.page(
            "experts",
            ExpertsView(
                chrome: chrome("专家团队", viewer: viewer, crumbs: [("首页", "/"), ("专家团队", "")]), q: q, field: field, filterError: filterError,
                rows: rows, empty: rows.isEmpty,
                paging: WebPaging(page: page, total: result.total, path: "/experts", filters: [("q", q), ("field", field)])))
    }

    struct ExpertView {
        let chrome: WebChrome
        let name: String
        let title: String
        let gender: String
        let age: Int
        let education: String
        let provider: String
        let photo: String
        let internetFields: String
        let industryFields: String
        let operationFields: String
        let internetYears: Int
        let industryYears: Int
        let experience: String
        let introduction: String
        let phone: String
    }

    /// An expert's detail with the photo (`/v1/public/experts/{id}/photo`); no phone unless public.
    func expertPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let viewer = try await sessions.viewer(request)
        guard let id = context.parameters.get("id"), OpaqueID.isWellFormed(id, prefix: ExpertsRepository.expertPrefix) else {
            return errorPage(.badRequest, viewer: viewer, reason: "专家编号格式不正确。")
        }
        guard let record = try await expertsRepository.published(id: id) else { return errorPage(.notFound, viewer: viewer, reason: "没有这位专家。") }
        let p = record.profile
        let view = ExpertView(
            chrome: chrome("专家详情", viewer: viewer, crumbs: [("首页", "/"), ("专家团队", "/experts"), (p.name, "")]), name: p.name,
            title: p.title ?? "", gender: p.gender, age: p.age, education: p.education ?? "", provider: record.providerName,
            photo: PublicExpertDTO.photoURL(record.id), internetFields: p.industrialInternetFields.joined(separator: "、"),
            industryFields: p.industryFields.joined(separator: "、"), operationFields: p.industrialOperationFields.joined(separator: "、"),
            internetYears: p.industrialInternetServiceYears, industryYears: p.industryServiceYears, experience: p.experience,
            introduction: p.introduction, phone: p.phonePublic ? (p.phone ?? "") : "")
        return pages.page("expert", view)
    }

    // MARK: 统一搜索

    /// Rows per section of the search page; each section links to its full list.
    static let searchSectionRowsMax = 5
    /// The newest published announcements the search reads (announcements have no text index;
    /// older ones are on 政策资讯).
    static let searchAnnouncementsScanMax = 100

    struct SearchView {
        let chrome: WebChrome
        let q: String
        let qError: String
        let searched: Bool
        let products: [ProductRow]
        let productsTotal: Int
        let productsHref: String
        let announcements: [AnnouncementRow]
        let announcementsEmpty: Bool
        let experts: [ExpertRow]
        let expertsTotal: Int
        let expertsHref: String
    }

    /// `/search?q=`: products (the catalogue's search and its terms), 政策资讯 whose title or text
    /// holds a term, and experts by name or title — a few of each, with links to the full lists.
    func unifiedSearch(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let viewer = try await sessions.viewer(request)
        let q = WebForm.query(request).text("q") ?? ""
        var qError = ""
        var terms: [String] = []
        do throws(CatalogueSearch.QueryProblem) {
            terms = try CatalogueSearch.terms(q)
        } catch {
            qError = error == .tooLong ? "搜索内容过长，请缩短后重试。" : "搜索词过多，请减少关键词后重试。"
        }
        if qError.isEmpty, q.count > AccountsLimits.filterTextLengthMax { qError = "搜索内容过长，请缩短后重试。" }
        let searched = qError.isEmpty && !terms.isEmpty
        var products: [ProductRow] = []
        var productsTotal = 0
        var announcements: [AnnouncementRow] = []
        var expertRows: [ExpertRow] = []
        var expertsTotal = 0
        if searched {
            let found = try await services.catalogue.search(CatalogueQuery(terms: terms, page: 1, pageSize: Self.searchSectionRowsMax))
            productsTotal = found.total
            products = found.items.map(ProductRow.init)
            let recent = try await announcementRows(audiences: ["all"], category: nil, page: 1, pageSize: Self.searchAnnouncementsScanMax).rows
            let lowered = terms.map { $0.lowercased() }
            announcements = Array(
                recent.filter { row in lowered.contains { row.title.lowercased().contains($0) || row.content.lowercased().contains($0) } }
                    .prefix(Self.searchSectionRowsMax))
            let people = try await expertsRepository.published(ExpertFilter(text: q, page: 1, pageSize: Self.searchSectionRowsMax))
            expertRows = people.items.map(Self.expertRow)
            expertsTotal = people.total
        }
        let encoded = WebForm.encode(q)
        return pages.page(
            "search",
            SearchView(
                chrome: chrome("统一搜索", viewer: viewer, crumbs: [("首页", "/"), ("统一搜索", "")]), q: q, qError: qError, searched: searched,
                products: products, productsTotal: productsTotal, productsHref: "/products?q=" + encoded, announcements: announcements,
                announcementsEmpty: announcements.isEmpty, experts: expertRows, expertsTotal: expertsTotal, expertsHref: "/experts?q=" + encoded))
    }
}
