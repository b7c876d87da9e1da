import Foundation
import Logging
import PostgresNIO
import VoucherCore

/// A voucher lot as stored (SPEC §3): what a grab or an application issues.
public struct LotRecord: Sendable, Equatable, Codable {
    public var id: String
    public var campaignID: String
    public var position: Int
    public var kind: VoucherKind
    /// One of the four directions for a general voucher; nil for a diagnostic one.
    public var direction: VoucherDirection?
    public var faceValueFen: Int64
    public var stock: Int
    public var perEnterpriseLimit: Int
    public var mode: LotMode
    public var validityDays: Int

    public init(
        id: String, campaignID: String, position: Int, kind: VoucherKind, direction: VoucherDirection?, faceValueFen: Int64, stock: Int,
        perEnterpriseLimit: Int,
        mode: LotMode, validityDays: Int
    ) {
        self.id = id
        self.campaignID = campaignID
        self.position = position
        self.kind = kind
        self.direction = direction
        self.faceValueFen = faceValueFen
        self.stock = stock
        self.perEnterpriseLimit = perEnterpriseLimit
        self.mode = mode
        self.validityDays = validityDays
    }
}

/// A campaign with its lots.
public struct CampaignRecord: Sendable, Equatable {
    public var id: String
    public var name: String
    public var startsAt: Date
    public var endsAt: Date
    public var status: CampaignStatus
    public var lots: [LotRecord]

    public init(id: String, name: String, startsAt: Date, endsAt: Date, status: CampaignStatus, lots: [LotRecord]) {
        self.id = id
        self.name = name
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.status = status
        self.lots = lots
    }
}

/// Why a campaign change was refused by the state it is in.
public enum CampaignStateError: Error, Equatable {
    case notFound
    case notDraft(status: CampaignStatus)
    case notPublished(status: CampaignStatus)
}

