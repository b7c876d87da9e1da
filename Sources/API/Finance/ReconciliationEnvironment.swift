import Foundation
import Hummingbird
import Logging
import PostgresNIO
import PostgresStore
import Reconciliation
import VoucherCore
import VoucherServices

/// What the reconciliation routes need; tests build one with their own clock.
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

/// Registers the finance reconciliation routes and the provider's receipts of a batch on `v1`.
public enum ReconciliationRoutes {
    public static func add(to v1: RouterGroup<AppRequestContext>, environment: ReconciliationEnvironment) {
        ReconciliationController(env: environment).addRoutes(to: v1)
    }
}
