import Hummingbird
import PostgresStore
import VoucherServices

/// The one place where an orders error picks a status: a reused Idempotency-Key with another
/// body is a 422 (the request is well-formed but cannot be processed), the rest follow their kind.
extension OrdersError: ProblemConvertible {
    var problem: Problem {
        switch self {
        case .idempotencyKeyReused: Problem(.unprocessableContent, code: code, detail: detail)
        default: Problem(domain: domainError)
        }
    }
}
