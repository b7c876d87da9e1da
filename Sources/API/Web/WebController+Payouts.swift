import Foundation
import Hummingbird
import PostgresStore
import Reconciliation
import VoucherCore
import VoucherServices

/// 兑付汇总 (SPEC §5–§6): what was paid out (`redeem` entries) by provider, campaign and month
/// (`RedemptionRepository.payoutTotals`, the JSON `GET /v1/finance/payouts`), the 未付批次 of the
/// period (transfers recorded that no receipt covers, the report's `paid_no_receipt`), a chart of
/// matched against open payout receipts per booking day as server-rendered SVG (no script, no
/// library; CSP allows SVG presentation attributes), and the CSV of the same rows: UTF-8 with a
/// BOM, yuan with two decimals from fen.
extension WebController {
    struct PayoutRow {
        let providerName: String
        let campaignName: String
        let month: String
        let redeemed: String
        let usageCount: Int
    }

    struct SubtotalRow {
        let label: String
        let redeemed: String
        let usageCount: Int
    }

    struct ChartBar {
        let x: Int64
        let y: Int64
        let width: Int64
        let height: Int64
        let fill: String
        let kind: String
        let day: String
        let fen: Int64
        let title: String
    }

    struct ChartLabel {
        let x: Int64
        let y: Int64
        let text: String
    }

    struct PayoutChart {
        let width: Int64
        let height: Int64
        let bars: [ChartBar]
        let dayLabels: [ChartLabel]
        let axisLabels: [ChartLabel]
        let baseline: Int64
        let plotRight: Int64
        let summary: String
    }

    struct PayoutsView {
        let chrome: WebChrome
        let from: String
        let to: String
        let filterError: String
        let rows: [PayoutRow]
        let empty: Bool
        let total: String
        let totalUsages: Int
        let byProvider: [SubtotalRow]
        let byMonth: [SubtotalRow]
        let unpaid: [UnpaidBatchRow]
        let hasUnpaid: Bool
        let unpaidTotal: String
        let chart: PayoutChart?
        let csvHref: String
    }

    /// A period of whole months in China Standard Time: `[fromDay, toDay]` and its instants `[start, end)`.
    struct MonthPeriod {
        let from: String
        let to: String
        let fromDay: CalendarDay
        let toDay: CalendarDay
        let start: Date
        let end: Date

        /// The longest period a page sums, in months.
        static let monthsMax = 36

        /// `from` and `to` as `YYYY-MM` (blank: the current month of `now` in China time).
        init?(from fromText: String, to toText: String, now: Date) {
            let current = Self.month(of: now)
            guard let first = fromText.isEmpty ? current : Self.parse(fromText), let last = toText.isEmpty ? current : Self.parse(toText)
            else { return nil }
            let months = (last.year - first.year) * 12 + last.month - first.month
            guard (0..<Self.monthsMax).contains(months) else { return nil }
            let next = last.month == 12 ? (last.year + 1, 1) : (last.year, last.month + 1)
            guard let fromDay = CalendarDay(year: first.year, month: first.month, day: 1),
                let nextDay = CalendarDay(year: next.0, month: next.1, day: 1), let toDay = CalendarDay(dayNumber: nextDay.dayNumber - 1),
                let start = RFC3339.parse(fromDay.description + "T00:00:00+08:00"),
                let end = RFC3339.parse(nextDay.description + "T00:00:00+08:00")
            else { return nil }
            from = String(fromDay.description.prefix(7))
            to = String(toDay.description.prefix(7))
            self.fromDay = fromDay
            self.toDay = toDay
            self.start = start
            self.end = end
        }

        static func parse(_ text: String) -> (year: Int, month: Int)? {
            let parts = text.split(separator: "-")
            guard text.utf8.count == 7, parts.count == 2, let year = Int(parts[0]), let month = Int(parts[1]), (2000...9999).contains(year),
                (1...12).contains(month)
            else { return nil }
            return (year, month)
        }

