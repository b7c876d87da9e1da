import Foundation
import HTTPTypes
import PostgresNIO
import TestSupport
import Testing
import VoucherServices

/// The operators' lists across organisations, the provider's order detail and its enterprise
/// lookup (企业信息查询, guide §1.4.6), over HTTP against real PostgreSQL (issue 14, item 4).
@Suite("Platform lists")
struct PlatformListTests {
    /// Proves the operator lists organisations with their certification state, filtered by
    /// kind, state and part of the name and paged; orders of every organisation, filtered by
    /// state; products of every provider, filtered by status. Other roles get 403 role_forbidden,
    /// bad filters 400 filter_invalid and a bad page 400 page_invalid.
    @Test func operatorListsOrganisationsOrdersAndProducts() async throws {
        try await RedemptionWorld.run { world in
            _ = try await world.completedUsages(pricesFen: [1_000_000, 2_000_000])
            try await world.postgres.query(
                "INSERT INTO organisations (id, kind, name, certification) VALUES ('ent_new', 'enterprise', '新注册企业', 'draft')")
            let op = try await world.platformToken(.operator)

            let providers = try await world.call(.get, "/v1/platform/organisations?kind=provider", token: op)
            #expect(providers.status == .ok, "\(providers.json)")
            #expect(providers.json["total"] as? Int == 2)
            #expect(providers.items.allSatisfy { $0["kind"] as? String == "provider" && $0["certification"] as? String == "certified" })
            let drafts = try await world.call(.get, "/v1/platform/organisations?certification=draft", token: op)
            #expect(drafts.items.map { $0["id"] as? String } == ["ent_new"], "\(drafts.json)")
            let named = try await world.call(.get, "/v1/platform/organisations?name=%E6%96%B0%E6%B3%A8%E5%86%8C", token: op)
            #expect(named.items.map { $0["name"] as? String } == ["新注册企业"], "\(named.json)")
            let all = try await world.call(.get, "/v1/platform/organisations?pageSize=2&page=2", token: op)
            #expect(all.items.count == 2)
            #expect((all.json["total"] as? Int ?? 0) >= 6, "two providers, ent_x, ent_new and two buyers; the platform is left out")
            #expect(!all.items.contains { $0["kind"] as? String == "platform" })

            let orders = try await world.call(.get, "/v1/platform/orders", token: op)
            #expect(orders.json["total"] as? Int == 2)
            let completed = try await world.call(.get, "/v1/platform/orders?state=completed", token: op)
            #expect(completed.json["total"] as? Int == 2)
            let paid = try await world.call(.get, "/v1/platform/orders?state=paid", token: op)
            #expect(paid.json["total"] as? Int == 0)
            let products = try await world.call(.get, "/v1/platform/products?status=listed", token: op)
            #expect(products.json["total"] as? Int == 2)
            #expect(products.items.first?["providerName"] as? String == RedemptionWorld.providerName)
            #expect(try await world.call(.get, "/v1/platform/products?status=draft", token: op).json["total"] as? Int == 0)

            for (path, code) in [
                ("/v1/platform/organisations?kind=platform", "filter_invalid"), ("/v1/platform/organisations?certification=yes", "filter_invalid"),
                ("/v1/platform/orders?state=lost", "filter_invalid"), ("/v1/platform/products?status=LISTED", "filter_invalid"),
                ("/v1/platform/orders?page=0", "page_invalid"),
            ] {
                let refused = try await world.call(.get, path, token: op)
                #expect(refused.status == .badRequest, "\(path)")
                #expect(refused.code == code, "\(path): \(refused.json)")
            }
            for token in [try await world.providerToken(), try await world.token("ent_x"), try await world.platformToken(.auditor)] {
                for path in ["/v1/platform/organisations", "/v1/platform/orders", "/v1/platform/products"] {
                    let refused = try await world.call(.get, path, token: token)
                    #expect(refused.status == .forbidden, "\(path)")
                    #expect(refused.code == "role_forbidden")
                }
            }
        }
    }

    /// Proves a provider reads one order of its own products and the name and contact of the
    /// enterprise that placed it; another provider gets 404 for both, an enterprise that never
    /// ordered from it is 404 enterprise_not_found, a malformed order id 400 id_malformed, and an
    /// enterprise may not use either route (403).
    @Test func providerReadsItsOwnOrderAndItsCustomer() async throws {
        try await RedemptionWorld.run { world in
            let usages = try await world.completedUsages(pricesFen: [1_000_000])
            let rows = try await world.postgres.query("SELECT order_id, org_id FROM usages WHERE id = \(usages[0])")
            let (orderID, enterprise) = try #require(try await rows.decode((String, String).self).first { _ in true })
            try await world.postgres.query(
                """
                INSERT INTO organisation_profiles (org_id, name, contact_name, contact_phone) VALUES (\(enterprise), '买方企业', '王五', '13700000005')
                """)
            let provider = try await world.providerToken()

            let order = try await world.call(.get, "/v1/provider/orders/\(orderID)", token: provider)
            #expect(order.status == .ok, "\(order.json)")
            #expect(order.string("id") == orderID)
            #expect(order.string("subscriberOrgId") == enterprise)
            let contact = try await world.call(.get, "/v1/provider/enterprises/\(enterprise)", token: provider)
            #expect(contact.status == .ok, "\(contact.json)")
            #expect(contact.string("contactName") == "王五")
            #expect(contact.string("contactPhone") == "13700000005")
            #expect(Set(contact.json.keys) == ["id", "name", "contactName", "contactPhone"], "nothing else of the enterprise")

            let other = try await world.providerToken(RedemptionWorld.otherProvider)
            let hiddenOrder = try await world.call(.get, "/v1/provider/orders/\(orderID)", token: other)
            #expect(hiddenOrder.status == .notFound)
            #expect(hiddenOrder.code == "order_not_found")
            let hiddenContact = try await world.call(.get, "/v1/provider/enterprises/\(enterprise)", token: other)
            #expect(hiddenContact.status == .notFound)
            #expect(hiddenContact.code == "enterprise_not_found")
            let stranger = try await world.call(.get, "/v1/provider/enterprises/ent_x", token: provider)
            #expect(stranger.code == "enterprise_not_found")
            let malformed = try await world.call(.get, "/v1/provider/orders/not-an-order", token: provider)
            #expect(malformed.status == .badRequest)
            #expect(malformed.code == "id_malformed")
            let asEnterprise = try await world.call(.get, "/v1/provider/orders/\(orderID)", token: try await world.token(enterprise))
            #expect(asEnterprise.status == .forbidden)
            let lookup = try await world.call(.get, "/v1/provider/enterprises/\(enterprise)", token: try await world.token(enterprise))
            #expect(lookup.status == .forbidden)
        }
    }
}
