import Foundation
import Logging
import PostgresNIO
import PostgresStore
import RedisNIO
import Rush
import VoucherConfig
import VoucherCore

/// The grab path's shared parts, made once per process (by `Services`).
public struct RushServices: Sendable {
    public let redis: RedisClient
    public let gate: GrabGate
    public let loader: LotLoader
    public let directory: LotDirectory
    /// The 服务券活动 pages' campaigns, read from PostgreSQL at most once per freshness per server.
    public let pages: CampaignPageCache
    package let perEnterprise: RateLimiter
    package let perAddress: RateLimiter

    /// Token buckets from `grab.*` of the configuration: an enterprise may retry a few times a
    /// second; an address (many users behind one NAT) gets more. Each bucket is this server's
    /// share of the budget (`grab.servers`, `RateLimiter.share`).
    /// `clock` is the time of the in-memory limits (buckets, sold-out recheck, lot freshness).
    public init(
        redis: RedisClient, postgres: PostgresClient, campaigns: CampaignsRepository, limits: AppConfig.Grab, logger: Logger,
        clock: any MonotonicClock = SystemMonotonicClock(), replication: GrabReplication? = nil
    ) {
        self.redis = redis
        self.gate = GrabGate(
            redis: redis, soldOut: SoldOutCache(clock: clock), replication: replication, stockViews: RemainingStockCache(clock: clock),
            callsInFlightPerLot: limits.callsInFlightPerLot)
        self.loader = LotLoader(redis: redis, claims: ClaimsRepository(client: postgres, logger: logger), logger: logger)
        self.directory = LotDirectory(campaigns: campaigns, clock: clock)
        self.pages = CampaignPageCache(campaigns: campaigns, clock: clock)
        let enterprise = RateLimiter.share(burst: limits.enterpriseBurst, perSecond: limits.enterprisePerSecond, servers: limits.servers)
        let address = RateLimiter.share(burst: limits.addressBurst, perSecond: limits.addressPerSecond, servers: limits.servers)
        self.perEnterprise = RateLimiter(capacity: enterprise.capacity, refillPerSecond: enterprise.refillPerSecond, clock: clock)
        self.perAddress = RateLimiter(capacity: address.capacity, refillPerSecond: address.refillPerSecond, clock: clock)
    }
}
