import VoucherServices

private typealias Op = OpenAPIOperation

private let html = OpenAPIOperation.Answer.media(["text/html": ["type": "string", "contentMediaType": "text/html"]])
private let csv = OpenAPIOperation.Answer.media(["text/csv": ["type": "string", "description": "UTF-8 with a byte-order mark."]])
private let formBody = OpenAPIOperation.Body.raw(
    mediaTypes: ["application/x-www-form-urlencoded"], description: "An HTML form with its hidden csrf field.")

extension OpenAPIDocument {
    /// The finance pages (`WebController+Finance`, `+FinanceReport`, `+FinanceLine`, `+Payouts`):
    /// finance only, behind the web session; other roles get the 403 page.
    static let webFinanceOperations: [OpenAPIOperation] = [
        Op(
            .get, "/workbench/finance/statements", id: "webStatements", summary: "对账管理 › 银行流水: the upload form and the statements, 10 a page (HTML).",
            access: .anyone, answer: html),
        Op(
            .post, "/workbench/finance/statements", id: "webStatementUpload",
            summary: "Uploads a statement (multipart: csrf and the file in `statement`): 303 to its report, or the page with the reason and "
                + "the unreadable lines by number (HTML).",
            access: .anyone,
            body: .raw(mediaTypes: ["multipart/form-data"], description: "An HTML form: the csrf field and the file in `statement`."),
            status: 303, answer: .empty, replayStatus: 200),
        Op(
            .get, "/workbench/finance/statements/{id}", id: "webStatementReport",
            summary: "对账报告: totals by outcome, lines filtered by outcome, amount and text, 10 a page, batches paid without receipt (HTML).",
            access: .anyone, answer: html),
        Op(
            .get, "/workbench/finance/statements/{id}/report.csv", id: "webStatementReportCSV",
            summary: "The report as CSV, the same as GET /v1/finance/statements/{id}/report?format=csv.", access: .anyone, answer: csv),
        Op(
            .get, "/workbench/finance/statement-lines/{id}", id: "webStatementLine",
            summary: "对账明细: a line's evidence, candidates, manual decisions and audit trail (HTML).", access: .anyone, answer: html),
        Op(
            .post, "/workbench/finance/statement-lines/{id}", id: "webStatementLineDecide",
            summary: "action=match (batch), unmatch or release, each with a note: 303 to the line, or the page with the error next to "
                + "the field (HTML).",
            access: .anyone, body: formBody, status: 303, answer: .empty, replayStatus: 200),
        Op(
            .get, "/workbench/finance/payouts", id: "webPayouts",
            summary: "兑付汇总 by provider, campaign and month, 未付批次, and a chart of matched vs open receipts per day (HTML).",
            access: .anyone, answer: html),
        Op(
            .get, "/workbench/finance/payouts.csv", id: "webPayoutsCSV",
            summary: "The payouts of the page as CSV (UTF-8 with BOM, yuan with two decimals).", access: .anyone, answer: csv),
    ]
}
