import Foundation
import Logging
import PostgresNIO
import VoucherCore

/// 支付确认 as an inbox item (guide §1.4.7.1 说明: "您可以在「我的待办」和「我的申请」中查看流程进度与完成支付
/// 确认流程"): recording a transfer files an application whose one stage is the provider's. It shows
/// in the provider's 待我审批 (its own organisation's only) and in the recording operator's 我的申请.
/// Approving it (步骤5: 确认后，点击「通过」) confirms receipt of the transfer as recorded; rejecting it
/// disputes the transfer with the reason. The batch's own `/confirm` and `/dispute` close the item
/// in the same transaction, and a batch the operator rejects withdraws it, so item and batch agree.
public struct PaymentConfirmationEffect: ApprovalEffect {
    public static let type = "payment_confirmation"
    /// The one stage: the provider whose batch it is.
    public static let stageRole = "provider"

    public init() {}

    public func closed(_ application: ApprovalRecord, as status: ApprovalStatus, on connection: PostgresConnection, logger: Logger) async throws {
        let id = application.subjectID
        guard let batch = try await RedemptionRepository.batch(id: id, viewer: .platform, lock: true, on: connection, logger: logger) else {
            throw RedemptionError.batchNotFound
        }
        let now = Date()
        switch status {
        case .approved:
            _ = try RedemptionRepository.transition(batch.state, .confirm)
            guard let transfer = batch.transfer, transfer.amountFen == batch.totalFen else { throw RedemptionError.transferMismatch(.total) }
            try await RedemptionRepository.redeem(batch, now: now, on: connection, logger: logger)
        case .rejected:
            _ = try RedemptionRepository.transition(batch.state, .dispute)
            var reason = "付款信息与到账不符。"
            for try await text in try await connection.query(
                """
                SELECT reason FROM approval_decisions WHERE application_id = \(application.id) ORDER BY id DESC LIMIT 1
                """, logger: logger
            ).decode(String?.self) {
                if let text, !text.isEmpty { reason = text }
            }
            try await RedemptionRepository.markDisputed(id, reason: reason, now: now, on: connection, logger: logger)
        case .withdrawn, .pending:
            return
        }
    }

    /// Files the item for a batch whose transfer `operatorUserID` just recorded.
    static func file(_ batch: BatchRecord, operatorUserID: String, now: Date, on tx: PostgresConnection, logger: Logger) async throws {
        let amountFen = batch.transfer?.amountFen ?? 0
        _ = try await ApprovalsRepository.file(
            NewApproval(
                type: type, title: "支付确认 \(batch.reference)", applicantUserID: operatorUserID,
                applicantName: try await username(operatorUserID, on: tx, logger: logger), orgID: batch.orgID, subjectID: batch.id,
                stageRoles: [stageRole], payloadJSON: #"{"reference":"\#(batch.reference)","amountFen":\#(amountFen)}"#),
            now: now, on: tx, logger: logger)
    }

    /// Closes the batch's pending item when the provider confirms (`approved`) or disputes
    /// (`rejected`, with the reason) through the batch's own routes, recording the decision as
    /// the inbox would; nil withdraws it (the batch ended). No pending item: nothing to do.
    static func close(
        batchID: String, decision: ApprovalDecisionKind?, by userID: String?, reason: String?, now: Date, on tx: PostgresConnection,
        logger: Logger
    ) async throws {
        let status = decision.map { $0 == .approved ? "approved" : "rejected" } ?? "withdrawn"
        let rows = try await tx.query(
            """
            UPDATE approval_applications SET status = \(status), updated_at = \(now), closed_at = \(now)
            WHERE type = \(type) AND subject_id = \(batchID) AND status = 'pending' RETURNING id, current_stage
            """, logger: logger)
        var closed: [(String, Int)] = []
        for try await row in rows.decode((String, Int).self) { closed.append(row) }
        guard let decision, let userID else { return }
        let name = try await username(userID, on: tx, logger: logger)
        for (applicationID, stage) in closed {
            try await tx.query(
                """
                INSERT INTO approval_decisions (application_id, stage, role, decider_user_id, decider_name, decision, reason, decided_at)
                VALUES (\(applicationID), \(stage), \(stageRole), \(userID), \(name), \(decision.rawValue), \(reason), \(now))
                """, logger: logger)
        }
    }

    static func username(_ userID: String, on tx: PostgresConnection, logger: Logger) async throws -> String {
        for try await name in try await tx.query("SELECT username FROM users WHERE id = \(userID)", logger: logger).decode(String.self) {
            return name
        }
        return userID
    }
}
