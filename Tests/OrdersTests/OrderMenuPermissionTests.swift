import API
import Foundation
import PostgresNIO
import TestSupport
import Testing
import VoucherServices

@Suite struct OrderMenuPermissionTests {
    @Test func aSubAccountNeedsTheOrdersMenuForOrders() async throws {
        // Proves the orders menu (SPEC §7) on the orders routes: an enterprise sub-account without it
        // gets 403 permission_denied on quoting, placing, listing, reading and cancelling, and no table
        // changes (no order, no hold); granted the menu, the same requests succeed. A provider
        // sub-account needs it for its orders too, and a main account never does.
        try await OrdersWorld.run { world in
            try await world.enterprise("org_ent")
            let voucher = try await world.voucher(org: "org_ent", faceFen: 1_500_000)
            let product = try await world.listedProduct(unitPriceFen: 5_000_000)
            let body: [String: Any] = ["productId": product.0, "specId": product.1, "quantity": 1, "voucherIds": [voucher]]
            let placed = try await world.placeOrder(org: "org_ent", product: product)
            #expect(placed.status == .created, "the main account needs no menu: \(placed.json)")
            let orderID = try #require(placed.string("id"))

            let without = try await world.subAccount("ent_clerk_a", org: "org_ent", role: .enterprise, permissions: ["vouchers", "inbox"])
            let before = try await world.fingerprint()
            let refused: [Answer] = [
                try await world.call(.post, "/v1/orders/quote", token: without, json: body),
                try await world.call(.post, "/v1/orders", token: without, json: body, headers: [.idempotencyKey: "clerk-order-1"]),
                try await world.call(.get, "/v1/orders", token: without),
                try await world.call(.get, "/v1/orders/\(orderID)", token: without),
                try await world.call(.post, "/v1/orders/\(orderID)/cancel", token: without),
            ]
            for answer in refused {
                #expect(answer.status == .forbidden)
                #expect(answer.code == "permission_denied", "\(answer.json)")
                #expect((answer.json["detail"] as? String)?.contains("orders") == true)
            }
            #expect(try await world.fingerprint() == before, "a refused request changed nothing")

            let with = try await world.subAccount("ent_clerk_b", org: "org_ent", role: .enterprise, permissions: ["orders"])
            #expect(try await world.call(.get, "/v1/orders", token: with).json["total"] as? Int == 1)
            #expect(try await world.call(.post, "/v1/orders/\(orderID)/cancel", token: with).string("state") == "cancelled")
            let again = try await world.call(.post, "/v1/orders", token: with, json: body, headers: [.idempotencyKey: "clerk-order-1"])
            #expect(again.status == .created, "\(again.json)")
            #expect(again.fen("deductionFen") == 1_500_000)

            let providerWithout = try await world.subAccount("prov_clerk_a", org: OrdersWorld.provider, role: .provider, permissions: ["products"])
            #expect(try await world.call(.get, "/v1/provider/orders", token: providerWithout).code == "permission_denied")
            let providerWith = try await world.subAccount("prov_clerk_b", org: OrdersWorld.provider, role: .provider, permissions: ["orders"])
            #expect(try await world.call(.get, "/v1/provider/orders", token: providerWith).json["total"] as? Int == 2)
            try await world.expectLedgerConsistent()
        }
    }
}

extension OrdersWorld {
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

    /// A digest of every table an order route writes, to prove a refused request changed nothing.
    func fingerprint() async throws -> String {
        var parts: [String] = []
        for table in ["orders", "order_vouchers", "payment_proofs", "usages", "vouchers", "voucher_ledger", "approval_applications"] {
            let rows = try await postgres.query(
                PostgresQuery(unsafeSQL: "SELECT coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM \(table) t"))
            for try await digest in rows.decode(String.self) { parts.append("\(table)=\(digest)") }
        }
        return parts.joined(separator: ";")
    }
}
