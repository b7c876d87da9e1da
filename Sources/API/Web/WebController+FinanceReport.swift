import Foundation
import Hummingbird
import PostgresStore
import Reconciliation
import VoucherCore
import VoucherServices

/// 对账报告 (SPEC §6): a statement's totals by outcome, its lines filtered by outcome, exact amount
/// and text, 10 a page (the database filters and pages), the batches paid without a receipt, and
/// the CSV of the JSON route (`StatementReportCSV`, the same bytes). A line's page shows its
/// evidence (the matcher's rule and note), its candidates and its audit trail, with 人工匹配,
/// 取消匹配 and 交回自动对账, each with a required note — the repository calls the JSON routes make.
extension WebController {
    struct OutcomeTotalRow {
        let outcome: String
        let label: String
        let count: Int
        let amount: String
        let href: String
    }

    struct ReportLineRow {
        let lineNumber: Int
        let serial: String
        let bookedOn: String
        let direction: String
        let amount: String
        let counterpartyName: String
        let counterpartyAccount: String
        let memo: String
        let outcome: String
        let outcomeLabel: String
        let batchReference: String
        let candidates: String
        let href: String
    }

    struct UnpaidBatchRow {
        let reference: String
        let providerName: String
        let payee: String
        let transferDate: String
        let total: String
        let settled: String
        let uncovered: String
        let note: String
    }

    struct OutcomeOption {
        let value: String
        let label: String
        let selected: Bool
    }

    struct ReportView {
        let chrome: WebChrome
        let id: String
        let filename: String
        let format: String
        let period: String
        let entries: Int
        let importedAt: String
        let notice: String
        let totals: [OutcomeTotalRow]
        let options: [OutcomeOption]
        let amount: String
        let q: String
        let filterError: String
        let rows: [ReportLineRow]
        let empty: Bool
        let paging: WebPaging
        let unpaid: [UnpaidBatchRow]
        let hasUnpaid: Bool
        let csvHref: String
    }

    static let reportNotices = [
        "imported": "银行流水已导入并完成自动对账。", "known": "该文件此前已导入，未作任何更改；以下是它的对账报告。",
    ]

    /// The statement id of the path, nil when malformed.
    static func statementID(_ context: AppRequestContext) -> String? {
        guard let id = context.parameters.get("id"), OpaqueID.isWellFormed(id, prefix: ReconciliationRepository.statementPrefix) else {
            return nil
        }
        return id
    }

