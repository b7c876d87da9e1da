import API
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Rush
import TestSupport
import Testing
import VoucherServices

/// The campaign page at the opening (issue 16): served without a PostgreSQL query per view, and
/// 抢券 / 立即申请 through the same use cases as the JSON routes.
@Suite struct CampaignPageTests {
    static func text(_ answer: Answer) -> String { String(decoding: answer.body, as: UTF8.self) }

    /// An `AccountsWorld` whose in-memory limits and caches run on the test's clock too (the cache's
    /// freshness moves only when the test says), with the services at hand.
    static func run(_ body: @escaping @Sendable (AccountsWorld, Services) async throws -> Void) async throws {
        try await TestDatabase.with { postgres, config in
            let clock = TestClock()
            let sms = CapturingSMS()
            let folder = TestEnvironment.stateDirectory + "/files-" + UUID().uuidString
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let overrides = Services.Overrides(
                clock: clock, rushClock: clock, files: LocalDiskFileStore(root: folder), sms: sms, bcryptCost: AccountsWorld.testBcryptCost)
            try await TestServices.with(postgres: postgres, config: config, overrides: overrides) { services in
                let router = VoucherApp.buildRouter(services: services).buildResponder()
                let app = Application(
                    responder: CallbackResponder<AppRequestContext> { request, context in
                        var context = context
                        context.clientAddress = request.headers[AccountsWorld.peerAddress]
                        return try await router.respond(to: request, context: context)
                    }, logger: TestEnvironment.logger)
                try await app.test(.router) { client in
                    try await body(
                        AccountsWorld(client: client, postgres: postgres, clock: clock, sms: sms, environment: services.accounts), services)
                }
            }
        }
    }

    /// A published campaign opened a minute ago with one grab lot (and an apply lot when asked).
    static func publishedCampaign(
        _ world: AccountsWorld, operatorToken: String, stock: Int = 5, apply: Bool = false
    ) async throws -> (
        id: String, lots: [String]
    ) {
        var lots: [[String: Any]] = [
            ["kind": "diagnostic", "faceValueFen": 1_500_000, "stock": stock, "perEnterpriseLimit": 1, "mode": "grab", "validityDays": 180]
        ]
        if apply {
            lots.append([
                "kind": "general", "direction": "cloud", "faceValueFen": 500_000, "stock": 10, "perEnterpriseLimit": 1, "mode": "apply",
                "validityDays": 90,
            ])
        }
        let starts = RFC3339.format(world.clock.now().addingTimeInterval(-60))
        let created = try await world.call(
            .post, "/v1/campaigns", json: ["name": "开门抢券", "startsAt": starts, "endsAt": "2030-01-01T09:00:00+08:00", "lots": lots],
            token: operatorToken)
        #expect(created.status == .created, "campaign: \(created.json)")
        let id = try #require(created.string("id"))
        let ids = try #require((created.json["lots"] as? [[String: Any]])?.compactMap { $0["id"] as? String })
        #expect(try await world.call(.post, "/v1/campaigns/\(id)/publish", token: operatorToken).status == .ok)
        return (id, ids)
    }

    @Test func theCampaignPagesReadPostgreSQLOncePerFreshnessNotPerView() async throws {
        // Proves the campaign detail and list read PostgreSQL once and then serve every view from
        // memory until `CampaignPageCache.freshness` passes on the clock (the cache's read count
        // stays put over 20 views, anonymous and signed in), that they keep rendering with the
        // campaigns' tables unreadable (no other query of them on the page's path), that a read
        // after the freshness bound is one read, and that a publish on this server shows at once.
        try await Self.run { world, services in
            let operatorToken = try await world.makePlatformUser(.operator, "operator_rush1", phone: "13700000161")
            _ = try await world.certifiedEnterprise("rush_co_one", phone: "13800000561", uscc: "91350100M000100Y43", operatorToken: operatorToken)
            let campaign = try await Self.publishedCampaign(world, operatorToken: operatorToken)
            var visitor = WebBrowser(world)
            var member = WebBrowser(world)
            #expect(try await member.logIn("rush_co_one", "Secret#2026").status == .seeOther)
            #expect(try await visitor.get("/campaigns/\(campaign.id)").status == .ok)
            #expect(try await visitor.get("/campaigns").status == .ok)
            let reads = services.rush.pages.reads
            #expect(reads == 2, "one read of the campaign, one of the list page")

            try await world.postgres.query("ALTER TABLE lots RENAME TO lots_away")
            try await world.postgres.query("ALTER TABLE campaigns RENAME TO campaigns_away")
            for _ in 0..<10 {
                let page = try await visitor.get("/campaigns/\(campaign.id)")
                #expect(page.status == .ok && Self.text(page).contains("class=\"remaining\">5<"))
                let signedIn = try await member.get("/campaigns/\(campaign.id)")
                #expect(signedIn.status == .ok && Self.text(signedIn).contains("id=\"grab-\(campaign.lots[0])\""))
                #expect(Self.text(try await visitor.get("/campaigns")).contains("/campaigns/\(campaign.id)"))
            }
            #expect(services.rush.pages.reads == reads, "no view read PostgreSQL")
            try await world.postgres.query("ALTER TABLE campaigns_away RENAME TO campaigns")
            try await world.postgres.query("ALTER TABLE lots_away RENAME TO lots")

            world.clock.advance(seconds: TimeInterval(CampaignPageCache.freshness.components.seconds))
            #expect(try await visitor.get("/campaigns/\(campaign.id)").status == .ok)
            #expect(services.rush.pages.reads == reads + 1, "a stale entry is read again, once")

            let second = try await Self.publishedCampaign(world, operatorToken: operatorToken)
            #expect(Self.text(try await visitor.get("/campaigns")).contains("/campaigns/\(second.id)"), "a publish here shows at once")
        }
    }

