import Foundation
import Logging
import PostgresNIO
import VoucherCore

/// Where an announcement stands at a moment. Derived from its times, never stored: a scheduled
/// one becomes published when the clock passes `publishAt`, with no job to flip it.
public enum AnnouncementState: String, Sendable, CaseIterable {
    case draft, scheduled, published, withdrawn

    /// The state of an announcement with these times at `now`.
    public static func at(_ now: Date, publishAt: Date?, withdrawnAt: Date?) -> AnnouncementState {
        if withdrawnAt != nil { return .withdrawn }
        guard let publishAt else { return .draft }
        return publishAt > now ? .scheduled : .published
    }
}

/// What an operator writes: the text, its category and audience.
public struct AnnouncementContent: Sendable, Equatable {
    public let title: String
    public let body: String
    public let category: String
    public let audience: String

    public init(title: String, body: String, category: String, audience: String) {
        self.title = title
        self.body = body
        self.category = category
        self.audience = audience
    }
}

/// One announcement as stored; `read` says whether the reader it was read for opened it.
public struct AnnouncementRecord: Sendable, Equatable {
    public let id: String
    public let content: AnnouncementContent
    public let pinned: Bool
    public let publishAt: Date?
    public let withdrawnAt: Date?
    public let createdAt: Date
    public let updatedAt: Date
    public let read: Bool

    public func state(at now: Date) -> AnnouncementState { .at(now, publishAt: publishAt, withdrawnAt: withdrawnAt) }
}

/// The filters of a list; nil filters nothing.
public struct AnnouncementFilter: Sendable, Equatable {
    /// Only these audiences; nil for every audience.
    public var audiences: [String]?
    public var category: String?
    /// One state at the list's moment; readers (`forReaders`) always get published ones.
    public var state: AnnouncementState?
    /// Readers only: only the ones this reader has not opened.
    public var unreadOnly: Bool

    /// A reader's filter: published announcements only.
    public static func forReaders(audiences: [String], category: String? = nil, unreadOnly: Bool = false) -> AnnouncementFilter {
        AnnouncementFilter(audiences: audiences, category: category, state: .published, unreadOnly: unreadOnly)
    }

    public init(audiences: [String]? = nil, category: String? = nil, state: AnnouncementState? = nil, unreadOnly: Bool = false) {
        self.audiences = audiences
        self.category = category
        self.state = state
        self.unreadOnly = unreadOnly
    }
}

/// Why an operator's change was refused.
public enum AnnouncementChange: Sendable, Equatable {
    case done(AnnouncementRecord)
    case notFound
    /// The announcement is in a state the change does not apply to.
    case conflict(AnnouncementState)
}

