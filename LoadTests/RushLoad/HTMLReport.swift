import Foundation

/// A self-contained page (inline SVG, no scripts, no network) with throughput and latency
/// percentiles over time and the outcome counts, so a run can be read without any tool.
enum HTMLReport {
    static let width = 860.0
    static let height = 240.0
    static let margin = 48.0

    static func page(_ reports: [RunReport]) -> String {
        var html = """
            <!doctype html><html><head><meta charset="utf-8"><title>VoucherRush load test</title>
            <style>body{font:14px system-ui,sans-serif;margin:24px;color:#222}h2{margin-top:32px}
            pre{background:#f6f6f6;padding:12px;overflow-x:auto}table{border-collapse:collapse}
            td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#eee}
            svg{background:#fcfcfc;border:1px solid #ddd}</style></head><body>
            <h1>VoucherRush load test</h1>

            """
        for report in reports { html += section(report) }
        html += "</body></html>\n"
        return html
    }

    private static func section(_ report: RunReport) -> String {
        let seconds = report.timeline
        var html = "<h2>\(escape(report.label))</h2>\n<pre>\(escape(report.summary))</pre>\n"
        html += "<h3>Answers per second</h3>\n"
        var series: [(String, String, [Double])] = [("answered", "#1f77b4", seconds.map { Double($0.answered) })]
        series.append(("won", "#2ca02c", seconds.map { Double($0.outcomes[Outcome.won.key] ?? 0) }))
        series.append(("sold_out", "#ff7f0e", seconds.map { Double($0.outcomes[Outcome.soldOut.key] ?? 0) }))
        html += chart(series, unit: "/s")
        html += "<h3>Latency percentiles per second (ms)</h3>\n"
        html += chart(
            [
                ("p50", "#1f77b4", seconds.map(\.p50Ms)),
                ("p99", "#ff7f0e", seconds.map(\.p99Ms)),
                ("p99.9", "#d62728", seconds.map(\.p999Ms)),
            ], unit: "ms")
        if seconds.contains(where: { $0.serverCores != nil }) {
            html += "<h3>CPU (cores busy)</h3>\n"
            html += chart(
                [
                    ("server", "#9467bd", seconds.map { $0.serverCores ?? 0 }),
                    ("generator", "#8c564b", seconds.map { $0.generatorCores ?? 0 }),
                ], unit: "cores")
        }
        html += "<h3>Outcomes</h3>\n<table><tr><th>outcome</th><th>count</th></tr>\n"
        for outcome in Outcome.allCases {
            html += "<tr><td style=\"text-align:left\">\(outcome.key)</td><td>\(report.outcomes[outcome.key] ?? 0)</td></tr>\n"
        }
        html += "</table>\n"
        return html
    }

    /// A line chart of `series` over seconds, y from 0 to the largest value.
    private static func chart(_ series: [(String, String, [Double])], unit: String) -> String {
        let count = series.map(\.2.count).max() ?? 0
        let top = max(series.flatMap(\.2).max() ?? 0, 1)
        let plotWidth = width - 2 * margin
        let plotHeight = height - 2 * margin
        func x(_ index: Int) -> Double { margin + (count > 1 ? Double(index) / Double(count - 1) : 0) * plotWidth }
        func y(_ value: Double) -> Double { height - margin - value / top * plotHeight }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\">\n"
        for step in 0...4 {
            let value = top * Double(step) / 4
            svg += "<line x1=\"\(margin)\" x2=\"\(width - margin)\" y1=\"\(y(value))\" y2=\"\(y(value))\" stroke=\"#e4e4e4\"/>"
            svg += "<text x=\"4\" y=\"\(y(value) + 4)\" font-size=\"10\">\(format(value))</text>\n"
        }
        svg += "<text x=\"\(width - margin)\" y=\"\(height - 12)\" font-size=\"10\" text-anchor=\"end\">seconds (\(count))</text>\n"
        for (offset, (name, color, values)) in series.enumerated() where !values.isEmpty {
            let points = values.enumerated().map { "\(format(x($0.offset))),\(format(y($0.element)))" }.joined(separator: " ")
            svg += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\" points=\"\(points)\"/>\n"
            svg += "<text x=\"\(margin + 8 + Double(offset) * 110)\" y=\"16\" font-size=\"11\" fill=\"\(color)\">\(escape(name)) (\(unit))</text>\n"
        }
        return svg + "</svg>\n"
    }

    private static func format(_ value: Double) -> String {
        value >= 100 ? String(Int(value.rounded())) : String(format: "%.2f", value)
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
