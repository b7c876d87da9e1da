import Foundation
import Logging
import PostgresNIO
import VoucherCore

/// An enterprise's application for a voucher of an apply-mode lot (申请).
public struct VoucherApplicationRecord: Sendable, Equatable {
    public let id: String
    public let lotID: String
    public let campaignID: String
    public let orgID: String
    public let applicantID: String
    /// `pending`, `approved` or `rejected` (never `withdrawn`).
    public let status: ApprovalStatus
    public let reason: String?
    public let voucherID: String?
    public let createdAt: Date
    public let decidedAt: Date?
}

/// Why an application could not be filed or decided.
public enum VoucherApplicationError: Error, Equatable {
    case notFound
    case alreadyPending
    case notPending(status: ApprovalStatus)
    case limitReached(held: Int)
    case soldOut
}

/// Apply-mode lots live in PostgreSQL only: the lot's row lock serialises approvals, so the
/// stock and the per-enterprise limit hold without Redis.
public struct VoucherApplicationsRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Files a pending application; one pending per enterprise and lot, and none past the limit.
    /// The inbox item (`VoucherApplicationEffect`) is filed in the same transaction, titled `title`.
    public func apply(
        id: String, lot: LotRecord, orgID: String, applicantID: String, title: String = "服务券申请", now: Date = Date()
    ) async throws -> VoucherApplicationRecord {
        try await client.transaction(logger: logger) { tx in
            try await tx.query("SELECT 1 FROM lots WHERE id = \(lot.id) FOR UPDATE", logger: logger)
            let held = try await Self.count(tx, "SELECT count(*)::int FROM vouchers WHERE lot_id = \(lot.id) AND org_id = \(orgID)", logger: logger)
            guard held < lot.perEnterpriseLimit else { throw VoucherApplicationError.limitReached(held: held) }
            let pending = try await Self.count(
                tx, "SELECT count(*)::int FROM voucher_applications WHERE lot_id = \(lot.id) AND org_id = \(orgID) AND status = 'pending'",
                logger: logger)
            guard pending == 0 else { throw VoucherApplicationError.alreadyPending }
            try await tx.query(
                """
                INSERT INTO voucher_applications (id, lot_id, org_id, applicant, created_at)
                VALUES (\(id), \(lot.id), \(orgID), \(applicantID), \(now))
                """, logger: logger)
            var applicantName = applicantID
            for try await name in try await tx.query("SELECT username FROM users WHERE id = \(applicantID)", logger: logger).decode(String.self) {
                applicantName = name
            }
            _ = try await ApprovalsRepository.file(
                NewApproval(
                    type: VoucherApplicationEffect.type, title: String(title.prefix(100)), applicantUserID: applicantID,
                    applicantName: applicantName, orgID: orgID, subjectID: id, stageRoles: ["operator"]),
                now: now, on: tx, logger: logger)
            guard let record = try await Self.fetch(id, tx, logger: logger) else { throw VoucherApplicationError.notFound }
            return record
        }
    }

    /// Approves: issues the voucher (with its ledger grant) in the same transaction, under the
    /// lot's row lock, or refuses when the lot is sold out or the enterprise at its limit; the
    /// inbox item closes with the decision.
    public func approve(id: String, voucherID: String, decidedBy: String, now: Date = Date()) async throws -> VoucherApplicationRecord {
        try await client.transaction(logger: logger) { tx in
            let record = try await Self.issue(id: id, voucherID: voucherID, decidedBy: decidedBy, now: now, on: tx, logger: logger)
            try await Self.closeItem(id, decision: .approved, by: decidedBy, reason: nil, now: now, on: tx, logger: logger)
            return record
        }
    }

    /// Rejects with a reason the enterprise sees; the inbox item closes with the decision.
    public func reject(id: String, reason: String, decidedBy: String, now: Date = Date()) async throws -> VoucherApplicationRecord {
        try await client.transaction(logger: logger) { tx in
            let record = try await Self.markRejected(id: id, reason: reason, decidedBy: decidedBy, now: now, on: tx, logger: logger)
            try await Self.closeItem(id, decision: .rejected, by: decidedBy, reason: reason, now: now, on: tx, logger: logger)
            return record
        }
    }

    /// The approval itself on an open transaction (the route's or the inbox's).
    static func issue(
        id: String, voucherID: String, decidedBy: String, now: Date, on tx: PostgresConnection, logger: Logger
    ) async throws -> VoucherApplicationRecord {
        guard let application = try await fetch(id, tx, lock: true, logger: logger) else { throw VoucherApplicationError.notFound }
        guard application.status.isOpen else { throw VoucherApplicationError.notPending(status: application.status) }
        let rows = try await tx.query(
            """
            SELECT stock, per_enterprise_limit FROM lots WHERE id = \(application.lotID) FOR UPDATE
            """, logger: logger)
        var stock = 0
        var limit = 0
        for try await (s, l) in rows.decode((Int, Int).self) { (stock, limit) = (s, l) }
        let issued = try await count(tx, "SELECT count(*)::int FROM vouchers WHERE lot_id = \(application.lotID)", logger: logger)
        guard issued < stock else { throw VoucherApplicationError.soldOut }
        let held = try await count(
            tx, "SELECT count(*)::int FROM vouchers WHERE lot_id = \(application.lotID) AND org_id = \(application.orgID)", logger: logger)
        guard held < limit else { throw VoucherApplicationError.limitReached(held: held) }
        try await tx.query(
            """
            INSERT INTO vouchers (id, lot_id, campaign_id, org_id, seq, kind, direction, face_value_fen, available_fen, valid_until,
                granted_at, source)
            SELECT \(voucherID), l.id, l.campaign_id, \(application.orgID), \(held + 1), l.kind, l.direction, l.face_value_fen, l.face_value_fen,
                   \(now)::timestamptz + l.validity_days * interval '1 day', \(now), 'apply'
            FROM lots l WHERE l.id = \(application.lotID)
            """, logger: logger)
        try await tx.query(
            """
            INSERT INTO voucher_ledger (voucher_id, entry, amount_fen) SELECT id, 'grant', face_value_fen FROM vouchers WHERE id = \(voucherID)
            """, logger: logger)
        try await tx.query(
            """
            UPDATE voucher_applications SET status = 'approved', voucher_id = \(voucherID), decided_by = \(decidedBy), decided_at = \(now)
            WHERE id = \(id)
            """, logger: logger)
        guard let record = try await fetch(id, tx, logger: logger) else { throw VoucherApplicationError.notFound }
        return record
    }

    /// The rejection itself on an open transaction.
    static func markRejected(
        id: String, reason: String, decidedBy: String, now: Date, on tx: PostgresConnection, logger: Logger
    ) async throws -> VoucherApplicationRecord {
        guard let application = try await fetch(id, tx, lock: true, logger: logger) else { throw VoucherApplicationError.notFound }
        guard application.status.isOpen else { throw VoucherApplicationError.notPending(status: application.status) }
        try await tx.query(
            """
            UPDATE voucher_applications SET status = 'rejected', reason = \(reason), decided_by = \(decidedBy), decided_at = \(now)
            WHERE id = \(id)
            """, logger: logger)
        guard let record = try await fetch(id, tx, logger: logger) else { throw VoucherApplicationError.notFound }
        return record
    }

    /// Closes the application's pending inbox item with the route's decision, recorded as the
    /// inbox records one (applications filed before migration 0017 got their item there).
    static func closeItem(
        _ id: String, decision: ApprovalDecisionKind, by userID: String, reason: String?, now: Date, on tx: PostgresConnection, logger: Logger
    ) async throws {
        let rows = try await tx.query(
            """
            UPDATE approval_applications SET status = \(decision.rawValue), updated_at = \(now), closed_at = \(now)
            WHERE type = \(VoucherApplicationEffect.type) AND subject_id = \(id) AND status = 'pending' RETURNING id, current_stage
            """, logger: logger)
        var closed: [(String, Int)] = []
        for try await row in rows.decode((String, Int).self) { closed.append(row) }
        var name = userID
        for try await username in try await tx.query("SELECT username FROM users WHERE id = \(userID)", logger: logger).decode(String.self) {
            name = username
        }
        for (applicationID, stage) in closed {
            try await tx.query(
                """
                INSERT INTO approval_decisions (application_id, stage, role, decider_user_id, decider_name, decision, reason, decided_at)
                VALUES (\(applicationID), \(stage), 'operator', \(userID), \(name), \(decision.rawValue), \(reason), \(now))
                """, logger: logger)
        }
    }

    /// A page of applications, newest first; only `orgID`'s when given.
    public func list(
        orgID: String?, status: ApprovalStatus?, page: Int, pageSize: Int
    ) async throws -> (items: [VoucherApplicationRecord], total: Int) {
        let status = status?.rawValue
        return try await client.withConnection { connection in
            let total = try await Self.count(
                connection,
                """
                SELECT count(*)::int FROM voucher_applications
                WHERE (\(orgID)::text IS NULL OR org_id = \(orgID)) AND (\(status)::text IS NULL OR status = \(status))
                """, logger: logger)
            let rows = try await connection.query(
                """
                SELECT a.id, a.lot_id, l.campaign_id, a.org_id, a.applicant, a.status, a.reason, a.voucher_id, a.created_at, a.decided_at
                FROM voucher_applications a JOIN lots l ON l.id = a.lot_id
                WHERE (\(orgID)::text IS NULL OR a.org_id = \(orgID)) AND (\(status)::text IS NULL OR a.status = \(status))
                ORDER BY a.created_at DESC, a.id LIMIT \(pageSize) OFFSET \((page - 1) * pageSize)
                """, logger: logger)
            return (try await Self.records(rows), total)
        }
    }

    /// One application, or nil.
    public func application(id: String) async throws -> VoucherApplicationRecord? {
        try await client.withConnection { try await Self.fetch(id, $0, logger: logger) }
    }

    static func fetch(_ id: String, _ connection: PostgresConnection, lock: Bool = false, logger: Logger) async throws -> VoucherApplicationRecord? {
        let rows = try await connection.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT a.id, a.lot_id, l.campaign_id, a.org_id, a.applicant, a.status, a.reason, a.voucher_id, a.created_at, a.decided_at
                    FROM voucher_applications a JOIN lots l ON l.id = a.lot_id WHERE a.id = $1\(lock ? " FOR UPDATE OF a" : "")
                    """,
                binds: {
                    var binds = PostgresBindings()
                    binds.append(id)
                    return binds
                }()), logger: logger)
        return try await Self.records(rows).first
    }

    private static func records(_ rows: PostgresRowSequence) async throws -> [VoucherApplicationRecord] {
        var result: [VoucherApplicationRecord] = []
        for try await (id, lot, campaign, org, applicant, status, reason, voucher, created, decided) in rows.decode(
            (String, String, String, String, String, String, String?, String?, Date, Date?).self)
        {
            result.append(
                VoucherApplicationRecord(
                    id: id, lotID: lot, campaignID: campaign, orgID: org, applicantID: applicant,
                    status: try StoredValue.decode(ApprovalStatus.self, status, column: "voucher_applications.status"),
                    reason: reason, voucherID: voucher, createdAt: created, decidedAt: decided))
        }
        return result
    }

    static func count(_ connection: PostgresConnection, _ query: PostgresQuery, logger: Logger) async throws -> Int {
        var value = 0
        for try await number in try await connection.query(query, logger: logger).decode(Int.self) { value = number }
        return value
    }
}
