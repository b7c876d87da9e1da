import Foundation
import Hummingbird
import PostgresStore
import Rush
import VoucherCore
import VoucherServices

/// 活动管理 (issue 17, Operator; guide §2.5): the operator's campaigns — list, create, edit a draft,
/// publish (上架), end, raise a lot's stock, decide a lot's applications (立即申请) — through the
/// same use cases as `/v1/campaigns` (`CampaignInput`, `CampaignPublisher`) and
/// `/v1/voucher-applications` (`VoucherApplicationsRepository`).
///
/// A campaign's page shows each lot's remaining stock and claims per second live while a rush
/// runs: the page renders the numbers (Redis, as the grab path keeps them), and
/// `Static/operator-campaign.js` polls `GET /workbench/campaigns/{id}/live` every second — the
/// campaign from `CampaignPageCache` (PostgreSQL at most once per `CampaignPageCache.freshness`),
/// the stock from Redis (`GrabGate.remaining`) — and computes the rate from two readings.
extension WebController {
    /// Lot rows of the create and edit forms (blank rows are left out).
    static let campaignFormLots = 3
    /// Pending applications read for one campaign's page (the newest across campaigns, then this one's).
    static let campaignApplicationsRead = 100

    struct OperatorCampaignRow {
        let name: String
        let startsAt: String
        let endsAt: String
        let status: String
        let lots: Int
        let href: String
    }

    struct OperatorCampaignsView {
        let chrome: WebChrome
        let campaigns: [OperatorCampaignRow]
        let empty: Bool
        let paging: WebPaging
    }

    /// 活动管理: every campaign (drafts too), newest first, 10 a page.
    func operatorCampaigns(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await workbenchPage(request, .campaigns) { viewer in
            let page = WebPaging.requested(WebForm.query(request))
            let (items, total) = try await services.campaigns.list(statuses: nil, page: page, pageSize: WebPaging.pageSize)
            let now = services.clock.now()
            let rows = items.map { campaign in
                OperatorCampaignRow(
                    name: campaign.name, startsAt: WebLabels.time(campaign.startsAt), endsAt: WebLabels.time(campaign.endsAt),
                    status: Self.operatorCampaignStatus(campaign, now: now), lots: campaign.lots.count,
                    href: "/workbench/campaigns/" + campaign.id)
            }
            return pages.page(
                "operator-campaigns",
                OperatorCampaignsView(
                    chrome: chrome("活动管理", viewer: viewer, crumbs: [("工作台", "/workbench"), ("活动管理", "")], menu: .campaigns),
                    campaigns: rows, empty: rows.isEmpty, paging: WebPaging(page: page, total: total, path: "/workbench/campaigns", filters: [])))
        }
    }

    static func operatorCampaignStatus(_ campaign: CampaignRecord, now: Date) -> String {
        campaign.status == .draft ? "草稿" : WebLabels.campaignStatus(campaign, now: now)
    }

    // MARK: Create and edit

    struct LotFormRow {
        let index: Int
        var kind = "diagnostic"
        var direction = ""
        var faceValue = ""
        var stock = ""
        var limit = "1"
        var mode = "grab"
        var validityDays = "180"

        /// What the form shows of this row: stored values only (the templates read stored properties).
        var view: LotFormView {
            LotFormView(
                index: index, number: index + 1, faceValue: faceValue, stock: stock, limit: limit, validityDays: validityDays,
                diagnostic: kind == "diagnostic",
                general: kind == "general", grab: mode != "apply", apply: mode == "apply",
                directions: [Choice(value: "", label: "（诊断券不选）", selected: direction.isEmpty)]
                    + VoucherDirection.allCases.map {
                        Choice(value: $0.rawValue, label: Self.directionLabel($0), selected: direction == $0.rawValue)
                    })
        }

        struct Choice {
            let value: String
            let label: String
            let selected: Bool
        }

