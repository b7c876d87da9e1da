import Foundation
import Hummingbird
import PostgresStore
import VoucherCore
import VoucherServices

/// 我的待办 (guide §1.4.3, §2.4.2): the tabs 待我审批 / 我的申请 / 历史审批 with the guide's filters
/// (创建时间区间, 申请名称, 申请人), 10 a page, and an application's detail with 通过 / 驳回 (reason
/// required) or 撤销 — through `ApprovalsController`'s own boxes, visibility and decisions, so the
/// page decides exactly what `POST /v1/approvals/{id}/approve|reject|withdraw` would.
extension WebController {
    /// The inbox tabs, in the guide's order: the query value and the label.
    static let inboxTabs: [(String, String)] = [("waiting", "待我审批"), ("mine", "我的申请"), ("history", "历史审批")]

    struct ApprovalRow {
        let title: String
        let type: String
        let organisationName: String
        let applicant: String
        let status: String
        let createdAt: String
        let href: String
    }

    struct InboxView {
        let chrome: WebChrome
        let tabs: [Tab]
        let tab: String
        let from: String
        let to: String
        let title: String
        let applicant: String
        let filterError: String
        let rows: [ApprovalRow]
        let empty: Bool
        let paging: WebPaging
    }

    /// 我的待办: one tab's list; a filter the JSON route would refuse shows its error above the list.
    func inbox(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await workbenchPage(request, .inbox) { viewer in
            let query = WebForm.query(request)
            let tab = Self.inboxTabs.first { $0.0 == query["tab"] }?.0 ?? "waiting"
            let page = WebPaging.requested(query)
            let from = query.text("from") ?? ""
            let to = query.text("to") ?? ""
            let title = query.text("title") ?? ""
            let applicant = query.text("applicant") ?? ""
            var filterError = ""
            var result: (items: [ApprovalRecord], total: Int) = ([], 0)
            do {
                let filter = ApprovalFilter(
                    createdFrom: try Self.day(from, end: false), createdTo: try Self.day(to, end: true),
                    title: try ApprovalsController.text(title, "title"), applicant: try ApprovalsController.text(applicant, "applicant"),
                    page: page, pageSize: WebPaging.pageSize)
                let box: ApprovalsRepository.Box =
                    switch tab {
                    case "mine": .mine(userID: viewer.identity.userID)
                    case "history": .history(userID: viewer.identity.userID)
                    default: ApprovalsController.waitingBox(viewer.identity)
                    }
                result = try await services.accounts.approvals.list(box, filter: filter)
            } catch let error as DomainError where error.kind == .invalidInput {
                filterError = Self.inboxFilterMessage(error.code)
            }
            let rows = result.items.map { record in
                ApprovalRow(
                    title: record.title, type: WebLabels.approvalType(record.type), organisationName: record.organisationName,
                    applicant: record.applicantName, status: WebLabels.approvalStatus(record.status),
                    createdAt: WebLabels.time(record.createdAt), href: "/workbench/inbox/" + record.id)
            }
            let tabs = Self.inboxTabs.map { Tab(label: $0.1, href: "/workbench/inbox?tab=" + $0.0, current: $0.0 == tab) }
            return pages.page(
                "inbox",
                InboxView(
                    chrome: chrome("我的待办", viewer: viewer, crumbs: [("工作台", "/workbench"), ("我的待办", "")], menu: .inbox), tabs: tabs,
                    tab: tab, from: from, to: to, title: title, applicant: applicant, filterError: filterError, rows: rows, empty: rows.isEmpty,
                    paging: WebPaging(
                        page: page, total: result.total, path: "/workbench/inbox",
                        filters: [("tab", tab), ("from", from), ("to", to), ("title", title), ("applicant", applicant)])))
        }
    }

