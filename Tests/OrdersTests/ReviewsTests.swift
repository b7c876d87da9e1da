import Foundation
import HTTPTypes
import PostgresNIO
import TestSupport
import Testing
import VoucherServices

/// Reviews over HTTP against real PostgreSQL (issue 15 item 1): 我的评价, writing and editing
/// within the window, 客户评价 with its filters, operators hiding, the portal, and the
/// catalogue's rating kept in step with every write.
@Suite("Reviews")
struct ReviewsTests {
    static let text = "交付及时，诊断报告很专业。"

    /// Proves an enterprise reviews a completed order once (201), 我的评价 turns 立即评价 into
    /// 查看评价, the catalogue's card and detail count it at once (count, sum, average in tenths)
    /// without the reviewer, an edit within seven days moves the sum, one after it is 409 and
    /// changes nothing, and 客户评价 shows it to its provider only, with working filters.
    @Test func reviewEditAndRating() async throws {
        try await RedemptionWorld.run { world in
            let (order, org, product) = try await world.completedOrder()
            let enterprise = try await world.token(org)
            let before = try await world.call(.get, "/v1/reviews", token: enterprise)
            #expect(before.json["total"] as? Int == 1 && before.items.first?["action"] as? String == "review", "\(before.json)")
            #expect((before.items.first?["product"] as? [String: Any])?["state"] as? String == "listed")

            let written = try await world.review(org, order: order, stars: 4)
            #expect(written.status == .created, "\(written.json)")
            let id = try #require(written.string("id"))
            #expect(written.json["editable"] as? Bool == true && written.string("text") == Self.text)
            #expect(try await world.rating(product) == (1, 4))
            let card = try await world.call(.get, "/v1/catalogue/\(product)", token: nil)
            #expect(card.status == .ok)
            let rating = (card.json["product"] as? [String: Any])?["rating"] as? [String: Any]
            #expect(rating?["count"] as? Int == 1 && rating?["sum"] as? Int == 4 && rating?["averageTenths"] as? Int == 40, "\(card.json)")
            let shown = try #require((card.json["reviews"] as? [[String: Any]])?.first)
            #expect(Set(shown.keys) == ["id", "stars", "text", "createdAt", "updatedAt"], "the portal shows no reviewer and no order")
            let publicList = try await world.call(.get, "/v1/catalogue/\(product)/reviews", token: nil)
            #expect(publicList.json["total"] as? Int == 1 && publicList.items.first?["id"] as? String == id)
            let after = try await world.call(.get, "/v1/reviews", token: enterprise)
            #expect(after.items.first?["action"] as? String == "view")
            #expect((after.items.first?["review"] as? [String: Any])?["stars"] as? Int == 4)

            world.clock.advance(seconds: 6 * 86_400)
            let edited = try await world.call(.put, "/v1/reviews/\(id)", token: enterprise, json: ["stars": 2, "text": "后续服务一般，响应慢。"])
            #expect(edited.status == .ok && edited.json["stars"] as? Int == 2, "\(edited.json)")
            #expect(try await world.rating(product) == (1, 2))

            world.clock.advance(seconds: 2 * 86_400)
            let unchanged = try await world.reviewTables()
            let late = try await world.call(.put, "/v1/reviews/\(id)", token: enterprise, json: ["stars": 5, "text": Self.text])
            #expect(late.status == .conflict && late.code == "review_edit_window_closed", "\(late.json)")
            #expect(try await world.reviewTables() == unchanged, "a refused edit changed nothing")
            #expect(try await world.call(.get, "/v1/reviews/\(id)", token: enterprise).json["editable"] as? Bool == false)

            let provider = try await world.providerToken()
            let customer = try await world.call(.get, "/v1/provider/reviews", token: provider)
            #expect(customer.json["total"] as? Int == 1, "\(customer.json)")
            let line = try #require(customer.items.first)
            #expect((line["customer"] as? [String: Any])?["name"] as? String == org && line["stars"] as? Int == 2)
            #expect((line["product"] as? [String: Any])?["id"] as? String == product)
            let filters: [(String, Int)] = [
                ("stars=2", 1), ("stars=5", 0), ("productId=\(product)", 1), ("productId=prd_00000000000000000000000000", 0),
                ("from=2000-01-01T00:00:00%2B08:00&to=2100-01-01T00:00:00Z", 1), ("from=2100-01-01T00:00:00Z", 0),
            ]
            for (query, total) in filters {
                let filtered = try await world.call(.get, "/v1/provider/reviews?\(query)", token: provider)
                #expect(filtered.json["total"] as? Int == total, "\(query): \(filtered.json)")
            }
            for (query, code) in [("stars=6", "filter_invalid"), ("productId=x", "filter_invalid"), ("from=yesterday", "time_invalid")] {
                let refused = try await world.call(.get, "/v1/provider/reviews?\(query)", token: provider)
                #expect(refused.status == .badRequest && refused.code == code, "\(query): \(refused.json)")
            }
            let other = try await world.call(.get, "/v1/provider/reviews", token: try await world.providerToken(RedemptionWorld.otherProvider))
            #expect(other.json["total"] as? Int == 0, "another provider sees none of them")
            let otherByProduct = try await world.call(
                .get, "/v1/provider/reviews?productId=\(product)", token: try await world.providerToken(RedemptionWorld.otherProvider))
            #expect(otherByProduct.json["total"] as? Int == 0)
        }
    }

