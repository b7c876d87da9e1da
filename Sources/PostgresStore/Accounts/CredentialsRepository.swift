import Foundation
import Logging
import PostgresNIO
import VoucherCore

/// Passwords, refresh tokens, SMS codes and failed-login counts in PostgreSQL. Every time comes
/// from the caller's clock, so expiry and windows are testable without waiting.
public struct CredentialsRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    // MARK: Passwords

    /// The bcrypt hashes of the current password and up to `limit - 1` before it, newest first.
    public func recentPasswordHashes(userID: String, limit: Int) async throws -> [String] {
        let rows = try await client.query(
            """
            SELECT password_hash FROM password_history WHERE user_id = \(userID) ORDER BY id DESC LIMIT \(limit)
            """, logger: logger)
        var hashes: [String] = []
        for try await hash in rows.decode(String.self) { hashes.append(hash) }
        return hashes
    }

    /// Sets a new password hash, records it in the history, and revokes every refresh token of the
    /// user (a password change logs other sessions out). False when the user does not exist in `orgID`.
    public func setPassword(userID: String, orgID: String, hash: String, now: Date) async throws -> Bool {
        try await client.transaction(logger: logger) { tx in
            let rows = try await tx.query(
                """
                UPDATE users SET password_hash = \(hash), updated_at = \(now)
                WHERE id = \(userID) AND org_id = \(orgID) AND deleted_at IS NULL RETURNING id
                """, logger: logger)
            var found = false
            for try await _ in rows { found = true }
            guard found else { return false }
            try await tx.query("INSERT INTO password_history (user_id, password_hash, set_at) VALUES (\(userID), \(hash), \(now))", logger: logger)
            try await tx.query("UPDATE refresh_tokens SET revoked_at = \(now) WHERE user_id = \(userID) AND revoked_at IS NULL", logger: logger)
            return true
        }
    }

    // MARK: Refresh tokens

    /// Stores a new refresh token (its hash only).
    public func insertRefreshToken(id: String, familyID: String, userID: String, tokenHash: String, issuedAt: Date, expiresAt: Date) async throws {
        try await client.query(
            """
            INSERT INTO refresh_tokens (id, family_id, user_id, token_hash, issued_at, expires_at)
            VALUES (\(id), \(familyID), \(userID), \(tokenHash), \(issuedAt), \(expiresAt))
            """, logger: logger)
    }

    /// What presenting a refresh token led to.
    public enum RotationOutcome: Sendable, Equatable {
        /// The token was live; it is now used and the new one (same family) is stored.
        case rotated(userID: String, familyID: String)
        /// The token had been used before: the family is revoked, everyone must log in again.
        case reused
        /// Unknown, expired or revoked.
        case invalid
    }

    /// Uses a refresh token: marks it used and stores its successor, all or nothing. A second use
    /// of the same token means it leaked, so the whole family is revoked.
    public func rotateRefreshToken(
        tokenHash: String, successorID: String, successorHash: String, now: Date, successorExpiresAt: Date
    ) async throws -> RotationOutcome {
        try await client.transaction(logger: logger) { tx in
            let rows = try await tx.query(
                """
                SELECT family_id, user_id, expires_at, used_at, revoked_at FROM refresh_tokens WHERE token_hash = \(tokenHash) FOR UPDATE
                """, logger: logger)
            var found: (String, String, Date, Date?, Date?)?
            for try await row in rows.decode((String, String, Date, Date?, Date?).self) { found = row }
            guard let (family, userID, expiresAt, usedAt, revokedAt) = found, revokedAt == nil else { return .invalid }
            if usedAt != nil {
                try await tx.query("UPDATE refresh_tokens SET revoked_at = \(now) WHERE family_id = \(family) AND revoked_at IS NULL", logger: logger)
                return .reused
            }
            guard expiresAt > now else { return .invalid }
            let users = try await tx.query("SELECT 1 FROM users WHERE id = \(userID) AND NOT disabled AND deleted_at IS NULL", logger: logger)
            var active = false
            for try await _ in users { active = true }
            guard active else { return .invalid }
            try await tx.query("UPDATE refresh_tokens SET used_at = \(now) WHERE token_hash = \(tokenHash)", logger: logger)
            try await tx.query(
                """
                INSERT INTO refresh_tokens (id, family_id, user_id, token_hash, issued_at, expires_at)
                VALUES (\(successorID), \(family), \(userID), \(successorHash), \(now), \(successorExpiresAt))
                """, logger: logger)
            return .rotated(userID: userID, familyID: family)
        }
    }

    /// Logout: revokes the family of this token. True when the token was known.
    @discardableResult
    public func revokeFamily(tokenHash: String, now: Date) async throws -> Bool {
        let rows = try await client.query(
            """
            UPDATE refresh_tokens SET revoked_at = \(now)
            WHERE family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = \(tokenHash)) AND revoked_at IS NULL
            RETURNING id
            """, logger: logger)
        var count = 0
        for try await _ in rows { count += 1 }
        return count > 0
    }

    // MARK: SMS codes

    /// How many codes were sent to `phone` since `since`, and when the last one was.
    public func smsSends(phone: String, since: Date) async throws -> (count: Int, last: Date?) {
        let rows = try await client.query(
            """
            SELECT count(*), max(sent_at) FROM sms_codes WHERE phone = \(phone) AND sent_at >= \(since)
            """, logger: logger)
        for try await (count, last) in rows.decode((Int, Date?).self) { return (count, last) }
        return (0, nil)
    }

    /// Stores a new code (hash only); earlier codes of the phone stop working.
    public func insertSMSCode(id: String, phone: String, codeHash: String, sentAt: Date, expiresAt: Date) async throws {
        try await client.transaction(logger: logger) { tx in
            try await tx.query("UPDATE sms_codes SET consumed_at = \(sentAt) WHERE phone = \(phone) AND consumed_at IS NULL", logger: logger)
            try await tx.query(
                """
                INSERT INTO sms_codes (id, phone, code_hash, sent_at, expires_at) VALUES (\(id), \(phone), \(codeHash), \(sentAt), \(expiresAt))
                """, logger: logger)
        }
    }

    /// What checking an SMS code found.
    public enum SMSCheck: Sendable, Equatable {
        case accepted
        /// Wrong code; `attemptsLeft` more guesses are allowed for this code.
        case wrong(attemptsLeft: Int)
        /// No live code: never sent, used, expired, or out of guesses.
        case noLiveCode
    }

    /// Checks `codeHash` against the phone's newest live code, counting the guess; the right code
    /// is consumed so it works once.
    public func checkSMSCode(phone: String, codeHash: String, now: Date, attemptsMax: Int) async throws -> SMSCheck {
        try await client.transaction(logger: logger) { tx in
            let rows = try await tx.query(
                """
                SELECT id, code_hash, attempts FROM sms_codes
                WHERE phone = \(phone) AND consumed_at IS NULL AND expires_at > \(now)
                ORDER BY sent_at DESC LIMIT 1 FOR UPDATE
                """, logger: logger)
            var found: (String, String, Int)?
            for try await row in rows.decode((String, String, Int).self) { found = row }
            guard let (id, stored, attempts) = found, attempts < attemptsMax else { return .noLiveCode }
            if stored == codeHash {
                try await tx.query("UPDATE sms_codes SET attempts = attempts + 1, consumed_at = \(now) WHERE id = \(id)", logger: logger)
                return .accepted
            }
            try await tx.query("UPDATE sms_codes SET attempts = attempts + 1 WHERE id = \(id)", logger: logger)
            return .wrong(attemptsLeft: attemptsMax - attempts - 1)
        }
    }

    // MARK: Login throttling

    /// Failed logins per key since `since`.
    public func loginFailures(keys: [String], since: Date) async throws -> [String: Int] {
        let rows = try await client.query(
            """
            SELECT scope_key, count(*) FROM login_failures WHERE scope_key = ANY(\(keys)) AND failed_at >= \(since) GROUP BY scope_key
            """, logger: logger)
        var counts: [String: Int] = [:]
        for try await (key, count) in rows.decode((String, Int).self) { counts[key] = count }
        return counts
    }

    /// The earliest failure of `key` since `since`, to say when the window frees a slot.
    public func oldestLoginFailure(key: String, since: Date) async throws -> Date? {
        let rows = try await client.query(
            """
            SELECT min(failed_at) FROM login_failures WHERE scope_key = \(key) AND failed_at >= \(since)
            """, logger: logger)
        for try await oldest in rows.decode(Date?.self) { return oldest }
        return nil
    }

    /// Records one failed login under each key.
    public func recordLoginFailure(keys: [String], now: Date) async throws {
        for key in keys {
            try await client.query("INSERT INTO login_failures (scope_key, failed_at) VALUES (\(key), \(now))", logger: logger)
        }
    }

    /// A successful login forgets the account's failures (not the address's).
    public func clearLoginFailures(key: String) async throws {
        try await client.query("DELETE FROM login_failures WHERE scope_key = \(key)", logger: logger)
    }
}
