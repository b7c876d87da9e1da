import Foundation
import Hummingbird
import PostgresStore
import Logging
import PostgresNIO
import Reconciliation
import VoucherCore

/// Reads a statement file and imports it: the one path of the upload route and of
/// `voucherctl statement import`, so both hash, parse and refuse the same way.
public struct StatementImporter: Sendable {
    public let repository: ReconciliationRepository
    public let policy: MatchPolicy
    let parse: @Sendable ([UInt8]) throws -> ParsedStatement

    /// `parse` is `StatementParser.parse` in production; tests may pass another reader.
    public init(repository: ReconciliationRepository, policy: MatchPolicy, parse: @escaping @Sendable ([UInt8]) throws -> ParsedStatement) {
        self.repository = repository
        self.policy = policy
        self.parse = parse
    }

    /// Parses `bytes` and imports them in one transaction (see `ReconciliationRepository.importStatement`).
    /// Throws `StatementError` for a file that is not a statement, `ReconciliationError` for unreadable lines.
    /// The same bytes again answer the first import without being parsed.
    public func importFile(_ bytes: [UInt8], filename: String, actor: String?, source: StatementSource, now: Date) async throws -> ImportResult {
        let sha256 = Secrets.sha256Hex(bytes)
        if let previous = try await repository.previousImport(sha256: sha256) { return previous }
        let parsed = try parse(bytes)
        return try await repository.importStatement(
            parsed: parsed, sha256: sha256, filename: filename, actor: actor, source: source, now: now, policy: policy)
    }
}

/// What the reconciliation routes need; tests build one with their own clock.
public struct ReconciliationEnvironment: Sendable {
    public let importer: StatementImporter
    public let reconciliation: ReconciliationRepository
    public let redemption: RedemptionRepository
    public let clock: any AccountsClock

    public init(
        postgres: PostgresClient, policy: MatchPolicy, clock: any AccountsClock, logger: Logger,
        parse: @escaping @Sendable ([UInt8]) throws -> ParsedStatement
    ) {
        let repository = ReconciliationRepository(client: postgres, logger: logger)
        self.importer = StatementImporter(repository: repository, policy: policy, parse: parse)
        self.reconciliation = repository
        self.redemption = RedemptionRepository(client: postgres, logger: logger)
        self.clock = clock
    }
}

/// Registers the finance reconciliation routes and the provider's receipts of a batch on `v1`.
public enum ReconciliationRoutes {
    public static func add(to v1: RouterGroup<AppRequestContext>, environment: ReconciliationEnvironment) {
        ReconciliationController(env: environment).addRoutes(to: v1)
    }
}

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
            return Problem(.unprocessableContent, code: code, detail: detail, extensions: [
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
