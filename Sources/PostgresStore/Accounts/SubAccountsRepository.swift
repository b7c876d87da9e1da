import Foundation
import Logging
import PostgresNIO
import VoucherCore

/// An organisation's sub-accounts in PostgreSQL. Every query is scoped by the caller's
/// organisation, so a sub-account id of another organisation reads as missing.
public struct SubAccountsRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Creates a sub-account (or an operator-side account, which is not a main account either)
    /// with its first password in the history. Throws `usernameTaken` or
    /// `phoneTaken` and writes nothing in that case.
    public func create(_ user: UserRecord, now: Date) async throws {
        precondition(!user.isMain, "sub-accounts are not main accounts")
        do {
            try await client.transaction(logger: logger) { tx in
                try await AccountsRepository(client: client, logger: logger).insert(user, tx)
                try await tx.query(
                    """
                    INSERT INTO password_history (user_id, password_hash, set_at) VALUES (\(user.id), \(user.passwordHash), \(now))
                    """, logger: logger)
            }
        } catch {
            throw AccountsStoreError.fromUniqueViolation(error) ?? error
        }
    }

    /// One page of the organisation's live sub-accounts, oldest first, and their total.
    public func list(orgID: String, page: Int, pageSize: Int) async throws -> (items: [UserRecord], total: Int) {
        let countRows = try await client.query(
            """
            SELECT count(*) FROM users WHERE org_id = \(orgID) AND NOT is_main AND deleted_at IS NULL
            """, logger: logger)
        var total = 0
        for try await count in countRows.decode(Int.self) { total = count }
        let rows = try await client.query(
            """
            SELECT \(unescaped: AccountsRepository.userColumns) FROM users
            WHERE org_id = \(orgID) AND NOT is_main AND deleted_at IS NULL
            ORDER BY created_at, id LIMIT \(pageSize) OFFSET \((page - 1) * pageSize)
            """, logger: logger)
        return (try await AccountsRepository.decodeUsers(rows), total)
    }

    /// The organisation's live sub-account with this id, if any.
    public func find(orgID: String, id: String) async throws -> UserRecord? {
        let rows = try await client.query(
            """
            SELECT \(unescaped: AccountsRepository.userColumns) FROM users
            WHERE id = \(id) AND org_id = \(orgID) AND NOT is_main AND deleted_at IS NULL
            """, logger: logger)
        return try await AccountsRepository.decodeUsers(rows).first
    }

    /// Changes phone and e-mail (the username is fixed). Returns the updated user, nil if missing.
    public func update(orgID: String, id: String, phone: String, email: String?, now: Date) async throws -> UserRecord? {
        do {
            let rows = try await client.query(
                """
                UPDATE users SET phone = \(phone), email = \(email), updated_at = \(now)
                WHERE id = \(id) AND org_id = \(orgID) AND NOT is_main AND deleted_at IS NULL
                RETURNING \(unescaped: AccountsRepository.userColumns)
                """, logger: logger)
            return try await AccountsRepository.decodeUsers(rows).first
        } catch {
            throw AccountsStoreError.fromUniqueViolation(error) ?? error
        }
    }

    /// Replaces the menu permissions. Returns the updated user, nil if missing.
    public func setPermissions(orgID: String, id: String, permissions: [String], now: Date) async throws -> UserRecord? {
        let rows = try await client.query(
            """
            UPDATE users SET permissions = \(permissions), updated_at = \(now)
            WHERE id = \(id) AND org_id = \(orgID) AND NOT is_main AND deleted_at IS NULL
            RETURNING \(unescaped: AccountsRepository.userColumns)
            """, logger: logger)
        return try await AccountsRepository.decodeUsers(rows).first
    }

    /// Deletes softly (the username stays taken, the phone is freed) and revokes its sessions.
    /// False when there is no such sub-account.
    public func delete(orgID: String, id: String, now: Date) async throws -> Bool {
        try await client.transaction(logger: logger) { tx in
            let rows = try await tx.query(
                """
                UPDATE users SET deleted_at = \(now), disabled = true, updated_at = \(now)
                WHERE id = \(id) AND org_id = \(orgID) AND NOT is_main AND deleted_at IS NULL RETURNING id
                """, logger: logger)
            var found = false
            for try await _ in rows { found = true }
            guard found else { return false }
            try await tx.query("UPDATE refresh_tokens SET revoked_at = \(now) WHERE user_id = \(id) AND revoked_at IS NULL", logger: logger)
            return true
        }
    }
}
