import Foundation
import Hummingbird
import PostgresStore
import Reconciliation
import RedisNIO
import Rush
import VoucherCore
import VoucherServices

// The one place where a domain refusal gets more than its status, code and sentence: the extra
// members and headers a client acts on. Everything else goes through `Problem(domain:)`.

extension GrabRefusal: ProblemConvertible {
    var problem: Problem {
        var problem = Problem(domain: domainError)
        func time(_ ms: Int64) -> ProblemValue { .string(RFC3339.format(Date(timeIntervalSince1970: Double(ms) / 1000))) }
        switch self {
        case .notOpen(let start, let end), .ended(let start, let end):
            problem.extensions = ["opensAt": time(start), "closesAt": time(end)]
        case .limitReached(let held):
            problem.extensions = ["held": .int(held)]
        case .lotNotLoaded:
            problem.headers[.retryAfter] = "1"
        case .notCertified, .notGrabbable, .soldOut:
            break
        }
        return problem
    }
}

extension CampaignRequestError: ProblemConvertible {
    var problem: Problem {
        var problem = Problem(domain: domainError)
        switch self {
        case .notOpen(let opensAt, let closesAt), .ended(let opensAt, let closesAt):
            problem.extensions = ["opensAt": .string(RFC3339.format(opensAt)), "closesAt": .string(RFC3339.format(closesAt))]
        case .input, .statusInvalid, .notCertified, .lotNotApplicable, .reasonMissing:
            break
        }
        return problem
    }
}

extension ReportQueryError: ProblemConvertible {
    var problem: Problem {
        var problem = Problem(domain: domainError)
        if case .outcomeUnknown = self { problem.extensions = ["validOutcomes": .array(Outcome.allCases.map { .string($0.rawValue) })] }
        return problem
    }
}

extension VoucherApplicationError: ProblemConvertible {
    var problem: Problem {
        var problem = Problem(domain: domainError)
        if case .limitReached(let held) = self { problem.extensions = ["held": .int(Int64(held))] }
        return problem
    }
}

extension Problem {
    /// The campaign directory (PostgreSQL behind a cache) cannot be read: a 503 to retry.
    static let campaignUnreadable = Problem(
        .serviceUnavailable, code: "unavailable", detail: "The campaign could not be read right now. Retry in a moment.",
        headers: [.retryAfter: "1"])

    /// Cluster mode: the voucher was won on the master but no replica confirmed it in time; the
    /// client neither holds it nor lost it until it retries with the same Idempotency-Key.
    static let grabUnconfirmed = Problem(
        .serviceUnavailable, code: "grab_unconfirmed",
        detail:
            "Your grab was recorded but not yet confirmed by a replica. Retry with the same Idempotency-Key: "
            + "you get the voucher if it is kept, or a new decision if a failover lost it.",
        headers: [.retryAfter: "1"])

    /// Redis failures on the hot path: overload is a fast 503 with Retry-After, never a hang.
    static func grabUnavailable(_ error: RedisClientError) -> Problem {
        switch error {
        case .backpressure:
            Problem(
                .serviceUnavailable, code: "busy", detail: "The server is at capacity. Retry after the given seconds.", headers: [.retryAfter: "1"])
        default:
            Problem(
                .serviceUnavailable, code: "unavailable",
                detail: "Grabbing is unavailable for a moment. Retry after the given seconds; a voucher you were granted stays yours.",
                headers: [.retryAfter: "1"])
        }
    }
}

/// A statement with unreadable lines is a 422 that lists them (`lines: [{line, reason, codes}]`,
/// `codes` one stable code per sentence of `reason`), at most `problemsListedMax`, with
/// `linesNotListed` counting the rest.
extension ReconciliationError: ProblemConvertible {
    var problem: Problem {
        switch self {
        case .statementUnreadable(let problems):
            let listed = problems.prefix(ReconciliationLimits.problemsListedMax).map { problem -> ProblemValue in
                .object([
                    "line": .int(Int64(problem.lineNumber)), "reason": .string(problem.reason),
                    "codes": .array(problem.codes.map(ProblemValue.string)),
                ])
            }
            var detail = detail
            let more = problems.count - listed.count
            if more > 0 { detail += " The first \(listed.count) are listed; \(more) more are not." }
            return Problem(
                .unprocessableContent, code: code, detail: detail,
                extensions: [
                    "lines": .array(listed), "linesNotListed": .int(Int64(more)),
                ])
        default: return Problem(domain: domainError)
        }
    }
}

/// A file that is not a statement (or one we cannot decode) is a 422: the request was well formed,
/// its content is not something we can import. Too large stays 413.
extension StatementError: ProblemConvertible {
    var problem: Problem {
        switch kind {
        case .invalidInput: Problem(.unprocessableContent, code: code, detail: detail)
        default: Problem(domain: domainError)
        }
    }
}
