import Foundation
import Hummingbird
import PostgresStore
import VoucherCore
import VoucherServices

/// 服务券管理 › 诊断服务券-兑付申请 (guide §1.4.7.1; SPEC §5): the provider ticks pending usages
/// (the total shown as it ticks with `redeem.js`, and by the server after 发起兑换 without it),
/// uploads the materials archive (multipart, `WebMultipartForm`) and picks a payee account; 确定
/// files the batch through `RedemptionRepository.submit`, the JSON route's use case, with the same
/// checks (certification, archive by content ≤ 10 MB, the organisation's storage bound). The
/// batches list (`/workbench/redemption`) and each batch's page follow; 通用服务券-兑付申请 is
/// `/workbench/redemption/general`. Menus `redemption` and `generalRedemption`, providers only.
extension WebController {
    struct UsageRow {
        let id: String
        let voucherName: String
        let voucherID: String
        let amount: String
        let amountFen: Int64
        let enterprise: String
        let productName: String
        let orderID: String
        let state: String
        let usedAt: String
        let checked: Bool
    }

    struct PayeeOption {
        let id: String
        let label: String
        let selected: Bool
    }

    struct NewBatchView {
        let chrome: WebChrome
        let q: String
        let rows: [UsageRow]
        let empty: Bool
        let more: Bool
        let selectedCount: Int
        let selectedTotal: String
        let hasSelection: Bool
        let selectedIDs: String
        let payees: [PayeeOption]
        let hasPayees: Bool
        let idempotencyKey: String
        let usagesError: String
        let payeeError: String
        let materialsError: String
        let formError: String
    }

    /// What the 发起兑换 form shows after a refusal: the selection and the errors by field.
    struct NewBatchState {
        var selected: [String] = []
        var payeeID = ""
        var usagesError = ""
        var payeeError = ""
        var materialsError = ""
        var formError = ""
    }

    /// Pending usages one page lists for ticking (the JSON list's page bound).
    static let redeemableRowsMax = 100

