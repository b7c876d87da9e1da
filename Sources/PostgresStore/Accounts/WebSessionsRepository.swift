import Foundation
import Logging
import PostgresNIO

/// A live web session as a page request reads it (migration 0018).
public struct WebSessionRecord: Sendable, Equatable {
    public let id: String
    public let userID: String
    public let orgID: String
    /// The login (refresh-token family) the session belongs to: the JSON API's revocations end it.
    public let familyID: String
    /// The token every form of this session carries in a hidden field.
    public let csrfToken: String
    public let createdAt: Date

    public init(id: String, userID: String, orgID: String, familyID: String, csrfToken: String, createdAt: Date) {
        self.id = id
        self.userID = userID
        self.orgID = orgID
        self.familyID = familyID
        self.csrfToken = csrfToken
        self.createdAt = createdAt
    }
}

/// What a new web session stores: the SHA-256 of its cookie token and of its login's (never
/// handed out) refresh token, so the family exists and is live until something revokes it.
public struct WebSessionStart: Sendable {
    public let id: String
    public let tokenHash: String
    public let userID: String
    public let orgID: String
    public let familyID: String
    public let refreshTokenID: String
    public let refreshTokenHash: String
    public let csrfToken: String
    public let now: Date
    /// When the login's refresh token expires: the session's absolute expiry.
    public let expiresAt: Date

    public init(
        id: String, tokenHash: String, userID: String, orgID: String, familyID: String, refreshTokenID: String, refreshTokenHash: String,
        csrfToken: String, now: Date, expiresAt: Date
    ) {
        self.id = id
        self.tokenHash = tokenHash
        self.userID = userID
        self.orgID = orgID
        self.familyID = familyID
        self.refreshTokenID = refreshTokenID
        self.refreshTokenHash = refreshTokenHash
        self.csrfToken = csrfToken
        self.now = now
        self.expiresAt = expiresAt
    }
}

/// The web sessions in PostgreSQL. Every time comes from the caller's clock, so idle and
/// absolute expiry are testable without waiting.
public struct WebSessionsRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Stores a new session and its login (a refresh-token family of one token) in one transaction.
    public func start(_ session: WebSessionStart) async throws {
        try await client.transaction(logger: logger) { tx in
            try await tx.query(
                """
                INSERT INTO refresh_tokens (id, family_id, user_id, token_hash, issued_at, expires_at)
                VALUES (\(session.refreshTokenID), \(session.familyID), \(session.userID), \(session.refreshTokenHash), \(session.now),
                        \(session.expiresAt))
                """, logger: logger)
            try await tx.query(
                """
                INSERT INTO web_sessions (id, token_hash, user_id, org_id, family_id, csrf_token, created_at, last_seen_at)
                VALUES (\(session.id), \(session.tokenHash), \(session.userID), \(session.orgID), \(session.familyID), \(session.csrfToken),
                        \(session.now), \(session.now))
                """, logger: logger)
        }
    }

    /// The session of the cookie token with this hash when it is neither ended, idle since
    /// `idleSince` nor started before `startedSince`; its last use becomes `now` in the same
    /// statement. Nil for an unknown, ended or expired session (all three send the browser to log in).
    public func touch(tokenHash: String, now: Date, idleSince: Date, startedSince: Date) async throws -> WebSessionRecord? {
        let rows = try await client.query(
            """
            UPDATE web_sessions SET last_seen_at = GREATEST(last_seen_at, \(now))
            WHERE token_hash = \(tokenHash) AND ended_at IS NULL AND last_seen_at > \(idleSince) AND created_at > \(startedSince)
            RETURNING id, user_id, org_id, family_id, csrf_token, created_at
            """, logger: logger)
        for try await (id, user, org, family, csrf, created) in rows.decode((String, String, String, String, String, Date).self) {
            return WebSessionRecord(id: id, userID: user, orgID: org, familyID: family, csrfToken: csrf, createdAt: created)
        }
        return nil
    }

    /// Logout of this session: it ends, and so does its login (its refresh-token family).
    public func end(id: String, now: Date) async throws {
        try await client.transaction(logger: logger) { tx in
            let rows = try await tx.query(
                "UPDATE web_sessions SET ended_at = \(now) WHERE id = \(id) AND ended_at IS NULL RETURNING family_id", logger: logger)
            for try await family in rows.decode(String.self) {
                try await tx.query(
                    "UPDATE refresh_tokens SET revoked_at = \(now) WHERE family_id = \(family) AND revoked_at IS NULL", logger: logger)
            }
        }
    }

    /// 退出所有登录: every login of the user ends — web sessions and the JSON API's refresh tokens
    /// (whose access tokens then answer 401 `session_revoked`).
    public func endEverywhere(userID: String, now: Date) async throws {
        try await client.transaction(logger: logger) { tx in
            try await tx.query(
                "UPDATE web_sessions SET ended_at = \(now) WHERE user_id = \(userID) AND ended_at IS NULL", logger: logger)
            try await tx.query(
                "UPDATE refresh_tokens SET revoked_at = \(now) WHERE user_id = \(userID) AND revoked_at IS NULL", logger: logger)
        }
    }
}
