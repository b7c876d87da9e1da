import Foundation
import Hummingbird
import PostgresStore
import VoucherCore
import VoucherServices

/// One redemption batch (SPEC §5) for its provider and the platform roles (operator, auditor,
/// finance — as `GET /v1/redemption/batches/{id}`; another provider's batch is the 404 page): its
/// progress through the chain (each step, who, when, the reason), the transfer beside it once
/// recorded, its usages and materials; the provider's 支付确认 (payer name, account and amount
/// compared with the recorded transfer, `RedemptionRepository.confirm`) or 提出异议 (reason
/// required); the operator's 登记转账 and 驳回. 兑付转账 (`/workbench/transfers`) lists the
/// batches waiting for the operator. On an approval's page, `batchSubject` shows the batch.
extension WebController {
    struct StepRow {
        let step: String
        let actor: String
        let result: String
        let time: String
        let reason: String
    }

    struct FileLink {
        let label: String
        let href: String
    }

    struct TransferFacts {
        let amount: String
        let payerName: String
        let payerAccount: String
        let date: String
        let bankSerial: String
    }

    /// The provider's 支付确认 and the operator's 登记转账 fields, as typed, and their errors.
    struct BatchFormState {
        var payerName = ""
        var payerAccount = ""
        var amount = ""
        var date = ""
        var bankSerial = ""
        var reason = ""
        var confirmError = ""
        var transferError = ""
        var amountError = ""
        var reasonError = ""
        var formError = ""
        /// Which form the reason belongs to: `dispute` (provider) or `reject` (operator).
        var reasonFor = ""
    }

    struct BatchView {
        let chrome: WebChrome
        let id: String
        let reference: String
        let kind: String
        let organisationName: String
        let total: String
        let payeeName: String
        let payeeNumber: String
        let state: String
        let stateCode: String
        let createdAt: String
        let general: Bool
        let enterpriseName: String
        let orderID: String
        let direction: String
        let rejectionReason: String
        let disputeReason: String
        let steps: [StepRow]
        let transfer: TransferFacts?
        let usages: [UsageRow]
        let hasUsages: Bool
        let files: [FileLink]
        let notice: String
        let mayConfirm: Bool
        let mayTransfer: Bool
        let mayReject: Bool
        let form: BatchFormState
        let disputeReasonError: String
        let rejectReasonError: String
        let approvalHref: String
    }

    static let batchNotices = [
        "filed": "兑换申请已提交，等待第三方机构审核；可在“我的待办 › 我的申请”中查看流程进度。",
        "confirmed": "已确认收款，服务券兑换完成。", "disputed": "已提出异议，等待平台重新登记转账或处理。",
        "transferred": "转账已登记，等待服务商支付确认。", "rejected": "批次已驳回，服务券退回待兑换。",
    ]

    /// Who may open a batch page and how it is scoped: the provider (menu `redemption`) its own;
    /// operator, auditor and finance every batch; anyone else the 403 page.
    func batchAccess(
        _ request: Request, _ body: (WebViewer, BatchViewer) async throws -> Response
    ) async throws -> Response {
        guard let viewer = try await sessions.viewer(request) else {
            return try await workbenchPage(request, .redemption) { _ in errorPage(.forbidden, viewer: nil) }
        }
        switch viewer.identity.role {
        case .operator, .auditor, .finance: return try await body(viewer, .platform)
        default: return try await workbenchPage(request, .redemption) { viewer in try await body(viewer, .provider(orgID: viewer.identity.orgID)) }
        }
    }

    static func batchMenu(_ viewer: WebViewer) -> WebMenu {
        switch viewer.identity.role {
        case .provider: .redemption
        case .operator: .transfers
        default: .inbox
        }
    }

