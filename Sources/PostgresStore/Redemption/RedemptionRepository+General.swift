import Foundation
import Logging
import PostgresNIO
import VoucherCore

extension RedemptionRepository {
    /// The four directions of general vouchers (SPEC §3).
    public static let generalDirections: Set<String> = ["cloud", "dt_standard", "integration_standard", "dcmm"]
    /// The chain of a general-voucher redemption: one operator approval.
    public static let generalChain = ["operator"]

    /// Records a materials file the provider uploaded, so a later filing may cite it.
    public func addMaterial(orgID: String, file: MaterialFile, now: Date) async throws {
        try await client.query(
            """
            INSERT INTO redemption_files (org_id, sha256, media_type, size_bytes, created_at)
            VALUES (\(orgID), \(file.sha256), \(file.mediaType), \(file.sizeBytes), \(now))
            ON CONFLICT (org_id, sha256) DO NOTHING
            """, logger: logger)
    }

    /// Files a general-voucher redemption: the order must be the provider's and placed (not
    /// cancelled, refunded or under refund review: `generalFilingStates`, guide §1.4.7.2); its
    /// general-voucher deductions of the named direction become usages if they are not yet
    /// (`makeGeneralUsages`), the pending ones are taken (with the same one-live-batch constraint)
    /// and their sum is the total; the files must be the provider's uploads. The order stays
    /// locked to the end, so a cancellation or refund waits for the filing and then ends it.
    public func submitGeneral(_ new: NewGeneralRedemption, now: Date) async throws -> BatchRecord {
        guard Self.generalDirections.contains(new.direction) else {
            throw RedemptionError.invalidInput("direction must be one of cloud, dt_standard, integration_standard, dcmm.")
        }
        guard (1...100).contains(new.enterpriseName.count) else {
            throw RedemptionError.invalidInput("enterpriseName must be 1 to 100 characters.")
        }
        let shas = new.materialSHA256s
        guard (1...RedemptionLimits.generalFilesMax).contains(shas.count) else {
            throw RedemptionError.invalidInput("Send 1 to \(RedemptionLimits.generalFilesMax) materials (uploaded first).")
        }
        let id = OpaqueID.make(prefix: Self.idPrefix)
        let reference = Self.makeReference()
        return try await client.transaction(logger: logger) { tx in
            var files: [MaterialFile] = []
            for sha in shas {
                var found: MaterialFile?
                for try await (media, size) in try await tx.query(
                    """
                    SELECT media_type, size_bytes FROM redemption_files WHERE org_id = \(new.orgID) AND sha256 = \(sha)
                    """, logger: logger
                ).decode((String, Int).self) {
                    found = MaterialFile(sha256: sha, mediaType: media, sizeBytes: size)
                }
                guard let found else { throw RedemptionError.invalidInput("Material \(sha) is not one of your uploads; upload it first.") }
                files.append(found)
            }
            var orderState: String?
            for try await state in try await tx.query(
                """
                SELECT state FROM orders WHERE id = \(new.orderID) AND provider_org_id = \(new.orgID) FOR UPDATE
                """, logger: logger
            ).decode(String.self) {
                orderState = state
            }
            guard let orderState else { throw RedemptionError.orderNotFound }
            let state = try StoredValue.decode(OrderState.self, orderState, column: "orders.state")
            guard Self.generalFilingStates.contains(state) else { throw RedemptionError.orderNotRedeemable(id: new.orderID, state: state.rawValue) }
            try await Self.makeGeneralUsages(orderID: new.orderID, direction: new.direction, now: now, on: tx, logger: logger)
            var usageIDs: [String] = []
            for try await usage in try await tx.query(
                """
                SELECT u.id FROM usages u JOIN vouchers v ON v.id = u.voucher_id
                WHERE u.order_id = \(new.orderID) AND u.state = 'pending_redemption' AND v.kind = 'general' AND v.direction = \(new.direction)
                ORDER BY u.id
                """, logger: logger
            ).decode(String.self) {
                usageIDs.append(usage)
            }
            guard !usageIDs.isEmpty else { throw RedemptionError.usageNotRedeemable(id: new.orderID) }
            let payee = try await lockPayee(id: new.payeeAccountID, orgID: new.orgID, tx)
            let totalFen = try await lockUsages(usageIDs, orgID: new.orgID, kind: .general, tx)
            let name = try await username(new.userID, tx)
            let approval = try await ApprovalsRepository.file(
                NewApproval(
                    type: RedemptionBatchEffect.generalType, title: "通用服务券兑付 \(reference)", applicantUserID: new.userID,
                    applicantName: name, orgID: new.orgID, subjectID: id, stageRoles: Self.generalChain,
                    payloadJSON: #"{"reference":"\#(reference)","totalFen":\#(totalFen)}"#), now: now, on: tx, logger: logger)
            try await tx.query(
                """
                INSERT INTO redemption_batches (id, kind, org_id, created_by, reference, payee_account_id, payee_name, payee_number,
                    payee_version, total_fen, state, approval_id, enterprise_name, order_id, direction, created_at, updated_at)
                VALUES (\(id), 'general', \(new.orgID), \(new.userID), \(reference), \(new.payeeAccountID), \(payee.0), \(payee.1),
                    \(payee.2), \(totalFen), 'in_review', \(approval), \(new.enterpriseName), \(new.orderID), \(new.direction), \(now), \(now))
                """, logger: logger)
            for (position, file) in files.enumerated() {
                try await tx.query(
                    """
                    INSERT INTO batch_files (batch_id, position, sha256, media_type, size_bytes)
                    VALUES (\(id), \(position), \(file.sha256), \(file.mediaType), \(file.sizeBytes))
                    """, logger: logger)
            }
            try await takeUsages(usageIDs, batchID: id, tx)
            guard let batch = try await Self.batch(id: id, viewer: .platform, on: tx, logger: logger) else { throw RedemptionError.batchNotFound }
            precondition(batch.totalFen == totalFen, "a batch holds what was selected")
            return batch
        }
    }
}
