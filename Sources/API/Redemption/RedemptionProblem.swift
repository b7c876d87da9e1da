import Hummingbird
import PostgresStore
import VoucherServices

/// A reused Idempotency-Key with another request is a 422, as for orders; the rest follow their kind.
extension RedemptionError: ProblemConvertible {
    var problem: Problem {
        switch self {
        case .idempotencyKeyReused: Problem(.unprocessableContent, code: code, detail: detail)
        default: Problem(domain: domainError)
        }
    }
}
