import API
import Foundation
import NIOCore
import RedisNIO
import Testing
import VoucherServices

@testable import Rush

@Suite struct RushUnitTests {
    @Test func grabRepliesParseIntoOutcomes() throws {
        // Proves every reply shape of the grab script maps to its outcome, and junk is refused.
        func bulk(_ text: String) -> RESPValue { .bulk(ByteBuffer(string: text)) }
        #expect(
            try GrabOutcome(reply: .array([bulk("won"), bulk("lot_a-7"), .integer(1000), .integer(3)]))
                == .won(voucherID: "lot_a-7", grantedAtMs: 1000, remaining: 3))
        #expect(try GrabOutcome(reply: .array([bulk("again"), bulk("lot_a-1"), .integer(5)])) == .again(voucherID: "lot_a-1", grantedAtMs: 5))
        #expect(try GrabOutcome(reply: .array([bulk("sold_out")])) == .soldOut)
        #expect(try GrabOutcome(reply: .array([bulk("not_open"), .integer(1), .integer(2)])) == .notOpen(startMs: 1, endMs: 2))
        #expect(try GrabOutcome(reply: .array([bulk("ended"), .integer(1), .integer(2)])) == .ended(startMs: 1, endMs: 2))
        #expect(try GrabOutcome(reply: .array([bulk("limit_reached"), .integer(2)])) == .limitReached(held: 2))
        #expect(try GrabOutcome(reply: .array([bulk("unknown_lot")])) == .unknownLot)
        #expect(throws: (any Error).self) { try GrabOutcome(reply: .array([bulk("won")])) }
        #expect(throws: (any Error).self) { try GrabOutcome(reply: .array([bulk("jackpot")])) }
        #expect(throws: (any Error).self) { try GrabOutcome(reply: .integer(1)) }
    }

    @Test func soldOutCacheLetsOneGrabThroughPerInterval() {
        // Proves the cache answers from memory inside the interval and lets exactly one caller
        // ask Redis when it expires; a restock clears it.
        let cache = SoldOutCache(recheckInterval: .seconds(1))
        let start = ContinuousClock.now
        #expect(!cache.isSoldOut("lot", now: start))
        cache.markSoldOut("lot", now: start)
        #expect(cache.isSoldOut("lot", now: start + .milliseconds(500)))
        #expect(!cache.isSoldOut("lot", now: start + .milliseconds(1500)))
        #expect(cache.isSoldOut("lot", now: start + .milliseconds(1501)))
        cache.clear("lot")
        #expect(!cache.isSoldOut("lot", now: start + .milliseconds(1502)))
        cache.recordWinner(lot: "lot", org: "e1", voucherID: "v1", grantedAtMs: 1)
        cache.recordWinner(lot: "lot", org: "e1", voucherID: "v2", grantedAtMs: 2)
        #expect(cache.winner(lot: "lot", org: "e1")?.voucherID == "v1")
        #expect(cache.winner(lot: "lot", org: "e2") == nil)
    }

    @Test func knownSoldOutNeverTakesTheRecheck() {
        // Proves the peek the grab route asks before its rate limits: true only inside the
        // interval, and asking it never makes the caller the one that goes to Redis — after the
        // interval, `isSoldOut` still hands that turn to exactly one caller.
        let cache = SoldOutCache(recheckInterval: .seconds(1))
        let start = ContinuousClock.now
        #expect(!cache.isKnownSoldOut("lot", now: start))
        cache.markSoldOut("lot", now: start)
        #expect(cache.isKnownSoldOut("lot", now: start + .milliseconds(999)))
        for _ in 0..<3 { #expect(!cache.isKnownSoldOut("lot", now: start + .milliseconds(1500))) }
        #expect(!cache.isSoldOut("lot", now: start + .milliseconds(1500)), "the recheck is still there to take")
        #expect(cache.isKnownSoldOut("lot", now: start + .milliseconds(1501)))
        cache.clear("lot")
        #expect(!cache.isKnownSoldOut("lot", now: start + .milliseconds(1502)))
    }

    @Test func tokenBucketAllowsTheBurstThenTheRate() {
        // Proves the limiter's arithmetic: a burst of 3, then one token per second.
        let limiter = RateLimiter(capacity: 3, refillPerSecond: 1)
        let start = ContinuousClock.now
        for _ in 0..<3 { #expect(limiter.acquire("e", now: start) == nil) }
        #expect(limiter.acquire("e", now: start) == 1)
        #expect(limiter.acquire("other", now: start) == nil)
        #expect(limiter.acquire("e", now: start + .milliseconds(1100)) == nil)
        #expect(limiter.acquire("e", now: start + .milliseconds(1200)) != nil)
    }

    @Test func serverSharesAddUpToTheBudgetUnderRoundRobin() {
        // Proves the per-server share of a rate budget: N limiters made with `share` and fed one
        // client's requests in turn (a round-robin balancer) admit the budget's burst and then its
        // rate, never more; a balancer that sent everything to one server would admit only 1/N.
        for servers in [1, 2, 3, 4] {
            let share = RateLimiter.share(burst: 24, perSecond: 12, servers: servers)
            #expect(share.capacity * Double(servers) == 24 && share.refillPerSecond * Double(servers) == 12)
            let limiters = (0..<servers).map { _ in RateLimiter(capacity: share.capacity, refillPerSecond: share.refillPerSecond) }
            let start = ContinuousClock.now
            func admitted(_ requests: Int, at now: ContinuousClock.Instant, turn: inout Int) -> Int {
                var count = 0
                for _ in 0..<requests {
                    if limiters[turn % servers].acquire("e", now: now) == nil { count += 1 }
                    turn += 1
                }
                return count
            }
            var turn = 0
            #expect(admitted(100, at: start, turn: &turn) == 24)
            #expect(admitted(100, at: start + .seconds(1), turn: &turn) == 12)
            #expect(admitted(100, at: start + .seconds(3), turn: &turn) == 24)
            let lone = RateLimiter(capacity: share.capacity, refillPerSecond: share.refillPerSecond)
            #expect((0..<100).filter { _ in lone.acquire("e", now: start) == nil }.count == 24 / servers)
        }
        // A burst smaller than the servers: each keeps one token, so N in all (documented).
        #expect(RateLimiter.share(burst: 2, perSecond: 1, servers: 4).capacity == 1)
    }

    @Test func verifierRulesFlagEachMismatch() {
        // Proves each consistency rule of `campaign verify` fires on its own breach and not otherwise.
        let good = CampaignVerifier.LotReport(
            lotID: "l", stock: 10, redisTotal: 10, remaining: 4, issued: 6, claimed: 6, rows: 6, overLimitInRedis: [], overLimitInPostgres: [])
        #expect(CampaignVerifier.problems(good).isEmpty)
        func with(_ change: (inout (Int, Int64, Int64, Int64, Int64, Int, [String], [String])) -> Void) -> [String] {
            var v = (
                good.stock, good.redisTotal, good.remaining, good.issued, good.claimed, good.rows, good.overLimitInRedis, good.overLimitInPostgres
            )
            change(&v)
            return CampaignVerifier.problems(
                .init(
                    lotID: "l", stock: v.0, redisTotal: v.1, remaining: v.2, issued: v.3, claimed: v.4, rows: v.5, overLimitInRedis: v.6,
                    overLimitInPostgres: v.7))
        }
        #expect(with { $0.0 = 11 }.count == 1)  // stock differs between stores
        #expect(!with { $0.2 = 5 }.isEmpty)  // issued ≠ stock − remaining
        #expect(!with { $0.4 = 5 }.isEmpty)  // claims ≠ issued
        #expect(!with { $0.5 = 5 }.isEmpty)  // rows ≠ issued (lost)
        #expect(!with { $0.5 = 7 }.isEmpty)  // rows ≠ issued (duplicated)
        #expect(!with { $0.6 = ["e"] }.isEmpty)  // over the limit in Redis
        #expect(!with { $0.7 = ["e"] }.isEmpty)  // over the limit in PostgreSQL
        #expect(with { $0.1 = -1 } == ["lot l is not loaded in Redis"])
    }

    @Test func keysShareTheCampaignHashTag() {
        // Proves every key of a grab hashes to one Redis Cluster slot: they share `{c:<id>}`.
        let keys = LotKeys(campaignID: "cmp_x", lotID: "lot_y")
        for key in keys.grabKeys { #expect(key.contains("{c:cmp_x}")) }
        #expect(CampaignKeys(campaignID: "cmp_x").deadLetters.contains("{c:cmp_x}"))
    }

    @Test func aClaimStreamNamesItsCampaignsKeys() {
        // Proves the sink finds a stream's dead-letter key through CampaignKeys (not by string
        // surgery), and that keys which are not a campaign's claim stream are not taken for one.
        let keys = CampaignKeys(campaignID: "cmp_abc")
        #expect(CampaignKeys(stream: keys.stream) == keys)
        #expect(CampaignKeys(stream: keys.stream)?.deadLetters == "vr:{c:cmp_abc}:dead")
        for other in ["vr:{c:cmp_abc}:dead", "vr:{c:}:claims", "claims", "vr:{c:cmp_abc}:claims:x", ""] {
            #expect(CampaignKeys(stream: other) == nil, "\(other)")
        }
    }

    @Test func timesAreFormattedInChinaStandardTime() {
        // Proves the RFC 3339 answers carry +08:00 and round-trip through the parser.
        let date = Date(timeIntervalSince1970: 1_764_554_400)  // 2025-12-01T02:00:00Z
        #expect(RFC3339.format(date) == "2025-12-01T10:00:00+08:00")
        #expect(RFC3339.parse("2025-12-01T10:00:00+08:00") == date)
        #expect(RFC3339.parse("2025-12-01T02:00:00Z") == date)
        #expect(RFC3339.parse("2025-12-01 10:00") == nil)
        #expect(RFC3339.format(Date(timeIntervalSince1970: -1)) == "1970-01-01T07:59:59+08:00")
    }
}
