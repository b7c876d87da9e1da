import Hummingbird
import Foundation
import Ledger
import Logging
import PostgresNIO
import VoucherConfig

/// What the accounts, auth and approvals routes need, built once; tests build one with their own
/// clock, SMS sender, file store and a cheap bcrypt cost.
public struct AccountsEnvironment: Sendable {
    public let accounts: AccountsRepository
    public let registration: RegistrationRepository
    public let credentials: CredentialsRepository
    public let subAccounts: SubAccountsRepository
    public let approvals: ApprovalsRepository
    public let tokens: TokenService
    public let clock: any AccountsClock
    public let sms: any SMSSender
    public let files: any FileStore
    /// Deletes replaced and refused uploads once nothing refers to them.
    let cleanup: FileCleanup
    /// How long a refresh token lives, from configuration.
    public let refreshTtlSeconds: Int
    public let bcryptCost: UInt8
    public let logger: Logger

    public init(
        postgres: PostgresClient, tokens: TokenService, refreshTtlSeconds: Int, clock: any AccountsClock,
        sms: any SMSSender, files: any FileStore, bcryptCost: UInt8 = AccountsLimits.bcryptCost, logger: Logger
    ) {
        self.accounts = AccountsRepository(client: postgres, logger: logger)
        self.registration = RegistrationRepository(client: postgres, logger: logger)
        self.credentials = CredentialsRepository(client: postgres, logger: logger)
        self.subAccounts = SubAccountsRepository(client: postgres, logger: logger)
        self.approvals = ApprovalsRepository(client: postgres, logger: logger, effects: Self.effects)
        self.tokens = tokens
        self.refreshTtlSeconds = refreshTtlSeconds
        self.clock = clock
        self.sms = sms
        self.files = files
        self.cleanup = FileCleanup(files: files, references: StoredFileReferences(client: postgres, logger: logger), logger: logger)
        self.bcryptCost = bcryptCost
        self.logger = logger
    }

    /// The workflows that act when their applications close; later workflows add theirs here.
    public static let effects: [String: any ApprovalEffect] = [CertificationEffect.type: CertificationEffect()].merging(OrderEffects.all) { $1 }
        .merging(RedemptionEffects.all) { $1 }

    /// The running service's environment: wall clock, the logging SMS sender unless one is given
    /// (no gateway is configured yet; tests read the codes), files under `dataDir`.
    public static func live(
        config: AppConfig, postgres: PostgresClient, tokens: TokenService, logger: Logger, sms: (any SMSSender)? = nil
    ) -> AccountsEnvironment {
        AccountsEnvironment(
            postgres: postgres, tokens: tokens, refreshTtlSeconds: config.jwt.refreshTtlSeconds, clock: SystemAccountsClock(),
            sms: sms ?? LoggingSMSSender(logger: logger), files: LocalDiskFileStore(root: config.dataDir), logger: logger)
    }
}

/// Registers every route of accounts and access on the `v1` group.
public enum AccountsRoutes {
    public static func add(to v1: RouterGroup<AppRequestContext>, environment: AccountsEnvironment) {
        AuthController(env: environment).addRoutes(to: v1)
        RegistrationController(env: environment).addRoutes(to: v1)
        AccountController(env: environment).addRoutes(to: v1)
        SubAccountsController(env: environment).addRoutes(to: v1)
        ApprovalsController(env: environment).addRoutes(to: v1)
    }
}

extension AccountsRoutes {
    /// A router serving only these routes behind the same problem and auth middleware as the
    /// service, for tests and tools that need accounts without the stores of the grab path.
    public static func standaloneRouter(environment: AccountsEnvironment) -> Router<AppRequestContext> {
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: ProblemMiddleware())
        let v1 = router.group("v1").add(middleware: environment.authMiddleware)
        add(to: v1, environment: environment)
        return router
    }
}
