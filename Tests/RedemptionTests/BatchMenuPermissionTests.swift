import API
import Foundation
import PostgresNIO
import TestSupport
import Testing
import VoucherServices

@Suite struct BatchMenuPermissionTests {
    @Test func aSubAccountNeedsTheRedemptionsMenuForBatches() async throws {
        // Proves the redemptions menu (SPEC §7) on redemption batches: a provider sub-account without
        // it gets 403 permission_denied on filing a batch, listing batches and reading usages, and no
        // batch is filed and no usage leaves pending; one without the payee_accounts menu cannot add
        // a payee account. Granted the redemptions menu, the same filing succeeds and the batch is
        // visible to it.
        try await RedemptionWorld.run { world in
            let usages = try await world.completedUsages(pricesFen: [1_000_000])
            let payee = try await world.payeeAccount()
            let statesBefore = try await world.usageStates(usages)
            let without = try await world.subAccount("prov_clerk_a", permissions: ["orders", "payee_accounts"])
            let path = "/v1/redemption/batches?usageIds=\(usages.joined(separator: ","))&payeeAccountId=\(payee)"

            let refused: [Answer] = [
                try await world.call(.post, path, token: without, raw: Files.zip, headers: [.idempotencyKey: "clerk-batch-1"]),
                try await world.call(.get, "/v1/redemption/batches", token: without),
                try await world.call(.get, "/v1/provider/usages", token: without),
            ]
            for answer in refused {
                #expect(answer.status == .forbidden)
                #expect(answer.code == "permission_denied", "\(answer.json)")
            }
            #expect(try await world.count("SELECT count(*)::int FROM redemption_batches") == 0)
            #expect(try await world.count("SELECT count(*)::int FROM batch_usages") == 0)
            #expect(try await world.usageStates(usages) == statesBefore)

            let noPayeeMenu = try await world.subAccount("prov_clerk_b", permissions: ["redemptions"])
            let payeeRefused = try await world.call(
                .post, "/v1/provider/payee-accounts", token: noPayeeMenu,
                json: [
                    "bank": "ABC", "accountName": RedemptionWorld.providerName, "accountNumber": RedemptionWorld.abcNumber,
                ])
            #expect(payeeRefused.code == "permission_denied")
            #expect(try await world.count("SELECT count(*)::int FROM payee_accounts") == 1)

            let filed = try await world.call(.post, path, token: noPayeeMenu, raw: Files.zip, headers: [.idempotencyKey: "clerk-batch-1"])
            #expect(filed.status == .created, "\(filed.json)")
            let batchID = try #require(filed.string("id"))
            #expect(try await world.usageStates(usages) == ["in_redemption"])
            #expect(try await world.batch(batchID, token: noPayeeMenu).string("state") != nil)
            try await world.expectLedgerConsistent()
        }
    }
}

extension RedemptionWorld {
    /// A sub-account of the provider holding `permissions`, and the access token its login would carry.
    func subAccount(_ username: String, permissions: [String]) async throws -> String {
        let id = "usr_" + username
        try await postgres.query(
            """
            INSERT INTO users (id, org_id, username, password_hash, role, is_main, permissions)
            VALUES (\(id), \(Self.provider), \(username), 'x', 'provider', false, \(permissions))
            """)
        return try await tokens.issueAccessToken(
            for: Identity(
                userID: id, orgID: Self.provider, role: .provider, certified: true, permissions: permissions))
    }
}