    /// Proves every bad input is a 4xx problem with its code and changes no table: a review of an
    /// order not accepted, 0, 6 or 4.5 stars, text empty, too short or over 500 characters, an
    /// unknown or malformed order, another enterprise's order (404), a second review of one order
    /// (409, also when two are sent at once: the order's lock and the UNIQUE constraint), another
    /// enterprise's review (404) and a provider writing one (403).
    @Test func badInputsChangeNothing() async throws {
        try await RedemptionWorld.run { world in
            let (order, org, product) = try await world.completedOrder()
            var spec = ""
            for try await id in try await world.postgres.query("SELECT spec_id FROM orders WHERE id = \(order)").decode(String.self) { spec = id }
            let placed = try await world.call(
                .post, "/v1/orders", token: try await world.token(org), json: ["productId": product, "specId": spec, "quantity": 1],
                headers: [.idempotencyKey: UUID().uuidString])
            let pending = try #require(placed.string("id"), "\(placed.json)")

            let before = try await world.reviewTables()
            let text = Self.text
            var refusals: [(String, [String: Any], HTTPResponse.Status, String)] = []
            refusals.append((org, ["orderId": pending, "stars": 4, "text": text], .conflict, "order_not_accepted"))
            refusals.append((org, ["orderId": order, "stars": 0, "text": text], .badRequest, "review_stars_invalid"))
            refusals.append((org, ["orderId": order, "stars": 6, "text": text], .badRequest, "review_stars_invalid"))
            refusals.append((org, ["orderId": order, "stars": 4.5, "text": text], .badRequest, "review_stars_invalid"))
            refusals.append((org, ["orderId": order, "stars": "five", "text": text], .badRequest, "body_invalid"))
            refusals.append((org, ["orderId": order, "stars": 4, "text": ""], .badRequest, "review_text_too_short"))
            refusals.append((org, ["orderId": order, "stars": 4, "text": "  很好  "], .badRequest, "review_text_too_short"))
            refusals.append((org, ["orderId": order, "stars": 4, "text": String(repeating: "好", count: 501)], .badRequest, "review_text_too_long"))
            refusals.append((org, ["orderId": "ord_00000000000000000000000000", "stars": 4, "text": text], .notFound, "order_not_found"))
            refusals.append((org, ["orderId": "not an id", "stars": 4, "text": text], .badRequest, "id_malformed"))
            refusals.append(("ent_x", ["orderId": order, "stars": 4, "text": text], .notFound, "order_not_found"))
            for (who, body, status, code) in refusals {
                let answer = try await world.call(.post, "/v1/reviews", token: try await world.token(who), json: body)
                #expect(answer.status == status && answer.code == code, "\(body): \(answer.json)")
                #expect(answer.headers[.contentType] == "application/problem+json")
                #expect((answer.json["detail"] as? String)?.isEmpty == false)
            }
            let empty = try await world.call(.post, "/v1/reviews", token: try await world.token(org), json: ["orderId": order])
            #expect(empty.code == "body_invalid", "a body without stars and text is refused: \(empty.json)")
            let tooLong = try await world.review(org, order: order, stars: 4, text: String(repeating: "好", count: 501))
            #expect((tooLong.json["detail"] as? String)?.contains("500") == true, "the sentence names the limit")
            let asProvider = try await world.call(
                .post, "/v1/reviews", token: try await world.providerToken(), json: ["orderId": order, "stars": 4, "text": Self.text])
            #expect(asProvider.status == .forbidden && asProvider.code == "role_forbidden")
            #expect(try await world.reviewTables() == before, "no refused review changed a table")

            let written = try await world.review(org, order: order, stars: 5, text: String(repeating: "好", count: 500))
            #expect(written.status == .created, "500 characters are allowed: \(written.json)")
            let id = try #require(written.string("id"))
            let once = try await world.reviewTables()
            let second = try await world.review(org, order: order, stars: 1)
            #expect(second.status == .conflict && second.code == "review_exists", "\(second.json)")
            for (method, json) in [(HTTPRequest.Method.get, nil), (.put, ["stars": 1, "text": Self.text])] as [(HTTPRequest.Method, [String: Any]?)] {
                let foreign = try await world.call(method, "/v1/reviews/\(id)", token: try await world.token("ent_x"), json: json)
                #expect(foreign.status == .notFound && foreign.code == "review_not_found", "\(foreign.json)")
            }
            #expect(try await world.reviewTables() == once)
            #expect(try await world.rating(product) == (1, 5))

            // Two reviews of one order at once: exactly one is written.
            let (raced, racer, racedProduct) = try await world.completedOrder()
            async let first = world.review(racer, order: raced, stars: 3)
            async let other = world.review(racer, order: raced, stars: 1)
            let statuses = [try await first, try await other].map(\.status.code).sorted()
            #expect(statuses == [201, 409], "\(statuses)")
            #expect(try await world.count("SELECT count(*)::int FROM reviews WHERE order_id = '\(raced)'") == 1)
            let stars = try await world.count("SELECT stars FROM reviews WHERE order_id = '\(raced)'")
            #expect(try await world.rating(racedProduct) == (1, Int64(stars)))
        }
    }

