import API
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RedisNIO
import Rush
import TestSupport
import Testing
import VoucherServices

@Suite struct GrabTests {
    @Test(arguments: RushWorld.RedisMode.allCases)
    func hundredConcurrentGrabsByOneEnterpriseGiveOneVoucher(redis: RushWorld.RedisMode) async throws {
        // Proves the per-enterprise limit under concurrency: 100 simultaneous grabs by one
        // enterprise yield exactly one voucher, and every answer names that same voucher.
        try await RushWorld.with(redis: redis) { world in
            let orgs = try await world.enterprises(1)
            let token = try await world.token(org: orgs[0])
            try await (try await world.app()).test(.router) { client in
                let (campaign, lot) = try await client.publishCampaign(world, campaignBody(stock: 10))
                let results = try await withThrowingTaskGroup(of: GrabAnswer.self) { group in
                    for _ in 0..<100 { group.addTask { try await client.grab(campaign, lot, token: token) } }
                    var results: [GrabAnswer] = []
                    for try await result in group { results.append(result) }
                    return results
                }
                #expect(results.filter { $0.status == .created }.count == 1)
                #expect(results.filter { $0.status == .ok }.count == 99)
                let ids = Set(results.compactMap(\.voucherID))
                #expect(ids.count == 1)
                let rows = try await world.waitForRows(campaign: campaign, count: 1)
                #expect(rows.map(\.id) == Array(ids))
                let report = try await world.verify(campaign: campaign)
                #expect(report.isConsistent, "\(report.problems)")
            }
        }
    }

    @Test(arguments: RushWorld.RedisMode.allCases)
    func twoThousandEnterprisesOnFiveHundredVouchers(redis: RushWorld.RedisMode) async throws {
        // Proves the stock bound under a rush: 2,000 enterprises on a lot of 500 get exactly 500
        // vouchers, 1,500 sold_out answers, 500 rows in PostgreSQL, and verify passes.
        try await RushWorld.with(redis: redis) { world in
            let (_, allTokens) = try await world.enterprisesWithTokens(2000)
            try await (try await world.app()).test(.router) { client in
                let (campaign, lot) = try await client.publishCampaign(world, campaignBody(stock: 500))
                let statuses = try await withThrowingTaskGroup(of: GrabAnswer.self) { group in
                    for token in allTokens { group.addTask { try await client.grab(campaign, lot, token: token) } }
                    var all: [GrabAnswer] = []
                    for try await result in group { all.append(result) }
                    return all
                }
                let won = statuses.filter { $0.status == .created }
                #expect(won.count == 500)
                #expect(statuses.filter { $0.code == "sold_out" }.count == 1500)
                #expect(Set(won.compactMap(\.voucherID)).count == 500)
                let rows = try await world.waitForRows(campaign: campaign, count: 500)
                #expect(rows.count == 500)
                #expect(Set(rows.map(\.org)).count == 500)
                #expect(Set(rows.map(\.id)) == Set(won.compactMap(\.voucherID)))
                let report = try await world.verify(campaign: campaign)
                #expect(report.isConsistent, "\(report.problems)")
                #expect(report.lots.first?.remaining == 0)
            }
        }
    }

    @Test(arguments: RushWorld.RedisMode.allCases)
    func aRetryWithTheSameKeyReturnsTheSameVoucherAndTheLimitHolds(redis: RushWorld.RedisMode) async throws {
        // Proves idempotency keys on a lot with a limit of 2: a repeated key returns its voucher,
        // a new key gets the second voucher, a third key is limit_reached.
        try await RushWorld.with(redis: redis) { world in
            let orgs = try await world.enterprises(1)
            let token = try await world.token(org: orgs[0])
            try await (try await world.app()).test(.router) { client in
                let (campaign, lot) = try await client.publishCampaign(world, campaignBody(stock: 10, limit: 2))
                let first = try await client.grab(campaign, lot, token: token, key: "k1")
                #expect(first.status == .created)
                let again = try await client.grab(campaign, lot, token: token, key: "k1")
                #expect(again.status == .ok)
                #expect(again.voucherID == first.voucherID)
                let second = try await client.grab(campaign, lot, token: token, key: "k2")
                #expect(second.status == .created)
                #expect(second.voucherID != first.voucherID)
                let third = try await client.grab(campaign, lot, token: token, key: "k3")
                #expect(third.status == .conflict)
                #expect(third.code == "limit_reached")
                _ = try await world.waitForRows(campaign: campaign, count: 2)
                let report = try await world.verify(campaign: campaign)
                #expect(report.isConsistent, "\(report.problems)")
            }
        }
    }

