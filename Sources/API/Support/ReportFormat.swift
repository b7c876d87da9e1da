import VoucherServices

/// The two forms a report route answers in (`?format=json|csv`, JSON when absent); anything else
/// is a 400 `format_invalid`, never a silent JSON.
enum ReportFormat: String, Sendable {
    case json, csv

    /// The format a query asks for.
    init(query: [String: String]) throws {
        guard let format = ReportFormat(rawValue: query["format"] ?? ReportFormat.json.rawValue) else {
            throw ReportQueryError.formatInvalid
        }
        self = format
    }
}
