import Foundation
import PostgresStore
import Testing
import VoucherServices

@testable import API

/// The pure parts of the finance pages: the chart's integer scaling and the payouts page's month
/// periods (no I/O, no clock but a fixed instant).
@Suite struct WebFinanceChartTests {
    static func day(_ day: String, _ matchedFen: Int64, _ openFen: Int64) -> DailyReconciliationRow {
        DailyReconciliationRow(day: day, matchedFen: matchedFen, openFen: openFen)
    }

    @Test func barsAreScaledToTheLargestAmountWithIntegerArithmetic() throws {
        // Proves the largest amount fills the plot, others are proportional rounded down, a zero is
        // no bar, every bar stands on the baseline, and amounts near Int64.max do not overflow.
        let chart = try #require(
            WebController.chart([Self.day("2026-10-05", 300_000, 239_999), Self.day("2026-10-06", 150_000, 0)]))
        let bars = Dictionary(uniqueKeysWithValues: chart.bars.map { ("\($0.day) \($0.kind)", $0) })
        let full = try #require(bars["2026-10-05 matched"])
        #expect(full.height == 180 && full.fen == 300_000)
        let short = try #require(bars["2026-10-05 open"])
        #expect(short.height == 143)  // 239,999 × 180 / 300,000 = 143.99…, rounded down
        #expect(bars["2026-10-06 matched"]?.height == 90)
        #expect(bars["2026-10-06 open"]?.height == 0)
        #expect(chart.bars.allSatisfy { $0.y + $0.height == chart.baseline })
        #expect(chart.dayLabels.map(\.text) == ["10-05", "10-06"])
        #expect(chart.summary.contains("¥4,500.00") && chart.summary.contains("¥2,399.99"))
        let huge = try #require(WebController.chart([Self.day("2026-10-07", Int64.max / 2, Int64.max / 4)]))
        #expect(huge.bars.allSatisfy { (0...180).contains($0.height) })
        #expect(WebController.chart([]) == nil)
    }

    @Test func theChartDrawsTheLatestDaysOnly() throws {
        // Proves a long period is bounded: the latest `chartDaysMax` days are drawn.
        var rows: [DailyReconciliationRow] = []
        for index in 1...100 {
            let day = String(format: "2026-%02d-%02d", 1 + index / 28, 1 + index % 28)
            rows.append(Self.day(day, Int64(index), 0))
        }
        let chart = try #require(WebController.chart(rows))
        #expect(chart.bars.count == 2 * WebController.chartDaysMax)
        #expect(chart.bars.last?.fen == 0 && chart.bars[chart.bars.count - 2].fen == 100)
    }

    @Test func monthPeriodsAreWholeMonthsInChinaTime() throws {
        // Proves `from`/`to` months become [first day, last day] and [start, end) at midnight China
        // time (February of a leap year, December into January), blanks are the current month,
        // and a reversed, malformed or too long period is refused.
        let now = try #require(RFC3339.parse("2026-12-04T01:00:00+08:00"))
        let period = try #require(WebController.MonthPeriod(from: "2028-02", to: "2028-02", now: now))
        #expect(period.fromDay.description == "2028-02-01" && period.toDay.description == "2028-02-29")
        let year = try #require(WebController.MonthPeriod(from: "2026-10", to: "2026-12", now: now))
        #expect(year.toDay.description == "2026-12-31")
        #expect(year.start == RFC3339.parse("2026-10-01T00:00:00+08:00") && year.end == RFC3339.parse("2027-01-01T00:00:00+08:00"))
        let current = try #require(WebController.MonthPeriod(from: "", to: "", now: now))
        #expect(current.from == "2026-12" && current.to == "2026-12")
        let lateUTC = try #require(RFC3339.parse("2026-11-30T17:00:00Z"))
        #expect(WebController.MonthPeriod(from: "", to: "", now: lateUTC)?.from == "2026-12")
        for (from, to) in [("2026-12", "2026-10"), ("2026-13", "2026-12"), ("26-10", "2026-12"), ("2020-01", "2026-12")] {
            #expect(WebController.MonthPeriod(from: from, to: to, now: now) == nil, "\(from)…\(to)")
        }
    }
}
