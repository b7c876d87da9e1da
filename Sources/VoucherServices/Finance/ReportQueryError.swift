import PostgresStore
import Reconciliation
import VoucherCore

/// The refusals of a report's query (`format`, `outcome`, the payouts' period): 400s that touch
/// nothing. Domain errors, which the API maps in its one place (it adds `validOutcomes`).
package enum ReportQueryError: DomainErrorConvertible, Equatable {
    /// `format` is neither json nor csv.
    case formatInvalid
    /// `format=csv` with a parameter (`named`) that only the JSON report reads.
    case csvWithJSONParameter(named: String)
    /// An `outcome` filter that is not an outcome.
    case outcomeUnknown(name: String)
    /// The payouts' `from`/`to` are missing, not RFC 3339, or not in order.
    case periodInvalid

    package var code: String {
        switch self {
        case .formatInvalid, .csvWithJSONParameter: "format_invalid"
        case .outcomeUnknown: "outcome_unknown"
        case .periodInvalid: "period_invalid"
        }
    }

    package var kind: DomainError.Kind { .invalidInput }

    package var detail: String {
        switch self {
        case .formatInvalid: "format must be json or csv."
        case .csvWithJSONParameter(let named): "format=csv is the full export of the statement; \(named) applies to the JSON report only."
        case .outcomeUnknown(let name):
            "outcome \"\(name.prefix(40))\" is not one of \(Outcome.allCases.map(\.rawValue).joined(separator: ", ")); "
                + "give one or more, separated by commas."
                + (name == StatementReport.paidNoReceipt ? " Batches paid with no receipt are listed in unpaidBatches." : "")
        case .periodInvalid: "Give from and to as RFC 3339 times with from before to."
        }
    }
}
