import Foundation
import Hummingbird
import PostgresStore
import Reconciliation
import VoucherCore
import VoucherServices

/// 对账管理 › 银行流水 (SPEC §6, issue 17 Finance): the finance person uploads the bank's statement
/// (a plain multipart form; `Static/finance.js` adds drag and drop and a progress bar) through the
/// JSON upload's use case (`StatementImporter.importFile`), and lists the statements imported. A
/// refused file is shown with the problem the JSON route answers: for `statement_unreadable`, every
/// listed line by number with its reason.
extension WebController {
    struct StatementRow {
        let filename: String
        let format: String
        let period: String
        let entries: Int
        let newCount: Int
        let knownCount: Int
        let importedAt: String
        let href: String
    }

    struct LineProblemRow {
        let line: String
        let reason: String
    }

    struct StatementsView {
        let chrome: WebChrome
        let rows: [StatementRow]
        let empty: Bool
        let paging: WebPaging
        let uploadError: String
        let problems: [LineProblemRow]
        let hasProblems: Bool
        let problemsNotListed: Int
        let hasMoreProblems: Bool
        let uploadBytesMax: Int
    }

    /// 银行流水: the upload form and the statements, newest first, 10 a page.
    func financeStatements(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await workbenchPage(request, .statements) { viewer in
            try await statementsPage(viewer: viewer, page: WebPaging.requested(WebForm.query(request)))
        }
    }

    func statementsPage(
        viewer: WebViewer, page: Int, uploadError: String = "", problems: [LineProblemRow] = [], problemsNotListed: Int = 0,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let result = try await services.reconciliation.reconciliation.statements(page: page, pageSize: WebPaging.pageSize)
        let rows = result.items.map { statement in
            StatementRow(
                filename: statement.filename, format: WebFinanceLabels.format(statement),
                period: WebFinanceLabels.period(statement.periodFrom, statement.periodTo), entries: statement.entryCount,
                newCount: statement.newCount, knownCount: statement.knownCount, importedAt: WebLabels.time(statement.createdAt),
                href: "/workbench/finance/statements/" + statement.id)
        }
        return pages.page(
            "finance-statements",
            StatementsView(
                chrome: chrome("银行流水", viewer: viewer, crumbs: [("工作台", "/workbench"), ("对账管理", "")], menu: .statements), rows: rows,
                empty: rows.isEmpty, paging: WebPaging(page: page, total: result.total, path: "/workbench/finance/statements", filters: []),
                uploadError: uploadError, problems: problems, hasProblems: !problems.isEmpty, problemsNotListed: problemsNotListed,
                hasMoreProblems: problemsNotListed > 0, uploadBytesMax: ReconciliationController.statementBytesMax),
            status: status)
    }

    /// `POST /workbench/finance/statements`: a multipart form with the CSRF field and the file in
    /// `statement`; imported, the browser goes to the statement's report (303), refused, the list
    /// again with the reason (and the unreadable lines) above the form, nothing imported.
    func uploadStatementForm(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await workbenchPage(request, .statements) { viewer in
            let form: WebMultipartForm
            do {
                form = try await WebMultipartForm.read(request, upTo: ReconciliationController.statementBytesMax + WebMultipartForm.fieldsBytesMax)
            } catch WebMultipartForm.Failure.tooLarge {
                return try await statementsPage(
                    viewer: viewer, page: 1, uploadError: WebFinanceLabels.uploadMessage("statement_too_large"), status: .contentTooLarge)
            } catch {
                return try await statementsPage(viewer: viewer, page: 1, uploadError: "请选择银行流水文件后再上传。", status: .badRequest)
            }
            guard let sent = form.fields["csrf"], WebSessions.tokensEqual(viewer.session.csrfToken, sent) else {
                return errorPage(.forbidden, viewer: viewer, reason: Self.csrfRefusal)
            }
            guard let bytes = form.files["statement"]?.first, !bytes.isEmpty else {
                return try await statementsPage(viewer: viewer, page: 1, uploadError: "请选择银行流水文件后再上传。", status: .badRequest)
            }
            let typed = form.filenames["statement"]?.first ?? ""
            let filename = typed.isEmpty ? ReconciliationController.defaultFilename : String(typed.prefix(ReconciliationLimits.filenameLengthMax))
            do {
                let result = try await services.reconciliation.importer.importFile(
                    bytes, filename: filename, actor: viewer.identity.userID, source: .web, now: services.reconciliation.clock.now())
                return redirect("/workbench/finance/statements/\(result.statement.id)?done=\(result.created ? "imported" : "known")")
            } catch {
                let problem = try await WebErrorMiddleware.refusal(for: error, request, context)
                let (listed, more) = Self.lineProblems(problem)
                return try await statementsPage(
                    viewer: viewer, page: 1, uploadError: WebFinanceLabels.uploadMessage(problem.code), problems: listed, problemsNotListed: more,
                    status: problem.status)
            }
        }
    }