    /// Proves an operator hides a review only with a reason: it leaves the rating, the portal and
    /// 客户评价, stays in the operators' list with who, when and why, its audit (append-only) keeps
    /// the write and the hide, and it changes no more; and that a product delisted and listed again
    /// starts from its visible reviews.
    @Test func hideAndRelist() async throws {
        try await RedemptionWorld.run { world in
            let (order, org, product) = try await world.completedOrder()
            let id = try #require(try await world.review(org, order: order, stars: 5).string("id"))
            let operatorToken = try await world.platformToken(.operator)
            let before = try await world.reviewTables()
            let noReason = try await world.call(.post, "/v1/platform/reviews/\(id)/hide", token: operatorToken, json: ["reason": " "])
            #expect(noReason.status == .badRequest && noReason.code == "reason_missing", "\(noReason.json)")
            let byProvider = try await world.call(
                .post, "/v1/platform/reviews/\(id)/hide", token: try await world.providerToken(), json: ["reason": "x"])
            #expect(byProvider.status == .forbidden && byProvider.code == "role_forbidden")
            #expect(try await world.reviewTables() == before)

            let hidden = try await world.call(.post, "/v1/platform/reviews/\(id)/hide", token: operatorToken, json: ["reason": "含有辱骂内容"])
            #expect(hidden.status == .ok && hidden.json["hidden"] as? Bool == true, "\(hidden.json)")
            #expect(hidden.string("hiddenBy") == "usr_op" && hidden.string("hiddenReason") == "含有辱骂内容")
            #expect(try await world.rating(product) == (0, 0))
            let card = try await world.call(.get, "/v1/catalogue/\(product)", token: nil)
            #expect(((card.json["product"] as? [String: Any])?["rating"] as? [String: Any])?["averageTenths"] == nil)
            #expect((card.json["reviews"] as? [Any])?.isEmpty == true)
            #expect(try await world.call(.get, "/v1/catalogue/\(product)/reviews", token: nil).json["total"] as? Int == 0)
            #expect(try await world.call(.get, "/v1/provider/reviews", token: try await world.providerToken()).json["total"] as? Int == 0)
            let listed = try await world.call(.get, "/v1/platform/reviews?visibility=hidden", token: operatorToken)
            #expect(listed.json["total"] as? Int == 1 && listed.items.first?["hiddenReason"] as? String == "含有辱骂内容")
            let detail = try await world.call(.get, "/v1/platform/reviews/\(id)", token: operatorToken)
            let audit = detail.json["audit"] as? [[String: Any]] ?? []
            #expect(audit.map { $0["action"] as? String } == ["create", "hide"], "\(detail.json)")
            #expect(audit.last?["actor"] as? String == "usr_op" && audit.last?["reason"] as? String == "含有辱骂内容")
            await #expect(throws: (any Error).self) { try await world.postgres.query("UPDATE review_audit SET reason = 'x'") }

            let after = try await world.reviewTables()
            let again = try await world.call(.post, "/v1/platform/reviews/\(id)/hide", token: operatorToken, json: ["reason": "再次"])
            #expect(again.status == .conflict && again.code == "review_hidden")
            let edit = try await world.call(.put, "/v1/reviews/\(id)", token: try await world.token(org), json: ["stars": 5, "text": Self.text])
            #expect(edit.status == .conflict && edit.code == "review_hidden")
            #expect(try await world.reviewTables() == after)
            let mine = try await world.call(.get, "/v1/reviews", token: try await world.token(org))
            #expect((mine.items.first?["review"] as? [String: Any])?["hidden"] as? Bool == true)

            // Delisted, a product leaves the catalogue with its rating; listed again, it counts its visible reviews.
            let (kept, keeper, relisted) = try await world.completedOrder()
            #expect(try await world.review(keeper, order: kept, stars: 3).status == .created)
            let provider = try await world.providerToken()
            #expect(try await world.call(.post, "/v1/products/\(relisted)/delist", token: provider).status == .ok)
            #expect(try await world.call(.get, "/v1/catalogue/\(relisted)/reviews", token: nil).code == "product_not_found")
            let chain = ListingChain(client: world.client, postgres: world.postgres, tokens: world.tokens)
            let files = try await chain.uploadFiles(providerToken: provider)
            let body = ListingChain.body(specs: [ListingChain.spec(unitPriceFen: 1_000_000)], image: files.image, document: files.document)
            let edited = try await world.call(.put, "/v1/provider/products/\(relisted)", token: provider, json: body)
            #expect(edited.status == .ok, "\(edited.json)")
            try await chain.submitAndApprove(productID: relisted, providerToken: provider)
            #expect(try await world.rating(relisted) == (1, 3))
        }
    }

