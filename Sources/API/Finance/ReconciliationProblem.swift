import Hummingbird
import PostgresStore
import Reconciliation
import VoucherCore
import VoucherServices

/// A statement with unreadable lines is a 422 that lists them (`lines: [{line, reason}]`), at
/// most `problemsListedMax`, with `linesNotListed` counting the rest.
extension ReconciliationError: ProblemConvertible {
    var problem: Problem {
        switch self {
        case .statementUnreadable(let problems):
            let listed = problems.prefix(ReconciliationLimits.problemsListedMax).map { problem -> ProblemValue in
                .object(["line": .int(Int64(problem.lineNumber)), "reason": .string(problem.reason)])
            }
            var detail = detail
            let more = problems.count - listed.count
            if more > 0 { detail += " The first \(listed.count) are listed; \(more) more are not." }
            return Problem(
                .unprocessableContent, code: code, detail: detail,
                extensions: [
                    "lines": .array(listed), "linesNotListed": .int(Int64(more)),
                ])
        case .statementEmpty: return Problem(.unprocessableContent, code: code, detail: detail)
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