    @Test(arguments: RushWorld.RedisMode.allCases)
    func windowAnswersCarryTheTimes(redis: RushWorld.RedisMode) async throws {
        // Proves grabs before the window answer not_open with opensAt, and after it ended.
        try await RushWorld.with(redis: redis) { world in
            let orgs = try await world.enterprises(1)
            let token = try await world.token(org: orgs[0])
            try await (try await world.app()).test(.router) { client in
                let (early, earlyLot) = try await client.publishCampaign(world, campaignBody(stock: 5, opensIn: 3600, closesIn: 7200))
                let notOpen = try await client.call(.post, "/v1/campaigns/\(early)/lots/\(earlyLot)/grab", token: token)
                #expect(notOpen.status == .conflict)
                #expect(notOpen.code == "not_open")
                #expect(notOpen.string("opensAt")?.hasSuffix("+08:00") == true)

                let (late, lateLot) = try await client.publishCampaign(world, campaignBody(stock: 5, opensIn: -7200, closesIn: -3600))
                let ended = try await client.grab(late, lateLot, token: token)
                #expect(ended.code == "ended")

                let (open, openLot) = try await client.publishCampaign(world, campaignBody(stock: 5))
                #expect(try await client.call(.post, "/v1/campaigns/\(open)/end", token: try await world.operatorToken()).status == .ok)
                let afterEnd = try await client.grab(open, openLot, token: token)
                #expect(afterEnd.code == "ended")
                #expect(try await world.voucherRows(campaign: open).isEmpty)
            }
        }
    }

    @Test(arguments: RushWorld.RedisMode.allCases)
    func badGrabsAreRefusedAndChangeNothing(redis: RushWorld.RedisMode) async throws {
        // Proves each bad grab gets its 4xx code and leaves stock and rows untouched.
        try await RushWorld.with(redis: redis) { world in
            let orgs = try await world.enterprises(1)
            let uncertified = try await world.enterprises(1, prefix: "unc", certified: false)
            let token = try await world.token(org: orgs[0])
            try await (try await world.app()).test(.router) { client in
                let (campaign, lot) = try await client.publishCampaign(world, campaignBody(stock: 3))
                let grab = "/v1/campaigns/\(campaign)/lots/\(lot)/grab"
                let cases: [(String, String?, HTTPFields, HTTPResponse.Status, String)] = [
                    ("/v1/campaigns/\(campaign)/lots/lot_nope/grab", token, [:], .notFound, "lot_not_found"),
                    ("/v1/campaigns/cmp_nope/lots/\(lot)/grab", token, [:], .notFound, "lot_not_found"),
                    ("/v1/campaigns/\(campaign)/lots/bad%20id!/grab", token, [:], .badRequest, "id_malformed"),
                    (grab, nil, [:], .unauthorized, "unauthenticated"),
                    (grab, "not.a.token", [:], .unauthorized, "token_invalid"),
                    (grab, try await forged(world, org: orgs[0]), [:], .unauthorized, "token_invalid"),
                    (grab, try await expired(world, org: orgs[0]), [:], .unauthorized, "token_expired"),
                    (grab, try await world.token(org: "org_provider", role: .provider), [:], .forbidden, "role_forbidden"),
                    (grab, try await world.token(org: uncertified[0], certified: false), [:], .forbidden, "not_certified"),
                    (grab, token, [.idempotencyKey: String(repeating: "k", count: 65)], .badRequest, "idempotency_key_invalid"),
                ]
                for (uri, bearer, headers, status, code) in cases {
                    let answer = try await client.call(.post, uri, token: bearer, headers: headers)
                    #expect(answer.status == status, "\(uri) \(code)")
                    #expect(answer.headers[.contentType] == "application/problem+json")
                    #expect(answer.code == code)
                }
                let lots = try await client.call(.get, "/v1/campaigns/\(campaign)", token: token).json["lots"] as? [[String: Any]]
                #expect(lots?.first?["remaining"] as? Int == 3)
                #expect(try await world.voucherRows(campaign: campaign).isEmpty)
            }
        }
    }

    @Test(arguments: RushWorld.RedisMode.allCases)
    func rateLimitedGrabsGet429WithRetryAfter(redis: RushWorld.RedisMode) async throws {
        // Proves the per-enterprise token bucket: past the burst, 429 with Retry-After, and a token
        // again once a second has passed. The limiter runs on a test clock that stands still
        // between requests, so the answer does not depend on how fast the machine sends them.
        try await RushWorld.with(redis: redis, overrides: ["grab.enterpriseBurst": "3", "grab.enterprisePerSecond": "1"]) { world in
            let orgs = try await world.enterprises(1)
            let token = try await world.token(org: orgs[0])
            let clock = TestClock()
            try await (try await world.app(clock: clock)).test(.router) { client in
                let (campaign, lot) = try await client.publishCampaign(world, campaignBody(stock: 3))
                var limited = 0
                for _ in 0..<6 {
                    let answer = try await client.call(.post, "/v1/campaigns/\(campaign)/lots/\(lot)/grab", token: token)
                    if answer.status == .tooManyRequests {
                        limited += 1
                        #expect(answer.headers[.retryAfter] == "1")
                        #expect(answer.code == "rate_limited")
                    }
                }
                #expect(limited == 3)
                clock.advance(seconds: 1)
                let again = try await client.grab(campaign, lot, token: token)
                #expect(again.status != .tooManyRequests, "a second later the bucket holds a token: \(again)")
                #expect(try await client.grab(campaign, lot, token: token).code == "rate_limited")
            }
        }
    }