    /// Proves the reviews menu for sub-accounts: an enterprise sub-account without it gets 403
    /// permission_denied on 我的评价 and on writing (nothing written), one with it writes; a
    /// provider sub-account needs it for 客户评价.
    @Test func subAccountsNeedTheReviewsMenu() async throws {
        try await RedemptionWorld.run { world in
            let (order, org, _) = try await world.completedOrder()
            let without = try await world.subAccount("clerk_a", org: org, role: .enterprise, permissions: ["orders"])
            let body: [String: Any] = ["orderId": order, "stars": 4, "text": Self.text]
            for answer in [
                try await world.call(.get, "/v1/reviews", token: without), try await world.call(.post, "/v1/reviews", token: without, json: body),
            ] {
                #expect(answer.status == .forbidden && answer.code == "permission_denied", "\(answer.json)")
            }
            #expect(try await world.count("SELECT count(*)::int FROM reviews") == 0)
            let with = try await world.subAccount("clerk_b", org: org, role: .enterprise, permissions: ["reviews"])
            #expect(try await world.call(.post, "/v1/reviews", token: with, json: body).status == .created)
            let providerWithout = try await world.subAccount("prov_a", org: RedemptionWorld.provider, role: .provider, permissions: ["orders"])
            #expect(try await world.call(.get, "/v1/provider/reviews", token: providerWithout).code == "permission_denied")
            let providerWith = try await world.subAccount("prov_b", org: RedemptionWorld.provider, role: .provider, permissions: ["reviews"])
            #expect(try await world.call(.get, "/v1/provider/reviews", token: providerWith).json["total"] as? Int == 1)
        }
    }
}