    /// 对账报告 of `/workbench/finance/statements/{id}?outcome=&amount=&q=&page=`.
    func financeReport(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let id = Self.statementID(context) else { return errorPage(.badRequest, viewer: nil, reason: "流水编号格式不正确。") }
        return try await workbenchPage(request, .statements) { viewer in
            let query = WebForm.query(request)
            let page = WebPaging.requested(query)
            let outcome = query.text("outcome").flatMap(Outcome.init(rawValue:))
            let amountText = query.text("amount") ?? ""
            let q = String((query.text("q") ?? "").prefix(ReportLineFilter.textLengthMax))
            var filterError = ""
            var amountFen: Int64?
            if !amountText.isEmpty {
                do { amountFen = try Money.parse(amountText).fen } catch { filterError = "金额请填写元，最多两位小数，例如 1500 或 1,500.00。" }
            }
            guard
                let report = try await services.reconciliation.reconciliation.report(
                    statementID: id,
                    selection: ReportLineSelection(
                        outcomes: [], page: 1, pageSize: 1))
            else { return errorPage(.notFound, viewer: viewer, reason: "没有这个银行流水。") }
            let filter = ReportLineFilter(
                outcomes: outcome.map { [$0] } ?? [], amountFen: amountFen, text: q, page: page, pageSize: WebPaging.pageSize)
            var found: (items: [StatementLineRecord], total: Int) = ([], 0)
            if filterError.isEmpty, let selected = try await services.reconciliation.reconciliation.lines(statementID: id, filter: filter) {
                found = selected
            }
            let here = "/workbench/finance/statements/" + id
            return pages.page(
                "finance-report",
                ReportView(
                    chrome: chrome(
                        "对账报告", viewer: viewer,
                        crumbs: [("工作台", "/workbench"), ("对账管理", "/workbench/finance/statements"), ("对账报告", "")], menu: .statements),
                    id: id, filename: report.statement.filename, format: WebFinanceLabels.format(report.statement),
                    period: WebFinanceLabels.period(report.statement.periodFrom, report.statement.periodTo),
                    entries: report.statement.entryCount, importedAt: WebLabels.time(report.statement.createdAt),
                    notice: query["done"].flatMap { Self.reportNotices[$0] } ?? "",
                    totals: report.totals.map { total in
                        OutcomeTotalRow(
                            outcome: total.outcome, label: WebFinanceLabels.outcome(total.outcome), count: total.count,
                            amount: WebLabels.money(total.amountFen),
                            href: total.outcome == StatementReport.paidNoReceipt ? "#unpaid-batches" : here + "?outcome=" + total.outcome)
                    },
                    options: Outcome.allCases.map {
                        OutcomeOption(value: $0.rawValue, label: WebFinanceLabels.outcome($0.rawValue), selected: $0 == outcome)
                    },
                    amount: amountText, q: q, filterError: filterError, rows: found.0.map { Self.reportLineRow($0, statementID: id) },
                    empty: found.0.isEmpty,
                    paging: WebPaging(
                        page: page, total: found.1, path: here, filters: [("outcome", outcome?.rawValue ?? ""), ("amount", amountText), ("q", q)]),
                    unpaid: report.unpaidBatches.map(Self.unpaidBatchRow), hasUnpaid: !report.unpaidBatches.isEmpty,
                    csvHref: here + "/report.csv"))
        }
    }

    static func reportLineRow(_ line: StatementLineRecord, statementID: String) -> ReportLineRow {
        ReportLineRow(
            lineNumber: line.lineNumber, serial: line.serial, bookedOn: line.bookedOn, direction: WebFinanceLabels.direction(line.direction),
            amount: WebLabels.money(line.amountFen), counterpartyName: line.counterpartyName, counterpartyAccount: line.counterpartyAccount,
            memo: line.memo, outcome: line.outcome, outcomeLabel: WebFinanceLabels.outcome(line.outcome),
            batchReference: line.batchReference ?? "", candidates: line.candidateBatchReferences.joined(separator: "、"),
            href: "/workbench/finance/statement-lines/\(line.id)?statement=\(statementID)")
    }

    static func unpaidBatchRow(_ batch: UnpaidBatchRecord) -> UnpaidBatchRow {
        UnpaidBatchRow(
            reference: batch.reference, providerName: batch.providerName, payee: batch.payeeName + " " + batch.payeeNumber,
            transferDate: batch.transferDate, total: WebLabels.money(batch.totalFen), settled: WebLabels.money(batch.settledFen),
            uncovered: WebLabels.money(batch.uncoveredFen), note: StatementReportCSV.note(batch))
    }

    /// The report as CSV: the JSON route's `?format=csv` (UTF-8 with BOM, yuan with two decimals).
    func financeReportCSV(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let id = Self.statementID(context) else { return errorPage(.badRequest, viewer: nil, reason: "流水编号格式不正确。") }
        return try await workbenchPage(request, .statements) { viewer in
            guard let report = try await services.reconciliation.reconciliation.report(statementID: id) else {
                return errorPage(.notFound, viewer: viewer, reason: "没有这个银行流水。")
            }
            return Response(
                status: .ok,
                headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"reconciliation-\(id).csv\""],
                body: .init(byteBuffer: ByteBuffer(string: StatementReportCSV.render(report))))
        }
    }
}
