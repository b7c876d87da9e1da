import PostgresStore
import VoucherCore

/// The refusals of voucher applications (申请) as domain errors; the API adds the count held to
/// `limit_reached` in its problem mapping.
extension VoucherApplicationError: DomainErrorConvertible {
    public var code: String {
        switch self {
        case .notFound: "application_not_found"
        case .alreadyPending: "application_pending"
        case .notPending: "application_decided"
        case .limitReached: "limit_reached"
        case .soldOut: "sold_out"
        }
    }

    public var kind: DomainError.Kind {
        switch self {
        case .notFound: .notFound
        case .alreadyPending, .notPending, .limitReached, .soldOut: .conflict
        }
    }

    public var detail: String {
        switch self {
        case .notFound: "No voucher application has this id. List yours with GET /v1/voucher-applications."
        case .alreadyPending: "Your organisation already has a pending application for this lot; wait for the decision."
        case .notPending(let status): "This application is \(status.rawValue) already; a decision is final."
        case .limitReached(let held): "The organisation holds \(held) vouchers of this lot, its limit."
        case .soldOut: "This lot has no stock left; reject the application with a reason."
        }
    }
}
