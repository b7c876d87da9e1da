import Foundation
import PostgresStore
import TestSupport
import Testing
import VoucherServices

/// The listing chain over HTTP with real PostgreSQL: draft → 待审核 → operator → expert →
/// authority → 已上架, rejections, withdrawal, delisting and edits of a listed product.
@Suite("Listing chain")
struct ListingChainTests {
    static let reason = "案例材料不完整，请补充"

    /// A draft product of the world's provider; returns its id.
    static func draft(_ world: OrdersWorld, priceFen: Int64 = 1_000_000, name: String = "企业数字化诊断") async throws -> String {
        let created = try await world.listings.draft(
            providerToken: try await world.providerToken(), name: name, specs: [ListingChain.spec(unitPriceFen: priceFen)])
        return try #require(created.string("id"))
    }

    static func submit(_ world: OrdersWorld, _ id: String) async throws -> String {
        let submitted = try await world.call(.post, "/v1/provider/products/\(id)/submit", token: try await world.providerToken())
        #expect(submitted.status == .ok, "\(submitted.json)")
        return try #require(submitted.string("approvalId"))
    }

    static func product(_ world: OrdersWorld, _ id: String, token: String? = nil) async throws -> Answer {
        let chosen: String
        if let token { chosen = token } else { chosen = try await world.providerToken() }
        return try await world.call(.get, "/v1/products/\(id)", token: chosen)
    }

    /// The name the public catalogue shows for the product, nil when it is not there.
    static func catalogueName(_ world: OrdersWorld, _ id: String) async throws -> String? {
        for try await name in try await world.postgres.query("SELECT name FROM catalogue_entries WHERE product_id = \(id)").decode(String.self) {
            return name
        }
        return nil
    }

    /// The state 我的商品 shows for the product.
    static func mine(_ world: OrdersWorld, state: String) async throws -> [String] {
        let page = try await world.call(.get, "/v1/provider/products?state=\(state)", token: try await world.providerToken())
        #expect(page.status == .ok, "\(page.json)")
        return page.items.compactMap { $0["id"] as? String }
    }

