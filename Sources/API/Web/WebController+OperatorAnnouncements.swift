import Foundation
import Hummingbird
import PostgresStore
import VoucherCore
import VoucherServices

/// 公告管理 (issue 17, Operator): the operator's announcements — list with the JSON route's
/// filters (state, audience, category), create, edit a draft or scheduled one, publish now or at a
/// time, pin, withdraw — through `AnnouncementsController.content` (the text's rules) and
/// `AnnouncementsRepository`, as `/v1/platform/announcements` does.
extension WebController {
    /// An announcement form's body: the text may be 20,000 characters, percent-encoded.
    static let announcementFormBytesMax = 256 * 1024

    static let announcementStates: [(String, String)] = [("draft", "草稿"), ("scheduled", "定时发布"), ("published", "已发布"), ("withdrawn", "已撤回")]
    static let announcementAudiences: [(String, String)] = [("all", "全部用户"), ("enterprises", "企业用户"), ("providers", "服务商")]

    struct AnnouncementAdminRow {
        let title: String
        let category: String
        let audience: String
        let state: String
        let pinned: Bool
        let publishAt: String
        let updatedAt: String
        let href: String
    }

    struct SelectOption {
        let value: String
        let label: String
        let selected: Bool
    }

    struct AnnouncementsAdminView {
        let chrome: WebChrome
        let states: [SelectOption]
        let audiences: [SelectOption]
        let categories: [SelectOption]
        let rows: [AnnouncementAdminRow]
        let empty: Bool
        let paging: WebPaging
    }

    static func options(_ all: [(String, String)], selected: String) -> [SelectOption] {
        [SelectOption(value: "", label: "全部", selected: selected.isEmpty)]
            + all.map { SelectOption(value: $0.0, label: $0.1, selected: $0.0 == selected) }
    }

    static var announcementCategories: [(String, String)] { AnnouncementsController.categories.map { ($0.0, $0.1) } }

    static func label(_ all: [(String, String)], _ code: String) -> String { all.first { $0.0 == code }?.1 ?? code }

    /// 公告管理: every announcement (pinned first, then the latest), 10 a page, by state, audience and category.
    func operatorAnnouncements(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await workbenchPage(request, .announcements) { viewer in
            let query = WebForm.query(request)
            let page = WebPaging.requested(query)
            let state = Self.announcementStates.first { $0.0 == query["state"] }?.0 ?? ""
            let audience = Self.announcementAudiences.first { $0.0 == query["audience"] }?.0 ?? ""
            let category = Self.announcementCategories.first { $0.0 == query["category"] }?.0 ?? ""
            let filter = AnnouncementFilter(
                audiences: audience.isEmpty ? nil : [audience], category: category.isEmpty ? nil : category,
                state: AnnouncementState(rawValue: state), unreadOnly: false)
            let now = services.clock.now()
            let (items, total) = try await services.announcements.list(filter, reader: nil, now: now, page: page, pageSize: WebPaging.pageSize)
            let rows = items.map { record in
                AnnouncementAdminRow(
                    title: record.content.title, category: AnnouncementsController.label(record.content.category),
                    audience: Self.label(Self.announcementAudiences, record.content.audience),
                    state: Self.label(Self.announcementStates, record.state(at: now).rawValue), pinned: record.pinned,
                    publishAt: record.publishAt.map(WebLabels.time) ?? "—", updatedAt: WebLabels.time(record.updatedAt),
                    href: "/workbench/announcements/" + record.id)
            }
            return pages.page(
                "operator-announcements",
                AnnouncementsAdminView(
                    chrome: chrome("公告管理", viewer: viewer, crumbs: [("工作台", "/workbench"), ("公告管理", "")], menu: .announcements),
                    states: Self.options(Self.announcementStates, selected: state),
                    audiences: Self.options(Self.announcementAudiences, selected: audience),
                    categories: Self.options(Self.announcementCategories, selected: category), rows: rows, empty: rows.isEmpty,
                    paging: WebPaging(
                        page: page, total: total, path: "/workbench/announcements",
                        filters: [("state", state), ("audience", audience), ("category", category)])))
        }
    }

    struct AnnouncementFormView {
        let chrome: WebChrome
        let heading: String
        let id: String
        let isNew: Bool
        let action: String
        let title: String
        let content: String
        let categories: [SelectOption]
        let audiences: [SelectOption]
        let pinned: Bool
        let state: String
        let publishAt: String
        let editable: Bool
        let publishable: Bool
        let withdrawable: Bool
        let notice: String
        let formError: String
        let titleError: String
        let contentError: String
    }

