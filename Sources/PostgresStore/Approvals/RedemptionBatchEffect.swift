import Foundation
import Logging
import PostgresNIO
import VoucherCore

/// The approvals chain of a batch (auditor → operator settlement → operator payment): approval
/// opens the transfer step; a rejection or withdrawal ends the batch and returns its usages to
/// pending, with the decider's reason kept on the batch for the provider.
public struct RedemptionBatchEffect: ApprovalEffect {
    public static let type = "redemption_batch"
    /// General-voucher redemptions: one operator approval, then the same payout steps.
    public static let generalType = "redemption_general"
    /// The reason kept when the provider withdraws the application.
    static let withdrawnReason = "Withdrawn by the provider."

    public init() {}

    public func closed(_ application: ApprovalRecord, as status: ApprovalStatus, on connection: PostgresConnection, logger: Logger) async throws {
        let id = application.subjectID
        guard let batch = try await RedemptionRepository.batch(id: id, viewer: .platform, lock: true, on: connection, logger: logger) else {
            throw RedemptionError.batchNotFound
        }
        guard status != .pending else { return }
        _ = try RedemptionRepository.transition(batch.state, status == .approved ? .approvalsPassed : .approvalsRejected)
        let now = Date()
        switch status {
        case .approved:
            try await connection.query(
                """
                UPDATE redemption_batches SET state = 'awaiting_transfer', updated_at = \(now) WHERE id = \(id)
                """, logger: logger)
        case .rejected, .withdrawn:
            var reason = Self.withdrawnReason
            for try await text in try await connection.query(
                """
                SELECT reason FROM approval_decisions WHERE application_id = \(application.id) ORDER BY id DESC LIMIT 1
                """, logger: logger
            ).decode(String?.self) {
                if let text, !text.isEmpty { reason = text }
            }
            try await RedemptionRepository.release(batchID: id, reason: reason, now: now, on: connection, logger: logger)
        case .pending: return
        }
    }
}

/// The approval workflows of redemption, to merge into the approvals module's effects.
public enum RedemptionEffects {
    public static let all: [String: any ApprovalEffect] = [
        RedemptionBatchEffect.type: RedemptionBatchEffect(),
        RedemptionBatchEffect.generalType: RedemptionBatchEffect(),
        PaymentConfirmationEffect.type: PaymentConfirmationEffect(),
    ]
}
