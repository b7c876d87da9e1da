import Foundation
import Hummingbird
import Logging
import PostgresNIO
import PostgresStore
import VoucherServices

/// What the orders routes need; tests build one with their own clock and file folder.
public struct OrdersEnvironment: Sendable {
    public let orders: OrdersRepository
    public let products: ProductsRepository
    public let files: any FileStore
    /// Stores an organisation's uploads within its bound of stored bytes.
    public let storage: OrganisationStorage
    public let clock: any WallClock

    public init(
        postgres: PostgresClient, files: any FileStore, clock: any WallClock, orgStoredBytesMax: Int = OrganisationStorage.bytesMaxDefault,
        logger: Logger
    ) {
        self.orders = OrdersRepository(client: postgres, logger: logger)
        self.products = ProductsRepository(client: postgres, logger: logger)
        self.files = files
        self.storage = OrganisationStorage(
            files: files, references: StoredFileReferences(client: postgres, logger: logger), bytesMax: orgStoredBytesMax)
        self.clock = clock
    }
}

/// Registers the products, orders, vouchers and usages routes on the `v1` group.
public enum OrdersRoutes {
    public static func add(to v1: RouterGroup<AppRequestContext>, environment: OrdersEnvironment) {
        OrdersController(env: environment).addRoutes(to: v1)
        ProviderOrdersController(env: environment).addRoutes(to: v1)
    }

    /// Accounts (with the approvals inbox, which decides payments and refunds) and orders behind
    /// the service's problem and auth middleware, for tests without the grab path's stores.
    public static func standaloneRouter(accounts: AccountsEnvironment, orders: OrdersEnvironment) -> Router<AppRequestContext> {
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: ProblemMiddleware())
        let v1 = router.group("v1").add(middleware: accounts.authMiddleware)
        AccountsRoutes.add(to: v1, environment: accounts)
        add(to: v1, environment: orders)
        return router
    }
}
