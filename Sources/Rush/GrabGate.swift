import Foundation
import Logging
import Metrics
import RedisNIO

/// The grab path: the grab script decides, nothing else, with the sold-out cache in front; the
/// grabs of one lot in flight together share one script call (`GrabBatcher`).
public struct GrabGate: Sendable {
    let redis: RedisClient
    let soldOut: SoldOutCache
    let outcomes: GrabMetrics
    let batcher: GrabBatcher
    /// The remaining stock as the campaign page shows it, taught by this server's grabs.
    public let stockViews: RemainingStockCache

    /// `replication`: wait for replicas after each grab-script call (cluster mode; see `GrabReplication`).
    /// `callsInFlightPerLot`: script calls of one lot pipelined at a single Redis (see `GrabBatcher`).
    public init(
        redis: RedisClient, soldOut: SoldOutCache, replication: GrabReplication? = nil,
        stockViews: RemainingStockCache = RemainingStockCache(), callsInFlightPerLot: Int = 1
    ) {
        self.redis = redis
        self.soldOut = soldOut
        self.stockViews = stockViews
        self.outcomes = GrabMetrics()
        self.batcher = GrabBatcher(redis: redis, replication: replication, callsInFlight: callsInFlightPerLot)
    }

    /// Whether this server knows the lot sold out for `orgID`, an enterprise it handed none of its
    /// vouchers (counted as a `sold_out` outcome when true). Unlike `grab`, it never takes the one
    /// grab per `SoldOutCache` recheck that asks Redis again: that grab goes the whole way. So the
    /// route can answer these before its rate limits and its lot lookup.
    public func knownSoldOut(campaignID: String, lotID: String, orgID: String) -> Bool {
        let lot = LotKeys(campaignID: campaignID, lotID: lotID).meta
        guard soldOut.isKnownSoldOut(lot), soldOut.winner(lot: lot, org: orgID) == nil else { return false }
        outcomes.record(.soldOut)
        return true
    }

    /// Runs the grab script for `orgID` on the lot. Throws only when Redis could not answer.
    public func grab(campaignID: String, lotID: String, orgID: String, idempotencyKey: String?) async throws -> GrabOutcome {
        let keys = LotKeys(campaignID: campaignID, lotID: lotID)
        if idempotencyKey == nil, soldOut.isSoldOut(keys.meta) {
            // A winner retrying on this server still gets its voucher; elsewhere it gets sold_out
            // (its voucher is stored all the same and listed among its vouchers).
            if let won = soldOut.winner(lot: keys.meta, org: orgID) {
                outcomes.record(.again(voucherID: won.voucherID, grantedAtMs: won.grantedAtMs))
                return .again(voucherID: won.voucherID, grantedAtMs: won.grantedAtMs)
            }
            outcomes.record(.soldOut)
            return .soldOut
        }
        let outcome = try await batcher.grab(keys, orgID: orgID, idempotencyKey: idempotencyKey ?? "")
        switch outcome {
        case .soldOut:
            soldOut.markSoldOut(keys.meta)
            stockViews.learn(campaignID: campaignID, lotID: lotID, remaining: 0)
        case .won(let voucherID, let grantedAtMs, let remaining):
            soldOut.recordWinner(lot: keys.meta, org: orgID, voucherID: voucherID, grantedAtMs: grantedAtMs)
            if remaining == 0 { soldOut.markSoldOut(keys.meta) }
            stockViews.learn(campaignID: campaignID, lotID: lotID, remaining: remaining)
        default:
            break
        }
        outcomes.record(outcome)
        return outcome
    }

    /// What Redis says is left of a lot; nil when Redis does not know the lot.
    public func remaining(campaignID: String, lotID: String) async throws -> Int64? {
        let reply = try await redis.send(["HGET", LotKeys(campaignID: campaignID, lotID: lotID).meta, "stock"]).checked()
        return reply.isNull ? nil : reply.int64
    }

    /// The remaining stock of a campaign's lots as pages show it: `RemainingStockCache`'s snapshot,
    /// read from Redis (the lots' HGETs pipelined on one round trip) at most once per its freshness.
    public func shownRemaining(campaignID: String, lotIDs: [String]) async -> [String: Int64] {
        await stockViews.remaining(campaignID: campaignID, lotIDs: lotIDs) { [self] (lotIDs: [String]) in
            try await withThrowingTaskGroup(of: (String, Int64?).self) { group in
                for lotID in lotIDs {
                    group.addTask { (lotID, try await self.remaining(campaignID: campaignID, lotID: lotID)) }
                }
                var found: [String: Int64] = [:]
                for try await (lotID, left) in group {
                    if let left { found[lotID] = left }
                }
                return found
            }
        }
    }

    /// Tells every server (their `LotChangeFeed`s) that the campaign's lots changed, after the
    /// change is stored; a failed publish is logged, and the others learn it by their recheck.
    public func announceChange(campaignID: String, lotIDs: [String], logger: Logger) async {
        await LotChangeFeed.announce(redis: redis, campaignID: campaignID, lotIDs: lotIDs, logger: logger)
    }

    /// Changes a published lot's stock atomically in Redis (never below what was issued).
    public func restock(campaignID: String, lotID: String, stock: Int) async throws -> RestockResult {
        let keys = LotKeys(campaignID: campaignID, lotID: lotID)
        let reply = try await redis.evalsha(RestockScript.script, keys: [keys.meta], arguments: [String(stock)])
        guard let parts = reply.array, let tag = parts.first?.string else { throw RedisClientError.unexpectedReply(reply) }
        switch tag {
        case "ok":
            soldOut.clear(keys.meta)
            stockViews.forget(campaignID: campaignID)
            return .ok(remaining: parts.count > 1 ? parts[1].int64 ?? 0 : 0)
        case "below_issued": return .belowIssued(issued: parts.count > 1 ? parts[1].int64 ?? 0 : 0)
        default: return .unknownLot
        }
    }
}

/// The answer of a restock.
public enum RestockResult: Sendable, Equatable {
    case ok(remaining: Int64)
    case belowIssued(issued: Int64)
    case unknownLot
}

/// Grab counters by outcome (a bounded dimension).
struct GrabMetrics: Sendable {
    private let counters: [String: Counter]

    init() {
        var counters: [String: Counter] = [:]
        for label in ["won", "again", "sold_out", "not_open", "ended", "limit_reached", "unknown_lot"] {
            counters[label] = Counter(label: "voucher_grabs_total", dimensions: [("outcome", label)])
        }
        self.counters = counters
    }

    func record(_ outcome: GrabOutcome) {
        counters[outcome.label]?.increment()
    }
}
