import API
import Foundation
import HTTPTypes
import PostgresNIO
import PostgresStore
import TestSupport
import Testing
import VoucherServices

/// Refused redemption batches leave no archive on disk (issue 20, item 10).
@Suite("Refused batches' archives")
struct FileCleanupTests {
    /// An archive no other test shares.
    static func archive() -> [UInt8] { Files.zip + Array(UUID().uuidString.utf8) }

    func archiveHash(_ world: RedemptionWorld, batch: String) async throws -> String {
        let rows = try await world.postgres.query("SELECT material_sha256 FROM redemption_batches WHERE id = \(batch)")
        for try await sha in rows.decode(String.self) { return sha }
        throw TestSetupError("no batch \(batch)")
    }

    /// Proves a batch rejected in its chain, and one rejected by an operator after it, have their
    /// archives deleted from disk, while an archive a live batch also holds stays.
    @Test func rejectedBatchesArchivesAreDeleted() async throws {
        try await RedemptionWorld.run { world in
            let payee = try await world.payeeAccount()
            let usages = try await world.completedUsages(pricesFen: [500_000, 600_000, 700_000])

            let refused = try await world.submit([usages[0]], payee: payee, archive: Self.archive())
            let refusedID = try #require(refused.string("id"))
            let refusedSHA = try await archiveHash(world, batch: refusedID)
            #expect(try await world.files.read(sha256: refusedSHA) != nil)
            let rejected = try await world.decide(try #require(refused.string("approvalId")), role: .auditor, approve: false)
            #expect(rejected.status == .ok, "\(rejected.json)")
            #expect(try await world.batch(refusedID).string("state") == "rejected")
            #expect(try await world.files.read(sha256: refusedSHA) == nil, "the refused batch's archive is gone from disk")

            let shared = Self.archive()
            let kept = try await world.submit([usages[1]], payee: payee, archive: shared)
            let dropped = try await world.submit([usages[2]], payee: payee, archive: shared)
            let sharedSHA = try await archiveHash(world, batch: try #require(kept.string("id")))
            try await world.approveChain(try #require(dropped.string("approvalId")))
            let droppedID = try #require(dropped.string("id"))
            let late = try await world.call(
                .post, "/v1/redemption/batches/\(droppedID)/reject", token: try await world.platformToken(.operator),
                json: ["reason": "材料不全：缺少发票"])
            #expect(late.status == .ok, "\(late.json)")
            #expect(try await world.files.read(sha256: sharedSHA) != nil, "a live batch still holds the same archive")
            #expect(try await world.decide(try #require(kept.string("approvalId")), role: .auditor, approve: false).status == .ok)
            #expect(try await world.files.read(sha256: sharedSHA) == nil)
        }
    }

    /// Proves a batch its provider withdraws while it is pending has its archive deleted from disk,
    /// and its usages are pending again.
    @Test func withdrawnBatchesArchivesAreDeleted() async throws {
        try await RedemptionWorld.run { world in
            let payee = try await world.payeeAccount()
            let usages = try await world.completedUsages(pricesFen: [400_000])
            let submitted = try await world.submit(usages, payee: payee, archive: Self.archive())
            let batchID = try #require(submitted.string("id"))
            let sha = try await archiveHash(world, batch: batchID)
            #expect(try await world.files.read(sha256: sha) != nil)
            let withdrawn = try await world.call(
                .post, "/v1/approvals/\(try #require(submitted.string("approvalId")))/withdraw", token: try await world.providerToken())
            #expect(withdrawn.status == .ok, "\(withdrawn.json)")
            #expect(try await world.files.read(sha256: sha) == nil, "the withdrawn batch's archive is gone from disk")
            #expect(try await world.usageStates(usages) == ["pending_redemption"])
        }
    }
}
