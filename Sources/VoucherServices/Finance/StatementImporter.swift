import Foundation
import PostgresStore
import Reconciliation
import VoucherCore

/// Reads a statement file and imports it: the one path of the upload route and of
/// `voucherctl statement import`, so both hash, parse and refuse the same way.
public struct StatementImporter: Sendable {
    public let repository: ReconciliationRepository
    public let policy: MatchPolicy
    package let parse: @Sendable ([UInt8]) throws -> ParsedStatement

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
