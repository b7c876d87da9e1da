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
    public func apply(id: String, lot: LotRecord, orgID: String, applicantID: String) async throws -> VoucherApplicationRecord {
        try await client.transaction(logger: logger) { tx in
            try await tx.query("SELECT 1 FROM lots WHERE id = \(lot.id) FOR UPDATE", logger: logger)
            let held = try await count(tx, "SELECT count(*)::int FROM vouchers WHERE lot_id = \(lot.id) AND org_id = \(orgID)")
            guard held < lot.perEnterpriseLimit else { throw VoucherApplicationError.limitReached(held: held) }
            let pending = try await count(
                tx, "SELECT count(*)::int FROM voucher_applications WHERE lot_id = \(lot.id) AND org_id = \(orgID) AND status = 'pending'")
            guard pending == 0 else { throw VoucherApplicationError.alreadyPending }
            try await tx.query(
                """
                INSERT INTO voucher_applications (id, lot_id, org_id, applicant) VALUES (\(id), \(lot.id), \(orgID), \(applicantID))
                """, logger: logger)
            guard let record = try await fetch(id, tx) else { throw VoucherApplicationError.notFound }
            return record
        }
    }

    /// Approves: issues the voucher (with its ledger grant) in the same transaction, under the
    /// lot's row lock, or refuses when the lot is sold out or the enterprise at its limit.
    public func approve(id: String, voucherID: String, decidedBy: String, now: Date = Date()) async throws -> VoucherApplicationRecord {
        try await client.transaction(logger: logger) { tx in
            guard let application = try await fetch(id, tx, lock: true) else { throw VoucherApplicationError.notFound }
            guard application.status.isOpen else { throw VoucherApplicationError.notPending(status: application.status) }
            let rows = try await tx.query(
                """
                SELECT stock, per_enterprise_limit FROM lots WHERE id = \(application.lotID) FOR UPDATE
                """, logger: logger)
            var stock = 0
            var limit = 0
            for try await (s, l) in rows.decode((Int, Int).self) { (stock, limit) = (s, l) }
            let issued = try await count(tx, "SELECT count(*)::int FROM vouchers WHERE lot_id = \(application.lotID)")
            guard issued < stock else { throw VoucherApplicationError.soldOut }
            let held = try await count(tx, "SELECT count(*)::int FROM vouchers WHERE lot_id = \(application.lotID) AND org_id = \(application.orgID)")
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
            guard let record = try await fetch(id, tx) else { throw VoucherApplicationError.notFound }
            return record
        }
    }

    /// Rejects with a reason the enterprise sees.
    public func reject(id: String, reason: String, decidedBy: String, now: Date = Date()) async throws -> VoucherApplicationRecord {
        try await client.transaction(logger: logger) { tx in
            guard let application = try await fetch(id, tx, lock: true) else { throw VoucherApplicationError.notFound }
            guard application.status.isOpen else { throw VoucherApplicationError.notPending(status: application.status) }
            try await tx.query(
                """
                UPDATE voucher_applications SET status = 'rejected', reason = \(reason), decided_by = \(decidedBy), decided_at = \(now)
                WHERE id = \(id)
                """, logger: logger)
            guard let record = try await fetch(id, tx) else { throw VoucherApplicationError.notFound }
            return record
        }
    }

    /// A page of applications, newest first; only `orgID`'s when given.
    public func list(
        orgID: String?, status: ApprovalStatus?, page: Int, pageSize: Int
    ) async throws -> (items: [VoucherApplicationRecord], total: Int) {
        let status = status?.rawValue
        return try await client.withConnection { connection in
            let total = try await count(
                connection,
                """
                SELECT count(*)::int FROM voucher_applications
                WHERE (\(orgID)::text IS NULL OR org_id = \(orgID)) AND (\(status)::text IS NULL OR status = \(status))
                """)
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
        try await client.withConnection { try await fetch(id, $0) }
    }

    private func fetch(_ id: String, _ connection: PostgresConnection, lock: Bool = false) async throws -> VoucherApplicationRecord? {
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

    private func count(_ connection: PostgresConnection, _ query: PostgresQuery) async throws -> Int {
        var value = 0
        for try await number in try await connection.query(query, logger: logger).decode(Int.self) { value = number }
        return value
    }
}
