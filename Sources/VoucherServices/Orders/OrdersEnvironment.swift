import Foundation
import Logging
import PostgresNIO
import PostgresStore

/// What the orders routes need; `Services` builds it with the server's clock and file store.
public struct OrdersEnvironment: Sendable {
    public let orders: OrdersRepository
    public let products: ProductsRepository
    /// The approvals module with every workflow's effect, so a provider can withdraw a listing.
    public let approvals: ApprovalsRepository
    public let files: any FileStore
    /// Stores an organisation's uploads within its bound of stored bytes.
    public let storage: OrganisationStorage
    public let clock: any WallClock
    /// Quoting, ordering, listing, payee accounts and redemption need a certified organisation.
    public let certification: CertificationGate

    public init(
        postgres: PostgresClient, files: any FileStore, clock: any WallClock, orgStoredBytesMax: Int = OrganisationStorage.bytesMaxDefault,
        logger: Logger
    ) {
        self.orders = OrdersRepository(client: postgres, logger: logger)
        self.products = ProductsRepository(client: postgres, logger: logger)
        self.approvals = ApprovalsRepository(
            client: postgres, logger: logger, effects: AccountsEnvironment.effects(postgres: postgres, logger: logger))
        self.files = files
        self.storage = OrganisationStorage(
            files: files, references: StoredFileReferences(client: postgres, logger: logger), bytesMax: orgStoredBytesMax)
        self.clock = clock
        self.certification = CertificationGate(postgres: postgres, logger: logger)
    }
}
