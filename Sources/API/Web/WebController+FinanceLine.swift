import Foundation
import Hummingbird
import PostgresStore
import Reconciliation
import VoucherCore
import VoucherServices

/// 对账明细: one statement line with its evidence (rule, the matcher's note, the batch it names),
/// its candidates, the manual decisions (人工匹配 / 取消匹配 / 交回自动对账, each with a required
/// note shown next to its field when missing) and the audit trail. The decisions are the
/// repository calls of `POST /v1/finance/statement-lines/{id}/match|unmatch|release`.
extension WebController {
    struct CandidateRow {
        let reference: String
        let id: String
        let checked: Bool
    }

    struct AuditRow {
        let action: String
        let batchReference: String
        let actor: String
        let note: String
        let createdAt: String
    }

    struct LineView {
        let chrome: WebChrome
        let id: String
        let statementID: String
        let backHref: String
        let serial: String
        let lineNumber: Int
        let bookedOn: String
        let bookedTime: String
        let direction: String
        let amount: String
        let counterpartyName: String
        let counterpartyAccount: String
        let memo: String
        let outcome: String
        let outcomeLabel: String
        let rule: String
        let evidence: String
        let batchReference: String
        let providerName: String
        let decided: Bool
        let candidates: [CandidateRow]
        let hasCandidates: Bool
        let payout: Bool
        let audit: [AuditRow]
        let hasAudit: Bool
        let notice: String
        let formError: String
        let action: String
        let batch: String
        let batchError: String
        let matchNote: String
        let matchNoteError: String
        let unmatchNote: String
        let unmatchNoteError: String
        let releaseNote: String
        let releaseNoteError: String
    }

    /// What a refused decision shows again: the action, what was typed and the errors.
    struct LineFormState {
        var action = ""
        var batch = ""
        var note = ""
        var noteError = ""
        var batchError = ""
        var formError = ""
    }

    /// Audit rows shown on a line's page (a line is decided a handful of times).
    static let auditRowsMax = 50

    static let lineNotices = [
        "match": "已人工匹配，并记入审计记录。", "unmatch": "已人工取消匹配，该行不再参与自动对账。",
        "release": "已交回自动对账，以下是自动对账的结果。",
    ]

    static func lineID(_ context: AppRequestContext) -> String? {
        guard let id = context.parameters.get("id"), OpaqueID.isWellFormed(id, prefix: ReconciliationRepository.linePrefix) else { return nil }
        return id
    }

    /// The statement the page came from (`?statement=` or the form's field), for the way back.
    static func backStatement(_ value: String?) -> String {
        guard let value, OpaqueID.isWellFormed(value, prefix: ReconciliationRepository.statementPrefix) else { return "" }
        return value
    }

    func financeLine(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let id = Self.lineID(context) else { return errorPage(.badRequest, viewer: nil, reason: "流水行编号格式不正确。") }
        return try await workbenchPage(request, .statements) { viewer in
            let query = WebForm.query(request)
            return try await linePage(
                id: id, viewer: viewer, statementID: Self.backStatement(query["statement"]),
                notice: query["done"].flatMap { Self.lineNotices[$0] } ?? "")
        }
    }

    func linePage(
        id: String, viewer: WebViewer, statementID: String, notice: String = "", state: LineFormState = LineFormState(),
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let repository = services.reconciliation.reconciliation
        guard let line = try await repository.line(id: id) else { return errorPage(.notFound, viewer: viewer, reason: "没有这个流水行。") }
        let audit = try await repository.auditTrail(lineID: id, limit: Self.auditRowsMax).map { row in
            AuditRow(
                action: WebFinanceLabels.action(row.action), batchReference: row.batchReference ?? "", actor: row.actorName, note: row.note,
                createdAt: WebLabels.time(row.createdAt))
        }
        let candidates = zip(line.candidateBatchIDs, line.candidateBatchReferences).map { id, reference in
            CandidateRow(reference: reference, id: id, checked: state.batch == reference || state.batch == id)
        }
        let back = statementID.isEmpty ? "/workbench/finance/statements" : "/workbench/finance/statements/" + statementID
        let note = { (action: String) in state.action == action ? state.note : "" }
        let noteError = { (action: String) in state.action == action ? state.noteError : "" }
        return pages.page(
            "finance-line",
            LineView(
                chrome: chrome(
                    "对账明细", viewer: viewer,
                    crumbs: [("工作台", "/workbench"), ("对账管理", "/workbench/finance/statements"), ("对账报告", back), ("对账明细", "")],
                    menu: .statements),
                id: line.id, statementID: statementID, backHref: back, serial: line.serial, lineNumber: line.lineNumber, bookedOn: line.bookedOn,
                bookedTime: line.bookedTime ?? "", direction: WebFinanceLabels.direction(line.direction), amount: WebLabels.money(line.amountFen),
                counterpartyName: line.counterpartyName, counterpartyAccount: line.counterpartyAccount, memo: line.memo, outcome: line.outcome,
                outcomeLabel: WebFinanceLabels.outcome(line.outcome), rule: WebFinanceLabels.rule(line.rule), evidence: line.note,
                batchReference: line.batchReference ?? "", providerName: line.providerName ?? "", decided: line.decidedBy != nil,
                candidates: candidates, hasCandidates: !candidates.isEmpty, payout: line.direction == "debit", audit: audit,
                hasAudit: !audit.isEmpty, notice: notice, formError: state.formError, action: state.action, batch: state.batch,
                batchError: state.batchError, matchNote: note("match"), matchNoteError: noteError("match"), unmatchNote: note("unmatch"),
                unmatchNoteError: noteError("unmatch"), releaseNote: note("release"), releaseNoteError: noteError("release")),
            status: status)
    }

