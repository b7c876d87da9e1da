import Foundation
import Logging
import PostgresNIO
import PostgresStore

/// What the redemption routes need; `Services` builds it with the server's clock and file store.
public struct RedemptionEnvironment: Sendable {
    public let payees: PayeeAccountsRepository
    public let redemption: RedemptionRepository
    public let files: any FileStore
    /// Stores an organisation's uploads within its bound of stored bytes.
    public let storage: OrganisationStorage
    /// Deletes refused batches' archives once nothing refers to them.
    package let cleanup: FileCleanup
    public let clock: any WallClock
    /// Quoting, ordering, listing, payee accounts and redemption need a certified organisation.
    public let certification: CertificationGate

    public init(
        postgres: PostgresClient, files: any FileStore, clock: any WallClock, orgStoredBytesMax: Int = OrganisationStorage.bytesMaxDefault,
        logger: Logger
    ) {
        self.payees = PayeeAccountsRepository(client: postgres, logger: logger)
        self.redemption = RedemptionRepository(client: postgres, logger: logger)
        self.files = files
        self.cleanup = FileCleanup(files: files, references: StoredFileReferences(client: postgres, logger: logger), logger: logger)
        self.storage = OrganisationStorage(
            files: files, references: StoredFileReferences(client: postgres, logger: logger), bytesMax: orgStoredBytesMax)
        self.clock = clock
        self.certification = CertificationGate(postgres: postgres, logger: logger)
    }
}
