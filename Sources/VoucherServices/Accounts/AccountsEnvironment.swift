import Foundation
import Logging
import PostgresNIO
import PostgresStore
import VoucherConfig
import VoucherCore

/// What the accounts, auth and approvals routes need, built once by `Services` (tests override its
/// clock, SMS sender, file store and bcrypt cost there).
public struct AccountsEnvironment: Sendable {
    public let accounts: AccountsRepository
    public let registration: RegistrationRepository
    public let credentials: CredentialsRepository
    public let subAccounts: SubAccountsRepository
    public let approvals: ApprovalsRepository
    public let tokens: TokenService
    public let clock: any WallClock
    public let sms: any SMSSender
    public let files: any FileStore
    /// Deletes replaced and refused uploads once nothing refers to them.
    package let cleanup: FileCleanup
    /// Stores an organisation's uploads within its bound of stored bytes.
    public let storage: OrganisationStorage
    /// How long a refresh token lives, from configuration.
    public let refreshTtlSeconds: Int
    public let bcryptCost: UInt8
    public let logger: Logger
    /// Which users and logins changed lately: lets the per-request session check trust a token's
    /// claims without a query (`SessionChangePoller` keeps it fresh; writers call `changed()`).
    public let sessionChanges: SessionChangeFeed

    public init(
        postgres: PostgresClient, tokens: TokenService, refreshTtlSeconds: Int, clock: any WallClock,
        sms: any SMSSender, files: any FileStore, bcryptCost: UInt8 = AccountsLimits.bcryptCost,
        orgStoredBytesMax: Int = OrganisationStorage.bytesMaxDefault, monotonicClock: any MonotonicClock = SystemMonotonicClock(),
        logger: Logger
    ) {
        self.accounts = AccountsRepository(client: postgres, logger: logger)
        self.registration = RegistrationRepository(client: postgres, logger: logger)
        self.credentials = CredentialsRepository(client: postgres, logger: logger)
        self.subAccounts = SubAccountsRepository(client: postgres, logger: logger)
        self.approvals = ApprovalsRepository(client: postgres, logger: logger, effects: Self.effects(postgres: postgres, logger: logger))
        self.tokens = tokens
        self.refreshTtlSeconds = refreshTtlSeconds
        self.clock = clock
        self.sms = sms
        self.files = files
        self.cleanup = FileCleanup(files: files, references: StoredFileReferences(client: postgres, logger: logger), logger: logger)
        self.storage = OrganisationStorage(
            files: files, references: StoredFileReferences(client: postgres, logger: logger), bytesMax: orgStoredBytesMax)
        self.bcryptCost = bcryptCost
        self.logger = logger
        self.sessionChanges = SessionChangeFeed(
            repository: SessionChangesRepository(client: postgres, logger: logger), accessTtlSeconds: tokens.accessTokenLifetimeSeconds,
            clock: monotonicClock, logger: logger)
    }

    /// The workflows that act when their applications close; later workflows add theirs here.
    public static let effects: [String: any ApprovalEffect] = [CertificationEffect.type: CertificationEffect()].merging(OrderEffects.all) { $1 }
        .merging(RedemptionEffects.all) { $1 }.merging(CampaignEffects.all) { $1 }

    /// `effects` with the ones that need the database's client: the listing chain writes the catalogue.
    public static func effects(postgres: PostgresClient, logger: Logger) -> [String: any ApprovalEffect] {
        effects.merging([ListingEffect.type: ListingEffect(catalogue: CatalogueRepository(client: postgres, logger: logger))]) { $1 }
    }

    /// The admin CLI's environment (`AccountsProvisioning`), which needs PostgreSQL only: wall
    /// clock, the logging SMS sender, files under `dataDir`. A server takes its environment from
    /// `Services`, which builds it with the same parts.
    public static func live(config: AppConfig, postgres: PostgresClient, tokens: TokenService, logger: Logger) -> AccountsEnvironment {
        AccountsEnvironment(
            postgres: postgres, tokens: tokens, refreshTtlSeconds: config.jwt.refreshTtlSeconds, clock: SystemWallClock(),
            sms: LoggingSMSSender(logger: logger), files: LocalDiskFileStore(root: config.dataDir),
            orgStoredBytesMax: config.orgStoredBytesMax, logger: logger)
    }
}
