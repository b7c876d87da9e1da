import Foundation
import HTTPTypes
import Testing

/// SPEC §8 for orders: every bad request gets a 4xx with a code, changes nothing, and leaves the
/// ledger consistent.
@Suite("Bad input")
struct BadInputTests {
    /// Proves foreign, expired, non-matching and repeated vouchers, bad quantities and totals are
    /// refused with their codes and hold nothing.
    @Test func badOrders() async throws {
        try await OrdersWorld.run { world in
            let product = try await world.listedProduct(unitPriceFen: 1_000_000)
            let huge = try await world.listedProduct(unitPriceFen: 100_000_000_000)
            let cloud = try await world.listedProduct(category: "cloud", unitPriceFen: 1_000_000)
            try await world.enterprise("ent_a")
            try await world.enterprise("ent_b")
            let mine = try await world.voucher(org: "ent_a", faceFen: 500_000)
            let foreign = try await world.voucher(org: "ent_b", faceFen: 500_000)
            let expired = try await world.voucher(org: "ent_a", faceFen: 500_000)
            try await world.expireValidity(expired)
            let general = try await world.voucher(org: "ent_a", faceFen: 500_000, kind: "general", direction: "dcmm")

            let cases: [(String, [String]?, Int, (String, String), HTTPResponse.Status, String)] = [
                ("foreign voucher", [foreign], 1, product, .notFound, "voucher_not_found"),
                ("unknown voucher", ["vch_doesnotexist"], 1, product, .notFound, "voucher_not_found"),
                ("expired voucher", [expired], 1, product, .conflict, "voucher_expired"),
                ("non-matching voucher", [general], 1, product, .badRequest, "voucher_not_applicable"),
                ("diagnostic voucher on cloud", [mine], 1, cloud, .badRequest, "voucher_not_applicable"),
                ("voucher twice", [mine, mine], 1, product, .badRequest, "voucher_duplicate"),
                ("quantity zero", nil, 0, product, .badRequest, "quantity_out_of_range"),
                ("quantity negative", nil, -3, product, .badRequest, "quantity_out_of_range"),
                ("quantity absurd", nil, 1_000_000_000, product, .badRequest, "quantity_out_of_range"),
                ("total too large", nil, 2, huge, .badRequest, "order_total_too_large"),
                ("unknown product", nil, 1, ("prd_doesnotexist", product.1), .notFound, "product_not_found"),
                ("wrong spec", nil, 1, (product.0, huge.1), .notFound, "spec_not_found"),
                ("malformed id", nil, 1, ("../etc", product.1), .badRequest, "id_malformed"),
            ]
            for (name, vouchers, quantity, target, status, code) in cases {
                let quote = try await world.call(
                    .post, "/v1/orders/quote", token: try await world.token("ent_a"),
                    json: [
                        "productId": target.0, "specId": target.1, "quantity": quantity, "voucherIds": vouchers ?? [],
                    ])
                #expect(quote.status == status, "quote \(name): \(quote.json)")
                #expect(quote.code == code, "quote \(name)")
                let order = try await world.placeOrder(org: "ent_a", product: target, quantity: quantity, vouchers: vouchers)
                #expect(order.status == status, "order \(name): \(order.json)")
                #expect(order.code == code, "order \(name)")
            }
            let listed = try await world.call(.get, "/v1/orders", token: try await world.token("ent_a"))
            #expect(listed.json["total"] as? Int == 0)
            #expect(try await world.balances(mine) == (500_000, 0, 0, 0))
            #expect(try await world.balances(foreign) == (500_000, 0, 0, 0))
            try await world.expectLedgerConsistent()
        }
    }