    @Test func theCampaignPageGrabsOncePerKeyAndExplainsTheLimit() async throws {
        // Proves the page's 抢券 (the script's request: session cookie, X-CSRF-Token, an
        // Idempotency-Key) grabs through the JSON route's use case: the same key twice is one
        // voucher (201 then 200, same id), a new key is the limit's 409 with its Chinese reason; no
        // CSRF token is 403 and grabs nothing; the no-script form redirects back with the outcome;
        // 立即申请 files an application; an unknown page path is the HTML 404 page, /v1 stays problem+json.
        try await Self.run { world, services in
            let operatorToken = try await world.makePlatformUser(.operator, "operator_rush2", phone: "13700000162")
            _ = try await world.certifiedEnterprise("rush_co_two", phone: "13800000562", uscc: "91350100M000100Y43", operatorToken: operatorToken)
            let campaign = try await Self.publishedCampaign(world, operatorToken: operatorToken, apply: true)
            var member = WebBrowser(world)
            #expect(try await member.logIn("rush_co_two", "Secret#2026").status == .seeOther)
            let page = try await member.get("/campaigns/\(campaign.id)")
            let csrf = try #require(WebBrowser.csrf(in: page))
            let grabPath = "/campaigns/\(campaign.id)/lots/\(campaign.lots[0])/grab"

            func scripted(_ path: String, csrf: String?, key: String?) async throws -> Answer {
                var headers: HTTPFields = [.cookie: member.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")]
                if let csrf { headers[HTTPField.Name("X-CSRF-Token")!] = csrf }
                if let key { headers[HTTPField.Name("Idempotency-Key")!] = key }
                return try await world.client.execute(uri: path, method: .post, headers: headers, body: nil) {
                    Answer(status: $0.status, headers: $0.headers, body: Array($0.body.readableBytesView))
                }
            }
            let refused = try await scripted(grabPath, csrf: "wrong", key: "k1")
            #expect(refused.status == .forbidden && refused.string("code") == "csrf_invalid")
            let first = try await scripted(grabPath, csrf: csrf, key: "k1")
            #expect(first.status == .created && first.string("result") == "issued", "grab: \(first.json)")
            let again = try await scripted(grabPath, csrf: csrf, key: "k1")
            #expect(again.status == .ok && again.string("voucherId") == first.string("voucherId"))
            let limit = try await scripted(grabPath, csrf: csrf, key: "k2")
            #expect(limit.status == .conflict && limit.string("code") == "limit_reached")
            #expect(limit.string("message")?.contains("限领") == true)
            #expect(try await services.rush.gate.remaining(campaignID: campaign.id, lotID: campaign.lots[0]) == 4)

            let form = try await member.post(grabPath, [("csrf", csrf), ("key", "k3")])
            #expect(form.status == .seeOther)
            let back = try #require(form.headers[.location])
            #expect(back == "/campaigns/\(campaign.id)?lot=\(campaign.lots[0])&result=limit_reached")
            #expect(Self.text(try await member.get(back)).contains("已达到每企业限领数量"))

            let applied = try await scripted("/campaigns/\(campaign.id)/lots/\(campaign.lots[1])/apply", csrf: csrf, key: nil)
            #expect(applied.status == .created && applied.string("result") == "applied", "apply: \(applied.json)")

            let missing = try await member.get("/no-such-page")
            #expect(missing.status == .notFound && Self.text(missing).contains("id=\"error-page\""))
            let api = try await world.call(.get, "/v1/no-such-route")
            #expect(api.status == .notFound && api.headers[.contentType]?.hasPrefix("application/problem+json") == true)
        }
    }

    @Test func theCampaignPageSharesOneRedisReadAndShowsThisServersGrabsAtOnce() async throws {
        // Proves the page's remaining stock comes from one Redis read per
        // `RemainingStockCache.freshness` (10 views, one read), that a change another server makes
        // in Redis shows once the freshness passes on the clock, that a grab on this server shows
        // at once with no clock step (the grab's answer lowers the snapshot), and that a restock on
        // this server shows at once too (it forgets the snapshot).
        try await Self.run { world, services in
            let operatorToken = try await world.makePlatformUser(.operator, "operator_rush3", phone: "13700000163")
            let member = try await world.certifiedEnterprise(
                "rush_co_three", phone: "13800000563", uscc: "91350100M000100Y43", operatorToken: operatorToken)
            let campaign = try await Self.publishedCampaign(world, operatorToken: operatorToken)
            var visitor = WebBrowser(world)
            let stock = services.rush.gate.stockViews
            func shown() async throws -> String {
                let page = Self.text(try await visitor.get("/campaigns/\(campaign.id)"))
                guard let start = page.range(of: "class=\"remaining\">") else { return "" }
                return String(page[start.upperBound...].prefix { $0 != "<" })
            }
            #expect(try await shown() == "5")
            let reads = stock.reads
            for _ in 0..<10 { #expect(try await shown() == "5") }
            #expect(stock.reads == reads, "ten views, no further Redis read")

            let meta = LotKeys(campaignID: campaign.id, lotID: campaign.lots[0]).meta
            _ = try await services.rush.redis.send(["HSET", meta, "stock", "4"]).checked()
            #expect(try await shown() == "5", "another server's change waits for the freshness")
            world.clock.advance(seconds: Double(RemainingStockCache.freshness.components.attoseconds) / 1e18)
            #expect(try await shown() == "4")
            #expect(stock.reads == reads + 1)
            // Views from the last render now (nothing changed, both caches fresh): the grab below
            // must end that too.
            for _ in 0..<3 { #expect(try await shown() == "4") }

            let grabbed = try await world.call(.post, "/v1/campaigns/\(campaign.id)/lots/\(campaign.lots[0])/grab", token: member)
            #expect(grabbed.status == .created, "grab: \(grabbed.json)")
            #expect(try await shown() == "3", "this server's grab shows at once")
            #expect(stock.reads == reads + 1)
            for _ in 0..<3 { #expect(try await shown() == "3") }

            let restocked = try await world.call(
                .patch, "/v1/campaigns/\(campaign.id)/lots/\(campaign.lots[0])", json: ["stock": 9], token: operatorToken)
            #expect(restocked.status == .ok, "restock: \(restocked.json)")
            #expect(try await shown() == "7", "a restock here shows at once (9 less the two issued)")
        }
    }
    @Test func anAnonymousViewServedFromTheLastRenderFlipsAtTheOpeningInstant() async throws {
        // Proves the anonymous views served from the last render without asking the caches
        // (`CampaignRenders.Validity`) stop at the opening instant: a campaign with only an apply
        // lot (no stock snapshot, so only the campaign's two-second freshness bounds the render)
        // shows 未开始 to repeated views, and the view right after the clock passes the opening —
        // with the campaign still fresh in its cache — shows 进行中 and the countdown's new text.
        try await Self.run { world, services in
            let operatorToken = try await world.makePlatformUser(.operator, "operator_rush4", phone: "13700000164")
            let lots: [[String: Any]] = [
                [
                    "kind": "general", "direction": "cloud", "faceValueFen": 500_000, "stock": 10, "perEnterpriseLimit": 1, "mode": "apply",
                    "validityDays": 90,
                ]
            ]
            let created = try await world.call(
                .post, "/v1/campaigns",
                json: [
                    "name": "一秒后开始", "startsAt": RFC3339.format(world.clock.now().addingTimeInterval(1)), "endsAt": "2030-01-01T09:00:00+08:00",
                    "lots": lots,
                ],
                token: operatorToken)
            #expect(created.status == .created, "campaign: \(created.json)")
            let id = try #require(created.string("id"))
            #expect(try await world.call(.post, "/v1/campaigns/\(id)/publish", token: operatorToken).status == .ok)
            var visitor = WebBrowser(world)
            func status() async throws -> String {
                let page = Self.text(try await visitor.get("/campaigns/\(id)"))
                guard let start = page.range(of: "id=\"campaign-status\">") else { return "" }
                return String(page[start.upperBound...].prefix { $0 != "<" })
            }
            for _ in 0..<5 { #expect(try await status() == "未开始") }
            let reads = services.rush.pages.reads
            world.clock.advance(seconds: 1)
            #expect(try await status() == "进行中", "the opening instant ends the held render")
            #expect(services.rush.pages.reads == reads, "the campaign was still fresh: no read, only a new render")
            #expect(Self.text(try await visitor.get("/campaigns/\(id)")).contains("活动进行中，可以抢券。"))
        }
    }
}
