import Foundation
import Logging
import PostgresNIO
import Reconciliation
import VoucherCore

extension RedemptionRepository {
    static let columns = """
        id, kind, org_id, reference, payee_account_id, payee_name, payee_number, total_fen, state, approval_id,
        material_sha256, material_media_type, rejection_reason, transfer_amount_fen, payer_name, payer_account,
        to_char(transfer_date, 'YYYY-MM-DD'), bank_serial, dispute_reason, created_at, updated_at, enterprise_name, order_id, direction
        """

    static func decode(_ rows: PostgresRowSequence) async throws -> [BatchRecord] {
        var result: [BatchRecord] = []
        for try await row in rows.decode(
            (
                String, String, String, String, String, String, String, Int64, String, String, String?, String?, String?,
                Int64?, String?, String?, String?, String?, String?, Date, Date, String?, String?, String?
            ).self)
        {
            let (
                id, kind, org, reference, payeeID, payeeName, payeeNumber, total, state, approval, sha, media, rejection,
                amount, payerName, payerAccount, date, serial, dispute, created, updated, enterprise, order, direction
            ) = row
            var transfer: TransferRecord?
            if let amount, let payerName, let payerAccount, let date, let serial {
                transfer = TransferRecord(amountFen: amount, payerName: payerName, payerAccount: payerAccount, date: date, bankSerial: serial)
            }
            result.append(
                BatchRecord(
                    id: id, kind: kind, orgID: org, reference: reference, payeeAccountID: payeeID, payeeName: payeeName, payeeNumber: payeeNumber,
                    totalFen: total, state: try StoredValue.decode(BatchState.self, state, column: "redemption_batches.state"), approvalID: approval,
                    materialSHA256: sha,
                    materialMediaType: media, enterpriseName: enterprise, orderID: order, direction: direction, rejectionReason: rejection,
                    transfer: transfer, disputeReason: dispute, createdAt: created,
                    updatedAt: updated, usageIDs: []))
        }
        return result
    }

    /// One batch with its usages, if the viewer may see it; `lock` takes it FOR UPDATE.
    static func batch(id: String, viewer: BatchViewer, lock: Bool = false, on tx: PostgresConnection, logger: Logger) async throws -> BatchRecord? {
        let org: String? = if case .provider(let orgID) = viewer { orgID } else { nil }
        let rows = try await tx.query(
            """
            SELECT \(unescaped: columns) FROM redemption_batches WHERE id = \(id) AND (\(org)::text IS NULL OR org_id = \(org))
            \(unescaped: lock ? "FOR UPDATE" : "")
            """, logger: logger)
        guard var batch = try await decode(rows).first else { return nil }
        for try await usage in try await tx.query(
            "SELECT usage_id FROM batch_usages WHERE batch_id = \(id) ORDER BY usage_id", logger: logger
        ).decode(String.self) {
            batch.usageIDs.append(usage)
        }
        for try await (sha, media, size) in try await tx.query(
            "SELECT sha256, media_type, size_bytes FROM batch_files WHERE batch_id = \(id) ORDER BY position", logger: logger
        ).decode((String, String, Int).self) {
            batch.files.append(MaterialFile(sha256: sha, mediaType: media, sizeBytes: size))
        }
        return batch
    }

    /// One batch, if the viewer may see it.
    public func batch(id: String, viewer: BatchViewer) async throws -> BatchRecord? {
        try await client.withConnection { try await Self.batch(id: id, viewer: viewer, on: $0, logger: logger) }
    }

    /// One page of batches the viewer may see, newest first, and the total; with `state`, only
    /// batches in that state.
    public func batches(viewer: BatchViewer, state: BatchState? = nil, page: Int, pageSize: Int) async throws -> (items: [BatchRecord], total: Int) {
        let org: String? = if case .provider(let orgID) = viewer { orgID } else { nil }
        let state = state?.rawValue
        var total = 0
        for try await count in try await client.query(
            """
            SELECT count(*)::int FROM redemption_batches
            WHERE (\(org)::text IS NULL OR org_id = \(org)) AND (\(state)::text IS NULL OR state = \(state))
            """, logger: logger
        ).decode(Int.self) {
            total = count
        }
        let rows = try await client.query(
            """
            SELECT \(unescaped: Self.columns) FROM redemption_batches
            WHERE (\(org)::text IS NULL OR org_id = \(org)) AND (\(state)::text IS NULL OR state = \(state))
            ORDER BY created_at DESC, id LIMIT \(pageSize) OFFSET \((page - 1) * pageSize)
            """, logger: logger)
        return (try await Self.decode(rows), total)
    }