/// Campaigns and lots in PostgreSQL.
public struct CampaignsRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Stores a new draft campaign and its lots in one transaction.
    public func create(_ campaign: CampaignRecord, createdBy userID: String) async throws {
        precondition(campaign.status == .draft && !campaign.lots.isEmpty)
        try await client.transaction(logger: logger) { tx in
            try await tx.query(
                """
                INSERT INTO campaigns (id, name, starts_at, ends_at, status, created_by)
                VALUES (\(campaign.id), \(campaign.name), \(campaign.startsAt), \(campaign.endsAt), \(CampaignStatus.draft.rawValue), \(userID))
                """, logger: logger)
            try await insertLots(campaign.lots, tx)
        }
    }

    private func insertLots(_ lots: [LotRecord], _ tx: PostgresConnection) async throws {
        for lot in lots {
            try await tx.query(
                """
                INSERT INTO lots (id, campaign_id, position, kind, direction, face_value_fen, stock, per_enterprise_limit, mode, validity_days)
                VALUES (\(lot.id), \(lot.campaignID), \(lot.position), \(lot.kind.rawValue), \(lot.direction?.rawValue), \(lot.faceValueFen),
                        \(lot.stock), \(lot.perEnterpriseLimit), \(lot.mode.rawValue), \(lot.validityDays))
                """, logger: logger)
        }
    }

    /// Replaces a draft's name, window and lots. Published campaigns are not drafts any more.
    public func replaceDraft(_ campaign: CampaignRecord) async throws {
        try await client.transaction(logger: logger) { tx in
            let status = try await lockStatus(campaign.id, tx)
            guard status == .draft else { throw CampaignStateError.notDraft(status: status) }
            try await tx.query(
                """
                UPDATE campaigns SET name = \(campaign.name), starts_at = \(campaign.startsAt), ends_at = \(campaign.endsAt), updated_at = now()
                WHERE id = \(campaign.id)
                """, logger: logger)
            try await tx.query("DELETE FROM lots WHERE campaign_id = \(campaign.id)", logger: logger)
            try await insertLots(campaign.lots, tx)
        }
    }

    private func lockStatus(_ id: String, _ tx: PostgresConnection) async throws -> CampaignStatus {
        let rows = try await tx.query("SELECT status FROM campaigns WHERE id = \(id) FOR UPDATE", logger: logger)
        for try await status in rows.decode(String.self) { return try StoredValue.decode(CampaignStatus.self, status, column: "campaigns.status") }
        throw CampaignStateError.notFound
    }

    /// Moves a campaign to `status` if `CampaignStatus.canMove(to:)` allows it (a campaign
    /// already there moves again, idempotently); runs `sideEffect` inside the same transaction
    /// (publishing loads Redis there, so a failed load leaves the campaign a draft).
    public func transition(
        _ id: String, to status: CampaignStatus,
        sideEffect: @Sendable (CampaignRecord) async throws -> Void = { _ in }
    ) async throws -> CampaignRecord {
        try await client.transaction(logger: logger) { tx in
            let current = try await lockStatus(id, tx)
            guard current.canMove(to: status) || current == status else {
                throw status == .published ? CampaignStateError.notDraft(status: current) : CampaignStateError.notPublished(status: current)
            }
            precondition(status != .draft, "nothing moves back to draft")
            let stamp = status == .published ? "published_at" : "ended_at"
            try await tx.query(
                PostgresQuery(
                    unsafeSQL: "UPDATE campaigns SET status = $1, updated_at = now(), \(stamp) = coalesce(\(stamp), now()) WHERE id = $2",
                    binds: {
                        var binds = PostgresBindings()
                        binds.append(status.rawValue)
                        binds.append(id)
                        return binds
                    }()), logger: logger)
            guard let record = try await fetch(id, tx) else { throw CampaignStateError.notFound }
            try await sideEffect(record)
            return record
        }
    }

    /// Sets a lot's stock inside a transaction that holds the lot's row lock while `check`
    /// runs (Redis's atomic restock), so two edits cannot interleave.
    public func setStock(lotID: String, stock: Int, check: @Sendable () async throws -> Void) async throws {
        try await client.transaction(logger: logger) { tx in
            let rows = try await tx.query("SELECT 1 FROM lots WHERE id = \(lotID) FOR UPDATE", logger: logger)
            var found = false
            for try await _ in rows { found = true }
            guard found else { throw CampaignStateError.notFound }
            try await check()
            try await tx.query("UPDATE lots SET stock = \(stock) WHERE id = \(lotID)", logger: logger)
        }
    }

    /// One campaign with its lots, or nil.
    public func campaign(id: String) async throws -> CampaignRecord? {
        try await client.withConnection { connection in try await fetch(id, connection) }
    }

    private func fetch(_ id: String, _ connection: PostgresConnection) async throws -> CampaignRecord? {
        let rows = try await connection.query("SELECT id, name, starts_at, ends_at, status FROM campaigns WHERE id = \(id)", logger: logger)
        var campaign: CampaignRecord?
        for try await (id, name, starts, ends, status) in rows.decode((String, String, Date, Date, String).self) {
            campaign = CampaignRecord(
                id: id, name: name, startsAt: starts, endsAt: ends,
                status: try StoredValue.decode(CampaignStatus.self, status, column: "campaigns.status"), lots: [])
        }
        guard var campaign else { return nil }
        campaign.lots = try await lots(campaignIDs: [id], connection)[id] ?? []
        return campaign
    }

    private func lots(campaignIDs: [String], _ connection: PostgresConnection) async throws -> [String: [LotRecord]] {
        let rows = try await connection.query(
            """
            SELECT id, campaign_id, position, kind, direction, face_value_fen, stock, per_enterprise_limit, mode, validity_days
            FROM lots WHERE campaign_id = ANY(\(campaignIDs)) ORDER BY campaign_id, position
            """, logger: logger)
        var result: [String: [LotRecord]] = [:]
        for try await (id, campaign, position, kind, direction, face, stock, limit, mode, validity) in rows.decode(
            (String, String, Int, String, String?, Int64, Int, Int, String, Int).self)
        {
            result[campaign, default: []].append(
                LotRecord(
                    id: id, campaignID: campaign, position: position, kind: try StoredValue.decode(VoucherKind.self, kind, column: "lots.kind"),
                    direction: try StoredValue.decodeOptional(VoucherDirection.self, direction, column: "lots.direction"), faceValueFen: face,
                    stock: stock, perEnterpriseLimit: limit, mode: try StoredValue.decode(LotMode.self, mode, column: "lots.mode"),
                    validityDays: validity))
        }
        return result
    }

    /// A page of campaigns, newest window first, optionally only those in `statuses`.
    public func list(statuses: [CampaignStatus]?, page: Int, pageSize: Int) async throws -> (items: [CampaignRecord], total: Int) {
        precondition(page >= 1 && pageSize >= 1)
        return try await client.withConnection { connection in
            let filter = (statuses ?? CampaignStatus.allCases).map(\.rawValue)
            let offset = (page - 1) * pageSize
            var total = 0
            for try await count in try await connection.query("SELECT count(*)::int FROM campaigns WHERE status = ANY(\(filter))", logger: logger)
                .decode(Int.self)
            {
                total = count
            }
            let rows = try await connection.query(
                """
                SELECT id, name, starts_at, ends_at, status FROM campaigns WHERE status = ANY(\(filter))
                ORDER BY starts_at DESC, id LIMIT \(pageSize) OFFSET \(offset)
                """, logger: logger)
            var items: [CampaignRecord] = []
            for try await (id, name, starts, ends, status) in rows.decode((String, String, Date, Date, String).self) {
                items.append(
                    CampaignRecord(
                        id: id, name: name, startsAt: starts, endsAt: ends,
                        status: try StoredValue.decode(CampaignStatus.self, status, column: "campaigns.status"), lots: []))
            }
            let lots = try await lots(campaignIDs: items.map(\.id), connection)
            for index in items.indices { items[index].lots = lots[items[index].id] ?? [] }
            return (items, total)
        }
    }

    /// The lot with this id and its campaign's window and status, or nil.
    public func lot(id: String) async throws -> (lot: LotRecord, campaign: CampaignRecord)? {
        let rows = try await client.query("SELECT campaign_id FROM lots WHERE id = \(id)", logger: logger)
        var campaignID: String?
        for try await value in rows.decode(String.self) { campaignID = value }
        guard let campaignID, let campaign = try await campaign(id: campaignID),
            let lot = campaign.lots.first(where: { $0.id == id })
        else { return nil }
        return (lot, campaign)
    }

    /// Ids of campaigns whose claim streams the sink drains: published ones, and ended ones
    /// that ended recently enough that claims may still be in flight. An archived campaign's
    /// stream is gone on purpose, so it is never listed (the sink would recreate it).
    public func drainableCampaignIDs(endedWithin: Duration) async throws -> [String] {
        let seconds = Int(endedWithin.components.seconds)
        let rows = try await client.query(
            """
            SELECT id FROM campaigns
            WHERE claims_archived_at IS NULL
              AND (status = \(CampaignStatus.published.rawValue)
                   OR (status = \(CampaignStatus.ended.rawValue) AND ended_at > now() - make_interval(secs => \(seconds))))
            """, logger: logger)
        var ids: [String] = []
        for try await id in rows.decode(String.self) { ids.append(id) }
        return ids
    }

    /// When a campaign's claim stream was archived and how many entries it held, or nil.
    public func claimsArchive(campaignID: String) async throws -> ClaimsArchive? {
        let rows = try await client.query(
            """
            SELECT claims_archived_at, claims_archived_count FROM campaigns
            WHERE id = \(campaignID) AND claims_archived_at IS NOT NULL
            """, logger: logger)
        for try await (at, count) in rows.decode((Date, Int64).self) { return ClaimsArchive(archivedAt: at, count: count) }
        return nil
    }

    /// Records the archive of an ended campaign's claim stream under the campaign's row lock;
    /// `delete` runs inside the transaction and returns the stream's length, so a refused or
    /// failed deletion records nothing. A campaign archived meanwhile (a second SRE) answers
    /// `.already` without calling `delete`; one not ended (any more) answers `.notEnded`.
    public func archiveClaims(
        campaignID: String, delete: @Sendable () async throws -> Int64
    ) async throws -> ClaimsArchiveResult {
        try await client.transaction(logger: logger) { tx in
            let rows = try await tx.query(
                """
                SELECT status, claims_archived_at, claims_archived_count FROM campaigns WHERE id = \(campaignID) FOR UPDATE
                """, logger: logger)
            var found: (String, Date?, Int64?)?
            for try await row in rows.decode((String, Date?, Int64?).self) { found = row }
            guard let (status, at, count) = found else { throw CampaignStateError.notFound }
            if let at, let count { return .already(ClaimsArchive(archivedAt: at, count: count)) }
            let current = try StoredValue.decode(CampaignStatus.self, status, column: "campaigns.status")
            guard current == .ended else { return .notEnded(status: current) }
            let length = try await delete()
            precondition(length >= 0)
            let stamped = try await tx.query(
                """
                UPDATE campaigns SET claims_archived_at = now(), claims_archived_count = \(length), updated_at = now()
                WHERE id = \(campaignID) RETURNING claims_archived_at
                """, logger: logger)
            for try await archivedAt in stamped.decode(Date.self) {
                return .archived(ClaimsArchive(archivedAt: archivedAt, count: length))
            }
            throw CampaignStateError.notFound
        }
    }
}

/// A campaign's claim stream as archived: freed in Redis, remembered here.
public struct ClaimsArchive: Sendable, Equatable {
    public let archivedAt: Date
    /// Entries the stream held when it was deleted (one per voucher the grab script issued).
    public let count: Int64

    public init(archivedAt: Date, count: Int64) {
        self.archivedAt = archivedAt
        self.count = count
    }
}

/// What `archiveClaims` did.
public enum ClaimsArchiveResult: Sendable, Equatable {
    case archived(ClaimsArchive)
    case already(ClaimsArchive)
    /// Nothing was deleted: the campaign is in this status, not `ended`.
    case notEnded(status: CampaignStatus)
}