    /// `POST /workbench/finance/statement-lines/{id}` with `action` match (with `batch`, a
    /// candidate's or a typed `RB…` reference or batch id), unmatch or release, and a `note`.
    func decideLine(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let id = Self.lineID(context) else { return errorPage(.badRequest, viewer: nil, reason: "流水行编号格式不正确。") }
        return try await workbenchForm(request, .statements) { viewer, form in
            let statementID = Self.backStatement(form["statement"])
            var state = LineFormState(
                action: form["action"] ?? "", batch: form.text("batchTyped") ?? form.text("batch") ?? "", note: form.text("note") ?? "")
            let repository = services.reconciliation.reconciliation
            let now = services.reconciliation.clock.now()
            do {
                guard !state.note.isEmpty else { throw ReconciliationError.noteMissing }
                switch state.action {
                case "match":
                    guard !state.batch.isEmpty else { throw ReconciliationError.batchNotFound }
                    var batchID: String? = state.batch
                    if !OpaqueID.isWellFormed(state.batch, prefix: RedemptionRepository.idPrefix) {
                        batchID = try await repository.batchID(reference: state.batch)
                    }
                    guard let batchID else { throw ReconciliationError.batchNotFound }
                    _ = try await repository.match(lineID: id, batchID: batchID, actor: viewer.identity.userID, note: state.note, now: now)
                case "unmatch":
                    _ = try await repository.unmatch(lineID: id, actor: viewer.identity.userID, note: state.note, now: now)
                case "release":
                    _ = try await repository.release(
                        lineID: id, actor: viewer.identity.userID, note: state.note, now: now, policy: services.reconciliation.importer.policy)
                default:
                    return errorPage(.badRequest, viewer: viewer, reason: "未知的操作。")
                }
                let back = statementID.isEmpty ? "" : "&statement=" + statementID
                return redirect("/workbench/finance/statement-lines/\(id)?done=\(state.action)\(back)")
            } catch {
                let problem = try await WebErrorMiddleware.refusal(for: error, request, context)
                if problem.code == "statement_line_not_found" { return errorPage(.notFound, viewer: viewer, reason: "没有这个流水行。") }
                let message = WebFinanceLabels.decisionMessage(problem)
                switch message.field {
                case "note": state.noteError = message.text
                case "batch": state.batchError = message.text
                default: state.formError = message.text
                }
                return try await linePage(id: id, viewer: viewer, statementID: statementID, state: state, status: problem.status)
            }
        }
    }
}

extension WebFinanceLabels {
    /// The sentence for a refused decision's problem `code`, and its field (`note`, `batch`; nil: above the forms).
    static func decisionMessage(_ problem: Problem) -> (field: String?, text: String) {
        switch problem.code {
        case "note_missing": ("note", "请填写说明（1–\(ReconciliationLimits.noteLengthMax) 个字），它将记入审计记录。")
        case "batch_not_found": ("batch", "没有这个兑付批次，请选择候选批次或填写批次号（RB…）。")
        case "batch_not_paid": ("batch", "该批次尚未登记转账（或已驳回），不能匹配回单。")
        case "match_exceeds_batch": ("batch", "回单金额超过该批次尚未核销的金额，请先取消其他回单的匹配或选择其他批次。")
        case "line_not_payout": (nil, "这是一笔收入，只有支出（付款）才能匹配兑付批次。")
        case "line_not_decided": (nil, "这一行不是人工处理的，已在自动对账中，无需交回。")
        default: (nil, "操作未能完成（\(problem.code)），请刷新后重试。")
        }
    }
}