    /// 诊断服务券-兑付申请: the pending usages to tick (`u`, repeated, in the query after 发起兑换),
    /// and with a selection, the total and the form that files it.
    func newBatchPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await workbenchPage(request, .redemption) { viewer in
            let query = WebForm.query(request)
            let selected = Self.queryValues(request, "u")
            return try await newBatchForm(viewer: viewer, q: query.text("q") ?? "", state: NewBatchState(selected: selected))
        }
    }

    private func newBatchForm(viewer: WebViewer, q: String, state: NewBatchState, status: HTTPResponse.Status = .ok) async throws -> Response {
        let text = String(q.prefix(AccountsLimits.filterTextLengthMax))
        let result = try await services.orders.orders.usages(
            providerOrgID: viewer.identity.orgID, state: "pending_redemption", query: text.isEmpty ? nil : text, page: 1,
            pageSize: Self.redeemableRowsMax)
        let chosen = Set(state.selected)
        var total = Money.zero
        var count = 0
        var rows: [UsageRow] = []
        for usage in result.items {
            let checked = chosen.contains(usage.id)
            if checked {
                total = try total.adding(Money(fen: usage.amountFen))
                count += 1
            }
            rows.append(Self.usageRow(usage, checked: checked))
        }
        let payees = try await activePayees(viewer).map { PayeeOption(id: $0.id, label: $0.label, selected: $0.id == state.payeeID) }
        let ids = rows.filter(\.checked).map(\.id)
        return pages.page(
            "redemption-new",
            NewBatchView(
                chrome: chrome(
                    "诊断服务券-兑付申请", viewer: viewer,
                    crumbs: [("工作台", "/workbench"), ("服务券管理", "/workbench/redemption"), ("诊断服务券-兑付申请", "")], menu: .redemption),
                q: text, rows: rows, empty: rows.isEmpty, more: result.total > rows.count, selectedCount: count,
                selectedTotal: WebLabels.money(total.fen), hasSelection: count > 0, selectedIDs: ids.joined(separator: ","), payees: payees,
                hasPayees: !payees.isEmpty, idempotencyKey: Secrets.randomToken(byteCount: 16), usagesError: state.usagesError,
                payeeError: state.payeeError, materialsError: state.materialsError, formError: state.formError),
            status: status)
    }

    static func usageRow(_ usage: UsageRecord, checked: Bool = false) -> UsageRow {
        UsageRow(
            id: usage.id, voucherName: usage.voucherName, voucherID: usage.voucherID, amount: WebLabels.money(usage.amountFen),
            amountFen: usage.amountFen, enterprise: usage.enterpriseName, productName: usage.productName, orderID: usage.orderID,
            state: WebLabels.usageState(usage.state), usedAt: WebLabels.time(usage.usedAt), checked: checked)
    }

    /// The organisation's active payee accounts, for a batch's 收款方账号.
    func activePayees(_ viewer: WebViewer) async throws -> [(id: String, label: String)] {
        let result = try await services.redemption.payees.list(orgID: viewer.identity.orgID, page: 1, pageSize: RedemptionLimits.payeeAccountsMax * 5)
        return result.items.filter(\.active).map { ($0.id, "\(WebLabels.bank($0.bank)) \($0.accountName) \($0.accountNumber)") }
    }

    /// Every value of `name` in the request's query (`u=a&u=b`), decoded; at most the batch bound.
    static func queryValues(_ request: Request, _ name: String) -> [String] {
        var values: [String] = []
        for pair in (request.uri.query ?? "").split(separator: "&").prefix(RedemptionLimits.usagesPerBatchMax + WebForm.fieldsMax) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0] == Substring(name),
                let value = String(parts[1]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding, !value.isEmpty
            else { continue }
            values.append(value)
        }
        return values
    }

    /// The body bound of the 发起兑换 form: one archive and the form's fields.
    static let batchFormBytesMax = RedemptionLimits.materialBytesMax + WebMultipartForm.fieldsBytesMax

    /// 确定: a multipart form (csrf, `usages` as the ids joined by commas, `payee`, `archive`,
    /// `idempotencyKey` made at render so a form sent twice files once).
    func submitBatchForm(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await workbenchPage(request, .redemption) { viewer in
            let form: WebMultipartForm
            do {
                form = try await WebMultipartForm.read(request, upTo: Self.batchFormBytesMax)
            } catch {
                var state = NewBatchState()
                state.materialsError = "请上传不超过 10 MB 的 .zip 或 .rar 压缩包，并重新勾选服务券。"
                return try await newBatchForm(viewer: viewer, q: "", state: state, status: .badRequest)
            }
            guard let sent = form.fields["csrf"], WebSessions.tokensEqual(viewer.session.csrfToken, sent) else {
                return errorPage(.forbidden, viewer: viewer, reason: Self.csrfRefusal)
            }
            let usageIDs = (form.fields["usages"] ?? "").split(separator: ",").map(String.init)
            var state = NewBatchState(selected: usageIDs, payeeID: form.fields["payee"] ?? "")
            do {
                try await services.redemption.certification.require(viewer.identity, for: .redemption)
                guard !usageIDs.isEmpty else { throw RedemptionError.usagesEmpty }
                guard usageIDs.count <= RedemptionLimits.usagesPerBatchMax else { throw RedemptionError.usagesTooMany }
                guard !state.payeeID.isEmpty else { throw RedemptionError.accountNotFound }
                guard let archive = form.files["archive"]?.first, !archive.isEmpty else {
                    state.materialsError = "请上传兑换材料（订单合同、发票、收款凭证、价格证明）打包的 .zip 或 .rar 压缩包。"
                    return try await newBatchForm(viewer: viewer, q: "", state: state, status: .badRequest)
                }
                guard archive.count <= RedemptionLimits.materialBytesMax else { throw RedemptionError.materialsTooLarge(archive: true) }
                guard let mediaType = ArchiveFormat.sniff(archive) else { throw RedemptionError.materialsUnsupportedFormat(archive: true) }
                let key = try IdempotencyKey.validated(form.fields["idempotencyKey"])?.value
                let stored = try await services.redemption.storage.store(archive, mediaType: mediaType, orgID: viewer.identity.orgID)
                let (batch, _) = try await services.redemption.redemption.submit(
                    NewBatch(
                        orgID: viewer.identity.orgID, userID: viewer.identity.userID, applicantName: viewer.user.username, usageIDs: usageIDs,
                        payeeAccountID: state.payeeID, materialSHA256: stored.sha256, materialMediaType: mediaType,
                        materialSizeBytes: archive.count, idempotencyKey: key),
                    now: services.clock.now())
                return redirect("/workbench/redemption/\(batch.id)?done=filed")
            } catch {
                let problem = try await WebErrorMiddleware.refusal(for: error, request, context)
                let message = WebRedemptionErrors.message(problem)
                switch message.field {
                case "usages": state.usagesError = message.text
                case "payee": state.payeeError = message.text
                case "materials": state.materialsError = message.text
                default: state.formError = message.text
                }
                return try await newBatchForm(viewer: viewer, q: "", state: state, status: problem.status)
            }
        }
    }

    struct BatchRow {
        let reference: String
        let kind: String
        let total: String
        let payee: String
        let state: String
        let createdAt: String
        let href: String
    }

    struct StateOption {
        let value: String
        let label: String
        let selected: Bool
    }

    struct BatchesView {
        let chrome: WebChrome
        let states: [StateOption]
        let rows: [BatchRow]
        let empty: Bool
        let paging: WebPaging
    }

    /// 兑付批次: the provider's batches, newest first, by state (全部状态 or one), 10 a page.
    func batchesPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await workbenchPage(request, .redemption) { viewer in
            let query = WebForm.query(request)
            let page = WebPaging.requested(query)
            let state = query["state"].flatMap(BatchState.init(rawValue:))
            let result = try await services.redemption.redemption.batches(
                viewer: .provider(orgID: viewer.identity.orgID), state: state, page: page, pageSize: WebPaging.pageSize)
            return pages.page(
                "redemptions",
                BatchesView(
                    chrome: chrome("兑付批次", viewer: viewer, crumbs: [("工作台", "/workbench"), ("服务券管理", ""), ("兑付批次", "")], menu: .redemption),
                    states: BatchState.allCases.map { StateOption(value: $0.rawValue, label: WebLabels.batchState($0), selected: $0 == state) },
                    rows: result.items.map(Self.batchRow), empty: result.items.isEmpty,
                    paging: WebPaging(page: page, total: result.total, path: "/workbench/redemption", filters: [("state", state?.rawValue ?? "")])))
        }
    }

    static func batchRow(_ batch: BatchRecord) -> BatchRow {
        BatchRow(
            reference: batch.reference, kind: WebLabels.batchKind(batch.kind), total: WebLabels.money(batch.totalFen),
            payee: "\(batch.payeeName) \(batch.payeeNumber)", state: WebLabels.batchState(batch.state), createdAt: WebLabels.time(batch.createdAt),
            href: "/workbench/redemption/" + batch.id)
    }

    struct DirectionOption {
        let value: String
        let label: String
        let selected: Bool
    }

    struct GeneralView {
        let chrome: WebChrome
        let enterpriseName: String
        let orderID: String
        let directions: [DirectionOption]
        let payees: [PayeeOption]
        let hasPayees: Bool
        let enterpriseError: String
        let orderError: String
        let directionError: String
        let payeeError: String
        let materialsError: String
        let formError: String
        let filesMax: Int
    }

    struct GeneralState {
        var enterpriseName = ""
        var orderID = ""
        var direction = ""
        var payeeID = ""
        var enterpriseError = ""
        var orderError = ""
        var directionError = ""
        var payeeError = ""
        var materialsError = ""
        var formError = ""
    }

    /// Material files one web filing uploads: as many as the JSON route takes (10, uploaded there
    /// one by one).
    static let generalFormFilesMax = RedemptionLimits.generalFilesMax
    /// The filing's body, read at once: each file stays ≤ 10 MB, and together they are bounded
    /// like the listing editor's body rather than at 10 × 10 MB.
    static let generalFormBytesMax = 48 * 1024 * 1024
    /// What the page says of the materials' bounds.
    static let generalMaterialsRule = "请上传 1–\(generalFormFilesMax) 份材料（jpg、png、pdf、docx，每份不超过 10 MB，合计不超过 48 MB）。"

    /// 通用服务券-兑付申请: 企业名称, 订单编号 (`?order=` from a placed order), 支持方向, 收款账号 and
    /// the materials; 提交 runs `RedemptionRepository.submitGeneral`, as `POST /v1/redemption/general`.
    func generalBatchPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await workbenchPage(request, .generalRedemption) { viewer in
            let query = WebForm.query(request)
            return try await generalForm(viewer: viewer, state: GeneralState(orderID: query.text("order") ?? ""))
        }
    }

    private func generalForm(viewer: WebViewer, state: GeneralState, status: HTTPResponse.Status = .ok) async throws -> Response {
        let payees = try await activePayees(viewer).map { PayeeOption(id: $0.id, label: $0.label, selected: $0.id == state.payeeID) }
        let directions = RedemptionRepository.generalDirections.sorted().map {
            DirectionOption(value: $0, label: WebLabels.direction($0), selected: $0 == state.direction)
        }
        return pages.page(
            "redemption-general",
            GeneralView(
                chrome: chrome(
                    "通用服务券-兑付申请", viewer: viewer, crumbs: [("工作台", "/workbench"), ("服务券管理", ""), ("通用服务券-兑付申请", "")],
                    menu: .generalRedemption),
                enterpriseName: state.enterpriseName, orderID: state.orderID, directions: directions, payees: payees, hasPayees: !payees.isEmpty,
                enterpriseError: state.enterpriseError, orderError: state.orderError, directionError: state.directionError,
                payeeError: state.payeeError, materialsError: state.materialsError, formError: state.formError, filesMax: Self.generalFormFilesMax),
            status: status)
    }

    func submitGeneralForm(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await workbenchPage(request, .generalRedemption) { viewer in
            let form: WebMultipartForm
            do {
                form = try await WebMultipartForm.read(request, upTo: Self.generalFormBytesMax + WebMultipartForm.fieldsBytesMax)
            } catch {
                var state = GeneralState()
                state.materialsError = Self.generalMaterialsRule
                return try await generalForm(viewer: viewer, state: state, status: .badRequest)
            }
            guard let sent = form.fields["csrf"], WebSessions.tokensEqual(viewer.session.csrfToken, sent) else {
                return errorPage(.forbidden, viewer: viewer, reason: Self.csrfRefusal)
            }
            func field(_ name: String) -> String { (form.fields[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
            var state = GeneralState(
                enterpriseName: field("enterpriseName"), orderID: field("orderId"), direction: field("direction"), payeeID: field("payee"))
            let files = form.files["materials"] ?? []
            do {
                try await services.redemption.certification.require(viewer.identity, for: .redemption)
                guard (1...Self.generalFormFilesMax).contains(files.count) else {
                    state.materialsError = Self.generalMaterialsRule
                    return try await generalForm(viewer: viewer, state: state, status: .badRequest)
                }
                var kinds: [String] = []
                for file in files {
                    guard file.count <= RedemptionLimits.materialBytesMax else { throw RedemptionError.materialsTooLarge(archive: false) }
                    guard let kind = GeneralMaterialFormat.sniff(file) else { throw RedemptionError.materialsUnsupportedFormat(archive: false) }
                    kinds.append(kind)
                }
                var shas: [String] = []
                for (file, kind) in zip(files, kinds) {
                    let stored = try await services.redemption.storage.store(file, mediaType: kind, orgID: viewer.identity.orgID)
                    try await services.redemption.redemption.addMaterial(
                        orgID: viewer.identity.orgID, file: MaterialFile(sha256: stored.sha256, mediaType: kind, sizeBytes: file.count),
                        now: services.clock.now())
                    shas.append(stored.sha256)
                }
                let batch = try await services.redemption.redemption.submitGeneral(
                    NewGeneralRedemption(
                        orgID: viewer.identity.orgID, userID: viewer.identity.userID, enterpriseName: state.enterpriseName,
                        orderID: state.orderID, direction: state.direction, payeeAccountID: state.payeeID, materialSHA256s: shas),
                    now: services.clock.now())
                return redirect("/workbench/redemption/\(batch.id)?done=filed")
            } catch {
                let problem = try await WebErrorMiddleware.refusal(for: error, request, context)
                let message = WebRedemptionErrors.message(problem, archive: false)
                switch message.field {
                case "enterpriseName": state.enterpriseError = message.text
                case "orderId": state.orderError = message.text
                case "direction": state.directionError = message.text
                case "payee": state.payeeError = message.text
                case "materials": state.materialsError = message.text
                default: state.formError = message.text
                }
                return try await generalForm(viewer: viewer, state: state, status: problem.status)
            }
        }
    }
}

/// The Chinese sentence for a refused payee account, batch, transfer or confirmation, by the
/// problem's `code`, and the field it belongs next to (nil: above the form).
enum WebRedemptionErrors {
    static func message(_ problem: Problem, archive: Bool = true) -> (field: String?, text: String) {
        switch problem.code {
        case "payee_bank_not_allowed": return (nil, "目前仅支持中国农业银行的对公账号。")
        case "payee_name_mismatch": return ("accountName", "账户名称须与贵单位在平台注册的名称完全一致。")
        case "payee_number_invalid":
            return ("accountNumber", "账号须为 \(RedemptionLimits.accountDigitsMin)–\(RedemptionLimits.accountDigitsMax) 位数字，不含空格或其他字符。")
        case "payee_account_exists":
            return ("accountNumber", "该账号已是启用的收款账号，或启用的收款账号已达 \(RedemptionLimits.payeeAccountsMax) 个。")
        case "payee_account_not_found": return ("payee", "请选择一个启用的收款账号；如没有，请先在“收款账号管理”中新增。")
        case "certification_required": return (nil, "贵单位尚未通过认证，认证通过后才能办理兑付。")
        case "usages_empty": return ("usages", "请至少勾选一条待兑换的服务券记录。")
        case "usages_too_many": return ("usages", "一个批次最多 \(RedemptionLimits.usagesPerBatchMax) 条记录，请分批发起。")
        case "usage_not_found", "usage_not_redeemable":
            return ("usages", "所选记录中有不可兑换的服务券：只有订单已完成验收、状态为待兑换的诊断服务券可以发起兑换。")
        case "usage_in_batch": return ("usages", "所选记录中有服务券已在其他兑付批次中，请刷新后重新勾选。")
        case "materials_too_large": return ("materials", archive ? "压缩包不得超过 10 MB。" : "每份材料不得超过 10 MB。")
        case "materials_unsupported_format":
            return ("materials", archive ? "请将兑换材料打包为 .zip 或 .rar 格式上传（按文件内容检查）。" : "材料须为 jpg、png、pdf 或 docx 格式（按文件内容检查）。")
        case "storage_quota_exceeded": return ("materials", "贵单位已存储的文件达到上限，无法再上传。")
        case "idempotency_key_reused", "idempotency_key_invalid": return (nil, "表单已提交过，请刷新页面后重新发起。")
        case "order_not_found": return ("orderId", "没有这个订单编号，请在“订单管理”中查询贵单位商品的订单编号。")
        case "order_state_conflict": return ("orderId", "该订单已取消、已退款或正在退款审核，不能申请兑付。")
        case "reason_missing": return ("reason", "请填写原因（1–\(RedemptionLimits.reasonLengthMax) 字）。")
        case "transfer_mismatch":
            return ("confirm", "您填写的对方户名、对方账号或金额与平台登记的转账信息不一致（或转账金额不等于批次金额），请核对银行回单；确有不符请提出异议。")
        case "transfer_invalid": return ("transfer", transferMessage(problem.detail))
        case "order_not_paid": return (nil, "批次中有订单的支付尚未审核通过或正在退款审核，暂不能登记转账。")
        case "batch_state_conflict": return (nil, "批次当前状态不允许该操作，请刷新页面查看最新状态。")
        case "batch_not_found": return (nil, "没有这个兑付批次。")
        case "redemption_invalid": return generalMessage(problem.detail)
        default: return (nil, WebFieldErrors.message(problem).text)
        }
    }

    /// `transfer_invalid`'s detail names the field that broke the rule.
    static func transferMessage(_ detail: String) -> String {
        if detail.hasPrefix("amountFen") { return "请输入大于 0 的转账金额（元，最多两位小数）。" }
        if detail.hasPrefix("date") { return "请选择转账日期（年-月-日）。" }
        return "付款户名、付款账号和银行流水号均须填写，每项不超过 \(RedemptionLimits.transferFieldLengthMax) 个字。"
    }

    /// `redemption_invalid` of a general filing: which field, from its detail.
    static func generalMessage(_ detail: String) -> (field: String?, text: String) {
        if detail.hasPrefix("direction") { return ("direction", "请选择服务商支持方向。") }
        if detail.hasPrefix("enterpriseName") { return ("enterpriseName", "请填写服务的企业名称（1–100 字）。") }
        if detail.hasPrefix("payeeAccountId") { return ("payee", "请选择一个启用的收款账号。") }
        return ("materials", "请上传 1–\(WebController.generalFormFilesMax) 份材料（jpg、png、pdf、docx，每份不超过 10 MB）。")
    }
}

extension WebLabels {
    /// A usage's 状态 (SPEC §3): 待兑换, 兑换中, 已兑换; 已作废 for a usage whose order ended unpaid.
    static func usageState(_ state: String) -> String {
        switch state {
        case "pending_redemption": "待兑换"
        case "in_redemption": "兑换中"
        case "redeemed": "已兑换"
        case "voided": "已作废"
        default: state
        }
    }

    static func batchState(_ state: BatchState) -> String {
        switch state {
        case .inReview: "审核中"
        case .awaitingTransfer: "待转账"
        case .awaitingConfirmation: "待支付确认"
        case .disputed: "有异议"
        case .redeemed: "已兑付"
        case .rejected: "已驳回"
        }
    }

    static func batchKind(_ kind: String) -> String { kind == "general" ? "通用服务券" : "诊断服务券" }

    /// 支持方向 of a general voucher (SPEC §3).
    static func direction(_ code: String) -> String {
        switch code {
        case "cloud": "上云用云"
        case "dt_standard": "数字化转型贯标"
        case "integration_standard": "两化融合贯标"
        case "dcmm": "数据管理咨询评估（DCMM）"
        default: code
        }
    }
}
