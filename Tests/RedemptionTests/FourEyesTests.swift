import API
import Foundation
import HTTPTypes
import PostgresNIO
import PostgresStore
import TestSupport
import Testing
import VoucherServices

/// Four-eyes on the redemption chain: settlement and payment are approved by two people.
@Suite("Four-eyes")
struct FourEyesTests {
    /// Proves the operator who approved a batch's settlement stage cannot also approve its payment
    /// stage: 409 four_eyes_required with a sentence, and nothing changes (the application stays
    /// pending at the payment stage, no decision is recorded, the batch stays in review); a second
    /// operator then approves and the batch awaits its transfer. The database refuses the same
    /// double approval from any writer (migration 0010's trigger).
    @Test func theSettlementApproverCannotApproveThePayment() async throws {
        try await RedemptionWorld.run { world in
            let usages = try await world.completedUsages(pricesFen: [1_000_000])
            let submitted = try await world.submit(usages, payee: try await world.payeeAccount())
            let id = try #require(submitted.string("id"))
            let approval = try #require(submitted.string("approvalId"))
            #expect(try await world.decide(approval, role: .auditor, approve: true).status == .ok)
            #expect(try await world.decide(approval, role: .operator, approve: true, user: "usr_op").status == .ok)
            let before = try await Self.snapshot(world, approval: approval, batch: id)

            let refused = try await world.decide(approval, role: .operator, approve: true, user: "usr_op")
            #expect(refused.status == .conflict)
            #expect(refused.code == "four_eyes_required")
            #expect((refused.string("detail") ?? "").contains("another person"))
            #expect(refused.headers[.contentType] == "application/problem+json")
            #expect(try await Self.snapshot(world, approval: approval, batch: id) == before)
            #expect(before.stage == 2 && before.status == "pending" && before.batchState == "in_review")

            let paid = try await world.decide(approval, role: .operator, approve: true, user: "usr_op2")
            #expect(paid.status == .ok, "\(paid.json)")
            #expect(try await world.batch(id).string("state") == "awaiting_transfer")

            await #expect(throws: (any Error).self) {
                try await world.postgres.query(
                    """
                    INSERT INTO approval_decisions (application_id, stage, role, decider_user_id, decider_name, decision, decided_at)
                    VALUES (\(approval), 2, 'operator', 'usr_aud', 'auditor', 'approved', now())
                    """)
            }
        }
    }

    /// The approval's stage and status, its decision count, and the batch's state.
    struct Snapshot: Equatable {
        let stage: Int
        let status: String
        let decisions: Int
        let batchState: String
    }

    static func snapshot(_ world: RedemptionWorld, approval: String, batch: String) async throws -> Snapshot {
        let rows = try await world.postgres.query(
            """
            SELECT a.current_stage, a.status, (SELECT count(*)::int FROM approval_decisions d WHERE d.application_id = a.id), b.state
            FROM approval_applications a JOIN redemption_batches b ON b.approval_id = a.id
            WHERE a.id = \(approval) AND b.id = \(batch)
            """)
        for try await (stage, status, decisions, state) in rows.decode((Int, String, Int, String).self) {
            return Snapshot(stage: stage, status: status, decisions: decisions, batchState: state)
        }
        throw TestSetupError("no approval \(approval) for batch \(batch)")
    }
}
