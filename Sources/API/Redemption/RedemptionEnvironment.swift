import Foundation
import Hummingbird
import Logging
import PostgresNIO
import PostgresStore
import VoucherServices

/// What the redemption routes need; tests build one with their own clock and file folder.
public struct RedemptionEnvironment: Sendable {
    public let payees: PayeeAccountsRepository
    public let redemption: RedemptionRepository
    public let files: any FileStore
    /// Deletes refused batches' archives once nothing refers to them.
    let cleanup: FileCleanup
    public let clock: any WallClock

    public init(postgres: PostgresClient, files: any FileStore, clock: any WallClock, logger: Logger) {
        self.payees = PayeeAccountsRepository(client: postgres, logger: logger)
        self.redemption = RedemptionRepository(client: postgres, logger: logger)
        self.files = files
        self.cleanup = FileCleanup(files: files, references: StoredFileReferences(client: postgres, logger: logger), logger: logger)
        self.clock = clock
    }
}

/// Registers the payee-account, batch and payout routes on the `v1` group.
public enum RedemptionRoutes {
    public static func add(to v1: RouterGroup<AppRequestContext>, environment: RedemptionEnvironment) {
        RedemptionController(env: environment).addRoutes(to: v1)
    }

    /// Accounts (with the approvals inbox that runs the batch chain), orders and redemption behind
    /// the service's problem and auth middleware, for tests without the grab path's stores.
    /// With `reconciliation`, the statement routes too (they build on recorded transfers).
    public static func standaloneRouter(
        accounts: AccountsEnvironment, orders: OrdersEnvironment, redemption: RedemptionEnvironment,
        reconciliation: ReconciliationEnvironment? = nil
    ) -> Router<AppRequestContext> {
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: ProblemMiddleware())
        let v1 = router.group("v1").add(middleware: accounts.authMiddleware)
        AccountsRoutes.add(to: v1, environment: accounts)
        OrdersRoutes.add(to: v1, environment: orders)
        add(to: v1, environment: redemption)
        if let reconciliation { ReconciliationRoutes.add(to: v1, environment: reconciliation) }
        return router
    }
}