    /// The state after `event`, or the 409 that names the state that refuses it.
    static func transition(_ state: BatchState, _ event: BatchEvent) throws(RedemptionError) -> BatchState {
        do { return try state.after(event) } catch { throw RedemptionError.invalidState(current: state.rawValue, action: event.action) }
    }

    /// Locks a visible batch, checks its state, runs `step` and returns the batch afterwards.
    func move(
        id: String, viewer: BatchViewer, event: BatchEvent,
        _ step: @escaping @Sendable (BatchRecord, PostgresConnection) async throws -> Void
    ) async throws -> BatchRecord {
        try await client.transaction(logger: logger) { tx in
            guard let batch = try await Self.batch(id: id, viewer: viewer, lock: true, on: tx, logger: logger) else {
                throw RedemptionError.batchNotFound
            }
            _ = try RedemptionRepository.transition(batch.state, event)
            try await step(batch, tx)
            guard let after = try await Self.batch(id: id, viewer: viewer, on: tx, logger: logger) else { throw RedemptionError.batchNotFound }
            return after
        }
    }

    /// The operator records the offline transfer (again, after a dispute). Every deduction the
    /// batch pays must be captured first (`requirePaidOrders`); the provider's 支付确认 opens in
    /// its inbox (`PaymentConfirmationEffect`), filed by `recordedBy`.
    public func recordTransfer(id: String, transfer: TransferRecord, recordedBy: String, now: Date) async throws -> BatchRecord {
        try Self.validate(transfer)
        return try await move(id: id, viewer: .platform, event: .recordTransfer) { _, tx in
            try await Self.requirePaidOrders(batchID: id, on: tx, logger: logger)
            try await tx.query(
                """
                UPDATE redemption_batches SET state = 'awaiting_confirmation', transfer_amount_fen = \(transfer.amountFen),
                    payer_name = \(transfer.payerName), payer_account = \(transfer.payerAccount), transfer_date = \(transfer.date)::date,
                    bank_serial = \(transfer.bankSerial), transferred_at = \(now), updated_at = \(now)
                WHERE id = \(id)
                """, logger: logger)
            guard let recorded = try await Self.batch(id: id, viewer: .platform, on: tx, logger: logger) else { throw RedemptionError.batchNotFound }
            try await PaymentConfirmationEffect.file(recorded, operatorUserID: recordedBy, now: now, on: tx, logger: logger)
        }
    }

    static func validate(_ transfer: TransferRecord) throws {
        guard transfer.amountFen > 0 else { throw RedemptionError.transferInvalid("amountFen must be a positive number of fen.") }
        for (name, value) in [("payerName", transfer.payerName), ("payerAccount", transfer.payerAccount), ("bankSerial", transfer.bankSerial)] {
            guard (1...RedemptionLimits.transferFieldLengthMax).contains(value.count) else {
                throw RedemptionError.transferInvalid("\(name) must be 1 to \(RedemptionLimits.transferFieldLengthMax) characters.")
            }
        }
        guard CalendarDay(iso: transfer.date) != nil else {
            throw RedemptionError.transferInvalid("date must be a calendar date YYYY-MM-DD.")
        }
    }

    /// The provider confirms receipt: payer name, payer account and amount must be the recorded
    /// transfer's by `ReceiptComparison` (the comparison reconciliation uses for bank receipts, so
    /// finance and providers agree on "the same"), and the amount the batch total. Then, in this
    /// transaction, the usages are redeemed and each gets a `redeem` ledger entry, and the 支付确认
    /// item of the inbox closes as approved by `userID`.
    public func confirm(
        id: String, orgID: String, userID: String, payerName: String, payerAccount: String, amountFen: Int64, now: Date
    ) async throws -> BatchRecord {
        try await move(id: id, viewer: .provider(orgID: orgID), event: .confirm) { batch, tx in
            guard let transfer = batch.transfer else { throw RedemptionError.transferMismatch(.amount) }
            switch ReceiptComparison.compare(
                amountFen: amountFen, name: payerName, account: payerAccount,
                expectedAmountFen: transfer.amountFen, expectedName: transfer.payerName, expectedAccount: transfer.payerAccount)
            {
            case .same: break
            case .amountDiffers: throw RedemptionError.transferMismatch(.amount)
            case .nameOrAccountDiffers: throw RedemptionError.transferMismatch(.nameOrAccount)
            }
            guard transfer.amountFen == batch.totalFen else { throw RedemptionError.transferMismatch(.total) }
            try await Self.redeem(batch, now: now, on: tx, logger: logger)
            try await PaymentConfirmationEffect.close(batchID: id, decision: .approved, by: userID, reason: nil, now: now, on: tx, logger: logger)
        }
    }

