import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import TestSupport
import Testing

/// Campaign management over HTTP: what an operator may create and publish, and what others see.
@Suite struct CampaignInputTests {
    @Test func campaignInputIsValidatedAndDraftsStayPrivate() async throws {
        // Proves each broken campaign field gets its own 400 code and creates nothing, only
        // operators may create or publish, and enterprises never see a draft.
        try await RushWorld.with { world in
            let orgs = try await world.enterprises(1)
            let enterprise = try await world.token(org: orgs[0])
            let operatorToken = try await world.operatorToken()
            try await (try await world.app()).test(.router) { client in
                func broken(_ change: (inout [String: Any]) -> Void) -> [String: Any] {
                    var campaign = campaignBody(stock: 5)
                    change(&campaign)
                    return campaign
                }
                func lot(_ change: @escaping (inout [String: Any]) -> Void) -> (inout [String: Any]) -> Void {
                    { campaign in
                        var first = (campaign["lots"] as? [[String: Any]])?.first ?? [:]
                        change(&first)
                        campaign["lots"] = [first]
                    }
                }
                let cases: [(String, [String: Any])] = [
                    ("campaign_name_invalid", broken { $0["name"] = "  " }),
                    ("time_invalid", broken { $0["startsAt"] = "tomorrow" }),
                    ("window_invalid", broken { $0["endsAt"] = $0["startsAt"] }),
                    ("lots_invalid", broken { $0["lots"] = [[String: Any]]() }),
                    ("lot_kind_invalid", broken(lot { $0["kind"] = "gold" })),
                    ("lot_direction_invalid", broken(lot { $0["kind"] = "general" })),
                    ("lot_direction_invalid", broken(lot { $0["direction"] = "cloud" })),
                    ("lot_face_value_invalid", broken(lot { $0["faceValueFen"] = 0 })),
                    ("lot_stock_invalid", broken(lot { $0["stock"] = -1 })),
                    ("lot_limit_invalid", broken(lot { $0["perEnterpriseLimit"] = 0 })),
                    ("lot_mode_invalid", broken(lot { $0["mode"] = "lottery" })),
                    ("lot_validity_invalid", broken(lot { $0["validityDays"] = 0 })),
                    ("body_invalid", ["name": 1]),
                ]
                for (code, payload) in cases {
                    let refused = try await client.call(.post, "/v1/campaigns", token: operatorToken, json: payload)
                    #expect(refused.status == .badRequest, "\(code)")
                    #expect(refused.headers[.contentType] == "application/problem+json")
                    #expect(refused.code == code)
                }
                let byEnterprise = try await client.call(.post, "/v1/campaigns", token: enterprise, json: campaignBody(stock: 5))
                #expect(byEnterprise.status == .forbidden)
                var count = -1
                for try await value in try await world.postgres.query("SELECT count(*)::int FROM campaigns").decode(Int.self) { count = value }
                #expect(count == 0)

                let draft = try await client.call(.post, "/v1/campaigns", token: operatorToken, json: campaignBody(stock: 5))
                let draftID = try #require(draft.string("id"))
                #expect(try await client.call(.get, "/v1/campaigns/\(draftID)", token: enterprise).status == .notFound)
                #expect(try await client.call(.get, "/v1/campaigns", token: enterprise).json["total"] as? Int == 0)
                #expect(try await client.call(.post, "/v1/campaigns/\(draftID)/publish", token: enterprise).status == .forbidden)
                let notPublished = try await client.call(.post, "/v1/campaigns/\(draftID)/end", token: operatorToken)
                #expect(notPublished.status == .conflict)
                #expect(notPublished.code == "campaign_not_published")
            }
        }
    }
}