    @Test(arguments: RushWorld.RedisMode.allCases)
    func aLotKnownSoldOutIsAnsweredBeforeTheRateLimitsAndStillRechecked(redis: RushWorld.RedisMode) async throws {
        // Proves the order of the grab route for a lot this server knows sold out: the answer comes
        // before the rate limits (an enterprise with an empty bucket gets sold_out, not 429), with
        // the problem's headers, while the one grab per recheck interval still goes to Redis and
        // sees stock that another server added without this one hearing of it. On the test clock,
        // so the bucket and the recheck interval move only when the test says.
        try await RushWorld.with(redis: redis, overrides: ["grab.enterpriseBurst": "1", "grab.enterprisePerSecond": "1"]) { world in
            let orgs = try await world.enterprises(2)
            let (winner, late) = (try await world.token(org: orgs[0]), try await world.token(org: orgs[1]))
            let clock = TestClock()
            try await (try await world.app(clock: clock)).test(.router) { client in
                let (campaign, lot) = try await client.publishCampaign(world, campaignBody(stock: 1))
                let path = "/v1/campaigns/\(campaign)/lots/\(lot)/grab"
                #expect(try await client.grab(campaign, lot, token: winner).status == .created)
                // Redis says sold out, and the late enterprise's only token is spent.
                #expect(try await client.grab(campaign, lot, token: late).code == "sold_out")
                let remembered = try await client.call(.post, path, token: late)
                #expect(remembered.status == .conflict)
                #expect(remembered.code == "sold_out", "memory answers before the empty bucket: \(remembered.status)")
                #expect(remembered.headers[.contentType] == "application/problem+json")
                #expect(remembered.headers[.cacheControl] == "no-store")
                #expect(remembered.headers[.xContentTypeOptions] == "nosniff")
                #expect(remembered.string("detail")?.hasPrefix("This lot is sold out.") == true)
                // Another server restocks by one and its announcement never arrives here.
                let store = try await RedisClient.connect(configuration: world.config.redis.clientConfiguration)
                let meta = LotKeys(campaignID: campaign, lotID: lot).meta
                _ = try await store.send(["HINCRBY", meta, "total", "1"]).checked()
                _ = try await store.send(["HINCRBY", meta, "stock", "1"]).checked()
                await store.shutdown()
                #expect(try await client.grab(campaign, lot, token: late).code == "sold_out", "within the recheck interval")
                clock.advance(seconds: 2)
                // The recheck goes the whole way (a token again, then Redis) and wins the new voucher.
                #expect(try await client.grab(campaign, lot, token: late).status == .created)
                // Both vouchers reach PostgreSQL (verify is not asked: its lot row still says 1).
                #expect(try await world.waitForRows(campaign: campaign, count: 2).count == 2)
            }
        }
    }

    @Test(arguments: RushWorld.RedisMode.allCases)
    func stockCanRiseAfterPublishingButNotBelowIssued(redis: RushWorld.RedisMode) async throws {
        // Proves a published lot's stock may be raised, never set below what was issued, and a
        // sold-out lot sells again after a raise on this server.
        try await RushWorld.with(redis: redis) { world in
            let orgs = try await world.enterprises(3)
            try await (try await world.app()).test(.router) { client in
                let operatorToken = try await world.operatorToken()
                let (campaign, lot) = try await client.publishCampaign(world, campaignBody(stock: 1))
                #expect(try await client.grab(campaign, lot, token: try await world.token(org: orgs[0])).status == .created)
                #expect(try await client.grab(campaign, lot, token: try await world.token(org: orgs[1])).code == "sold_out")
                let below = try await client.call(.patch, "/v1/campaigns/\(campaign)/lots/\(lot)", token: operatorToken, json: ["stock": 0])
                #expect(below.status == .conflict)
                #expect(below.code == "stock_below_issued")
                let raised = try await client.call(.patch, "/v1/campaigns/\(campaign)/lots/\(lot)", token: operatorToken, json: ["stock": 2])
                #expect(raised.status == .ok)
                #expect(try await client.grab(campaign, lot, token: try await world.token(org: orgs[1])).status == .created)
                #expect(try await client.grab(campaign, lot, token: try await world.token(org: orgs[2])).code == "sold_out")
                _ = try await world.waitForRows(campaign: campaign, count: 2)
                let report = try await world.verify(campaign: campaign)
                #expect(report.isConsistent, "\(report.problems)")
            }
        }
    }
}

/// A token signed with another key.
private func forged(_ world: RushWorld, org: String) async throws -> String {
    var jwt = world.config.jwt
    jwt.secret = String(repeating: "f", count: 40)
    return try await TokenService(config: jwt).issueAccessToken(
        for: Identity(userID: "u", orgID: org, role: .enterprise, certified: true, permissions: []))
}

/// A token that expired an hour ago.
private func expired(_ world: RushWorld, org: String) async throws -> String {
    try await world.tokens.issueAccessToken(
        for: Identity(userID: "u", orgID: org, role: .enterprise, certified: true, permissions: []),
        now: Date().addingTimeInterval(-7200))
}
