import API
import Foundation
import Hummingbird
import TestSupport
import Testing
import VoucherServices

@Suite struct WebPagesTests {
    static func text(_ answer: Answer) -> String { String(decoding: answer.body, as: UTF8.self) }

    @Test func campaignPagesShowListedCampaignsAndTheirRemainingStockFromRedis() async throws {
        // Proves 服务券活动 lists a published campaign (never a draft), its detail shows each lot's
        // remaining stock as the JSON detail reads it (Redis), a grab lowers it, a draft or an
        // unknown id is the 404 page and a malformed one the 400 page.
        try await AccountsWorld.run { world in
            let operatorToken = try await world.makePlatformUser(.operator, "operator_web6", phone: "13700000106")
            let enterprise = try await world.certifiedEnterprise(
                "web_co_six", phone: "13800000507", uscc: "91350100M000100Y43", operatorToken: operatorToken)
            let created = try await world.call(
                .post, "/v1/campaigns",
                json: [
                    "name": "诊断服务券<专场>", "startsAt": "2026-01-01T09:00:00+08:00", "endsAt": "2030-01-01T09:00:00+08:00",
                    "lots": [
                        ["kind": "diagnostic", "faceValueFen": 1_500_000, "stock": 5, "perEnterpriseLimit": 1, "mode": "grab", "validityDays": 180]
                    ],
                ], token: operatorToken)
            #expect(created.status == .created, "campaign: \(created.json)")
            let id = try #require(created.string("id"))
            let lot = try #require((created.json["lots"] as? [[String: Any]])?.first?["id"] as? String)
            var browser = WebBrowser(world)
            #expect(!Self.text(try await browser.get("/products")).contains("search-echo"))
            #expect(try await browser.get("/campaigns/\(id)").status == .notFound)
            #expect(!Self.text(try await browser.get("/campaigns")).contains(id))
            #expect(try await world.call(.post, "/v1/campaigns/\(id)/publish", token: operatorToken).status == .ok)
            let list = try await browser.get("/campaigns")
            #expect(Self.text(list).contains("/campaigns/\(id)") && Self.text(list).contains("诊断服务券&lt;专场&gt;"))
            let before = try await browser.get("/campaigns/\(id)")
            #expect(before.status == .ok)
            #expect(Self.text(before).contains("class=\"remaining\">5<") && Self.text(before).contains("¥15,000.00"))
            let grab = try await world.call(.post, "/v1/campaigns/\(id)/lots/\(lot)/grab", token: enterprise)
            #expect(grab.status == .created, "grab: \(grab.json)")
            #expect(Self.text(try await browser.get("/campaigns/\(id)")).contains("class=\"remaining\">4<"))
            #expect(try await browser.get("/campaigns/not-an-id").status == .badRequest)
            #expect(try await browser.get("/campaigns/cmp_00000000000000000000000000").status == .notFound)
        }
    }

    @Test func anOrderOfAnotherOrganisationOrAnUnknownOneIsTheNotFoundPage() async throws {
        // Proves 订单详情 answers the 404 page for an unknown order id inside the workbench frame, the
        // 400 page for a malformed one, and sends a visitor without a session to the login page.
        try await AccountsWorld.run { world in
            let operatorToken = try await world.makePlatformUser(.operator, "operator_web7", phone: "13700000107")
            _ = try await world.certifiedEnterprise("web_co_seven", phone: "13800000508", uscc: "91350100M000100Y43", operatorToken: operatorToken)
            var visitor = WebBrowser(world)
            let away = try await visitor.get("/workbench/orders/ord_00000000000000000000000000")
            #expect(away.status == .seeOther && away.headers[.location] == "/login?next=%2Fworkbench%2Forders%2Ford_00000000000000000000000000")
            var browser = WebBrowser(world)
            #expect(try await browser.logIn("web_co_seven", "Secret#2026").status == .seeOther)
            let unknown = try await browser.get("/workbench/orders/ord_00000000000000000000000000")
            #expect(unknown.status == .notFound)
            #expect(Self.text(unknown).contains("id=\"side-menu\""))
            #expect(try await browser.get("/workbench/orders/garbage").status == .badRequest)
        }
    }
}
