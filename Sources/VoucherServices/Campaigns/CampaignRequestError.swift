import Foundation
import VoucherCore

/// The refusals of campaign, grab-lot and voucher-application requests that are not the store's:
/// bad input and the application window. Domain errors, which the API maps to problem responses
/// in its one place (`ProblemMapping` adds `opensAt`/`closesAt` to the window's two).
package enum CampaignRequestError: DomainErrorConvertible, Equatable {
    /// A field of a campaign or lot breaks a rule: `code` names the field (`lot_stock_invalid`).
    case input(code: String, detail: String)
    /// A `status` filter that is not one of `allowed`.
    case statusInvalid(allowed: [String])
    /// Only certified enterprises apply for vouchers.
    case notCertified
    /// The lot is issued by grabbing.
    case lotNotApplicable
    /// The campaign is not open yet (or not published); the window goes with the answer.
    case notOpen(opensAt: Date, closesAt: Date)
    /// The campaign has ended.
    case ended(opensAt: Date, closesAt: Date)
    /// A rejection without a reason of 1 to `lengthMax` characters.
    case reasonMissing(lengthMax: Int)

    package var code: String {
        switch self {
        case .input(let code, _): code
        case .statusInvalid: "status_invalid"
        case .notCertified: "not_certified"
        case .lotNotApplicable: "lot_not_applicable"
        case .notOpen: "not_open"
        case .ended: "ended"
        case .reasonMissing: "reason_missing"
        }
    }

    package var kind: DomainError.Kind {
        switch self {
        case .input, .statusInvalid, .reasonMissing: .invalidInput
        case .notCertified: .forbidden
        case .lotNotApplicable, .notOpen, .ended: .conflict
        }
    }

    package var detail: String {
        switch self {
        case .input(_, let detail): detail
        case .statusInvalid(let allowed):
            "status must be \(allowed.dropLast().joined(separator: ", ")) or \(allowed.last ?? "")."
        case .notCertified: "Only certified enterprises may apply for vouchers. Finish certification first."
        case .lotNotApplicable: "This lot is issued by grabbing, not by application. Grab it instead."
        case .notOpen: "The campaign has not opened yet."
        case .ended: "The campaign has ended."
        case .reasonMissing(let lengthMax): "A rejection needs a reason of 1 to \(lengthMax) characters; the enterprise sees it."
        }
    }
}