    /// Proves the whole chain: a draft is submitted (待审核) and its application's listing snapshot
    /// holds the submitted content, the approval's detail shows it with its files to the chain only,
    /// each stage waits in the inbox of its role only (any expert may take the expert stage), every
    /// other role is refused at every stage, and the authority's approval lists it and writes the
    /// catalogue, which then serves its files without a token — then an enterprise sees it and can order.
    @Test func wholeChainToListed() async throws {
        try await OrdersWorld.run { world in
            let chain = world.listings
            let id = try await Self.draft(world)
            #expect(try await Self.mine(world, state: "draft") == [id])
            let approval = try await Self.submit(world, id)
            #expect(try await Self.mine(world, state: "in_review") == [id])
            let (record, _) = try #require(try await world.accounts.approvals.application(id: approval))
            let snapshot = try #require(try await world.orders.products.listingSnapshot(approval: record))
            #expect(snapshot.productID == id && snapshot.organisationName == "数字服务商" && snapshot.liveRevisionID == nil)
            #expect(snapshot.revision.content?.caseStudies?.count == 3 && snapshot.revision.specs.count == 1)
            try await world.enterprise("ent_a")
            let enterprise = try await world.token("ent_a")
            // The operator's approval detail shows the submitted listing and serves its files; an outsider gets 404.
            let detail = try await world.call(.get, "/v1/approvals/\(approval)", token: try await chain.token(.operator))
            let subject = try #require(detail.json["subject"] as? [String: Any], "\(detail.json)")
            #expect(subject["type"] as? String == "product" && subject["id"] as? String == id)
            let listingSection = try #require(subject["listing"] as? [String: Any])
            let revision = try #require(listingSection["revision"] as? [String: Any])
            #expect((revision["content"] as? [String: Any])?["name"] as? String == "企业数字化诊断")
            let files = try #require(subject["files"] as? [[String: Any]])
            #expect(Set(files.compactMap { $0["purpose"] as? String }) == ["image", "document"], "\(files)")
            let download = try #require(files.first?["download"] as? String)
            #expect(try await world.call(.get, download, token: try await chain.token(.operator)).status == .ok)
            #expect(try await world.call(.get, download, token: enterprise).status == .notFound)
            let imageID = try #require(files.first { $0["purpose"] as? String == "image" }?["id"] as? String)
            let publicImage = "/v1/catalogue/\(id)/files/\(imageID)"
            #expect(try await world.call(.get, publicImage, token: nil).status == .notFound, "not public while in review")
            #expect(try await Self.product(world, id, token: enterprise).status == .notFound, "not on sale while in review")

            let stages: [Role] = [.operator, .expert, .authority]
            for (index, role) in stages.enumerated() {
                let waiting = try await world.call(.get, "/v1/approvals/waiting", token: try await chain.token(role))
                #expect(waiting.items.contains { $0["id"] as? String == approval }, "stage \(index) waits in the \(role) inbox")
                for other in stages where other != role {
                    let refused = try await world.call(.post, "/v1/approvals/\(approval)/approve", token: try await chain.token(other), json: [:])
                    #expect(refused.status == .forbidden, "\(other) at stage \(index): \(refused.json)")
                    #expect(refused.code == "not_your_stage")
                }
                for outsider in [enterprise, try await world.providerToken()] {
                    let refused = try await world.call(.post, "/v1/approvals/\(approval)/approve", token: outsider, json: [:])
                    #expect(refused.status == .forbidden && refused.code == "role_forbidden", "\(refused.json)")
                }
                #expect(try await Self.product(world, id).string("status") == "in_review")
                let approved = try await world.call(.post, "/v1/approvals/\(approval)/approve", token: try await chain.token(role), json: [:])
                #expect(approved.status == .ok, "\(approved.json)")
            }
            let listed = try await Self.product(world, id, token: enterprise)
            #expect(listed.status == .ok && listed.string("status") == "listed", "\(listed.json)")
            #expect(listed.json["working"] == nil, "an enterprise sees only what is on sale")
            let live = try #require(listed.json["live"] as? [String: Any])
            #expect((live["content"] as? [String: Any])?["name"] as? String == "企业数字化诊断")
            #expect(((live["content"] as? [String: Any])?["caseStudies"] as? [Any])?.count == 3)
            #expect(try await Self.mine(world, state: "listed") == [id])
            #expect(try await Self.catalogueName(world, id) == "企业数字化诊断", "the final approval wrote the catalogue")
            // The catalogue serves the listed product's files without a token, and no other file.
            let image = try await world.call(.get, publicImage, token: nil)
            #expect(image.status == .ok && image.body == Files.png && image.headers[.contentType] == "image/png", "\(image.status)")
            let unknown = String(repeating: "ab", count: 32)
            #expect(try await world.call(.get, "/v1/catalogue/\(id)/files/\(unknown)", token: nil).code == "file_not_found")
            #expect(try await world.call(.get, "/v1/catalogue/\(id)/files/not-a-hash", token: nil).status == .badRequest)
            let spec = try #require((listed.json["specs"] as? [[String: Any]])?.first?["id"] as? String)
            let order = try await world.placeOrder(org: "ent_a", product: (id, spec))
            #expect(order.status == .created, "\(order.json)")
        }
    }

