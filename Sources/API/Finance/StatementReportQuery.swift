import PostgresStore
import Reconciliation
import VoucherServices

/// The query of `GET /v1/finance/statements/{id}/report`: the format, and for JSON which lines
/// (`outcome=a,b`) and which page of them. Read before the database is, so a bad parameter is a
/// 400 that touched nothing.
struct StatementReportQuery: Sendable {
    let format: ReportFormat
    /// For JSON; nil for the CSV, which is the full export.
    let selection: ReportLineSelection?

    /// The parameters that only JSON reads.
    static let jsonOnly = ["outcome", "page", "pageSize"]

    init(_ query: [String: String]) throws {
        let format = try ReportFormat(query: query)
        self.format = format
        switch format {
        case .csv:
            // Nothing is guessed: an export that silently ignored a filter would look filtered.
            if let named = Self.jsonOnly.first(where: { query[$0] != nil }) {
                throw ReportQueryError.csvWithJSONParameter(named: named)
            }
            selection = nil
        case .json:
            let page = try PageRequest(
                query, pageSizeDefault: ReconciliationLimits.reportPageSizeDefault, pageSizeMax: ReconciliationLimits.reportPageSizeMax)
            selection = ReportLineSelection(outcomes: try Self.outcomes(query["outcome"]), page: page.page, pageSize: page.pageSize)
        }
    }

    /// `matched,ambiguous` → those outcomes, each once, in `Outcome.allCases` order; absent → every line.
    static func outcomes(_ text: String?) throws -> [Outcome] {
        guard let text else { return [] }
        var wanted = Set<Outcome>()
        for name in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let outcome = Outcome(rawValue: String(name)) else { throw ReportQueryError.outcomeUnknown(name: String(name)) }
            wanted.insert(outcome)
        }
        return Outcome.allCases.filter(wanted.contains)
    }

}

extension PageRequest {
    /// A page with this list's own default and largest size; the page number and the 400
    /// `page_invalid` are those of every list (`init(_:)` reads the page, this reads the size).
    init(_ query: [String: String], pageSizeDefault: Int, pageSizeMax: Int) throws {
        var others = query
        others["pageSize"] = nil
        page = try PageRequest(others).page
        guard let text = query["pageSize"] else {
            pageSize = pageSizeDefault
            return
        }
        guard let size = Int(text), (1...pageSizeMax).contains(size) else {
            throw AccountsError.invalid("page_invalid", "pageSize must be a whole number from 1 to \(pageSizeMax).")
        }
        pageSize = size
    }
}