    /// A date field (`2026-12-01`) as the start of that day in China Standard Time, or with `end`
    /// the day's last second; blank is no bound. Anything else is the JSON route's `time_invalid`.
    static func day(_ text: String, end: Bool) throws -> Date? {
        guard !text.isEmpty else { return nil }
        guard text.utf8.count == 10, let start = RFC3339.parse(text + "T00:00:00+08:00") else {
            throw AccountsError.invalid("time_invalid", "Dates are YYYY-MM-DD.")
        }
        return end ? start.addingTimeInterval(24 * 3600 - 1) : start
    }

    static func inboxFilterMessage(_ code: String) -> String {
        switch code {
        case "time_invalid": "日期格式不正确，请按 年-月-日 选择日期。"
        case "filter_invalid": "申请名称或申请人过长，请不超过 \(AccountsLimits.filterTextLengthMax) 个字。"
        default: "筛选条件无效（\(code)），请检查后重试。"
        }
    }

    struct DecisionRow {
        let role: String
        let decider: String
        let decision: String
        let reason: String
        let decidedAt: String
    }

    struct ApprovalView {
        let chrome: WebChrome
        let id: String
        let title: String
        let type: String
        let status: String
        let organisationName: String
        let applicant: String
        let stages: String
        let waitingFor: String
        let createdAt: String
        let decisions: [DecisionRow]
        let hasDecisions: Bool
        let mayDecide: Bool
        let mayWithdraw: Bool
        let reason: String
        let reasonError: String
        let formError: String
        let notice: String
        /// A redemption batch's subject (`WebController+RedemptionBatch`), nil for other subjects.
        let batch: BatchSubjectView?
        /// What the application decides (`WebController+ApprovalSubjects`).
        let subject: ApprovalSubjects
        /// The listing under review as the catalogue will show it (one, or none for another type).
        let listingSubject: [ProductBody]
    }

    /// 详情: an application the viewer may see (else the 404 page, as the JSON route's 404), with
    /// 通过 / 驳回 when its current stage is the viewer's to decide, and 撤销 for its applicant.
    func approval(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let id = Self.approvalID(context) else { return errorPage(.badRequest, viewer: nil, reason: "申请编号格式不正确。") }
        return try await workbenchPage(request, .inbox) { viewer in
            let notice = WebForm.query(request)["done"].map(Self.decisionNotice) ?? ""
            return try await approvalPage(id: id, viewer: viewer, notice: notice)
        }
    }

    /// `POST /workbench/inbox/{id}` with `action` approve, reject (with `reason`) or withdraw: the
    /// session's CSRF token, then the JSON route's checks and decision; a refusal is shown next to
    /// the reason or above the buttons.
    func decideApproval(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let id = Self.approvalID(context) else { return errorPage(.badRequest, viewer: nil, reason: "申请编号格式不正确。") }
        return try await workbenchForm(request, .inbox) { viewer, form in
            let approvals = ApprovalsController(env: services.accounts, platform: services.platform)
            let action = form["action"] ?? ""
            let typed = form["reason"] ?? ""
            do {
                let (record, _) = try await approvals.visible(id: id, viewer.identity)
                switch action {
                case "approve", "reject":
                    let reason = try ApprovalsController.reason(typed, approve: action == "approve")
                    _ = try await approvals.decide(record, viewer.identity, approve: action == "approve", reason: reason)
                case "withdraw":
                    let actor = try await approvals.actor(viewer.identity)
                    _ = await approvals.ended(
                        try await services.accounts.approvals.withdraw(id: record.id, by: actor, now: services.accounts.clock.now()))
                default:
                    return errorPage(.badRequest, viewer: viewer, reason: "未知的操作。")
                }
                return redirect("/workbench/inbox/\(id)?done=\(action)")
            } catch {
                let problem = try await WebErrorMiddleware.refusal(for: error, request, context)
                if problem.status == .notFound { return errorPage(.notFound, viewer: viewer, reason: "没有这个申请。") }
                let message = Self.decisionMessage(problem.code)
                return try await approvalPage(
                    id: id, viewer: viewer, reason: typed, reasonError: message.field ? message.text : "",
                    formError: message.field ? "" : message.text, status: problem.status)
            }
        }
    }

