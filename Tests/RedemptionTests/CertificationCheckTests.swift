import Foundation
import HTTPTypes
import PostgresNIO
import TestSupport
import Testing
import VoucherServices

/// Trading needs a certified organisation (issue 14, item 5): quoting and ordering a certified
/// enterprise; creating a product, adding a payee account and filing a redemption a certified
/// provider. The refusal is 403 `certification_required` and changes nothing.
@Suite("Certification checks")
struct CertificationCheckTests {
    /// Proves an enterprise still in draft is refused a quote and an order with 403
    /// certification_required (a sentence naming the action and its state), that no order is
    /// written and its voucher keeps its whole balance; and that once PostgreSQL says it is
    /// certified, the same token (whose claim still says not certified) may order at once.
    @Test func uncertifiedEnterpriseMayNotQuoteOrOrder() async throws {
        try await RedemptionWorld.run { world in
            let (productID, specIDs) = try await ListingChain(client: world.client, postgres: world.postgres, tokens: world.tokens)
                .listedProduct(providerToken: try await world.providerToken(), specs: [ListingChain.spec(unitPriceFen: 1_000_000)])
            let specID = try #require(specIDs.first)
            try await world.postgres.query(
                "INSERT INTO organisations (id, kind, name, certification) VALUES ('ent_draft', 'enterprise', '草稿企业', 'draft')")
            try await world.postgres.query(
                """
                INSERT INTO users (id, org_id, username, password_hash, role, is_main) VALUES ('usr_ent_draft', 'ent_draft', 'draft_main', 'x',
                    'enterprise', true)
                """)
            let voucher = try await world.grantVoucher(org: "ent_draft", faceFen: 300_000, kind: "diagnostic")
            let token = try await world.tokens.issueAccessToken(
                for: Identity(userID: "usr_ent_draft", orgID: "ent_draft", role: .enterprise, certified: false, permissions: ["*"]))
            let body: [String: Any] = ["productId": productID, "specId": specID, "quantity": 1, "voucherIds": [voucher]]

            let quote = try await world.call(.post, "/v1/orders/quote", token: token, json: body)
            #expect(quote.status == .forbidden)
            #expect(quote.code == "certification_required")
            #expect(quote.string("detail")?.contains("ask for a quote") == true, "\(quote.json)")
            let order = try await world.call(.post, "/v1/orders", token: token, json: body, headers: [.idempotencyKey: "draft-1"])
            #expect(order.status == .forbidden)
            #expect(order.headers[.contentType] == "application/problem+json")
            #expect(order.code == "certification_required")
            #expect(order.string("detail")?.contains("draft") == true, "\(order.json)")
            #expect(try await world.count("SELECT count(*)::int FROM orders WHERE org_id = 'ent_draft'") == 0)
            #expect(try await world.count("SELECT available_fen::int FROM vouchers WHERE org_id = 'ent_draft'") == 300_000)
            try await world.expectLedgerConsistent()

            try await world.postgres.query("UPDATE organisations SET certification = 'certified' WHERE id = 'ent_draft'")
            let placed = try await world.call(.post, "/v1/orders", token: token, json: body, headers: [.idempotencyKey: "draft-2"])
            #expect(placed.status == .created, "\(placed.json)")
        }
    }

    /// Proves a provider whose certification is rejected may not add a payee account, file a
    /// diagnostic batch or a general redemption, or create a product: each is 403
    /// certification_required naming its state; no account, batch or product is written, the
    /// usages stay pending, and the archive it sent is not on disk.
    @Test func uncertifiedProviderMayNotListAddPayeesOrRedeem() async throws {
        try await RedemptionWorld.run { world in
            let usages = try await world.completedUsages(pricesFen: [1_000_000])
            let payee = try await world.payeeAccount()
            try await world.postgres.query("UPDATE organisations SET certification = 'rejected' WHERE id = \(RedemptionWorld.provider)")
            let token = try await world.providerToken()
            let products = try await world.count("SELECT count(*)::int FROM products")
            let orderID = try #require(
                try await world.postgres.query("SELECT order_id FROM usages WHERE id = \(usages[0])").decode(String.self).first { _ in true })
            let archive = Files.zip + [42]
            var refusals: [(String, Answer)] = []
            refusals.append(
                (
                    "payee",
                    try await world.call(
                        .post, "/v1/provider/payee-accounts", token: token,
                        json: ["bank": "ABC", "accountName": RedemptionWorld.providerName, "accountNumber": "622848040256489"])
                ))
            refusals.append(("batch", try await world.submit(usages, payee: payee, archive: archive)))
            refusals.append(
                (
                    "general",
                    try await world.call(
                        .post, "/v1/redemption/general", token: token,
                        json: [
                            "enterpriseName": "某企业", "orderId": orderID, "direction": "cloud", "payeeAccountId": payee,
                            "materials": [String(repeating: "a", count: 64)],
                        ])
                ))
            refusals.append(
                (
                    "product",
                    try await world.call(
                        .post, "/v1/provider/products", token: token,
                        json: [
                            "name": "企业数字化诊断", "category": "diagnostic_consulting",
                            "specs": [["name": "标准版", "purchaseMode": "quantity", "pricing": "simple", "unitPriceFen": 1_000_000]],
                        ])
                ))
            for (name, answer) in refusals {
                #expect(answer.status == .forbidden, "\(name): \(answer.json)")
                #expect(answer.code == "certification_required", "\(name)")
                #expect(answer.string("detail")?.contains("rejected") == true, "\(name): \(answer.json)")
            }
            #expect(try await world.count("SELECT count(*)::int FROM payee_accounts") == 1)
            #expect(try await world.count("SELECT count(*)::int FROM redemption_batches") == 0)
            #expect(try await world.count("SELECT count(*)::int FROM products") == products)
            #expect(try await world.usageStates(usages) == ["pending_redemption"])
            #expect(try await world.files.read(sha256: Secrets.sha256Hex(archive)) == nil)
        }
    }
}