extension RedemptionWorld {
    /// One completed order (`completedUsages`: listed, placed, paid, delivered, accepted over
    /// HTTP) of a new enterprise: its order, enterprise and product.
    func completedOrder(priceFen: Int64 = 1_000_000) async throws -> (order: String, org: String, product: String) {
        let usage = try #require(try await completedUsages(pricesFen: [priceFen]).first)
        let rows = try await postgres.query(
            "SELECT u.order_id, u.org_id, o.product_id FROM usages u JOIN orders o ON o.id = u.order_id WHERE u.id = \(usage)")
        for try await row in rows.decode((String, String, String).self) { return row }
        throw TestSetupError("no usage \(usage)")
    }

    /// `POST /v1/reviews` as `org`'s main account.
    func review(_ org: String, order: String, stars: Int, text: String = ReviewsTests.text) async throws -> Answer {
        try await call(.post, "/v1/reviews", token: try await token(org), json: ["orderId": order, "stars": stars, "text": text])
    }

    /// The catalogue's (count, sum) of a listed product.
    func rating(_ product: String) async throws -> (Int, Int64) {
        let rows = try await postgres.query("SELECT rating_count, rating_sum FROM catalogue_entries WHERE product_id = \(product)")
        for try await row in rows.decode((Int, Int64).self) { return row }
        throw TestSetupError("\(product) is not in the catalogue")
    }

    /// A digest of what a review route writes (reviews, their audit, the catalogue's ratings).
    func reviewTables() async throws -> String {
        var parts: [String] = []
        for sql in [
            "SELECT coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM reviews t",
            "SELECT coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM review_audit t",
            "SELECT coalesce(md5(string_agg(product_id || rating_count || '/' || rating_sum, '|' ORDER BY product_id)), '') FROM catalogue_entries",
        ] {
            for try await digest in try await postgres.query(PostgresQuery(unsafeSQL: sql)).decode(String.self) { parts.append(digest) }
        }
        return parts.joined(separator: ";")
    }

    /// A sub-account of `org` holding `permissions`, and the access token its login would carry.
    func subAccount(_ username: String, org: String, role: Role, permissions: [String]) async throws -> String {
        let id = "usr_" + username
        try await postgres.query(
            """
            INSERT INTO users (id, org_id, username, password_hash, role, is_main, permissions)
            VALUES (\(id), \(org), \(username), 'x', \(role.rawValue), false, \(permissions))
            """)
        return try await tokens.issueAccessToken(for: Identity(userID: id, orgID: org, role: role, certified: true, permissions: permissions))
    }
}