    /// The `lines: [{line, reason}]` and `linesNotListed` of a `statement_unreadable` problem.
    static func lineProblems(_ problem: Problem) -> ([LineProblemRow], Int) {
        var rows: [LineProblemRow] = []
        if case .array(let items)? = problem.extensions["lines"] {
            for case .object(let item) in items {
                guard case .int(let line)? = item["line"], case .string(let reason)? = item["reason"] else { continue }
                rows.append(LineProblemRow(line: String(line), reason: reason))
            }
        }
        var more = 0
        if case .int(let count)? = problem.extensions["linesNotListed"] { more = Int(count) }
        return (rows, more)
    }
}

/// The Chinese words of the finance pages for the reconciliation's stable strings.
enum WebFinanceLabels {
    static func outcome(_ outcome: String) -> String {
        switch outcome {
        case "matched": "已匹配"
        case "amount_mismatch": "金额不符"
        case "name_or_account_mismatch": "户名或账号不符"
        case "duplicate_payment": "重复付款"
        case "no_batch": "无对应批次"
        case "ambiguous": "待人工确认"
        case "not_payout": "收入（非付款）"
        case StatementReport.paidNoReceipt: "已付款无回单"
        default: outcome
        }
    }

    static func rule(_ rule: String?) -> String {
        switch rule {
        case "reference": "按批次号"
        case "bank_serial": "按银行流水号"
        case "account_and_amount": "按账号和金额"
        case "manual": "人工"
        case nil: ""
        case let other?: other
        }
    }

    static func action(_ action: String) -> String {
        switch action {
        case "match": "人工匹配"
        case "unmatch": "人工取消匹配"
        case "release": "交回自动对账"
        default: action
        }
    }

    static func direction(_ direction: String) -> String { direction == "debit" ? "支出" : "收入" }

    static func format(_ statement: StatementRecord) -> String {
        (statement.format == StatementFormat.csv.rawValue ? "CSV" : statement.format) + " · " + statement.encoding
    }

    static func period(_ from: String?, _ to: String?) -> String {
        guard let from, let to else { return "—" }
        return from == to ? from : from + " 至 " + to
    }

    /// The sentence above the upload form for a refused upload's problem `code`.
    static func uploadMessage(_ code: String) -> String {
        switch code {
        case "statement_unreadable": "文件中有无法识别的行，整个文件未导入。请按下列行号修改后重新上传："
        case "statement_not_recognised": "该文件不是银行流水（电子回单导出的 CSV 或 camt.053 XML），未导入。"
        case "statement_encoding_unknown": "无法识别文件编码（支持 UTF-8 和 GBK/GB18030），未导入。请从网银重新导出。"
        case "statement_malformed": "camt.053 文件格式不完整，未导入。请从网银重新下载。"
        case "statement_empty": "流水中没有交易记录，未导入。请导出有交易的期间。"
        case "statement_too_large", "statement_too_many_lines": "文件过大：单个流水文件不超过 32 MB，请分期间导出。"
        case "filename_invalid": "文件名过长，请改名后重新上传。"
        default: "上传未完成（\(code)），请检查文件后重试。"
        }
    }
}
