import Foundation
import Logging
import PostgresNIO
import PostgresStore
import Reconciliation
import VoucherCore

/// What the reconciliation routes need; `Services` builds it with the server's clock and policy.
public struct ReconciliationEnvironment: Sendable {
    public let importer: StatementImporter
    public let reconciliation: ReconciliationRepository
    public let redemption: RedemptionRepository
    public let clock: any WallClock

    public init(
        postgres: PostgresClient, policy: MatchPolicy, clock: any WallClock, logger: Logger,
        parse: @escaping @Sendable ([UInt8]) throws -> ParsedStatement
    ) {
        let repository = ReconciliationRepository(client: postgres, logger: logger)
        self.importer = StatementImporter(repository: repository, policy: policy, parse: parse)
        self.reconciliation = repository
        self.redemption = RedemptionRepository(client: postgres, logger: logger)
        self.clock = clock
    }
}
