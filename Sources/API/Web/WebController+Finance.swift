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

    /// The `lines: [{line, reason, codes}]` and `linesNotListed` of a `statement_unreadable`
    /// problem, each line's reason in Chinese from its codes (the reader's English sentence when a
    /// code has no Chinese yet).
    static func lineProblems(_ problem: Problem) -> ([LineProblemRow], Int) {
        var rows: [LineProblemRow] = []
        if case .array(let items)? = problem.extensions["lines"] {
            for case .object(let item) in items {
                guard case .int(let line)? = item["line"], case .string(let reason)? = item["reason"] else { continue }
                var codes: [String] = []
                if case .array(let values)? = item["codes"] {
                    for case .string(let code) in values { codes.append(code) }
                }
                let chinese = codes.map(WebFinanceLabels.lineReason)
                let text = !codes.isEmpty && chinese.allSatisfy { $0 != nil } ? chinese.compactMap { $0 }.joined() : reason
                rows.append(LineProblemRow(line: String(line), reason: text))
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

    /// What an unreadable line's reason code (`LineProblem.codes`) says in Chinese; nil for a code
    /// without a sentence here (the page then shows the reader's own).
    static func lineReason(_ code: String) -> String? {
        switch code {
        case "serial_missing": "缺少银行流水号（每张回单都需要流水号）。"
        case "serial_repeated": "流水号与前面的行重复（每张回单只能出现一次）。"
        case "day_invalid": "交易日期为空或无法识别，请写成 2026-11-03、2026/11/03、20261103 或 2026年11月03日。"
        case "time_invalid": "交易时间无法识别，请写成 10:22:05。"
        case "time_other_day": "交易时间与交易日期不是同一天。"
        case "amount_missing": "金额为空（每张回单都需要金额）。"
        case "amount_invalid": "金额无法识别，请写成以元为单位、最多两位小数的数字。"
        case "amount_too_large": "金额过大。"
        case "amount_zero": "金额为零（回单必须有收支金额）。"
        case "amount_negative": "金额为负数：冲正请与银行核对，不能按相反方向读取。"
        case "amounts_both": "借方和贷方同时有金额，一张回单只能是支出或收入之一。"
        case "direction_invalid": "借贷方向为空或无法识别，支出写“借”（或“支”“出”），收入写“贷”（或“收”“入”）。"
        case "direction_disagrees": "金额的正负与借贷方向不一致。"
        case "currency_missing": "金额缺少币种。"
        case "parties_many": "一笔记录对应多个不同的对方，请向银行索取每笔转账一条的流水。"
        case "fields_count": "本行的字段数与表头不一致，含逗号的字段请加引号。"
        case "field_too_long": "有字段超过长度上限。"
        case "quoting_broken": "引号不成对，请检查含引号或逗号的字段。"
        case "row_unclear": "无法判断本行是回单还是合计/页脚：如不是回单请删除，是回单请补上流水号。"
        case "header_other": "本行是另一种格式的表头，一个文件只能导出一种格式。"
        case "lines_more": "从本行起还有更多行有问题，请先修改以上各行后重新导出。"
        default: nil
        }
    }

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