    /// Proves a rejection at each stage needs a reason, leaves the product 已驳回 with that reason,
    /// and the provider edits and resubmits it into a fresh chain that can list it.
    @Test func rejectionAtEachStageThenEditAndResubmit() async throws {
        try await OrdersWorld.run { world in
            let chain = world.listings
            let stages: [Role] = [.operator, .expert, .authority]
            for (stage, rejecter) in stages.enumerated() {
                let id = try await Self.draft(world, name: "方案\(stage)")
                let approval = try await Self.submit(world, id)
                for role in stages.prefix(stage) {
                    #expect(
                        try await world.call(.post, "/v1/approvals/\(approval)/approve", token: try await chain.token(role), json: [:]).status == .ok)
                }
                let noReason = try await world.call(.post, "/v1/approvals/\(approval)/reject", token: try await chain.token(rejecter), json: [:])
                #expect(noReason.status == .badRequest && noReason.code == "reason_missing", "\(noReason.json)")
                let rejected = try await world.call(
                    .post, "/v1/approvals/\(approval)/reject", token: try await chain.token(rejecter), json: ["reason": Self.reason])
                #expect(rejected.status == .ok && rejected.string("status") == "rejected", "\(rejected.json)")
                let product = try await Self.product(world, id)
                #expect(product.string("status") == "rejected")
                #expect((product.json["working"] as? [String: Any])?["rejectReason"] as? String == Self.reason)
                #expect(try await Self.mine(world, state: "rejected").contains(id))

                let files = try await chain.uploadFiles(providerToken: try await world.providerToken())
                var body = ListingChain.body(
                    name: "方案\(stage)（修订）", specs: [ListingChain.spec(unitPriceFen: 2_000_000)], image: files.image, document: files.document)
                body["tags"] = ["修订"]
                let edited = try await world.call(.put, "/v1/provider/products/\(id)", token: try await world.providerToken(), json: body)
                #expect(edited.status == .ok, "\(edited.json)")
                try await chain.submitAndApprove(productID: id, providerToken: try await world.providerToken())
                let listed = try await Self.product(world, id)
                #expect(listed.string("status") == "listed" && listed.string("name") == "方案\(stage)（修订）", "\(listed.json)")
                #expect((listed.json["specs"] as? [[String: Any]])?.first?["unitPriceFen"] as? Int == 2_000_000)
            }
        }
    }

    /// Proves the provider withdraws (撤销) a listing in review: 已撤销, the application withdrawn,
    /// a second withdrawal refused, an edit while in review refused, and it can be resubmitted.
    @Test func withdrawWhileInReview() async throws {
        try await OrdersWorld.run { world in
            let id = try await Self.draft(world)
            let approval = try await Self.submit(world, id)
            let files = try await world.listings.uploadFiles(providerToken: try await world.providerToken())
            let body = ListingChain.body(specs: [ListingChain.spec(unitPriceFen: 1)], image: files.image, document: files.document)
            let editInReview = try await world.call(.put, "/v1/provider/products/\(id)", token: try await world.providerToken(), json: body)
            #expect(editInReview.status == .conflict && editInReview.code == "listing_state_conflict", "\(editInReview.json)")
            _ = try await world.call(.post, "/v1/approvals/\(approval)/approve", token: try await world.listings.token(.operator), json: [:])

            let withdrawn = try await world.call(.post, "/v1/provider/products/\(id)/withdraw", token: try await world.providerToken())
            #expect(withdrawn.status == .ok && withdrawn.string("status") == "withdrawn", "\(withdrawn.json)")
            let application = try await world.call(.get, "/v1/approvals/\(approval)", token: try await world.providerToken())
            #expect(application.string("status") == "withdrawn")
            let again = try await world.call(.post, "/v1/provider/products/\(id)/withdraw", token: try await world.providerToken())
            #expect(again.status == .conflict && again.code == "listing_state_conflict")
            #expect(try await Self.mine(world, state: "withdrawn") == [id])
            let late = try await world.call(.post, "/v1/approvals/\(approval)/approve", token: try await world.listings.token(.expert), json: [:])
            #expect(late.status == .conflict, "a withdrawn application is closed: \(late.json)")

            try await world.listings.submitAndApprove(productID: id, providerToken: try await world.providerToken())
            #expect(try await Self.product(world, id).string("status") == "listed")
        }
    }

    /// Proves delisting (下架) by the provider or an operator stops new orders while an order
    /// already placed goes on to payment with the product, spec and price it was placed with.
    @Test func delistWithAnOpenOrder() async throws {
        try await OrdersWorld.run { world in
            let product = try await world.listedProduct(unitPriceFen: 2_000_000)
            try await world.enterprise("ent_a")
            let order = try await world.placeOrder(org: "ent_a", product: product)
            let orderID = try #require(order.string("id"))

            try await world.enterprise("ent_b")
            let refused = try await world.call(.post, "/v1/products/\(product.0)/delist", token: try await world.token("ent_b"))
            #expect(refused.status == .forbidden && refused.code == "role_forbidden")
            let delisted = try await world.call(.post, "/v1/products/\(product.0)/delist", token: try await world.providerToken())
            #expect(delisted.status == .ok && delisted.string("status") == "delisted", "\(delisted.json)")
            #expect(try await Self.mine(world, state: "delisted") == [product.0])
            #expect(try await Self.catalogueName(world, product.0) == nil, "delisting took it out of the catalogue")
            let newOrder = try await world.placeOrder(org: "ent_b", product: product)
            #expect(newOrder.status == .notFound && newOrder.code == "product_not_found", "\(newOrder.json)")
            #expect(try await Self.product(world, product.0, token: try await world.token("ent_b")).status == .notFound)

            let paid = try await world.pay(org: "ent_a", orderID: orderID)
            #expect(paid.status == .ok, "\(paid.json)")
            let kept = try await world.call(.get, "/v1/orders/\(orderID)", token: try await world.token("ent_a"))
            #expect(kept.string("state") == "paid")
            #expect(kept.string("productName") == "企业数字化诊断" && kept.string("specName") == "标准版")
            #expect(kept.fen("totalFen") == 2_000_000)

            let other = try await world.listedProduct(unitPriceFen: 1_000)
            let byOperator = try await world.call(.post, "/v1/products/\(other.0)/delist", token: try await world.operatorToken())
            #expect(byOperator.status == .ok && byOperator.string("status") == "delisted")
            let twice = try await world.call(.post, "/v1/products/\(other.0)/delist", token: try await world.operatorToken())
            #expect(twice.status == .conflict && twice.code == "listing_state_conflict")
        }
    }

    /// Proves an edit of a listed product goes through the chain while the listed version stays on
    /// sale at its old price; once approved the new version is sold, the old spec is gone from
    /// sale, and an order placed before keeps the old name and price.
    @Test func editOfAListedProduct() async throws {
        try await OrdersWorld.run { world in
            let chain = world.listings
            let (id, oldSpec) = try await world.listedProduct(unitPriceFen: 1_000_000)
            try await world.enterprise("ent_a")
            let before = try await world.placeOrder(org: "ent_a", product: (id, oldSpec))
            #expect(before.status == .created)

            let files = try await chain.uploadFiles(providerToken: try await world.providerToken())
            let body = ListingChain.body(
                name: "企业数字化诊断 2.0", specs: [ListingChain.spec(name: "升级版", unitPriceFen: 3_000_000)], image: files.image,
                document: files.document)
            let edited = try await world.call(.put, "/v1/provider/products/\(id)", token: try await world.providerToken(), json: body)
            #expect(edited.status == .ok && edited.string("status") == "listed" && edited.string("editState") == "draft", "\(edited.json)")
            let approval = try await Self.submit(world, id)
            #expect(try await Self.mine(world, state: "in_review") == [id], "the edit under review shows as 待审核")
            for role: Role in [.operator, .expert] {
                #expect(try await world.call(.post, "/v1/approvals/\(approval)/approve", token: try await chain.token(role), json: [:]).status == .ok)
            }
            let stillOld = try await Self.product(world, id, token: try await world.token("ent_a"))
            #expect(stillOld.string("name") == "企业数字化诊断" && stillOld.json["editState"] == nil, "\(stillOld.json)")
            let quote = try await world.call(
                .post, "/v1/orders/quote", token: try await world.token("ent_a"), json: ["productId": id, "specId": oldSpec, "quantity": 1])
            #expect(quote.status == .ok && quote.fen("totalFen") == 1_000_000, "the listed version stays on sale: \(quote.json)")
            #expect(try await Self.catalogueName(world, id) == "企业数字化诊断")

            #expect(
                try await world.call(.post, "/v1/approvals/\(approval)/approve", token: try await chain.token(.authority), json: [:]).status == .ok)
            let updated = try await Self.product(world, id, token: try await world.token("ent_a"))
            #expect(updated.string("name") == "企业数字化诊断 2.0", "\(updated.json)")
            #expect(try await Self.catalogueName(world, id) == "企业数字化诊断 2.0", "the approved edit replaced the catalogue entry")
            let newSpec = try #require((updated.json["specs"] as? [[String: Any]])?.first?["id"] as? String)
            #expect(newSpec != oldSpec)
            let oldAgain = try await world.placeOrder(org: "ent_a", product: (id, oldSpec))
            #expect(oldAgain.status == .notFound && oldAgain.code == "spec_not_found", "\(oldAgain.json)")
            let newOrder = try await world.placeOrder(org: "ent_a", product: (id, newSpec))
            #expect(newOrder.status == .created && newOrder.fen("totalFen") == 3_000_000)
            let first = try await world.call(.get, "/v1/orders/\(try #require(before.string("id")))", token: try await world.token("ent_a"))
            #expect(first.string("productName") == "企业数字化诊断" && first.fen("unitPriceFen") == 1_000_000, "\(first.json)")
        }
    }

    /// Proves another provider's product answers 404 on every provider route, as a missing one.
    @Test func anotherProvidersProductIsNotFound() async throws {
        try await OrdersWorld.run { world in
            let id = try await Self.draft(world)
            try await world.postgres.query(
                "INSERT INTO organisations (id, kind, name, certification) VALUES ('org_prov_b', 'provider', '另一服务商', 'certified')")
            try await world.postgres.query(
                """
                INSERT INTO users (id, org_id, username, password_hash, role, is_main)
                VALUES ('usr_org_prov_b', 'org_prov_b', 'provider_b', 'x', 'provider', true)
                """)
            let other = try await world.token("org_prov_b", role: .provider)
            let files = try await world.listings.uploadFiles(providerToken: other)
            let body = ListingChain.body(specs: [ListingChain.spec(unitPriceFen: 1)], image: files.image, document: files.document)
            let answers = [
                try await world.call(.get, "/v1/products/\(id)", token: other),
                try await world.call(.put, "/v1/provider/products/\(id)", token: other, json: body),
                try await world.call(.post, "/v1/provider/products/\(id)/submit", token: other),
                try await world.call(.post, "/v1/provider/products/\(id)/withdraw", token: other),
                try await world.call(.post, "/v1/products/\(id)/delist", token: other),
            ]
            for answer in answers { #expect(answer.status == .notFound && answer.code == "product_not_found", "\(answer.json)") }
            let theirs = try await world.call(.get, "/v1/provider/products", token: other)
            #expect(theirs.json["total"] as? Int == 0)
            #expect(try await Self.product(world, id).string("status") == "draft", "nothing changed")
        }
    }

    /// Proves a free spec goes end to end: listed, quoted and ordered at 0 with the enterprise's
    /// vouchers untouched (nothing to deduct), and naming a voucher on it is refused.
    @Test func freeSpecEndToEnd() async throws {
        try await OrdersWorld.run { world in
            let product = try await world.listedProduct(unitPriceFen: 0, pricing: "free")
            try await world.enterprise("ent_a")
            let voucher = try await world.voucher(org: "ent_a", faceFen: 1_000_000)
            let order = try await world.placeOrder(org: "ent_a", product: product)
            #expect(order.status == .created, "\(order.json)")
            #expect(order.fen("totalFen") == 0 && order.fen("deductionFen") == 0 && order.fen("payableFen") == 0)
            #expect((order.json["vouchers"] as? [Any])?.isEmpty == true)
            #expect(try await world.balances(voucher) == (1_000_000, 0, 0, 0))
            let named = try await world.placeOrder(org: "ent_a", product: product, vouchers: [voucher])
            #expect(named.status == .badRequest && named.code == "voucher_on_free_order", "\(named.json)")
            try await world.expectLedgerConsistent()
        }
    }
}
