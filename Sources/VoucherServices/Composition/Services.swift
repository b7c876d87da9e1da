import Foundation
import Logging
import PostgresNIO
import PostgresStore
import Reconciliation
import RedisNIO
import Rush
import ServiceLifecycle
import VoucherConfig
import VoucherCore

/// The one composition root: every repository, use case and shared part of a server, built once
/// from configuration and the stores. The router (`VoucherApp.buildRouter(services:)`) and the
/// background services take their parts from here; tests build the same value with `Overrides`
/// for what they must control (clocks, the file folder, the SMS sender, bcrypt's cost).
public struct Services: Sendable {
    public let config: AppConfig
    public let stores: AppStores
    public let logger: Logger
    /// The time of the use cases (codes, throttles, tokens, order and batch timestamps).
    public let clock: any WallClock
    /// The time of the in-memory limits: the grab path's rate buckets, sold-out recheck and lot
    /// freshness, and the session-change feed's staleness.
    public let rushClock: any MonotonicClock
    public let files: any FileStore
    public let sms: any SMSSender
    public let tokens: TokenService

    /// Accounts, auth, registration and the approvals inbox.
    public let accounts: AccountsEnvironment
    /// Products, orders, vouchers and usages.
    public let orders: OrdersEnvironment
    /// Payee accounts, redemption batches and payouts.
    public let redemption: RedemptionEnvironment
    /// The approvals detail's snapshots and the operators' cross-organisation lists.
    public let platform: PlatformEnvironment
    /// Statement import, matching and reports.
    public let reconciliation: ReconciliationEnvironment
    /// The grab path's shared parts.
    public let rush: RushServices
    public let campaigns: CampaignsRepository
    public let applications: VoucherApplicationsRepository
    public let publisher: CampaignPublisher
    /// The public catalogue of listed products (read by its routes, written by the listing chain).
    public let catalogue: CatalogueRepository
    /// Announcements and who read them.
    public let announcements: AnnouncementsRepository
    /// Reviews of bought products, and the catalogue's rating they move.
    public let reviews: ReviewsRepository

    /// What a test replaces; nil keeps the live part.
    public struct Overrides: Sendable {
        public var clock: (any WallClock)?
        public var rushClock: (any MonotonicClock)?
        public var files: (any FileStore)?
        public var sms: (any SMSSender)?
        public var bcryptCost: UInt8?

        public init(
            clock: (any WallClock)? = nil, rushClock: (any MonotonicClock)? = nil, files: (any FileStore)? = nil,
            sms: (any SMSSender)? = nil, bcryptCost: UInt8? = nil
        ) {
            self.clock = clock
            self.rushClock = rushClock
            self.files = files
            self.sms = sms
            self.bcryptCost = bcryptCost
        }
    }

    /// The running service's parts: the wall clock, the machine's monotonic clock, files under
    /// `dataDir`, the logging SMS sender (no gateway is configured yet; development reads the
    /// codes in the log) and the standard bcrypt cost, unless `overrides` replaces them.
    public static func live(config: AppConfig, stores: AppStores, logger: Logger, overrides: Overrides = Overrides()) async -> Services {
        Services(config: config, stores: stores, logger: logger, tokens: await TokenService(config: config.jwt), overrides: overrides)
    }

    private init(config: AppConfig, stores: AppStores, logger: Logger, tokens: TokenService, overrides: Overrides) {
        let postgres = stores.postgres
        let clock = overrides.clock ?? SystemWallClock()
        let rushClock = overrides.rushClock ?? SystemMonotonicClock()
        let files = overrides.files ?? LocalDiskFileStore(root: config.dataDir)
        let sms = overrides.sms ?? LoggingSMSSender(logger: logger)
        self.config = config
        self.stores = stores
        self.logger = logger
        self.clock = clock
        self.rushClock = rushClock
        self.files = files
        self.sms = sms
        self.tokens = tokens
        self.accounts = AccountsEnvironment(
            postgres: postgres, tokens: tokens, refreshTtlSeconds: config.jwt.refreshTtlSeconds, clock: clock, sms: sms, files: files,
            bcryptCost: overrides.bcryptCost ?? AccountsLimits.bcryptCost, orgStoredBytesMax: config.orgStoredBytesMax,
            monotonicClock: rushClock, logger: logger)
        self.orders = OrdersEnvironment(
            postgres: postgres, files: files, clock: clock, orgStoredBytesMax: config.orgStoredBytesMax, logger: logger)
        self.redemption = RedemptionEnvironment(
            postgres: postgres, files: files, clock: clock, orgStoredBytesMax: config.orgStoredBytesMax, logger: logger)
        self.platform = PlatformEnvironment(postgres: postgres, files: files, logger: logger)
        self.reconciliation = ReconciliationEnvironment(
            postgres: postgres, policy: MatchPolicy(dateWindowDays: config.reconciliation.dateWindowDays), clock: clock, logger: logger,
            parse: { try StatementParser.parse($0) })
        let campaigns = CampaignsRepository(client: postgres, logger: logger)
        self.campaigns = campaigns
        let rush = RushServices(
            redis: stores.redis, postgres: postgres, campaigns: campaigns, limits: config.grab, logger: logger, clock: rushClock,
            replication: config.redis.grabReplication)
        self.rush = rush
        self.applications = VoucherApplicationsRepository(client: postgres, logger: logger)
        self.announcements = AnnouncementsRepository(client: postgres, logger: logger)
        self.publisher = CampaignPublisher(
            campaigns: campaigns, loader: rush.loader, directory: rush.directory, gate: rush.gate, pages: rush.pages, logger: logger)
        self.catalogue = CatalogueRepository(client: postgres, logger: logger)
        self.reviews = ReviewsRepository(client: postgres, logger: logger)
    }

    /// The background work of every server: the voucher expiry job, the session-change feed's
    /// poller and, unless `sinkEnabled` is off, the claim sink that stores grabs from Redis in
    /// PostgreSQL.
    public var backgroundServices: [any Service] {
        var services: [any Service] = [VoucherExpiryService(postgres: stores.postgres, logger: logger)]
        services.append(SessionChangePoller(feed: accounts.sessionChanges, logger: logger))
        services.append(LotChangeFeed(redis: stores.redis, gate: rush.gate, pages: rush.pages, logger: logger))
        if config.sinkEnabled {
            services.append(
                ClaimSink(
                    redis: stores.redis, claims: ClaimsRepository(client: stores.postgres, logger: logger), campaigns: campaigns,
                    logger: logger, replication: config.redis.grabReplication))
        }
        return services
    }
}
