import Foundation
import Logging
import PostgresNIO
import VoucherCore

/// An organisation as stored: enterprise, provider, or the platform operator itself.
public struct OrganisationRecord: Sendable, Equatable {
    public enum Kind: String, Sendable { case enterprise, provider, platform }
    public enum Certification: String, Sendable, CaseIterable {
        case draft, underReview = "under_review", certified, rejected

        /// The details may be changed only before review or after a rejection; later they are frozen.
        public var isEditable: Bool { self == .draft || self == .rejected }
    }

    public let id: String
    public let kind: Kind
    public let name: String
    public let uscc: String?
    public let certification: Certification

    public init(id: String, kind: Kind, name: String, uscc: String?, certification: Certification) {
        self.id = id
        self.kind = kind
        self.name = name
        self.uscc = uscc
        self.certification = certification
    }
}

/// A user as stored; the password is only ever a bcrypt hash here.
public struct UserRecord: Sendable, Equatable {
    public let id: String
    public let orgID: String
    public let username: String
    public let phone: String?
    public let passwordHash: String
    public let role: String
    public let isMain: Bool
    /// The address a sub-account may be reached at; optional in the guide.
    public let email: String?
    /// Menu permissions of a sub-account (`Menu` raw values in the API); empty for main accounts,
    /// which hold every permission by being main.
    public let permissions: [String]
    /// When the user was created, for the sub-account list.
    public let createdAt: Date?

    public init(
        id: String, orgID: String, username: String, phone: String?, passwordHash: String, role: String, isMain: Bool,
        email: String? = nil, permissions: [String] = [], createdAt: Date? = nil
    ) {
        self.id = id
        self.orgID = orgID
        self.username = username
        self.phone = phone
        self.passwordHash = passwordHash
        self.role = role
        self.isMain = isMain
        self.email = email
        self.permissions = permissions
        self.createdAt = createdAt
    }
}

/// Organisations and users in PostgreSQL.
public struct AccountsRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    func insert(_ user: UserRecord, _ connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO users (id, org_id, username, phone, email, password_hash, role, is_main, permissions)
            VALUES (\(user.id), \(user.orgID), \(user.username), \(user.phone), \(user.email), \(user.passwordHash), \(user.role),
                \(user.isMain), \(user.permissions))
            """, logger: logger)
    }

    /// The columns `decodeUsers` reads, in its order.
    static let userColumns = "id, org_id, username, phone, password_hash, role, is_main, email, permissions, created_at"

    /// Decodes rows selected with `userColumns`.
    static func decodeUsers(_ rows: PostgresRowSequence) async throws -> [UserRecord] {
        var users: [UserRecord] = []
        for try await (id, org, name, phone, hash, role, main, email, permissions, created) in rows.decode(
            (String, String, String, String?, String, String, Bool, String?, [String], Date).self)
        {
            users.append(
                UserRecord(
                    id: id, orgID: org, username: name, phone: phone, passwordHash: hash, role: role, isMain: main,
                    email: email, permissions: permissions, createdAt: created))
        }
        return users
    }

    /// The active user with this username (case-insensitive), if any.
    public func user(username: String) async throws -> UserRecord? {
        let rows = try await client.query(
            """
            SELECT \(unescaped: Self.userColumns) FROM users
            WHERE lower(username) = lower(\(username)) AND NOT disabled AND deleted_at IS NULL
            """, logger: logger)
        return try await Self.decodeUsers(rows).first
    }

    /// The active user with this id, if any.
    public func user(id: String) async throws -> UserRecord? {
        let rows = try await client.query(
            """
            SELECT \(unescaped: Self.userColumns) FROM users WHERE id = \(id) AND NOT disabled AND deleted_at IS NULL
            """, logger: logger)
        return try await Self.decodeUsers(rows).first
    }

    /// Active users with this phone (a main account's phone is unique; sub-accounts of different
    /// organisations may share one), for SMS login.
    public func users(phone: String) async throws -> [UserRecord] {
        let rows = try await client.query(
            """
            SELECT \(unescaped: Self.userColumns) FROM users WHERE phone = \(phone) AND NOT disabled AND deleted_at IS NULL
            ORDER BY is_main DESC, created_at LIMIT 10
            """, logger: logger)
        return try await Self.decodeUsers(rows)
    }

    /// The organisation with this id, if any.
    public func organisation(id: String) async throws -> OrganisationRecord? {
        let rows = try await client.query("SELECT id, kind, name, uscc, certification FROM organisations WHERE id = \(id)", logger: logger)
        for try await (id, kind, name, uscc, certification) in rows.decode((String, String, String, String?, String).self) {
            return OrganisationRecord(
                id: id, kind: try StoredValue.decode(OrganisationRecord.Kind.self, kind, column: "organisations.kind"), name: name,
                uscc: uscc,
                certification: try StoredValue.decode(OrganisationRecord.Certification.self, certification, column: "organisations.certification"))
        }
        return nil
    }

    /// The names of the organisations with these ids (one query for a list's rows; an unknown id
    /// is absent).
    public func organisationNames(ids: Set<String>) async throws -> [String: String] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await client.query(
            "SELECT id, name FROM organisations WHERE id = ANY(\(Array(ids).sorted())::text[])", logger: logger)
        var names: [String: String] = [:]
        for try await (id, name) in rows.decode((String, String).self) { names[id] = name }
        return names
    }
}
