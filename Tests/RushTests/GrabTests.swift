import API
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing
import VoucherServices

@Suite struct GrabTests {
    @Test func hundredConcurrentGrabsByOneEnterpriseGiveOneVoucher() async throws {
        // Proves the per-enterprise limit under concurrency: 100 simultaneous grabs by one
        // enterprise yield exactly one voucher, and every answer names that same voucher.
        try await RushWorld.with { world in
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

    @Test func twoThousandEnterprisesOnFiveHundredVouchers() async throws {
        // Proves the stock bound under a rush: 2,000 enterprises on a lot of 500 get exactly 500
        // vouchers, 1,500 sold_out answers, 500 rows in PostgreSQL, and verify passes.
        try await RushWorld.with { world in
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

    @Test func aRetryWithTheSameKeyReturnsTheSameVoucherAndTheLimitHolds() async throws {
        // Proves idempotency keys on a lot with a limit of 2: a repeated key returns its voucher,
        // a new key gets the second voucher, a third key is limit_reached.
        try await RushWorld.with { world in
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

    @Test func windowAnswersCarryTheTimes() async throws {
        // Proves grabs before the window answer not_open with opensAt, and after it ended.
        try await RushWorld.with { world in
            let orgs = try await world.enterprises(1)
            let token = try await world.token(org: orgs[0])
            try await (try await world.app()).test(.router) { client in
                let (early, earlyLot) = try await client.publishCampaign(world, campaignBody(stock: 5, opensIn: 3600, closesIn: 7200))
                try await client.execute(uri: "/v1/campaigns/\(early)/lots/\(earlyLot)/grab", method: .post, headers: bearer(token)) { response in
                    #expect(response.status == .conflict)
                    let problem = try json(response.body)
                    #expect(problem["code"] as? String == "not_open")
                    #expect((problem["opensAt"] as? String)?.hasSuffix("+08:00") == true)
                }

                let (late, lateLot) = try await client.publishCampaign(world, campaignBody(stock: 5, opensIn: -7200, closesIn: -3600))
                let ended = try await client.grab(late, lateLot, token: token)
                #expect(ended.code == "ended")

                let (open, openLot) = try await client.publishCampaign(world, campaignBody(stock: 5))
                try await client.execute(uri: "/v1/campaigns/\(open)/end", method: .post, headers: bearer(try await world.operatorToken())) {
                    response in
                    #expect(response.status == .ok)
                }
                let afterEnd = try await client.grab(open, openLot, token: token)
                #expect(afterEnd.code == "ended")
                #expect(try await world.voucherRows(campaign: open).isEmpty)
            }
        }
    }

    @Test func badGrabsAreRefusedAndChangeNothing() async throws {
        // Proves each bad grab gets its 4xx code and leaves stock and rows untouched.
        try await RushWorld.with { world in
            let orgs = try await world.enterprises(1)
            let uncertified = try await world.enterprises(1, prefix: "unc", certified: false)
            let token = try await world.token(org: orgs[0])
            try await (try await world.app()).test(.router) { client in
                let (campaign, lot) = try await client.publishCampaign(world, campaignBody(stock: 3))
                let cases: [(String, HTTPFields, HTTPResponse.Status, String)] = [
                    ("/v1/campaigns/\(campaign)/lots/lot_nope/grab", bearer(token), .notFound, "lot_not_found"),
                    ("/v1/campaigns/cmp_nope/lots/\(lot)/grab", bearer(token), .notFound, "lot_not_found"),
                    ("/v1/campaigns/\(campaign)/lots/bad%20id!/grab", bearer(token), .badRequest, "id_malformed"),
                    ("/v1/campaigns/\(campaign)/lots/\(lot)/grab", [:], .unauthorized, "unauthenticated"),
                    ("/v1/campaigns/\(campaign)/lots/\(lot)/grab", bearer("not.a.token"), .unauthorized, "token_invalid"),
                    ("/v1/campaigns/\(campaign)/lots/\(lot)/grab", bearer(try await forged(world, org: orgs[0])), .unauthorized, "token_invalid"),
                    ("/v1/campaigns/\(campaign)/lots/\(lot)/grab", bearer(try await expired(world, org: orgs[0])), .unauthorized, "token_expired"),
                    (
                        "/v1/campaigns/\(campaign)/lots/\(lot)/grab", bearer(try await world.token(org: "org_provider", role: .provider)), .forbidden,
                        "role_forbidden"
                    ),
                    (
                        "/v1/campaigns/\(campaign)/lots/\(lot)/grab", bearer(try await world.token(org: uncertified[0], certified: false)),
                        .forbidden, "not_certified"
                    ),
                    (
                        "/v1/campaigns/\(campaign)/lots/\(lot)/grab", bearer(token, [.idempotencyKey: String(repeating: "k", count: 65)]),
                        .badRequest, "idempotency_key_invalid"
                    ),
                ]
                for (uri, headers, status, code) in cases {
                    try await client.execute(uri: uri, method: .post, headers: headers) { response in
                        #expect(response.status == status, "\(uri) \(code)")
                        #expect(response.headers[.contentType] == "application/problem+json")
                        let problemCode = try json(response.body)["code"] as? String
                        #expect(problemCode == code)
                    }
                }
                try await client.execute(uri: "/v1/campaigns/\(campaign)", method: .get, headers: bearer(token)) { response in
                    let lots = try json(response.body)["lots"] as? [[String: Any]]
                    #expect(lots?.first?["remaining"] as? Int == 3)
                }
                #expect(try await world.voucherRows(campaign: campaign).isEmpty)
            }
        }
    }

    @Test func campaignInputIsValidatedAndDraftsStayPrivate() async throws {
        // Proves each broken campaign field gets its own 400 code and creates nothing, only
        // operators may create or publish, and enterprises never see a draft.
        try await RushWorld.with { world in
            let orgs = try await world.enterprises(1)
            let enterprise = try await world.token(org: orgs[0])
            let operatorToken = try await world.operatorToken()
            try await (try await world.app()).test(.router) { client in
                func broken(_ change: (inout [String: Any]) -> Void) throws -> ByteBuffer {
                    var campaign = campaignBody(stock: 5)
                    change(&campaign)
                    return try body(campaign)
                }
                func lot(_ change: @escaping (inout [String: Any]) -> Void) -> (inout [String: Any]) -> Void {
                    { campaign in
                        var first = (campaign["lots"] as? [[String: Any]])?.first ?? [:]
                        change(&first)
                        campaign["lots"] = [first]
                    }
                }
                let cases: [(String, ByteBuffer)] = [
                    ("campaign_name_invalid", try broken { $0["name"] = "  " }),
                    ("time_invalid", try broken { $0["startsAt"] = "tomorrow" }),
                    ("window_invalid", try broken { $0["endsAt"] = $0["startsAt"] }),
                    ("lots_invalid", try broken { $0["lots"] = [[String: Any]]() }),
                    ("lot_kind_invalid", try broken(lot { $0["kind"] = "gold" })),
                    ("lot_direction_invalid", try broken(lot { $0["kind"] = "general" })),
                    ("lot_direction_invalid", try broken(lot { $0["direction"] = "cloud" })),
                    ("lot_face_value_invalid", try broken(lot { $0["faceValueFen"] = 0 })),
                    ("lot_stock_invalid", try broken(lot { $0["stock"] = -1 })),
                    ("lot_limit_invalid", try broken(lot { $0["perEnterpriseLimit"] = 0 })),
                    ("lot_mode_invalid", try broken(lot { $0["mode"] = "lottery" })),
                    ("lot_validity_invalid", try broken(lot { $0["validityDays"] = 0 })),
                    ("body_invalid", ByteBuffer(string: "{\"name\": 1}")),
                ]
                for (code, payload) in cases {
                    try await client.execute(uri: "/v1/campaigns", method: .post, headers: bearer(operatorToken), body: payload) { response in
                        #expect(response.status == .badRequest, "\(code)")
                        #expect(response.headers[.contentType] == "application/problem+json")
                        let problemCode = try json(response.body)["code"] as? String
                        #expect(problemCode == code)
                    }
                }
                try await client.execute(uri: "/v1/campaigns", method: .post, headers: bearer(enterprise), body: try body(campaignBody(stock: 5))) {
                    response in
                    #expect(response.status == .forbidden)
                }
                var count = -1
                for try await value in try await world.postgres.query("SELECT count(*)::int FROM campaigns").decode(Int.self) { count = value }
                #expect(count == 0)

                let draft = try await client.execute(
                    uri: "/v1/campaigns", method: .post, headers: bearer(operatorToken), body: try body(campaignBody(stock: 5))
                ) { response in
                    try json(response.body)["id"] as? String
                }
                let draftID = try #require(draft)
                try await client.execute(uri: "/v1/campaigns/\(draftID)", method: .get, headers: bearer(enterprise)) { response in
                    #expect(response.status == .notFound)
                }
                try await client.execute(uri: "/v1/campaigns", method: .get, headers: bearer(enterprise)) { response in
                    let total = try json(response.body)["total"] as? Int
                    #expect(total == 0)
                }
                try await client.execute(uri: "/v1/campaigns/\(draftID)/publish", method: .post, headers: bearer(enterprise)) { response in
                    #expect(response.status == .forbidden)
                }
                try await client.execute(uri: "/v1/campaigns/\(draftID)/end", method: .post, headers: bearer(operatorToken)) { response in
                    #expect(response.status == .conflict)
                    let problemCode = try json(response.body)["code"] as? String
                    #expect(problemCode == "campaign_not_published")
                }
            }
        }
    }

    @Test func rateLimitedGrabsGet429WithRetryAfter() async throws {
        // Proves the per-enterprise token bucket: past the burst, 429 with Retry-After, and a token
        // again once a second has passed. The limiter runs on a test clock that stands still
        // between requests, so the answer does not depend on how fast the machine sends them.
        try await RushWorld.with(overrides: ["grab.enterpriseBurst": "3", "grab.enterprisePerSecond": "1"]) { world in
            let orgs = try await world.enterprises(1)
            let token = try await world.token(org: orgs[0])
            let clock = TestClock()
            try await (try await world.app(clock: clock)).test(.router) { client in
                let (campaign, lot) = try await client.publishCampaign(world, campaignBody(stock: 3))
                var limited = 0
                for _ in 0..<6 {
                    try await client.execute(uri: "/v1/campaigns/\(campaign)/lots/\(lot)/grab", method: .post, headers: bearer(token)) { response in
                        if response.status == .tooManyRequests {
                            limited += 1
                            #expect(response.headers[.retryAfter] == "1")
                            let problemCode = try json(response.body)["code"] as? String
                            #expect(problemCode == "rate_limited")
                        }
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

    @Test func stockCanRiseAfterPublishingButNotBelowIssued() async throws {
        // Proves a published lot's stock may be raised, never set below what was issued, and a
        // sold-out lot sells again after a raise on this server.
        try await RushWorld.with { world in
            let orgs = try await world.enterprises(3)
            try await (try await world.app()).test(.router) { client in
                let operatorToken = try await world.operatorToken()
                let (campaign, lot) = try await client.publishCampaign(world, campaignBody(stock: 1))
                #expect(try await client.grab(campaign, lot, token: try await world.token(org: orgs[0])).status == .created)
                #expect(try await client.grab(campaign, lot, token: try await world.token(org: orgs[1])).code == "sold_out")
                try await client.execute(
                    uri: "/v1/campaigns/\(campaign)/lots/\(lot)", method: .patch, headers: bearer(operatorToken), body: try body(["stock": 0])
                ) { response in
                    #expect(response.status == .conflict)
                    let problemCode = try json(response.body)["code"] as? String
                    #expect(problemCode == "stock_below_issued")
                }
                try await client.execute(
                    uri: "/v1/campaigns/\(campaign)/lots/\(lot)", method: .patch, headers: bearer(operatorToken), body: try body(["stock": 2])
                ) { response in
                    #expect(response.status == .ok)
                }
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
