import Foundation
import HTTPTypes
import PostgresNIO
import TestSupport
import Testing
import VoucherCore

/// Orders of the small-pages tests that stop where a test needs them (placed, or paid), which
/// `RedemptionWorld.completedUsages` drives to completion in one go.
struct PlacedOrder {
    let orderID: String
    let org: String
    let voucherID: String
}

extension RedemptionWorld {
    /// A listed cloud product of the provider, a new enterprise holding a general cloud voucher
    /// of `priceFen`, and its order for one unit (30 % deducted, held); with `paid`, its payment
    /// is approved (captured).
    func placedGeneralOrder(priceFen: Int64, paid: Bool) async throws -> PlacedOrder {
        let listed = try await ListingChain(client: client, postgres: postgres, tokens: tokens).listedProduct(
            providerToken: try await providerToken(), name: "上云服务", category: "cloud", specs: [ListingChain.spec(unitPriceFen: priceFen)])
        let specID = try #require(listed.specIDs.first)
        let org = "ent_" + String(OpaqueID.make(prefix: "e").suffix(8))
        try await postgres.query("INSERT INTO organisations (id, kind, name, certification) VALUES (\(org), 'enterprise', \(org), 'certified')")
        try await postgres.query(
            """
            INSERT INTO users (id, org_id, username, password_hash, role, is_main) VALUES (\("usr_" + org), \(org), \("u_" + org), 'x',
                'enterprise', true)
            """)
        let voucher = try await grantVoucher(org: org, faceFen: priceFen, kind: "general")
        let placed = try await call(
            .post, "/v1/orders", token: try await token(org),
            json: ["productId": listed.productID, "specId": specID, "quantity": 1, "voucherIds": [voucher]],
            headers: [.idempotencyKey: UUID().uuidString])
        #expect(placed.status == .created, "\(placed.json)")
        let orderID = try #require(placed.string("id"))
        if paid { try await pay(orderID, org: org) }
        return PlacedOrder(orderID: orderID, org: org, voucherID: voucher)
    }

    /// Uploads a proof, submits the payment and has an operator approve it.
    func pay(_ orderID: String, org: String) async throws {
        let proof = try await call(.post, "/v1/orders/\(orderID)/proofs", token: try await token(org), raw: Files.png)
        #expect(proof.status == .ok, "\(proof.json)")
        let submitted = try await call(.post, "/v1/orders/\(orderID)/payment", token: try await token(org))
        let approval = try #require(submitted.string("approvalId"))
        let paid = try await call(.post, "/v1/approvals/\(approval)/approve", token: try await platformToken(.operator), json: [:])
        #expect(paid.status == .ok, "\(paid.json)")
    }

    /// Files a general-voucher redemption of the order (cloud), with one uploaded PNG as material.
    func fileGeneral(_ orderID: String, payee: String) async throws -> Answer {
        let token = try await providerToken()
        let uploaded = try await call(.post, "/v1/redemption/materials", token: token, raw: Files.png)
        let sha = try #require(uploaded.string("sha256"))
        return try await call(
            .post, "/v1/redemption/general", token: token,
            json: ["enterpriseName": "某某制造有限公司", "orderId": orderID, "direction": "cloud", "payeeAccountId": payee, "materials": [sha]])
    }

    /// Records a transfer of `amountFen` for the batch as an operator.
    func recordTransfer(_ batchID: String, amountFen: Int64, serial: String = "ABC0001") async throws -> Answer {
        try await call(
            .post, "/v1/redemption/batches/\(batchID)/transfer", token: try await platformToken(.operator),
            json: ["amountFen": amountFen, "payerName": "专项资金专户", "payerAccount": "11010101040012345", "date": "2026-12-03", "bankSerial": serial])
    }

    /// One text column of one row, by SQL.
    func text(_ sql: String) async throws -> String? {
        for try await value in try await postgres.query(PostgresQuery(unsafeSQL: sql)).decode(String.self) { return value }
        return nil
    }
}
