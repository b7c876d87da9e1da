import Foundation
import Logging
import PostgresNIO
import VoucherCore

/// A provider's experts, their photos and the listings that show them (migration 0016). Every
/// provider-side call names the organisation, so another provider's expert is never found; the
/// public reads show only experts of certified providers.
public struct ExpertsRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// Ids of experts: `exp_…`.
    public static let expertPrefix = "exp"

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Records a photo the provider uploaded (again: nothing changes).
    public func recordPhoto(orgID: String, sha256: String, mediaType: String, sizeBytes: Int, now: Date) async throws {
        try await client.query(
            """
            INSERT INTO expert_photos (org_id, sha256, media_type, size_bytes, created_at)
            VALUES (\(orgID), \(sha256), \(mediaType), \(Int64(sizeBytes)), \(now)) ON CONFLICT DO NOTHING
            """, logger: logger)
    }

    /// A new expert of `orgID` from a validated profile; its photo must be one of the
    /// organisation's expert photos (`ExpertError.photoUnknown` otherwise, nothing stored).
    public func create(orgID: String, profile: ExpertProfile, now: Date) async throws -> ExpertRecord {
        let id = OpaqueID.make(prefix: Self.expertPrefix)
        let p = profile
        try await client.transaction(logger: logger) { connection in
            try await Self.requirePhoto(connection, orgID: orgID, sha256: p.photoFileId, logger: logger)
            try await connection.query(
                """
                INSERT INTO experts (id, org_id, name, age, gender, industrial_internet_fields, industry_fields, industrial_operation_fields,
                    industrial_internet_service_years, industry_service_years, experience, title, education, photo_sha256, introduction,
                    phone, phone_public, created_at, updated_at)
                VALUES (\(id), \(orgID), \(p.name), \(p.age), \(p.gender), \(p.industrialInternetFields), \(p.industryFields),
                    \(p.industrialOperationFields), \(p.industrialInternetServiceYears), \(p.industryServiceYears), \(p.experience),
                    \(p.title), \(p.education), \(p.photoFileId), \(p.introduction), \(p.phone), \(p.phonePublic), \(now), \(now))
                """, logger: logger)
        }
        guard let created = try await find(id: id, orgID: orgID) else { throw ExpertError.notFound }
        return created
    }

    /// Replaces every field of the organisation's expert `id`; nil when it has no such expert.
    public func update(id: String, orgID: String, profile: ExpertProfile, now: Date) async throws -> ExpertRecord? {
        let p = profile
        let updated = try await client.transaction(logger: logger) { connection -> Bool in
            try await Self.requirePhoto(connection, orgID: orgID, sha256: p.photoFileId, logger: logger)
            let rows = try await connection.query(
                """
                UPDATE experts SET name = \(p.name), age = \(p.age), gender = \(p.gender),
                    industrial_internet_fields = \(p.industrialInternetFields), industry_fields = \(p.industryFields),
                    industrial_operation_fields = \(p.industrialOperationFields),
                    industrial_internet_service_years = \(p.industrialInternetServiceYears),
                    industry_service_years = \(p.industryServiceYears), experience = \(p.experience), title = \(p.title),
                    education = \(p.education), photo_sha256 = \(p.photoFileId), introduction = \(p.introduction), phone = \(p.phone),
                    phone_public = \(p.phonePublic), updated_at = \(now)
                WHERE id = \(id) AND org_id = \(orgID) RETURNING id
                """, logger: logger)
            for try await _ in rows.decode(String.self) { return true }
            return false
        }
        return updated ? try await find(id: id, orgID: orgID) : nil
    }

    /// Deletes the organisation's expert `id` and its places on listings; false when it has none.
    public func delete(id: String, orgID: String) async throws -> Bool {
        let rows = try await client.query("DELETE FROM experts WHERE id = \(id) AND org_id = \(orgID) RETURNING id", logger: logger)
        for try await _ in rows.decode(String.self) { return true }
        return false
    }

    /// The organisation's expert `id`, or nil (missing or another organisation's).
    public func find(id: String, orgID: String) async throws -> ExpertRecord? {
        let rows = try await client.query(
            """
            SELECT \(unescaped: Self.columns) FROM experts e JOIN organisations o ON o.id = e.org_id
            WHERE e.id = \(id) AND e.org_id = \(orgID)
            """, logger: logger)
        return try await Self.records(rows).first
    }

    /// One page of the organisation's experts, newest first, and their number; `text` matches
    /// part of the name or title.
    public func mine(orgID: String, text: String?, page: Int, pageSize: Int) async throws -> (items: [ExpertRecord], total: Int) {
        try await list(ExpertFilter(text: text, page: page, pageSize: pageSize), orgID: orgID)
    }

    /// One page of the portal's 专家团队 (experts of certified providers), newest first.
    public func published(_ filter: ExpertFilter) async throws -> (items: [ExpertRecord], total: Int) {
        try await list(filter, orgID: nil)
    }

    /// An expert the portal shows, or nil.
    public func published(id: String) async throws -> ExpertRecord? {
        let rows = try await client.query(
            """
            SELECT \(unescaped: Self.columns) FROM experts e JOIN organisations o ON o.id = e.org_id
            WHERE e.id = \(id) AND o.certification = 'certified'
            """, logger: logger)
        return try await Self.records(rows).first
    }

    /// The photo of an expert the portal shows: its file id and media type.
    public func publishedPhoto(id: String) async throws -> (sha256: String, mediaType: String)? {
        let rows = try await client.query(
            """
            SELECT p.sha256, p.media_type FROM experts e JOIN organisations o ON o.id = e.org_id
            JOIN expert_photos p ON p.org_id = e.org_id AND p.sha256 = e.photo_sha256
            WHERE e.id = \(id) AND o.certification = 'certified'
            """, logger: logger)
        for try await (sha256, mediaType) in rows.decode((String, String).self) { return (sha256, mediaType) }
        return nil
    }

    private func list(_ filter: ExpertFilter, orgID: String?) async throws -> (items: [ExpertRecord], total: Int) {
        let pattern = filter.text.map { "%" + Self.likeEscaped($0) + "%" }
        let field = filter.field
        let condition: PostgresQuery = """
            (\(orgID)::text IS NULL AND o.certification = 'certified' OR e.org_id = \(orgID))
            AND (\(pattern)::text IS NULL OR e.name ILIKE \(pattern) OR e.title ILIKE \(pattern))
            AND (\(field)::text IS NULL OR \(field) = ANY(e.industrial_internet_fields) OR \(field) = ANY(e.industry_fields)
                OR \(field) = ANY(e.industrial_operation_fields))
            """
        let from = "FROM experts e JOIN organisations o ON o.id = e.org_id WHERE "
        var total = 0
        let counted = try await client.query(
            PostgresQuery(unsafeSQL: "SELECT count(*)::int " + from + condition.sql, binds: condition.binds), logger: logger)
        for try await value in counted.decode(Int.self) { total = value }
        var binds = condition.binds
        binds.append(filter.pageSize)
        binds.append((filter.page - 1) * filter.pageSize)
        let sql =
            "SELECT \(Self.columns) " + from + condition.sql
            + " ORDER BY e.seq DESC LIMIT $\(binds.count - 1) OFFSET $\(binds.count)"
        let items = try await Self.records(try await client.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger))
        return (items, total)
    }

    /// `text` with LIKE's wildcards and escape character taken literally.
    static func likeEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }

    static func requirePhoto(_ connection: PostgresConnection, orgID: String, sha256: String, logger: Logger) async throws {
        let rows = try await connection.query(
            "SELECT 1 FROM expert_photos WHERE org_id = \(orgID) AND sha256 = \(sha256)", logger: logger)
        for try await _ in rows { return }
        throw ExpertError.photoUnknown(sha256)
    }
}