    struct AnnouncementFields {
        var title = ""
        var content = ""
        var category = "notice"
        var audience = "all"
        var pinned = false
    }

    func newAnnouncementPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await workbenchPage(request, .announcements) { viewer in
            announcementForm(viewer, record: nil, fields: AnnouncementFields())
        }
    }

    func announcementForm(
        _ viewer: WebViewer, record: AnnouncementRecord?, fields: AnnouncementFields, notice: String = "", error: (code: String, text: String)? = nil,
        status: HTTPResponse.Status = .ok
    ) -> Response {
        let now = services.clock.now()
        let state = record?.state(at: now) ?? .draft
        let heading = record == nil ? "新建公告" : "编辑公告"
        let code = error?.code ?? ""
        let text = error?.text ?? ""
        let field: String
        if code.hasPrefix("announcement_title") {
            field = "title"
        } else if code.hasPrefix("announcement_content") {
            field = "content"
        } else {
            field = ""
        }
        let categories: [SelectOption] = Self.announcementCategories.map {
            SelectOption(value: $0.0, label: $0.1, selected: $0.0 == fields.category)
        }
        let audiences: [SelectOption] = Self.announcementAudiences.map {
            SelectOption(value: $0.0, label: $0.1, selected: $0.0 == fields.audience)
        }
        let action = record.map { "/workbench/announcements/\($0.id)" } ?? "/workbench/announcements"
        let crumbs = [("工作台", "/workbench"), ("公告管理", "/workbench/announcements"), (heading, "")]
        let editable = state == .draft || state == .scheduled
        let view = AnnouncementFormView(
            chrome: chrome(heading, viewer: viewer, crumbs: crumbs, menu: .announcements), heading: heading, id: record?.id ?? "",
            isNew: record == nil, action: action, title: fields.title, content: fields.content, categories: categories, audiences: audiences,
            pinned: fields.pinned, state: Self.label(Self.announcementStates, state.rawValue),
            publishAt: record?.publishAt.map(WebLabels.time) ?? "—", editable: editable, publishable: record != nil && editable,
            withdrawable: state == .scheduled || state == .published, notice: notice, formError: field.isEmpty ? text : "",
            titleError: field == "title" ? text : "", contentError: field == "content" ? text : "")
        return pages.page(
            "operator-announcement", view,
            status: status)
    }

    static func announcementID(_ context: AppRequestContext) -> String? {
        guard let id = context.parameters.get("id"), OpaqueID.isWellFormed(id, prefix: "ann") else { return nil }
        return id
    }

    func announcementPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let id = Self.announcementID(context) else { return errorPage(.badRequest, viewer: nil, reason: "公告编号格式不正确。") }
        return try await workbenchPage(request, .announcements) { viewer in
            guard let record = try await services.announcements.find(id: id) else {
                return errorPage(.notFound, viewer: viewer, reason: "没有这个公告。")
            }
            let notice = WebForm.query(request)["done"].map(Self.announcementNotice) ?? ""
            return announcementForm(viewer, record: record, fields: Self.fields(record), notice: notice)
        }
    }

    static func fields(_ record: AnnouncementRecord) -> AnnouncementFields {
        AnnouncementFields(
            title: record.content.title, content: record.content.body, category: record.content.category, audience: record.content.audience,
            pinned: record.pinned)
    }

    /// An announcement form post: the session, its CSRF token, a body of at most `announcementFormBytesMax`.
    private func announcementPost(_ request: Request, _ body: (WebViewer, WebForm) async throws -> Response) async throws -> Response {
        try await workbenchPage(request, .announcements) { viewer in
            let buffer = try await request.body.collect(upTo: Self.announcementFormBytesMax)
            guard let form = WebForm.parse(String(decoding: buffer.readableBytesView, as: UTF8.self)), let sent = form["csrf"],
                WebSessions.tokensEqual(viewer.session.csrfToken, sent)
            else { return errorPage(.forbidden, viewer: viewer, reason: Self.csrfRefusal) }
            return try await body(viewer, form)
        }
    }

    /// `POST /workbench/announcements` (create) and `POST /workbench/announcements/{id}` (edit).
    func saveAnnouncement(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let id: String?
        if context.parameters.get("id") != nil {
            guard let parsed = Self.announcementID(context) else { return errorPage(.badRequest, viewer: nil, reason: "公告编号格式不正确。") }
            id = parsed
        } else {
            id = nil
        }
        return try await announcementPost(request) { viewer, form in
            let fields = AnnouncementFields(
                title: form["title"] ?? "", content: form["content"] ?? "", category: form["category"] ?? "", audience: form["audience"] ?? "",
                pinned: form["pinned"] == "true")
            let now = services.clock.now()
            let existing = try await id.asyncMap { try await services.announcements.find(id: $0) } ?? nil
            if id != nil, existing == nil { return errorPage(.notFound, viewer: viewer, reason: "没有这个公告。") }
            do {
                let content = try AnnouncementsController.content(
                    .init(title: fields.title, content: fields.content, category: fields.category, audience: fields.audience, pinned: fields.pinned))
                if let id {
                    var result = try await services.announcements.update(id: id, content: content, now: now)
                    if case .done = result { result = try await services.announcements.pin(id: id, pinned: fields.pinned, now: now) }
                    _ = try AnnouncementsController.changed(result, now: now, action: "edited")
                    return redirect("/workbench/announcements/\(id)?done=saved")
                }
                let record = try await services.announcements.create(
                    id: OpaqueID.make(prefix: "ann"), content: content, pinned: fields.pinned, by: viewer.identity.userID, now: now)
                return redirect("/workbench/announcements/\(record.id)?done=saved")
            } catch {
                let problem = try await WebErrorMiddleware.refusal(for: error, request, context)
                return announcementForm(
                    viewer, record: existing, fields: fields, error: (problem.code, Self.announcementMessage(problem.code)), status: problem.status)
            }
        }
    }

    /// `POST /workbench/announcements/{id}/publish` (optional `publishAt`, a datetime-local in
    /// China Standard Time), `/pin` (`pinned` true or false) and `/withdraw`.
    func announcementAction(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let id = Self.announcementID(context) else { return errorPage(.badRequest, viewer: nil, reason: "公告编号格式不正确。") }
        let action = request.uri.path.split(separator: "/").last.map(String.init) ?? ""
        return try await announcementPost(request) { viewer, form in
            let now = services.clock.now()
            do {
                let change: AnnouncementChange
                switch action {
                case "publish":
                    var at = now
                    if let text = form.text("publishAt") {
                        guard let time = RFC3339.parse(Self.rfc3339(text)) else {
                            throw AccountsError.invalid("time_invalid", "publishAt must be a date and time.")
                        }
                        at = max(time, now)
                    }
                    change = try await services.announcements.publish(id: id, at: at, now: now)
                case "pin": change = try await services.announcements.pin(id: id, pinned: form["pinned"] == "true", now: now)
                case "withdraw": change = try await services.announcements.withdraw(id: id, now: now)
                default: return errorPage(.notFound, viewer: viewer)
                }
                _ = try AnnouncementsController.changed(change, now: now, action: action)
                return redirect("/workbench/announcements/\(id)?done=\(action)")
            } catch {
                let problem = try await WebErrorMiddleware.refusal(for: error, request, context)
                guard let record = try await services.announcements.find(id: id) else {
                    return errorPage(.notFound, viewer: viewer, reason: "没有这个公告。")
                }
                return announcementForm(
                    viewer, record: record, fields: Self.fields(record), error: ("", Self.announcementMessage(problem.code)), status: problem.status)
            }
        }
    }

    static func announcementNotice(_ done: String) -> String {
        switch done {
        case "saved": "公告已保存。"
        case "publish": "公告已发布（或已定时）。"
        case "pin": "置顶设置已更新。"
        case "withdraw": "公告已撤回。"
        default: ""
        }
    }

    static func announcementMessage(_ code: String) -> String {
        switch code {
        case "announcement_title_empty": "请填写标题。"
        case "announcement_title_too_long": "标题不能超过 \(AnnouncementsController.titleLengthMax) 个字。"
        case "announcement_content_empty": "请填写正文。"
        case "announcement_content_too_long": "正文不能超过 \(AnnouncementsController.contentLengthMax) 个字。"
        case "announcement_category_invalid": "请选择栏目。"
        case "announcement_audience_invalid": "请选择可见范围。"
        case "announcement_state_conflict": "公告当前的状态不允许这个操作（已发布的不能编辑，草稿不能撤回，已撤回的不能再改）。"
        case "time_invalid": "发布时间格式不正确，请选择日期和时间。"
        default: "操作未能完成（\(code)），请刷新后重试。"
        }
    }
}

extension Optional {
    /// The wrapped value mapped by an async transform.
    fileprivate func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