        static func month(of date: Date) -> (year: Int, month: Int) {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600) ?? .current
            let parts = calendar.dateComponents([.year, .month], from: date)
            return (parts.year ?? 2026, parts.month ?? 1)
        }
    }

    /// The period of the query, or the current month with the sentence why the query's was refused.
    func payoutPeriod(_ query: WebForm) -> (MonthPeriod, String) {
        let now = services.clock.now()
        if let period = MonthPeriod(from: query.text("from") ?? "", to: query.text("to") ?? "", now: now) { return (period, "") }
        // The current month always makes a period.
        guard let fallback = MonthPeriod(from: "", to: "", now: now) else { preconditionFailure("the current month is a period") }
        return (fallback, "请选择起止月份（起始月份不晚于结束月份，最多 \(MonthPeriod.monthsMax) 个月）。")
    }

    func financePayouts(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await workbenchPage(request, .payouts) { viewer in
            let (period, filterError) = payoutPeriod(WebForm.query(request))
            let rows = try await services.reconciliation.redemption.payoutTotals(from: period.start, to: period.end)
            let unpaid = try await services.reconciliation.reconciliation.unpaidBatches(
                from: period.fromDay.description, to: period.toDay.description)
            let days = try await services.reconciliation.reconciliation.dailyAmounts(from: period.fromDay.description, to: period.toDay.description)
            let subtotals = { (key: (PayoutTotalRow) -> String) -> [SubtotalRow] in
                var order: [String] = []
                var sums: [String: (Int64, Int)] = [:]
                for row in rows {
                    let name = key(row)
                    if sums[name] == nil { order.append(name) }
                    sums[name, default: (0, 0)].0 += row.redeemedFen
                    sums[name, default: (0, 0)].1 += row.usageCount
                }
                return order.map { SubtotalRow(label: $0, redeemed: WebLabels.money(sums[$0]?.0 ?? 0), usageCount: sums[$0]?.1 ?? 0) }
            }
            return pages.page(
                "finance-payouts",
                PayoutsView(
                    chrome: chrome("兑付汇总", viewer: viewer, crumbs: [("工作台", "/workbench"), ("兑付汇总", "")], menu: .payouts),
                    from: period.from, to: period.to, filterError: filterError,
                    rows: rows.map {
                        PayoutRow(
                            providerName: $0.providerName, campaignName: $0.campaignName, month: $0.month, redeemed: WebLabels.money($0.redeemedFen),
                            usageCount: $0.usageCount)
                    },
                    empty: rows.isEmpty, total: WebLabels.money(rows.reduce(0) { $0 + $1.redeemedFen }),
                    totalUsages: rows.reduce(0) { $0 + $1.usageCount }, byProvider: subtotals { $0.providerName }, byMonth: subtotals { $0.month },
                    unpaid: unpaid.map(Self.unpaidBatchRow), hasUnpaid: !unpaid.isEmpty,
                    unpaidTotal: WebLabels.money(unpaid.reduce(0) { $0 + $1.uncoveredFen }), chart: Self.chart(days),
                    csvHref: "/workbench/finance/payouts.csv?from=\(period.from)&to=\(period.to)"))
        }
    }

    /// The rows of the page as CSV for Excel: UTF-8 with a BOM, English snake_case headers, yuan
    /// with two decimals (`Money.yuanText`, from fen: no floating point), then the total.
    func financePayoutsCSV(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await workbenchPage(request, .payouts) { viewer in
            let (period, filterError) = payoutPeriod(WebForm.query(request))
            guard filterError.isEmpty else { return errorPage(.badRequest, viewer: viewer, reason: filterError) }
            let rows = try await services.reconciliation.redemption.payoutTotals(from: period.start, to: period.end)
            var text = StatementReportCSV.byteOrderMark + Self.payoutsCSVHeader.joined(separator: ",") + "\r\n"
            for row in rows {
                text += StatementReportCSV.row([
                    row.providerName, row.campaignName, row.month, Money(fen: row.redeemedFen).yuanText, String(row.usageCount),
                    row.providerOrgID, row.campaignID,
                ])
            }
            text += StatementReportCSV.row([
                "合计", "", "", Money(fen: rows.reduce(0) { $0 + $1.redeemedFen }).yuanText, String(rows.reduce(0) { $0 + $1.usageCount }), "", "",
            ])
            return Response(
                status: .ok,
                headers: [
                    .contentType: "text/csv; charset=utf-8",
                    .contentDisposition: "attachment; filename=\"payouts-\(period.from)-\(period.to).csv\"",
                ],
                body: .init(byteBuffer: ByteBuffer(string: text)))
        }
    }

    static let payoutsCSVHeader = ["provider_name", "campaign_name", "month", "redeemed", "usage_count", "provider_org_id", "campaign_id"]

    /// Days the chart draws at most (the latest ones with receipts).
    static let chartDaysMax = 62

    /// Two bars per booking day, matched and open, scaled to the largest amount with integer
    /// arithmetic (a bar is at most `plotHeight` units; rounding down).
    static func chart(_ all: [DailyReconciliationRow]) -> PayoutChart? {
        let days = Array(all.suffix(chartDaysMax))
        guard !days.isEmpty else { return nil }
        let (left, top, plotHeight, group, bar): (Int64, Int64, Int64, Int64, Int64) = (86, 12, 180, 44, 16)
        let maxFen = max(1, days.map { max($0.matchedFen, $0.openFen) }.max() ?? 1)
        let baseline = top + plotHeight
        var bars: [ChartBar] = []
        var labels: [ChartLabel] = []
        for (index, day) in days.enumerated() {
            let x = left + Int64(index) * group + 6
            for (offset, kind, fen, fill, label) in [
                (Int64(0), "matched", day.matchedFen, "#15803d", "已匹配"), (bar, "open", day.openFen, "#dc2626", "未匹配"),
            ] {
                let (scaled, overflow) = fen.multipliedReportingOverflow(by: plotHeight)
                let height = overflow ? plotHeight : scaled / maxFen
                bars.append(
                    ChartBar(
                        x: x + offset, y: baseline - height, width: bar, height: height, fill: fill, kind: kind, day: day.day, fen: fen,
                        title: "\(day.day) \(label) \(WebLabels.money(fen))"))
            }
            labels.append(ChartLabel(x: x + bar, y: baseline + 16, text: String(day.day.suffix(5))))
        }
        let width = left + Int64(days.count) * group + 10
        let matched = days.reduce(0) { $0 + $1.matchedFen }
        let open = days.reduce(0) { $0 + $1.openFen }
        return PayoutChart(
            width: width, height: baseline + 28, bars: bars, dayLabels: labels,
            axisLabels: [
                ChartLabel(x: left - 6, y: top + 4, text: WebLabels.money(maxFen)), ChartLabel(x: left - 6, y: baseline + 4, text: "¥0"),
            ],
            baseline: baseline, plotRight: width - 4,
            summary: "共 \(days.count) 天：已匹配 \(WebLabels.money(matched))，未匹配 \(WebLabels.money(open))")
    }
}
