import API
import Foundation
import HTTPTypes
import PostgresStore
import TestSupport
import Testing
import VoucherServices

/// General-voucher redemption (通用服务券-兑付申请) over HTTP against real PostgreSQL.
@Suite("General-voucher redemption")
struct GeneralRedemptionTests {
    static let docx: [UInt8] =
        [0x50, 0x4B, 0x03, 0x04] + [UInt8](repeating: 0, count: 26) + Array("[Content_Types].xml".utf8)
        + [UInt8](repeating: 1, count: 40) + Array("word/document.xml".utf8) + [UInt8](repeating: 2, count: 40)
    static let pdf: [UInt8] = Array("%PDF-1.7\n".utf8) + [UInt8](repeating: 0x20, count: 64)

    /// Proves materials are checked by content (JPG/PNG/PDF/DOCX, not any zip), the order must be
    /// the provider's, the direction one of four; the filed redemption goes through one operator
    /// approval, the transfer and the provider's confirmation to redeemed, with its ledger entry.
    @Test func generalEndToEnd() async throws {
        try await RedemptionWorld.run { world in
            let usages = try await world.completedUsages(pricesFen: [1_000_000], kind: "general")
            let foreignUsages = try await world.completedUsages(pricesFen: [1_000_000], provider: RedemptionWorld.otherProvider, kind: "general")
            let usage = try #require(usages.first)
            var orderID = ""
            for try await id in try await world.postgres.query("SELECT order_id FROM usages WHERE id = \(usage)").decode(String.self) { orderID = id }
            var foreignOrder = ""
            for try await id in try await world.postgres.query("SELECT order_id FROM usages WHERE id = \(foreignUsages[0])").decode(String.self) {
                foreignOrder = id
            }
            let payee = try await world.payeeAccount()
            let token = try await world.providerToken()

            var shas: [String] = []
            for file in [Files.png, Self.pdf, Self.docx] {
                let uploaded = try await world.call(.post, "/v1/redemption/materials", token: token, raw: file)
                #expect(uploaded.status == .created, "\(uploaded.json)")
                shas.append(try #require(uploaded.string("sha256")))
            }
            let plainZip = try await world.call(.post, "/v1/redemption/materials", token: token, raw: Files.zip)
            #expect(plainZip.status == .unsupportedMediaType)
            let text = try await world.call(.post, "/v1/redemption/materials", token: token, raw: Files.notZip)
            #expect(text.status == .unsupportedMediaType)

            func file(_ order: String, direction: String = "cloud", materials: [String]? = nil) async throws -> Answer {
                try await world.call(
                    .post, "/v1/redemption/general", token: token,
                    json: [
                        "enterpriseName": "某某制造有限公司", "orderId": order, "direction": direction, "payeeAccountId": payee,
                        "materials": materials ?? shas,
                    ])
            }
            #expect(try await file(foreignOrder).status == .notFound)
            #expect(try await file(orderID, direction: "space").status == .badRequest)
            #expect(try await file(orderID, materials: [String](repeating: "0", count: 64)).status == .badRequest)
            #expect(try await file(orderID, direction: "dcmm").code == "usage_not_redeemable")
            #expect(try await world.count("SELECT count(*)::int FROM redemption_batches") == 0)

            let filed = try await file(orderID)
            #expect(filed.status == .created, "\(filed.json)")
            #expect(filed.fen("totalFen") == 300_000)
            #expect(filed.string("kind") == "general")
            let id = try #require(filed.string("id"))
            let approval = try #require(filed.string("approvalId"))
            #expect(try await file(orderID).status == .badRequest, "its usages are taken")

            let auditor = try await world.decide(approval, role: .auditor, approve: true)
            #expect(auditor.status == .notFound || auditor.status == .forbidden)
            #expect(try await world.decide(approval, role: .operator, approve: true).status == .ok)
            #expect(try await world.batch(id).string("state") == "awaiting_transfer")
            let transfer = try await world.call(
                .post, "/v1/redemption/batches/\(id)/transfer", token: try await world.platformToken(.operator),
                json: [
                    "amountFen": 300_000, "payerName": "专户", "payerAccount": "11010101040012345", "date": "2026-12-03", "bankSerial": "S9",
                ])
            #expect(transfer.status == .ok, "\(transfer.json)")
            let confirmed = try await world.call(
                .post, "/v1/redemption/batches/\(id)/confirm", token: token,
                json: [
                    "payerName": "专户", "payerAccount": "11010101040012345", "amountFen": 300_000,
                ])
            #expect(confirmed.string("state") == "redeemed", "\(confirmed.json)")
            #expect(try await world.usageStates(usages) == ["redeemed"])
            try await world.expectLedgerConsistent()

            let material = try await world.call(.get, "/v1/redemption/batches/\(id)/files/2", token: try await world.platformToken(.operator))
            #expect(material.body == Self.docx)
            let stranger = try await world.call(
                .get, "/v1/redemption/batches/\(id)/files/0",
                token: try await world.providerToken(RedemptionWorld.otherProvider))
            #expect(stranger.status == .notFound)
        }
    }
}
