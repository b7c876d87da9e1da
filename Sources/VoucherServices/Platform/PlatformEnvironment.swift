import Foundation
import Logging
import PostgresNIO
import PostgresStore

/// What the approvals detail and the platform's lists need: the subjects' snapshots, the
/// cross-organisation lists, and the file store the subjects' files are read from.
public struct PlatformEnvironment: Sendable {
    public let subjects: ApprovalSubjectsRepository
    public let lists: PlatformListsRepository
    public let products: PlatformProductsQuery
    public let orders: OrdersRepository
    public let files: any FileStore

    public init(postgres: PostgresClient, files: any FileStore, logger: Logger) {
        self.subjects = ApprovalSubjectsRepository(client: postgres, logger: logger)
        self.lists = PlatformListsRepository(client: postgres, logger: logger)
        self.products = PlatformProductsQuery(client: postgres, logger: logger)
        self.orders = OrdersRepository(client: postgres, logger: logger)
        self.files = files
    }
}