    func approvalPage(
        id: String, viewer: WebViewer, notice: String = "", reason: String = "", reasonError: String = "", formError: String = "",
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let approvals = ApprovalsController(env: services.accounts, platform: services.platform)
        let found: (ApprovalRecord, [ApprovalDecisionRecord])
        do {
            found = try await approvals.visible(id: id, viewer.identity)
        } catch ApprovalsStoreError.notFound {
            return errorPage(.notFound, viewer: viewer, reason: "没有这个申请。")
        }
        let (record, decisions) = found
        let rows = decisions.map { decision in
            DecisionRow(
                role: WebLabels.roleName(decision.role), decider: decision.deciderName,
                decision: WebLabels.decision(decision.decision),
                reason: decision.reason ?? "", decidedAt: WebLabels.time(decision.decidedAt))
        }
        return pages.page(
            "approval",
            ApprovalView(
                chrome: chrome(
                    "申请详情", viewer: viewer, crumbs: [("工作台", "/workbench"), ("我的待办", "/workbench/inbox"), ("详情", "")], menu: .inbox),
                id: record.id, title: record.title, type: WebLabels.approvalType(record.type), status: WebLabels.approvalStatus(record.status),
                organisationName: record.organisationName, applicant: record.applicantName,
                stages: record.stageRoles.map(WebLabels.roleName).joined(separator: " → "),
                waitingFor: record.waitingForRole.map(WebLabels.roleName) ?? "", createdAt: WebLabels.time(record.createdAt),
                decisions: rows, hasDecisions: !rows.isEmpty, mayDecide: Self.mayDecide(record, viewer.identity),
                mayWithdraw: record.status == .pending && record.applicantUserID == viewer.identity.userID, reason: reason,
                reasonError: reasonError, formError: formError, notice: notice, batch: try await batchSubject(record),
                subject: try await approvalSubjects(record), listingSubject: try await listingSubject(record).map { [$0] } ?? []),
            status: status)
    }

    /// Whether the decision buttons are offered: the application waits for the viewer's role, and
    /// the role decides it (`ApprovalsController.decide` checks the same again when posted).
    static func mayDecide(_ record: ApprovalRecord, _ identity: Identity) -> Bool {
        guard record.waitingForRole == identity.role.rawValue else { return false }
        if ApprovalsController.deciderRoles.contains(identity.role) { return true }
        return ApprovalsController.confirmingRoles.contains(identity.role) && record.type == PaymentConfirmationEffect.type
            && record.orgID == identity.orgID
    }

    static func approvalID(_ context: AppRequestContext) -> String? {
        guard let id = context.parameters.get("id"), OpaqueID.isWellFormed(id, prefix: ApprovalsRepository.idPrefix) else { return nil }
        return id
    }

    static func decisionNotice(_ action: String) -> String {
        switch action {
        case "approve": "已审批通过。"
        case "reject": "已驳回。"
        case "withdraw": "申请已撤销。"
        default: ""
        }
    }

    /// The sentence for a decision's problem `code`; `field`: next to the reason.
    static func decisionMessage(_ code: String) -> (field: Bool, text: String) {
        switch code {
        case "reason_missing": (true, "驳回时请填写原因，申请人将据此修改。")
        case "reason_too_long": (true, "原因不能超过 \(AccountsLimits.reasonLengthMax) 个字。")
        case "role_forbidden", "not_your_stage": (false, "这个申请当前不由您审批。")
        case "application_closed": (false, "这个申请已处理完毕，不能再操作。")
        case "not_applicant": (false, "只有申请人可以撤销申请。")
        case "four_eyes_required": (false, "您已审批过该申请的上一环节，本环节须由其他人审批。")
        default: (false, "操作未能完成（\(code)）：申请可能已被处理，请刷新后查看。")
        }
    }
}
