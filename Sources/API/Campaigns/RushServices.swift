import Foundation
import Hummingbird
import Logging
import PostgresNIO
import PostgresStore
import RedisNIO
import Rush
import ServiceLifecycle
import VoucherConfig
import VoucherCore
import VoucherServices

/// The grab path's shared parts, made once per process.
public struct RushServices: Sendable {
    public let redis: RedisClient
    public let gate: GrabGate
    public let loader: LotLoader
    public let directory: LotDirectory
    let perEnterprise: RateLimiter
    let perAddress: RateLimiter

    /// Token buckets from `grab.*` of the configuration: an enterprise may retry a few times a
    /// second; an address (many users behind one NAT) gets more.
    /// `clock` is the time of the in-memory limits (buckets, sold-out recheck, lot freshness).
    public init(
        redis: RedisClient, postgres: PostgresClient, limits: AppConfig.Grab, logger: Logger, clock: any MonotonicClock = SystemMonotonicClock()
    ) {
        self.redis = redis
        self.gate = GrabGate(redis: redis, soldOut: SoldOutCache(clock: clock))
        self.loader = LotLoader(redis: redis, claims: ClaimsRepository(client: postgres, logger: logger), logger: logger)
        self.directory = LotDirectory(campaigns: CampaignsRepository(client: postgres, logger: logger), clock: clock)
        self.perEnterprise = RateLimiter(
            capacity: Double(limits.enterpriseBurst), refillPerSecond: Double(limits.enterprisePerSecond), clock: clock)
        self.perAddress = RateLimiter(capacity: Double(limits.addressBurst), refillPerSecond: Double(limits.addressPerSecond), clock: clock)
    }

    /// Throws a 429 with Retry-After when the enterprise or the address is over its rate.
    func admit(org: String, address: String?) throws {
        if let wait = perEnterprise.acquire(org) ?? address.flatMap({ perAddress.acquire($0) }) {
            throw Problem(
                .tooManyRequests, code: "rate_limited", detail: "Too many requests. Retry after \(wait) seconds.",
                headers: [.retryAfter: String(wait)], extensions: ["retryAfterSeconds": .int(Int64(wait))])
        }
    }
}
