import Foundation
import Logging
import PostgresNIO

/// An organisation as stored: enterprise, provider, or the platform operator itself.
public struct OrganisationRecord: Sendable, Equatable {
    public enum Kind: String, Sendable { case enterprise, provider, platform }
    public enum Certification: String, Sendable { case draft, underReview = "under_review", certified, rejected }

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

    public init(id: String, orgID: String, username: String, phone: String?, passwordHash: String, role: String, isMain: Bool) {
        self.id = id
        self.orgID = orgID
        self.username = username
        self.phone = phone
        self.passwordHash = passwordHash
        self.role = role
        self.isMain = isMain
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

    /// Creates an organisation with its main user in one transaction, unless the username is
    /// taken already; returns false in that case (seeding is idempotent this way).
    @discardableResult
    public func createOrganisation(_ organisation: OrganisationRecord, mainUser: UserRecord) async throws -> Bool {
        precondition(mainUser.orgID == organisation.id && mainUser.isMain, "the main user belongs to the organisation")
        return try await client.withTransaction(logger: logger) { tx in
            let taken = try await tx.query("SELECT 1 FROM users WHERE lower(username) = lower(\(mainUser.username))", logger: logger)
            for try await _ in taken { return false }
            try await tx.query("""
                INSERT INTO organisations (id, kind, name, uscc, certification)
                VALUES (\(organisation.id), \(organisation.kind.rawValue), \(organisation.name), \(organisation.uscc), \(organisation.certification.rawValue))
                """, logger: logger)
            try await insert(mainUser, tx)
            return true
        }
    }

    private func insert(_ user: UserRecord, _ connection: PostgresConnection) async throws {
        try await connection.query("""
            INSERT INTO users (id, org_id, username, phone, password_hash, role, is_main)
            VALUES (\(user.id), \(user.orgID), \(user.username), \(user.phone), \(user.passwordHash), \(user.role), \(user.isMain))
            """, logger: logger)
    }

    /// The user with this username (case-insensitive), if any.
    public func user(username: String) async throws -> UserRecord? {
        let rows = try await client.query("""
            SELECT id, org_id, username, phone, password_hash, role, is_main FROM users
            WHERE lower(username) = lower(\(username)) AND NOT disabled
            """, logger: logger)
        for try await (id, org, name, phone, hash, role, main) in rows.decode((String, String, String, String?, String, String, Bool).self) {
            return UserRecord(id: id, orgID: org, username: name, phone: phone, passwordHash: hash, role: role, isMain: main)
        }
        return nil
    }

    /// The organisation with this id, if any.
    public func organisation(id: String) async throws -> OrganisationRecord? {
        let rows = try await client.query("SELECT id, kind, name, uscc, certification FROM organisations WHERE id = \(id)", logger: logger)
        for try await (id, kind, name, uscc, certification) in rows.decode((String, String, String, String?, String).self) {
            guard let kind = OrganisationRecord.Kind(rawValue: kind),
                  let certification = OrganisationRecord.Certification(rawValue: certification) else { return nil }
            return OrganisationRecord(id: id, kind: kind, name: name, uscc: uscc, certification: certification)
        }
        return nil
    }
}