    func batchPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        if let page = malformedPathID(context, "id", prefix: RedemptionRepository.idPrefix, reason: "批次编号格式不正确。") { return page }
        return try await batchAccess(request) { viewer, scope in
            let notice = WebForm.query(request)["done"].flatMap { Self.batchNotices[$0] } ?? ""
            return try await batchDetail(id: context.parameters.get("id") ?? "", viewer: viewer, scope: scope, notice: notice)
        }
    }

    func batchDetail(
        id: String, viewer: WebViewer, scope: BatchViewer, notice: String = "", form: BatchFormState = BatchFormState(),
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        guard let batch = try await services.redemption.redemption.batch(id: id, viewer: scope) else {
            return errorPage(.notFound, viewer: viewer, reason: "没有这个兑付批次。")
        }
        let found = try await services.accounts.approvals.application(id: batch.approvalID)
        var usages: [UsageRecord] = []
        if let (record, _) = found, case .redemptionBatch(let snapshot) = try await services.platform.subjects.snapshot(of: record) {
            usages = snapshot.usages
        }
        let role = viewer.identity.role
        var form = form
        if form.amount.isEmpty, role == .operator { form.amount = Self.yuan(batch.totalFen) }
        let rows = usages.map { Self.usageRow($0) }
        let allows = { (event: BatchEvent) in (try? batch.state.after(event)) != nil }
        let isPlatform = scope == .platform
        return pages.page(
            "redemption",
            BatchView(
                chrome: chrome(
                    "兑付批次详情", viewer: viewer,
                    crumbs: role == .provider
                        ? [("工作台", "/workbench"), ("兑付批次", "/workbench/redemption"), (batch.reference, "")]
                        : [("工作台", "/workbench"), ("兑付转账", role == .operator ? "/workbench/transfers" : ""), (batch.reference, "")],
                    menu: Self.batchMenu(viewer)),
                id: batch.id, reference: batch.reference, kind: WebLabels.batchKind(batch.kind), organisationName: found?.0.organisationName ?? "",
                total: WebLabels.money(batch.totalFen), payeeName: batch.payeeName, payeeNumber: batch.payeeNumber,
                state: WebLabels.batchState(batch.state), stateCode: batch.state.rawValue, createdAt: WebLabels.time(batch.createdAt),
                general: batch.kind == "general", enterpriseName: batch.enterpriseName ?? "", orderID: batch.orderID ?? "",
                direction: batch.direction.map(WebLabels.direction) ?? "", rejectionReason: batch.rejectionReason ?? "",
                disputeReason: batch.disputeReason ?? "", steps: Self.steps(batch, approval: found), transfer: Self.transferFacts(batch),
                usages: rows, hasUsages: !rows.isEmpty, files: Self.fileLinks(batch), notice: notice,
                mayConfirm: role == .provider && allows(.confirm), mayTransfer: role == .operator && isPlatform && allows(.recordTransfer),
                mayReject: role == .operator && isPlatform && allows(.reject), form: form,
                disputeReasonError: form.reasonFor == "dispute" ? form.reasonError : "",
                rejectReasonError: form.reasonFor == "reject" ? form.reasonError : "",
                approvalHref: found.map { "/workbench/inbox/" + $0.0.id } ?? ""),
            status: status)
    }

    /// 流程进度: filed, each stage of the approval chain (who decided, when, why), the transfer,
    /// and the provider's confirmation or dispute.
    static func steps(_ batch: BatchRecord, approval: (ApprovalRecord, [ApprovalDecisionRecord])?) -> [StepRow] {
        var rows: [StepRow] = []
        guard let (record, decisions) = approval else { return rows }
        rows.append(StepRow(step: "提交兑换申请", actor: record.applicantName, result: "已提交", time: WebLabels.time(record.createdAt), reason: ""))
        let names = batch.kind == "general" ? ["运营审批"] : ["第三方机构审核", "结算审批", "支付审批"]
        for (stage, role) in record.stageRoles.enumerated() {
            let name = names.indices.contains(stage) ? names[stage] : WebLabels.roleName(role)
            if let decision = decisions.last(where: { $0.stage == stage }) {
                rows.append(
                    StepRow(
                        step: name, actor: decision.deciderName, result: WebLabels.decision(decision.decision),
                        time: WebLabels.time(decision.decidedAt), reason: decision.reason ?? ""))
            } else {
                let waiting = record.status == .pending && record.currentStage == stage
                rows.append(StepRow(step: name, actor: WebLabels.roleName(role), result: waiting ? "待审批" : "—", time: "", reason: ""))
            }
        }
        let transfer = batch.state == .awaitingTransfer ? "待转账" : batch.transfer == nil ? "—" : "已转账"
        rows.append(
            StepRow(
                step: "线下转账", actor: batch.transfer?.payerName ?? "平台运营", result: transfer,
                time: batch.transfer.map { $0.date } ?? "", reason: batch.transfer.map { "银行流水号 " + $0.bankSerial } ?? ""))
        let confirmation: String =
            switch batch.state {
            case .redeemed: "已确认收款"
            case .disputed: "有异议"
            case .awaitingConfirmation: "待支付确认"
            default: "—"
            }
        let confirmedAt = batch.state == .redeemed || batch.state == .disputed ? WebLabels.time(batch.updatedAt) : ""
        rows.append(
            StepRow(
                step: "支付确认", actor: batch.payeeName, result: confirmation, time: confirmedAt,
                reason: batch.state == .disputed ? batch.disputeReason ?? "" : ""))
        if batch.state == .rejected, let reason = batch.rejectionReason, !decisions.contains(where: { $0.decision == .rejected }) {
            rows.append(StepRow(step: "批次驳回", actor: "平台运营", result: "驳回", time: WebLabels.time(batch.updatedAt), reason: reason))
        }
        return rows
    }

    static func transferFacts(_ batch: BatchRecord) -> TransferFacts? {
        batch.transfer.map {
            TransferFacts(
                amount: WebLabels.money($0.amountFen), payerName: $0.payerName, payerAccount: $0.payerAccount, date: $0.date,
                bankSerial: $0.bankSerial)
        }
    }

    /// The batch's archive (diagnostic) or materials (general), downloaded through the batch pages.
    static func fileLinks(_ batch: BatchRecord) -> [FileLink] {
        if batch.materialSHA256 != nil {
            return [FileLink(label: "兑换材料压缩包（\(batch.reference)）", href: "/workbench/redemption/\(batch.id)/materials")]
        }
        return batch.files.indices.map { FileLink(label: "材料 \($0 + 1)", href: "/workbench/redemption/\(batch.id)/files/\($0)") }
    }

    /// Fen as the yuan text a form field takes back (`35000.00`).
    static func yuan(_ fen: Int64) -> String { Money(fen: fen).yuanText }

    func batchMaterials(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        if let page = malformedPathID(context, "id", prefix: RedemptionRepository.idPrefix, reason: "批次编号格式不正确。") { return page }
        return try await batchAccess(request) { viewer, scope in
            guard let batch = try await services.redemption.redemption.batch(id: context.parameters.get("id") ?? "", viewer: scope),
                let sha = batch.materialSHA256, let media = batch.materialMediaType
            else { return errorPage(.notFound, viewer: viewer, reason: "没有这个兑付批次的材料。") }
            return try await download(sha: sha, mediaType: media, name: "\(batch.reference).\(media == "application/zip" ? "zip" : "rar")", viewer)
        }
    }

    func batchFile(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        if let page = malformedPathID(context, "id", prefix: RedemptionRepository.idPrefix, reason: "批次编号格式不正确。") { return page }
        return try await batchAccess(request) { viewer, scope in
            guard let batch = try await services.redemption.redemption.batch(id: context.parameters.get("id") ?? "", viewer: scope),
                let position = context.parameters.get("position").flatMap({ Int($0) }), batch.files.indices.contains(position)
            else { return errorPage(.notFound, viewer: viewer, reason: "没有这个材料。") }
            let file = batch.files[position]
            return try await download(sha: file.sha256, mediaType: file.mediaType, name: "\(batch.reference)-\(position + 1)", viewer)
        }
    }

    private func download(sha: String, mediaType: String, name: String, _ viewer: WebViewer) async throws -> Response {
        guard let bytes = try await services.redemption.files.read(sha256: sha) else {
            return errorPage(.notFound, viewer: viewer, reason: "材料文件不存在。")
        }
        return Response(
            status: .ok, headers: [.contentType: mediaType, .contentDisposition: "attachment; filename=\"\(name)\""],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// A form of the batch page: the CSRF token, then `action` for the viewer and scope; a refusal
    /// shows the batch page again with the sentence next to its field (another's batch: 404 page).
    private func batchForm(
        _ request: Request, _ context: AppRequestContext, role: Role, done: String,
        _ action: (String, WebViewer, WebForm, inout BatchFormState) async throws -> Void
    ) async throws -> Response {
        if let page = malformedPathID(context, "id", prefix: RedemptionRepository.idPrefix, reason: "批次编号格式不正确。") { return page }
        let id = context.parameters.get("id") ?? ""
        let menu: WebMenu = role == .provider ? .redemption : .transfers
        return try await workbenchForm(request, menu) { viewer, form in
            let scope: BatchViewer = role == .provider ? .provider(orgID: viewer.identity.orgID) : .platform
            var state = BatchFormState()
            do {
                try await action(id, viewer, form, &state)
                return redirect("/workbench/redemption/\(id)?done=\(done)")
            } catch is WebAmountRefusal {
                return try await batchDetail(id: id, viewer: viewer, scope: scope, form: state, status: .badRequest)
            } catch {
                let problem = try await WebErrorMiddleware.refusal(for: error, request, context)
                if problem.status == .notFound { return errorPage(.notFound, viewer: viewer, reason: "没有这个兑付批次。") }
                let message = WebRedemptionErrors.message(problem)
                switch message.field {
                case "confirm": state.confirmError = message.text
                case "transfer": state.transferError = message.text
                case "reason": state.reasonError = message.text
                default: state.formError = message.text
                }
                return try await batchDetail(id: id, viewer: viewer, scope: scope, form: state, status: problem.status)
            }
        }
    }

    /// 支付确认: `POST /v1/redemption/batches/{id}/confirm`'s use case.
    func confirmBatchForm(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await batchForm(request, context, role: .provider, done: "confirmed") { id, viewer, form, state in
            state.payerName = form.text("payerName") ?? ""
            state.payerAccount = form.text("payerAccount") ?? ""
            state.amount = form.text("amount") ?? ""
            let amount = try Self.amountFen(state.amount, into: &state)
            _ = try await services.redemption.redemption.confirm(
                id: id, orgID: viewer.identity.orgID, userID: viewer.identity.userID, payerName: state.payerName,
                payerAccount: state.payerAccount, amountFen: amount, now: services.clock.now())
        }
    }

    /// 提出异议: `POST /v1/redemption/batches/{id}/dispute`'s use case (reason required).
    func disputeBatchForm(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await batchForm(request, context, role: .provider, done: "disputed") { id, viewer, form, state in
            state.reason = form["reason"] ?? ""
            state.reasonFor = "dispute"
            _ = try await services.redemption.redemption.dispute(
                id: id, orgID: viewer.identity.orgID, userID: viewer.identity.userID, reason: state.reason, now: services.clock.now())
        }
    }

    /// 登记转账: `POST /v1/redemption/batches/{id}/transfer`'s use case (operators).
    func transferBatchForm(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await batchForm(request, context, role: .operator, done: "transferred") { id, viewer, form, state in
            guard viewer.identity.role == .operator else { throw RedemptionError.batchNotFound }
            state.amount = form.text("amount") ?? ""
            state.payerName = form.text("payerName") ?? ""
            state.payerAccount = form.text("payerAccount") ?? ""
            state.date = form.text("date") ?? ""
            state.bankSerial = form.text("bankSerial") ?? ""
            let amount = try Self.amountFen(state.amount, into: &state)
            _ = try await services.redemption.redemption.recordTransfer(
                id: id,
                transfer: TransferRecord(
                    amountFen: amount, payerName: state.payerName, payerAccount: state.payerAccount, date: state.date, bankSerial: state.bankSerial),
                recordedBy: viewer.identity.userID, now: services.clock.now())
        }
    }

    /// 驳回 after the chain: `POST /v1/redemption/batches/{id}/reject`'s use case (operators).
    func rejectBatchForm(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await batchForm(request, context, role: .operator, done: "rejected") { id, viewer, form, state in
            guard viewer.identity.role == .operator else { throw RedemptionError.batchNotFound }
            state.reason = form["reason"] ?? ""
            state.reasonFor = "reject"
            _ = try await services.redemption.redemption.reject(id: id, reason: state.reason, now: services.clock.now())
            await services.redemption.cleanup.batchEnded(id)
        }
    }

    /// A typed yuan amount in fen; a malformed one is refused next to the amount field.
    static func amountFen(_ text: String, into state: inout BatchFormState) throws -> Int64 {
        do {
            return try Money.parse(text).fen
        } catch {
            state.amountError = "请输入金额（元），最多两位小数，例如 15000.00。"
            throw WebAmountRefusal()
        }
    }

    struct TransfersView {
        let chrome: WebChrome
        let tabs: [Tab]
        let rows: [BatchRow]
        let empty: Bool
        let paging: WebPaging
    }

    /// 兑付转账 tabs: the states an operator works through, in order.
    static let transferTabs: [(BatchState, String)] = [
        (.awaitingTransfer, "待转账"), (.disputed, "有异议"), (.awaitingConfirmation, "待支付确认"), (.redeemed, "已兑付"),
    ]

    /// 兑付转账 (operators): the approved batches awaiting the transfer (and the other tabs), each
    /// linking to its page with the 登记转账 form.
    func transfersPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await workbenchPage(request, .transfers) { viewer in
            let query = WebForm.query(request)
            let page = WebPaging.requested(query)
            let state = query["state"].flatMap(BatchState.init(rawValue:)) ?? .awaitingTransfer
            let result = try await services.redemption.redemption.batches(viewer: .platform, state: state, page: page, pageSize: WebPaging.pageSize)
            return pages.page(
                "transfers",
                TransfersView(
                    chrome: chrome("兑付转账", viewer: viewer, crumbs: [("工作台", "/workbench"), ("兑付转账", "")], menu: .transfers),
                    tabs: Self.transferTabs.map { Tab(label: $0.1, href: "/workbench/transfers?state=" + $0.0.rawValue, current: $0.0 == state) },
                    rows: result.items.map(Self.batchRow), empty: result.items.isEmpty,
                    paging: WebPaging(page: page, total: result.total, path: "/workbench/transfers", filters: [("state", state.rawValue)])))
        }
    }

    struct BatchSubjectView {
        let reference: String
        let kind: String
        let total: String
        let payeeName: String
        let payeeNumber: String
        let state: String
        let general: Bool
        let enterpriseName: String
        let orderID: String
        let direction: String
        let usages: [UsageRow]
        let hasUsages: Bool
        let files: [FileLink]
        let transfer: TransferFacts?
        let href: String
    }

    /// An approval's subject when it is a redemption batch (诊断券兑付, 通用券兑付, 支付确认): the
    /// batch, its usages and totals, the payee account and the materials' download links; nil for
    /// other subjects. The approval page shows it to whoever may see the application.
    func batchSubject(_ record: ApprovalRecord) async throws -> BatchSubjectView? {
        guard case .redemptionBatch = ApprovalSubject(approvalType: record.type),
            case .redemptionBatch(let snapshot) = try await services.platform.subjects.snapshot(of: record)
        else { return nil }
        let batch = snapshot.batch
        let usages = snapshot.usages.map { Self.usageRow($0) }
        return BatchSubjectView(
            reference: batch.reference, kind: WebLabels.batchKind(batch.kind), total: WebLabels.money(batch.totalFen), payeeName: batch.payeeName,
            payeeNumber: batch.payeeNumber, state: WebLabels.batchState(batch.state), general: batch.kind == "general",
            enterpriseName: batch.enterpriseName ?? "", orderID: batch.orderID ?? "", direction: batch.direction.map(WebLabels.direction) ?? "",
            usages: usages, hasUsages: !usages.isEmpty, files: Self.fileLinks(batch), transfer: Self.transferFacts(batch),
            href: "/workbench/redemption/" + batch.id)
    }
}

/// A typed amount that is not yuan with at most two decimals: the page shows it next to the field.
struct WebAmountRefusal: Error {}
