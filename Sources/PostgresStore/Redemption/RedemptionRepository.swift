import Foundation
import Logging
import PostgresNIO
import VoucherCore

/// Who looks at batches: a provider sees its own; platform roles (operator, auditor, finance) all.
public enum BatchViewer: Sendable, Equatable {
    case provider(orgID: String)
    case platform
}

/// Redemption batches in PostgreSQL: submission, the payout steps after the approvals chain, and
/// the redemption itself (usages redeemed, `redeem` ledger entries) in one transaction each.
public struct RedemptionRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// Id prefix of batches.
    public static let idPrefix = "rdb"
    /// The approvals chain of a diagnostic batch (SPEC §5): auditor review, operator settlement
    /// approval, operator payment approval.
    public static let chain = ["auditor", "operator", "operator"]
    /// RFC 4648 base32 (upper case, 2–7): reference codes survive bank memo fields that upper-case.
    static let referenceAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    /// Characters after `RB` in a reference code.
    static let referenceLength = 10

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// `RB` and ten base32 characters (50 random bits) for the transfer memo.
    public static func makeReference() -> String {
        var generator = SystemRandomNumberGenerator()
        return "RB" + String((0..<referenceLength).map { _ in referenceAlphabet[Int(generator.next(upperBound: UInt32(referenceAlphabet.count)))] })
    }

    /// Files a diagnostic batch: locks the usages, checks each, fixes the total, files the
    /// approval and marks the usages in redemption. The partial unique index on `batch_usages`
    /// is the last word if two batches race for one usage.
    /// With an Idempotency-Key, a replay of the same request answers the first batch
    /// (`created` false) and a different request with the key is refused.
    public func submit(_ new: NewBatch, now: Date) async throws -> (batch: BatchRecord, created: Bool) {
        let usageIDs = Array(Set(new.usageIDs)).sorted()
        guard !usageIDs.isEmpty else { throw RedemptionError.usagesEmpty }
        guard usageIDs.count <= RedemptionLimits.usagesPerBatchMax else { throw RedemptionError.usagesTooMany }
        let id = OpaqueID.make(prefix: Self.idPrefix)
        let reference = Self.makeReference()
        return try await client.transaction(logger: logger) { tx in
            if let key = new.idempotencyKey {
                for try await (existing, fingerprint) in try await tx.query(
                    """
                    SELECT id, request_fingerprint FROM redemption_batches WHERE org_id = \(new.orgID) AND idempotency_key = \(key)
                    """, logger: logger
                ).decode((String, String?).self) {
                    guard fingerprint == new.fingerprint else { throw RedemptionError.idempotencyKeyReused }
                    guard let batch = try await Self.batch(id: existing, viewer: .platform, on: tx, logger: logger) else {
                        throw RedemptionError.batchNotFound
                    }
                    return (batch, false)
                }
            }
            let (payeeName, payeeNumber, payeeVersion) = try await lockPayee(id: new.payeeAccountID, orgID: new.orgID, tx)
            let totalFen = try await lockUsages(usageIDs, orgID: new.orgID, kind: .diagnostic, tx)
            let applicantName = try await username(new.userID, tx)
            let approval = try await ApprovalsRepository.file(
                NewApproval(
                    type: RedemptionBatchEffect.type, title: "诊断服务券兑付 \(reference)", applicantUserID: new.userID,
                    applicantName: applicantName, orgID: new.orgID, subjectID: id, stageRoles: Self.chain,
                    payloadJSON: #"{"reference":"\#(reference)","totalFen":\#(totalFen)}"#), now: now, on: tx, logger: logger)
            try await tx.query(
                """
                INSERT INTO redemption_batches (id, kind, org_id, created_by, reference, payee_account_id, payee_name, payee_number,
                    payee_version, total_fen, state, approval_id, material_sha256, material_media_type, material_size_bytes, idempotency_key,
                    request_fingerprint, created_at, updated_at)
                VALUES (\(id), 'diagnostic', \(new.orgID), \(new.userID), \(reference), \(new.payeeAccountID), \(payeeName), \(payeeNumber),
                    \(payeeVersion),
                    \(totalFen), 'in_review', \(approval), \(new.materialSHA256), \(new.materialMediaType), \(new.materialSizeBytes),
                        \(new.idempotencyKey),
                    \(new.fingerprint), \(now), \(now))
                """, logger: logger)
            try await takeUsages(usageIDs, batchID: id, tx)
            guard let batch = try await Self.batch(id: id, viewer: .platform, on: tx, logger: logger) else { throw RedemptionError.batchNotFound }
            precondition(batch.totalFen == totalFen && batch.usageIDs.count == usageIDs.count, "a batch holds what was selected")
            return (batch, true)
        }
    }

    /// The active payee account of the organisation (name, number, version), locked against
    /// disabling and editing until the batch that snapshots it is filed.
    func lockPayee(id: String, orgID: String, _ tx: PostgresConnection) async throws -> (String, String, Int) {
        let payee = try await tx.query(
            """
            SELECT account_name, account_number, version FROM payee_accounts WHERE id = \(id) AND org_id = \(orgID) AND active FOR SHARE
            """, logger: logger)
        for try await row in payee.decode((String, String, Int).self) { return row }
        throw RedemptionError.accountNotFound
    }

    /// The user's username for the inbox, or the id when it has none.
    func username(_ userID: String, _ tx: PostgresConnection) async throws -> String {
        for try await name in try await tx.query("SELECT username FROM users WHERE id = \(userID)", logger: logger).decode(String.self) {
            return name
        }
        return userID
    }

    /// Puts the usages in the batch (the partial unique index refuses a second live batch) and
    /// marks them in redemption.
    func takeUsages(_ usageIDs: [String], batchID: String, _ tx: PostgresConnection) async throws {
        do {
            try await tx.query(
                """
                INSERT INTO batch_usages (batch_id, usage_id, amount_fen)
                SELECT \(batchID), u.id, u.amount_fen FROM usages u WHERE u.id = ANY(\(usageIDs))
                """, logger: logger)
        } catch let error as PSQLError where error.violatedUniqueConstraint == "batch_usages_one_live" {
            throw RedemptionError.usageTaken(id: usageIDs.joined(separator: ","))
        }
        try await tx.query("UPDATE usages SET state = 'in_redemption' WHERE id = ANY(\(usageIDs))", logger: logger)
    }

    /// Locks the selected usages and returns their total; each must be the provider's, pending,
    /// of a voucher of `expectedKind` and of a completed order (a general voucher's: of a placed
    /// order, `generalFilingStates`).
    func lockUsages(_ usageIDs: [String], orgID: String, kind expectedKind: VoucherKind, _ tx: PostgresConnection) async throws -> Int64 {
        let rows = try await tx.query(
            """
            SELECT u.id, u.provider_org_id, u.state, u.amount_fen, v.kind, o.state
            FROM usages u JOIN vouchers v ON v.id = u.voucher_id JOIN orders o ON o.id = u.order_id
            WHERE u.id = ANY(\(usageIDs)) ORDER BY u.id FOR UPDATE OF u
            """, logger: logger)
        var found: [String: (String, String, Int64, String, String)] = [:]
        for try await (id, provider, state, amount, kind, orderState) in rows.decode((String, String, String, Int64, String, String).self) {
            found[id] = (provider, state, amount, kind, orderState)
        }
        var totalFen = Money.zero
        for usageID in usageIDs {
            guard let (provider, state, amount, kind, orderState) = found[usageID], provider == orgID else {
                throw RedemptionError.usageNotFound(id: usageID)
            }
            if state == "in_redemption" { throw RedemptionError.usageTaken(id: usageID) }
            let order = try StoredValue.decode(OrderState.self, orderState, column: "orders.state")
            let orderAllows = expectedKind == .general ? Self.generalFilingStates.contains(order) : order == .completed
            guard state == "pending_redemption", kind == expectedKind.rawValue, orderAllows else {
                throw RedemptionError.usageNotRedeemable(id: usageID)
            }
            totalFen = try totalFen.adding(Money(fen: amount))
        }
        return totalFen.fen
    }
}