    /// Proves the Idempotency-Key rules: required, a replay returns the same order (200), a
    /// different body under the same key is a 422.
    @Test func idempotencyKey() async throws {
        try await OrdersWorld.run { world in
            let product = try await world.listedProduct(unitPriceFen: 1_000_000)
            try await world.enterprise("ent_k")
            let voucher = try await world.voucher(org: "ent_k", faceFen: 500_000)
            let missing = try await world.call(
                .post, "/v1/orders", token: try await world.token("ent_k"),
                json: ["productId": product.0, "specId": product.1, "quantity": 1])
            #expect(missing.status == .badRequest)
            #expect(missing.code == "idempotency_key_missing")
            let first = try await world.placeOrder(org: "ent_k", product: product, key: "k-1")
            let replay = try await world.placeOrder(org: "ent_k", product: product, key: "k-1")
            #expect(first.status == .created)
            #expect(replay.status == .ok)
            #expect(first.string("id") == replay.string("id"))
            let different = try await world.placeOrder(org: "ent_k", product: product, quantity: 2, key: "k-1")
            #expect(different.status == .unprocessableContent)
            #expect(different.code == "idempotency_key_reused")
            #expect(try await world.balances(voucher) == (200_000, 300_000, 0, 0))
            try await world.expectLedgerConsistent()
        }
    }

    /// Proves proofs are checked by content and size, 1–3 per attempt, and that another
    /// organisation's order is invisible (404) to every route.
    @Test func proofsAndForeignOrders() async throws {
        try await OrdersWorld.run { world in
            let product = try await world.listedProduct(unitPriceFen: 1_000_000)
            try await world.enterprise("ent_a")
            try await world.enterprise("ent_b")
            _ = try await world.voucher(org: "ent_a", faceFen: 500_000)
            let id = try #require(try await world.placeOrder(org: "ent_a", product: product).string("id"))
            let token = try await world.token("ent_a")

            let none = try await world.call(.post, "/v1/orders/\(id)/payment", token: token)
            #expect(none.code == "proofs_missing")
            for (bytes, status, code) in [
                (Proofs.gif, HTTPResponse.Status.unsupportedMediaType, "proof_unsupported_format"),
                (Proofs.text, .unsupportedMediaType, "proof_unsupported_format"),
                ([UInt8](), .badRequest, "file_empty"),
                (Proofs.png + [UInt8](repeating: 0, count: 10 * 1024 * 1024), .contentTooLarge, "proof_too_large"),
            ] {
                let answer = try await world.call(.post, "/v1/orders/\(id)/proofs", token: token, raw: bytes)
                #expect(answer.status == status, "\(answer.json)")
                #expect(answer.code == code)
            }
            for proof in [Proofs.jpeg, Proofs.bmp, Proofs.pdf] {
                let answer = try await world.call(.post, "/v1/orders/\(id)/proofs", token: token, raw: proof)
                #expect(answer.status == .ok, "\(answer.json)")
            }
            let fourth = try await world.call(.post, "/v1/orders/\(id)/proofs", token: token, raw: Proofs.png)
            #expect(fourth.status == .conflict)
            #expect(fourth.code == "proofs_too_many")

            let other = try await world.token("ent_b")
            for (method, path) in [
                (HTTPRequest.Method.get, "/v1/orders/\(id)"), (.post, "/v1/orders/\(id)/cancel"), (.post, "/v1/orders/\(id)/payment"),
                (.post, "/v1/orders/\(id)/accept"), (.post, "/v1/orders/\(id)/refund"),
            ] {
                let answer = try await world.call(method, path, token: other)
                #expect(answer.status == .notFound, "\(path): \(answer.json)")
            }
            let foreignProof = try await world.call(.post, "/v1/orders/\(id)/proofs", token: other, raw: Proofs.png)
            #expect(foreignProof.status == .notFound)
            try await world.enterprise("org_prov2", kind: "provider")
            let otherProvider = try await world.token("org_prov2", role: .provider)
            let deliver = try await world.call(.post, "/v1/provider/orders/\(id)/deliver", token: otherProvider)
            #expect(deliver.status == .notFound)
            let providerList = try await world.call(.get, "/v1/provider/orders", token: otherProvider)
            #expect(providerList.json["total"] as? Int == 0)
            let wrongRole = try await world.call(.get, "/v1/orders", token: try await world.providerToken())
            #expect(wrongRole.status == .forbidden)
            let stillPending = try await world.call(.get, "/v1/orders/\(id)", token: token)
            #expect(stillPending.string("state") == "pending_payment")
            try await world.expectLedgerConsistent()
        }
    }
}