/// Announcements and who read them (migration 0013).
public struct AnnouncementsRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    static let columns = "a.id, a.title, a.body, a.category, a.audience, a.pinned, a.publish_at, a.withdrawn_at, a.created_at, a.updated_at"

    /// A new draft by `userID`.
    public func create(id: String, content: AnnouncementContent, pinned: Bool, by userID: String, now: Date) async throws -> AnnouncementRecord {
        try await client.query(
            """
            INSERT INTO announcements (id, title, body, category, audience, pinned, created_by, created_at, updated_at)
            VALUES (\(id), \(content.title), \(content.body), \(content.category), \(content.audience), \(pinned), \(userID), \(now), \(now))
            """, logger: logger)
        return AnnouncementRecord(
            id: id, content: content, pinned: pinned, publishAt: nil, withdrawnAt: nil, createdAt: now, updatedAt: now, read: false)
    }

    /// One announcement, whatever its state (operators).
    public func find(id: String) async throws -> AnnouncementRecord? {
        try await first(
            try await client.query(
                "SELECT \(unescaped: Self.columns), false FROM announcements a WHERE a.id = \(id)", logger: logger))
    }

    /// Replaces the text of a draft or scheduled announcement; a published or withdrawn one is a conflict.
    public func update(id: String, content: AnnouncementContent, now: Date) async throws -> AnnouncementChange {
        try await change(id: id, now: now, allowed: [.draft, .scheduled]) { connection in
            try await connection.query(
                """
                UPDATE announcements SET title = \(content.title), body = \(content.body), category = \(content.category),
                    audience = \(content.audience), updated_at = \(now)
                WHERE id = \(id)
                """, logger: logger)
        }
    }

    /// Publishes a draft or scheduled announcement at `publishAt` (now or later: a schedule).
    public func publish(id: String, at publishAt: Date, now: Date) async throws -> AnnouncementChange {
        try await change(id: id, now: now, allowed: [.draft, .scheduled]) { connection in
            try await connection.query(
                "UPDATE announcements SET publish_at = \(publishAt), updated_at = \(now) WHERE id = \(id)", logger: logger)
        }
    }

    /// Pins or unpins an announcement that is not withdrawn.
    public func pin(id: String, pinned: Bool, now: Date) async throws -> AnnouncementChange {
        try await change(id: id, now: now, allowed: [.draft, .scheduled, .published]) { connection in
            try await connection.query("UPDATE announcements SET pinned = \(pinned), updated_at = \(now) WHERE id = \(id)", logger: logger)
        }
    }

    /// Withdraws a scheduled or published announcement; readers no longer see it.
    public func withdraw(id: String, now: Date) async throws -> AnnouncementChange {
        try await change(id: id, now: now, allowed: [.scheduled, .published]) { connection in
            try await connection.query(
                "UPDATE announcements SET withdrawn_at = \(now), updated_at = \(now) WHERE id = \(id)", logger: logger)
        }
    }

    /// Locks the row, checks its state at `now` and applies `write` when the state allows it.
    private func change(
        id: String, now: Date, allowed: Set<AnnouncementState>, _ write: @escaping @Sendable (PostgresConnection) async throws -> Void
    ) async throws -> AnnouncementChange {
        try await client.transaction(logger: logger) { connection in
            let rows = try await connection.query(
                "SELECT publish_at, withdrawn_at FROM announcements WHERE id = \(id) FOR UPDATE", logger: logger)
            var found: (Date?, Date?)?
            for try await row in rows.decode((Date?, Date?).self) { found = row }
            guard let (publishAt, withdrawnAt) = found else { return .notFound }
            let state = AnnouncementState.at(now, publishAt: publishAt, withdrawnAt: withdrawnAt)
            guard allowed.contains(state) else { return .conflict(state) }
            try await write(connection)
            let after = try await connection.query(
                "SELECT \(unescaped: Self.columns), false FROM announcements a WHERE a.id = \(id)", logger: logger)
            guard let record = try await first(after) else { return .notFound }
            return .done(record)
        }
    }

    /// One page of announcements, pinned first, then the latest published (or, for drafts,
    /// created) first, and the total. With `reader`, each carries whether that user read it.
    public func list(
        _ filter: AnnouncementFilter, reader: String?, now: Date, page: Int, pageSize: Int
    ) async throws -> (items: [AnnouncementRecord], total: Int) {
        let condition = Self.condition(filter, reader: reader, now: now)
        var total = 0
        let counted = try await client.query(
            PostgresQuery(unsafeSQL: "SELECT count(*)::int FROM announcements a WHERE " + condition.sql, binds: condition.binds), logger: logger)
        for try await value in counted.decode(Int.self) { total = value }
        var binds = condition.binds
        binds.append(reader)
        binds.append(pageSize)
        binds.append((page - 1) * pageSize)
        let n = binds.count
        let sql = """
            SELECT \(Self.columns),
                EXISTS (SELECT 1 FROM announcement_reads r WHERE r.announcement_id = a.id AND r.user_id = $\(n - 2)::text)
            FROM announcements a WHERE \(condition.sql)
            ORDER BY a.pinned DESC, coalesce(a.publish_at, a.created_at) DESC, a.id DESC LIMIT $\(n - 1) OFFSET $\(n)
            """
        var items: [AnnouncementRecord] = []
        let rows = try await client.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
        for try await row in rows.decode((String, String, String, String, String, Bool, Date?, Date?, Date, Date, Bool).self) {
            items.append(Self.record(row))
        }
        return (items, total)
    }

    /// The published announcement `id` if its audience is among `audiences`; with `reader`, it
    /// is recorded as read by that user (once).
    public func published(id: String, audiences: [String], reader: String?, now: Date) async throws -> AnnouncementRecord? {
        let found = try await first(
            try await client.query(
                """
                SELECT \(unescaped: Self.columns), true FROM announcements a
                WHERE a.id = \(id) AND a.audience = ANY(\(audiences)) AND a.withdrawn_at IS NULL AND a.publish_at <= \(now)
                """, logger: logger))
        guard let found else { return nil }
        if let reader {
            try await client.query(
                """
                INSERT INTO announcement_reads (announcement_id, user_id, read_at) VALUES (\(id), \(reader), \(now))
                ON CONFLICT DO NOTHING
                """, logger: logger)
        }
        return found
    }

    /// How many published announcements for `audiences` the reader has not opened.
    public func unreadCount(audiences: [String], reader: String, now: Date) async throws -> Int {
        let condition = Self.condition(AnnouncementFilter.forReaders(audiences: audiences, unreadOnly: true), reader: reader, now: now)
        var total = 0
        let counted = try await client.query(
            PostgresQuery(unsafeSQL: "SELECT count(*)::int FROM announcements a WHERE " + condition.sql, binds: condition.binds), logger: logger)
        for try await value in counted.decode(Int.self) { total = value }
        return total
    }

    /// The WHERE clause of a list.
    static func condition(_ filter: AnnouncementFilter, reader: String?, now: Date) -> PostgresQuery {
        let state = filter.state?.rawValue
        let unread = filter.unreadOnly ? reader : nil
        return """
            (\(filter.audiences)::text[] IS NULL OR a.audience = ANY(\(filter.audiences)::text[]))
            AND (\(filter.category)::text IS NULL OR a.category = \(filter.category))
            AND (\(state)::text IS NULL OR \(state) = CASE WHEN a.withdrawn_at IS NOT NULL THEN 'withdrawn'
                WHEN a.publish_at IS NULL THEN 'draft' WHEN a.publish_at > \(now) THEN 'scheduled' ELSE 'published' END)
            AND (\(unread)::text IS NULL OR NOT EXISTS (
                SELECT 1 FROM announcement_reads r WHERE r.announcement_id = a.id AND r.user_id = \(unread)))
            """
    }

    private func first(_ rows: PostgresRowSequence) async throws -> AnnouncementRecord? {
        for try await row in rows.decode((String, String, String, String, String, Bool, Date?, Date?, Date, Date, Bool).self) {
            return Self.record(row)
        }
        return nil
    }

    static func record(_ row: (String, String, String, String, String, Bool, Date?, Date?, Date, Date, Bool)) -> AnnouncementRecord {
        AnnouncementRecord(
            id: row.0, content: AnnouncementContent(title: row.1, body: row.2, category: row.3, audience: row.4), pinned: row.5,
            publishAt: row.6, withdrawnAt: row.7, createdAt: row.8, updatedAt: row.9, read: row.10)
    }
}
