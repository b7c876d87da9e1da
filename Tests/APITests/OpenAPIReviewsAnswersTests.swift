import Foundation
import HummingbirdTesting
import PostgresNIO
import TestSupport
import Testing

/// The reviews' real answers against the document, as `OpenAPIAnswersTests` does for the other
/// routes: a completed order from `RedemptionWorld`, then every review route and its documented
/// refusals.
@Suite struct OpenAPIReviewsAnswersTests {
    /// Proves the documented statuses, schemas and problem codes hold for real answers of 我的评价, writing, reading and
    /// editing a review (in and after the window), 客户评价, the operators' list, detail and hide, and the portal's list.
    @Test func reviewAnswersMatchTheDocument() async throws {
        try await RedemptionWorld.run { world in
            let bytes = try await world.client.execute(uri: "/openapi.json", method: .get) { Data(buffer: $0.body) }
            let document = OpenAPIAnswersTests.DocumentBox(value: try JSONSerialization.jsonObject(with: bytes) as? [String: Any] ?? [:])
            let api = OpenAPIAnswersTests.Caller(client: world.client, document: document)
            let usage = try #require(try await world.completedUsages(pricesFen: [2_000_000]).first)
            var found: (String, String, String)?
            for try await row in try await world.postgres.query(
                "SELECT u.order_id, u.org_id, o.product_id FROM usages u JOIN orders o ON o.id = u.order_id WHERE u.id = \(usage)"
            ).decode((String, String, String).self) {
                found = row
            }
            let (order, org, product) = try #require(found)
            let ent = try await world.token(org)
            let prv = try await world.providerToken()
            let op = try await world.platformToken(.operator)
            let text = "方案落地效果好，顾问很专业。"

            try await api.call(.get, "/v1/reviews", token: ent, expect: .ok)
            try await api.call(.post, "/v1/reviews", token: ent, json: ["orderId": order, "stars": 7, "text": text], expect: .badRequest)
            try await api.call(.post, "/v1/reviews", token: ent, json: ["orderId": order, "stars": 5, "text": "好"], expect: .badRequest)
            let written = try await api.call(.post, "/v1/reviews", token: ent, json: ["orderId": order, "stars": 5, "text": text], expect: .created)
            let id = try #require(written["id"] as? String)
            try await api.call(.post, "/v1/reviews", token: ent, json: ["orderId": order, "stars": 4, "text": text], expect: .conflict)
            try await api.call(
                .post, "/v1/reviews", token: ent, json: ["orderId": "ord_00000000000000000000000000", "stars": 4, "text": text], expect: .notFound)
            try await api.call(.get, "/v1/reviews", token: ent, expect: .ok)
            try await api.call(.get, "/v1/reviews/{id}", ["id": id], token: ent, expect: .ok)
            try await api.call(.get, "/v1/reviews/{id}", ["id": "rev_00000000000000000000000000"], token: ent, expect: .notFound)
            try await api.call(.put, "/v1/reviews/{id}", ["id": id], token: ent, json: ["stars": 4, "text": text], expect: .ok)
            try await api.call(.get, "/v1/catalogue/{productID}", ["productID": product], expect: .ok)
            try await api.call(.get, "/v1/catalogue/{productID}/reviews", ["productID": product], expect: .ok)
            try await api.call(
                .get, "/v1/catalogue/{productID}/reviews", ["productID": "prd_00000000000000000000000000"], expect: .notFound)
            try await api.call(.get, "/v1/provider/reviews?stars=4&productId=\(product)", token: prv, expect: .ok)
            try await api.call(.get, "/v1/provider/reviews?stars=9", token: prv, expect: .badRequest)
            try await api.call(.get, "/v1/provider/reviews?to=tomorrow", token: prv, expect: .badRequest)
            world.clock.advance(seconds: 8 * 86_400)
            try await api.call(.put, "/v1/reviews/{id}", ["id": id], token: ent, json: ["stars": 3, "text": text], expect: .conflict)
            try await api.call(.post, "/v1/platform/reviews/{id}/hide", ["id": id], token: op, json: ["reason": ""], expect: .badRequest)
            try await api.call(.post, "/v1/platform/reviews/{id}/hide", ["id": id], token: op, json: ["reason": "广告内容"], expect: .ok)
            try await api.call(.post, "/v1/platform/reviews/{id}/hide", ["id": id], token: op, json: ["reason": "广告内容"], expect: .conflict)
            try await api.call(.get, "/v1/platform/reviews?visibility=hidden", token: op, expect: .ok)
            try await api.call(.get, "/v1/platform/reviews?visibility=gone", token: op, expect: .badRequest)
            try await api.call(.get, "/v1/platform/reviews/{id}", ["id": id], token: op, expect: .ok)
            try await api.call(.get, "/v1/reviews/{id}", ["id": id], token: ent, expect: .ok)
        }
    }
}
