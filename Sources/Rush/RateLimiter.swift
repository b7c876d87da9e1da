import Synchronization
import VoucherCore

/// Token buckets per key (an enterprise, a client address), in memory. With several servers
/// behind a load balancer each has its own buckets, so each server is given its share of the
/// budget (`share`): a round-robin balancer spreads a client's requests evenly, and the shares
/// add back up to the budget. The grab script's per-enterprise limit stays the hard rule either way.
public final class RateLimiter: Sendable {
    /// One server's bucket when `servers` processes share a budget of `burst` tokens and
    /// `perSecond` tokens a second: each gets 1/servers of both, so the sum over the servers is
    /// the budget and never more. Tokens are fractional (no rounding of the share); the bucket is
    /// kept at one token at least, so a burst smaller than the number of servers is exceeded (each
    /// server still admits one request, `servers` in all) — configure burst >= servers.
    public static func share(burst: Int, perSecond: Int, servers: Int) -> (capacity: Double, refillPerSecond: Double) {
        precondition(burst >= 1 && perSecond >= 1 && servers >= 1)
        return (max(1, Double(burst) / Double(servers)), Double(perSecond) / Double(servers))
    }

    /// Tokens a bucket holds at most (the burst).
    public let capacity: Double
    /// Tokens added per second.
    public let refillPerSecond: Double
    /// Bound on tracked keys; the oldest half is dropped past it.
    public static let keysMax = 200_000

    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    /// Key → bucket. Guarded by the mutex.
    private let buckets = Mutex<[String: Bucket]>([:])
    /// Where `acquire` reads the time when it is not given one.
    private let clock: any MonotonicClock

    public init(capacity: Double, refillPerSecond: Double, clock: any MonotonicClock = SystemMonotonicClock()) {
        precondition(capacity >= 1 && refillPerSecond > 0)
        self.capacity = capacity
        self.refillPerSecond = refillPerSecond
        self.clock = clock
    }

    /// Takes a token for `key`: nil when allowed, else the seconds until one is available.
    public func acquire(_ key: String, now: ContinuousClock.Instant? = nil) -> Int? {
        let now = now ?? clock.instant()
        return buckets.withLock { buckets in
            if buckets.count >= RateLimiter.keysMax { prune(&buckets) }
            var bucket = buckets[key] ?? Bucket(tokens: capacity, updated: now)
            let elapsed = now - bucket.updated
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.tokens = min(capacity, bucket.tokens + seconds * refillPerSecond)
            bucket.updated = now
            defer { buckets[key] = bucket }
            guard bucket.tokens >= 1 else {
                return max(1, Int(((1 - bucket.tokens) / refillPerSecond).rounded(.up)))
            }
            bucket.tokens -= 1
            return nil
        }
    }

    private func prune(_ buckets: inout [String: Bucket]) {
        let sorted = buckets.sorted { $0.value.updated < $1.value.updated }
        for (key, _) in sorted.prefix(buckets.count / 2) { buckets.removeValue(forKey: key) }
    }
}