    /// Redeems a batch whose transfer is confirmed: one `redeem` entry per live usage, the usages
    /// redeemed, the batch redeemed; on the caller's transaction, the batch locked.
    static func redeem(_ batch: BatchRecord, now: Date, on tx: PostgresConnection, logger: Logger) async throws {
        let id = batch.id
        try await tx.query(
            """
            INSERT INTO voucher_ledger (voucher_id, entry, amount_fen, order_id, created_at)
            SELECT u.voucher_id, 'redeem', bu.amount_fen, u.order_id, \(now)
            FROM batch_usages bu JOIN usages u ON u.id = bu.usage_id WHERE bu.batch_id = \(id) AND bu.live
            """, logger: logger)
        var redeemedFen: Int64 = 0
        for try await sum in try await tx.query(
            """
            WITH r AS (UPDATE usages SET state = 'redeemed'
                WHERE id IN (SELECT usage_id FROM batch_usages WHERE batch_id = \(id) AND live) AND state = 'in_redemption'
                RETURNING amount_fen)
            SELECT coalesce(sum(amount_fen), 0)::bigint FROM r
            """, logger: logger
        ).decode(Int64.self) {
            redeemedFen = sum
        }
        precondition(redeemedFen == batch.totalFen, "a redeemed batch pays exactly its usages")
        try await tx.query(
            """
            UPDATE redemption_batches SET state = 'redeemed', redeemed_at = \(now), updated_at = \(now) WHERE id = \(id)
            """, logger: logger)
    }

    /// The provider disputes the recorded transfer; the operator may record it again or reject.
    /// The 支付确认 item closes as rejected by `userID` with the reason.
    public func dispute(id: String, orgID: String, userID: String, reason: String, now: Date) async throws -> BatchRecord {
        try Self.validate(reason: reason)
        return try await move(id: id, viewer: .provider(orgID: orgID), event: .dispute) { _, tx in
            try await Self.markDisputed(id, reason: reason, now: now, on: tx, logger: logger)
            try await PaymentConfirmationEffect.close(batchID: id, decision: .rejected, by: userID, reason: reason, now: now, on: tx, logger: logger)
        }
    }

    /// The dispute itself on the caller's transaction.
    static func markDisputed(_ id: String, reason: String, now: Date, on tx: PostgresConnection, logger: Logger) async throws {
        try await tx.query(
            """
            UPDATE redemption_batches SET state = 'disputed', dispute_reason = \(reason), updated_at = \(now) WHERE id = \(id)
            """, logger: logger)
    }

    /// The operator ends a batch after the approvals chain (at the transfer or confirmation step);
    /// a 支付确认 item still open is withdrawn.
    public func reject(id: String, reason: String, now: Date) async throws -> BatchRecord {
        try Self.validate(reason: reason)
        return try await move(id: id, viewer: .platform, event: .reject) { _, tx in
            try await Self.release(batchID: id, reason: reason, now: now, on: tx, logger: logger)
            try await PaymentConfirmationEffect.close(batchID: id, decision: nil, by: nil, reason: nil, now: now, on: tx, logger: logger)
        }
    }

    static func validate(reason: String) throws {
        guard (1...RedemptionLimits.reasonLengthMax).contains(reason.trimmingCharacters(in: .whitespacesAndNewlines).count) else {
            throw RedemptionError.reasonMissing
        }
    }

    /// Ends a batch as rejected: its usages return to pending and leave the batch (not live).
    static func release(batchID: String, reason: String, now: Date, on tx: PostgresConnection, logger: Logger) async throws {
        try await tx.query(
            """
            UPDATE usages SET state = 'pending_redemption'
            WHERE id IN (SELECT usage_id FROM batch_usages WHERE batch_id = \(batchID) AND live) AND state = 'in_redemption'
            """, logger: logger)
        try await tx.query("UPDATE batch_usages SET live = false WHERE batch_id = \(batchID)", logger: logger)
        try await tx.query(
            """
            UPDATE redemption_batches SET state = 'rejected', rejection_reason = \(reason), updated_at = \(now) WHERE id = \(batchID)
            """, logger: logger)
    }
}
