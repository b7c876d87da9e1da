import Foundation
import Logging
import PostgresNIO
import VoucherCore

/// A voucher application (申请, apply-mode lots) as an inbox item: applying files an application
/// with one operator stage, so it shows in the enterprise's 我的申请 and the operators' 待我审批
/// (guide §2.4.2, §1.4.7.1 说明). Deciding it in the inbox issues the voucher or rejects the
/// application through the same rules as `POST /v1/voucher-applications/{id}/approve|reject`, which
/// close the item in their own transaction, so the two ways never disagree.
public struct VoucherApplicationEffect: ApprovalEffect {
    public static let type = "voucher_application"
    /// The reason kept when the enterprise withdraws the item (the application has no withdrawn state).
    static let withdrawnReason = "申请人已撤销申请。"

    public init() {}

    public func closed(_ application: ApprovalRecord, as status: ApprovalStatus, on connection: PostgresConnection, logger: Logger) async throws {
        let id = application.subjectID
        let now = Date()
        switch status {
        case .approved:
            let decider = try await Self.lastDecision(application.id, on: connection, logger: logger)
            _ = try await VoucherApplicationsRepository.issue(
                id: id, voucherID: OpaqueID.make(prefix: "vch"), decidedBy: decider?.userID ?? application.applicantUserID, now: now, on: connection,
                logger: logger)
        case .rejected, .withdrawn:
            let decider = try await Self.lastDecision(application.id, on: connection, logger: logger)
            let reason = status == .withdrawn ? Self.withdrawnReason : (decider?.reason ?? Self.withdrawnReason)
            _ = try await VoucherApplicationsRepository.markRejected(
                id: id, reason: reason, decidedBy: decider?.userID ?? application.applicantUserID, now: now, on: connection, logger: logger)
        case .pending:
            return
        }
    }

    static func lastDecision(_ applicationID: String, on tx: PostgresConnection, logger: Logger) async throws -> (userID: String, reason: String?)? {
        let rows = try await tx.query(
            """
            SELECT decider_user_id, reason FROM approval_decisions WHERE application_id = \(applicationID) ORDER BY id DESC LIMIT 1
            """, logger: logger)
        for try await (user, reason) in rows.decode((String, String?).self) { return (user, reason) }
        return nil
    }
}

/// The approval workflows of campaigns, to merge into the approvals module's effects.
public enum CampaignEffects {
    public static let all: [String: any ApprovalEffect] = [VoucherApplicationEffect.type: VoucherApplicationEffect()]
}
