import Foundation
import Logging
import PostgresNIO
import PostgresStore

/// What the redemption routes need; `Services` builds it with the server's clock and file store.
public struct RedemptionEnvironment: Sendable {
    public let payees: PayeeAccountsRepository
    public let redemption: RedemptionRepository
    public let files: any FileStore
    /// Deletes refused batches' archives once nothing refers to them.
    package let cleanup: FileCleanup
    public let clock: any WallClock

    public init(postgres: PostgresClient, files: any FileStore, clock: any WallClock, logger: Logger) {
        self.payees = PayeeAccountsRepository(client: postgres, logger: logger)
        self.redemption = RedemptionRepository(client: postgres, logger: logger)
        self.files = files
        self.cleanup = FileCleanup(files: files, references: StoredFileReferences(client: postgres, logger: logger), logger: logger)
        self.clock = clock
    }
}