        static func directionLabel(_ direction: VoucherDirection) -> String {
            switch direction {
            case .cloud: "上云用云"
            case .dtStandard: "数字化转型贯标"
            case .integrationStandard: "两化融合贯标"
            case .dcmm: "数据管理咨询评估"
            }
        }
    }

    struct LotFormView {
        let index: Int
        let number: Int
        let faceValue: String
        let stock: String
        let limit: String
        let validityDays: String
        let diagnostic: Bool
        let general: Bool
        let grab: Bool
        let apply: Bool
        let directions: [LotFormRow.Choice]
    }

    struct CampaignFormView {
        let chrome: WebChrome
        let heading: String
        let action: String
        let name: String
        let startsAt: String
        let endsAt: String
        let lots: [LotFormView]
        let formError: String
        let fieldError: String
    }

    func newCampaignPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await workbenchPage(request, .campaigns) { viewer in
            campaignForm(viewer, id: nil, name: "", startsAt: "", endsAt: "", lots: (0..<Self.campaignFormLots).map { LotFormRow(index: $0) })
        }
    }

    func campaignForm(
        _ viewer: WebViewer, id: String?, name: String, startsAt: String, endsAt: String, lots: [LotFormRow], error: String = "",
        status: HTTPResponse.Status = .ok
    ) -> Response {
        let heading = id == nil ? "新建活动" : "编辑活动"
        var crumbs = [("工作台", "/workbench"), ("活动管理", "/workbench/campaigns")]
        if let id { crumbs.append((name, "/workbench/campaigns/" + id)) }
        crumbs.append((heading, ""))
        return pages.page(
            "operator-campaign-form",
            CampaignFormView(
                chrome: chrome(heading, viewer: viewer, crumbs: crumbs, menu: .campaigns), heading: heading,
                action: id.map { "/workbench/campaigns/\($0)/edit" } ?? "/workbench/campaigns", name: name, startsAt: startsAt, endsAt: endsAt,
                lots: lots.map(\.view), formError: error, fieldError: error),
            status: status)
    }

    /// `POST /workbench/campaigns`: a new draft from the form, or the form again with the reason.
    func createCampaign(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await workbenchForm(request, .campaigns) { viewer, form in
            try await saveCampaign(request, context, viewer, form, id: nil)
        }
    }

    func editCampaignPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let id = Self.campaignID(context) else { return errorPage(.badRequest, viewer: nil, reason: "活动编号格式不正确。") }
        return try await workbenchPage(request, .campaigns) { viewer in
            guard let campaign = try await services.campaigns.campaign(id: id) else {
                return errorPage(.notFound, viewer: viewer, reason: "没有这个活动。")
            }
            guard campaign.status == .draft else { return redirect("/workbench/campaigns/\(id)?done=not_draft") }
            var lots = campaign.lots.enumerated().map { index, lot in
                LotFormRow(
                    index: index, kind: lot.kind.rawValue, direction: lot.direction?.rawValue ?? "",
                    faceValue: Money(fen: lot.faceValueFen).yuanText, stock: String(lot.stock), limit: String(lot.perEnterpriseLimit),
                    mode: lot.mode.rawValue, validityDays: String(lot.validityDays))
            }
            while lots.count < Self.campaignFormLots { lots.append(LotFormRow(index: lots.count)) }
            return campaignForm(
                viewer, id: id, name: campaign.name, startsAt: Self.localTime(campaign.startsAt), endsAt: Self.localTime(campaign.endsAt),
                lots: lots)
        }
    }

    func updateCampaign(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let id = Self.campaignID(context) else { return errorPage(.badRequest, viewer: nil, reason: "活动编号格式不正确。") }
        return try await workbenchForm(request, .campaigns) { viewer, form in
            try await saveCampaign(request, context, viewer, form, id: id)
        }
    }

    /// Reads the form into `CampaignInput` (the JSON body's rules), then creates or replaces the draft.
    private func saveCampaign(
        _ request: Request, _ context: AppRequestContext, _ viewer: WebViewer, _ form: WebForm, id: String?
    ) async throws -> Response {
        let name = form["name"] ?? ""
        let startsAt = form.text("startsAt") ?? ""
        let endsAt = form.text("endsAt") ?? ""
        var rows: [LotFormRow] = []
        var inputs: [CampaignInput.LotInput] = []
        var error = ""
        for index in 0..<Self.campaignFormLots {
            let prefix = "lot\(index)."
            var row = LotFormRow(index: index)
            row.kind = form["\(prefix)kind"] ?? "diagnostic"
            row.direction = form["\(prefix)direction"] ?? ""
            row.faceValue = form.text("\(prefix)faceValue") ?? ""
            row.stock = form.text("\(prefix)stock") ?? ""
            row.limit = form.text("\(prefix)limit") ?? "1"
            row.mode = form["\(prefix)mode"] ?? "grab"
            row.validityDays = form.text("\(prefix)validityDays") ?? ""
            rows.append(row)
            if row.faceValue.isEmpty && row.stock.isEmpty { continue }
            guard let money = try? Money.parse(row.faceValue) else {
                if error.isEmpty { error = "第 \(index + 1) 批：面额请填写金额（元，最多两位小数）。" }
                continue
            }
            guard let stock = Int(row.stock), let limit = Int(row.limit), let days = Int(row.validityDays) else {
                if error.isEmpty { error = "第 \(index + 1) 批：库存、每企业限领和有效天数须为整数。" }
                continue
            }
            inputs.append(
                CampaignInput.LotInput(
                    kind: row.kind, direction: row.kind == "general" ? row.direction : nil, faceValueFen: money.fen, stock: stock,
                    perEnterpriseLimit: limit, mode: row.mode, validityDays: days))
        }
        func again(_ message: String, _ status: HTTPResponse.Status) -> Response {
            campaignForm(viewer, id: id, name: name, startsAt: startsAt, endsAt: endsAt, lots: rows, error: message, status: status)
        }
        if !error.isEmpty { return again(error, .badRequest) }
        let input = CampaignInput(name: name, startsAt: Self.rfc3339(startsAt), endsAt: Self.rfc3339(endsAt), lots: inputs)
        do {
            let campaignID = id ?? OpaqueID.make(prefix: "cmp")
            let record = try input.record(id: campaignID) { _ in OpaqueID.make(prefix: "lot") }
            if id == nil {
                try await services.campaigns.create(record, createdBy: viewer.identity.userID)
            } else {
                try await services.publisher.replaceDraft(record)
            }
            return redirect("/workbench/campaigns/\(campaignID)?done=saved")
        } catch {
            let problem = try await WebErrorMiddleware.refusal(for: error, request, context)
            if problem.status == .notFound { return errorPage(.notFound, viewer: viewer, reason: "没有这个活动。") }
            return again(Self.campaignMessage(problem.code), problem.status)
        }
    }

    // MARK: One campaign

    struct OperatorLotRow {
        let id: String
        let kind: String
        let faceValue: String
        let mode: String
        let isGrab: Bool
        let stock: Int
        let remaining: String
        let issued: String
        let perEnterpriseLimit: Int
        let validityDays: Int
        let mayRestock: Bool
        let restockAction: String
    }

    struct ApplicationRow {
        let id: String
        let lot: String
        let organisationID: String
        /// The applicant organisation's name (its id when the name cannot be read).
        let organisation: String
        let status: String
        let reason: String
        let createdAt: String
        let pending: Bool
        let action: String
    }

    struct OperatorCampaignView {
        let chrome: WebChrome
        let id: String
        let name: String
        let startsAt: String
        let endsAt: String
        let status: String
        let lots: [OperatorLotRow]
        let isDraft: Bool
        let isPublished: Bool
        let live: Bool
        let readAt: String
        let readAtMs: Int64
        let notice: String
        let formError: String
        let applications: [ApplicationRow]
        let hasApplyLots: Bool
        let noApplications: Bool
    }

    /// A campaign's page: its lots with the remaining stock from Redis, the actions its status
    /// allows, and the applications of its apply lots.
    func operatorCampaign(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let id = Self.campaignID(context) else { return errorPage(.badRequest, viewer: nil, reason: "活动编号格式不正确。") }
        return try await workbenchPage(request, .campaigns) { viewer in
            let notice = WebForm.query(request)["done"].map(Self.campaignNotice) ?? ""
            return try await operatorCampaignPage(id: id, viewer: viewer, notice: notice)
        }
    }

    func operatorCampaignPage(
        id: String, viewer: WebViewer, notice: String = "", formError: String = "", status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        guard let campaign = try await services.campaigns.campaign(id: id) else {
            return errorPage(.notFound, viewer: viewer, reason: "没有这个活动。")
        }
        let remaining = await CampaignsController.remainingStock(campaign, gate: services.rush.gate)
        let now = services.clock.now()
        let lots = campaign.lots.map { lot in
            let left = remaining[lot.id]
            return OperatorLotRow(
                id: lot.id, kind: WebLabels.voucherKind(lot.kind.rawValue) + (lot.direction.map { "（\(LotFormRow.directionLabel($0))）" } ?? ""),
                faceValue: WebLabels.money(lot.faceValueFen), mode: lot.mode == .grab ? "抢券" : "申请", isGrab: lot.mode == .grab,
                stock: lot.stock, remaining: left.map(String.init) ?? "—", issued: left.map { String(max(0, Int64(lot.stock) - $0)) } ?? "—",
                perEnterpriseLimit: lot.perEnterpriseLimit, validityDays: lot.validityDays,
                mayRestock: campaign.status != .ended, restockAction: "/workbench/campaigns/\(id)/lots/\(lot.id)/stock")
        }
        let applyLots = Dictionary(
            uniqueKeysWithValues: campaign.lots.enumerated().filter { $0.element.mode == .apply }.map { ($0.element.id, $0.offset) })
        var applications: [ApplicationRow] = []
        if !applyLots.isEmpty {
            let listed = try await services.applications.list(orgID: nil, status: nil, page: 1, pageSize: Self.campaignApplicationsRead)
            let mine = listed.items.filter { $0.campaignID == id }
            let names = try await services.accounts.accounts.organisationNames(ids: Set(mine.map(\.orgID)))
            applications = mine.map { record in
                ApplicationRow(
                    id: record.id, lot: "第 \((applyLots[record.lotID] ?? 0) + 1) 批", organisationID: record.orgID,
                    organisation: names[record.orgID] ?? record.orgID,
                    status: WebLabels.approvalStatus(record.status), reason: record.reason ?? "", createdAt: WebLabels.time(record.createdAt),
                    pending: record.status == .pending, action: "/workbench/campaigns/\(id)/applications/\(record.id)")
            }
        }
        return pages.page(
            "operator-campaign",
            OperatorCampaignView(
                chrome: chrome(
                    campaign.name, viewer: viewer, crumbs: [("工作台", "/workbench"), ("活动管理", "/workbench/campaigns"), (campaign.name, "")],
                    menu: .campaigns),
                id: id, name: campaign.name, startsAt: WebLabels.time(campaign.startsAt), endsAt: WebLabels.time(campaign.endsAt),
                status: Self.operatorCampaignStatus(campaign, now: now), lots: lots, isDraft: campaign.status == .draft,
                isPublished: campaign.status == .published, live: campaign.status == .published, readAt: WebLabels.time(now),
                readAtMs: Self.unixMs(now), notice: notice, formError: formError, applications: applications,
                hasApplyLots: !applyLots.isEmpty, noApplications: applications.isEmpty),
            status: status)
    }

    /// `GET /workbench/campaigns/{id}/live`: each lot's remaining stock now, from Redis (the
    /// campaign's lots from `CampaignPageCache`), with the server's clock of the reading, so the
    /// page's script computes claims per second from two readings.
    func operatorCampaignLive(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let id = Self.campaignID(context) else { return Self.json(.badRequest, ["code": "campaign_id_invalid"]) }
        return try await workbenchPage(request, .campaigns) { _ in
            guard let campaign = try await services.rush.pages.campaign(id: id) else { return Self.json(.notFound, ["code": "campaign_not_found"]) }
            let remaining = await CampaignsController.remainingStock(campaign, gate: services.rush.gate)
            let reading = LiveReading(
                atMs: Self.unixMs(services.clock.now()),
                lots: campaign.lots.map { LiveReading.Lot(id: $0.id, stock: $0.stock, remaining: remaining[$0.id]) })
            return Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(bytes: try JSONEncoder().encode(reading))))
        }
    }

    struct LiveReading: Encodable {
        struct Lot: Encodable {
            let id: String
            let stock: Int
            /// Absent when Redis cannot say (or for an apply lot).
            let remaining: Int64?
        }

        let atMs: Int64
        let lots: [Lot]
    }

    // MARK: Actions

    /// `POST /workbench/campaigns/{id}/publish` and `/end`.
    func campaignTransition(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let id = Self.campaignID(context) else { return errorPage(.badRequest, viewer: nil, reason: "活动编号格式不正确。") }
        let publish = request.uri.path.hasSuffix("/publish")
        return try await campaignAction(request, context, id: id) { _, _ in
            _ = publish ? try await services.publisher.publish(campaignID: id) : try await services.publisher.end(campaignID: id)
            return publish ? "published" : "ended"
        }
    }

    /// `POST /workbench/campaigns/{id}/lots/{lot}/stock` with `stock`: the JSON PATCH's rule.
    func campaignRestock(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let id = Self.campaignID(context), let lot = context.parameters.get("lot"), OpaqueID.isWellFormed(lot, prefix: "lot") else {
            return errorPage(.badRequest, viewer: nil, reason: "活动或批次编号格式不正确。")
        }
        return try await campaignAction(request, context, id: id) { _, form in
            guard let stock = form.text("stock").flatMap({ Int($0) }), (0...CampaignInput.Limits.stockMax).contains(stock) else {
                throw CampaignRequestError.input(code: "lot_stock_invalid", detail: "stock must be from 0 to \(CampaignInput.Limits.stockMax).")
            }
            _ = try await services.publisher.restock(campaignID: id, lotID: lot, stock: stock)
            return "restocked"
        }
    }

    /// `POST /workbench/campaigns/{id}/applications/{application}` with `action` approve or reject (`reason`).
    func campaignApplication(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let id = Self.campaignID(context), let application = context.parameters.get("application"),
            OpaqueID.isWellFormed(application, prefix: "vap")
        else { return errorPage(.badRequest, viewer: nil, reason: "申请编号格式不正确。") }
        return try await campaignAction(request, context, id: id) { viewer, form in
            guard let record = try await services.applications.application(id: application), record.campaignID == id else {
                throw VoucherApplicationError.notFound
            }
            if form["action"] == "approve" {
                _ = try await services.applications.approve(
                    id: application, voucherID: OpaqueID.make(prefix: "vch"), decidedBy: viewer.identity.userID)
                return "approved"
            }
            let reason = (form["reason"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !reason.isEmpty, reason.count <= VoucherApplicationsController.reasonLengthMax else {
                throw CampaignRequestError.reasonMissing(lengthMax: VoucherApplicationsController.reasonLengthMax)
            }
            _ = try await services.applications.reject(id: application, reason: reason, decidedBy: viewer.identity.userID)
            return "rejected"
        }
    }

    /// A campaign action: the session and CSRF token, then `act`; done, back to the campaign's page
    /// with what happened; refused, the page again with the reason above the lots.
    private func campaignAction(
        _ request: Request, _ context: AppRequestContext, id: String, act: (WebViewer, WebForm) async throws -> String
    ) async throws -> Response {
        try await workbenchForm(request, .campaigns) { viewer, form in
            do {
                let done = try await act(viewer, form)
                return redirect("/workbench/campaigns/\(id)?done=\(done)")
            } catch {
                let problem = try await WebErrorMiddleware.refusal(for: error, request, context)
                if problem.code == "campaign_not_found" || problem.code == "application_not_found" {
                    return errorPage(.notFound, viewer: viewer, reason: "没有这个活动或申请。")
                }
                return try await operatorCampaignPage(id: id, viewer: viewer, formError: Self.campaignMessage(problem.code), status: problem.status)
            }
        }
    }

    static func campaignID(_ context: AppRequestContext) -> String? {
        guard let id = context.parameters.get("id"), OpaqueID.isWellFormed(id, prefix: "cmp") else { return nil }
        return id
    }

    /// `2026-12-01T10:00` (a datetime-local field, China Standard Time) as RFC 3339; anything else
    /// is passed on for `CampaignInput` to refuse with `time_invalid`.
    static func rfc3339(_ local: String) -> String {
        local.utf8.count == 16 ? local + ":00+08:00" : local
    }

    /// A time as a datetime-local field's value in China Standard Time.
    static func localTime(_ date: Date) -> String {
        let text = WebLabels.time(date)  // 2026-12-01 10:00:00
        return String(text.prefix(16)).replacingOccurrences(of: " ", with: "T")
    }

    static func campaignNotice(_ done: String) -> String {
        switch done {
        case "saved": "活动已保存（草稿）。"
        case "published": "活动已上架，抢券批次已载入。"
        case "ended": "活动已结束。"
        case "restocked": "库存已更新。"
        case "approved": "申请已通过，服务券已发放。"
        case "rejected": "申请已驳回。"
        case "not_draft": "只有草稿状态的活动可以编辑。"
        default: ""
        }
    }

    /// The sentence for a refused campaign action's problem `code`.
    static func campaignMessage(_ code: String) -> String {
        switch code {
        case "campaign_name_invalid": "活动名称须为 1–\(CampaignInput.Limits.nameLengthMax) 个字。"
        case "time_invalid": "请填写开始时间和结束时间。"
        case "window_invalid": "结束时间须晚于开始时间。"
        case "lots_invalid": "请至少填写一个批次（面额和库存），最多 \(CampaignInput.Limits.lotsMax) 个。"
        case "lot_kind_invalid": "请选择服务券类型。"
        case "lot_direction_invalid": "通用服务券须选择方向；诊断服务券不选方向。"
        case "lot_face_value_invalid": "面额须大于 0。"
        case "lot_stock_invalid": "库存须为 0–\(CampaignInput.Limits.stockMax) 的整数。"
        case "lot_limit_invalid": "每企业限领须为 1–\(CampaignInput.Limits.perEnterpriseLimitMax)。"
        case "lot_mode_invalid": "请选择发放方式（抢券或申请）。"
        case "lot_validity_invalid": "有效天数须为 1–\(CampaignInput.Limits.validityDaysMax)。"
        case "campaign_not_draft": "只有草稿状态的活动可以编辑或上架。"
        case "campaign_not_published": "只有已上架的活动可以结束。"
        case "campaign_ended": "活动已结束，不能再修改。"
        case "stock_below_issued": "库存不能低于已发放的数量。"
        case "reason_missing": "驳回时请填写原因（不超过 \(VoucherApplicationsController.reasonLengthMax) 个字）。"
        case "application_decided": "该申请已处理。"
        case "limit_reached": "该企业已达到本批次的限领数量，请驳回并说明原因。"
        case "sold_out": "本批次已无库存，请驳回并说明原因，或先增加库存。"
        default: "操作未能完成（\(code)），请刷新后重试。"
        }
    }
}
