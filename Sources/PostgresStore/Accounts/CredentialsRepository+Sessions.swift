import Foundation
import PostgresNIO

/// What a request's access token is checked against on every request.
public struct SessionState: Sendable, Equatable {
    /// The user is the organisation's main account (or an operator-side account): every menu.
    public let holdsEveryMenu: Bool
    /// The sub-account's menu permissions as they are now.
    public let permissions: [String]
    /// The login is live: some refresh token of its family is not revoked (logout, a replayed
    /// refresh token, a password change, deleting or disabling the user revoke them all).
    public let sessionLive: Bool
}

extension CredentialsRepository {
    /// The state of `userID` in `orgID` and of its login `familyID` (nil: no login to check), in
    /// one query by primary key and the refresh-token family index. Nil when the user is unknown,
    /// deleted or disabled.
    public func sessionState(userID: String, orgID: String, familyID: String?) async throws -> SessionState? {
        let rows = try await client.query(
            """
            SELECT u.is_main OR o.kind = 'platform', u.permissions,
                   \(familyID)::text IS NULL
                   OR EXISTS (SELECT 1 FROM refresh_tokens r WHERE r.family_id = \(familyID) AND r.user_id = u.id AND r.revoked_at IS NULL)
            FROM users u JOIN organisations o ON o.id = u.org_id
            WHERE u.id = \(userID) AND u.org_id = \(orgID) AND NOT u.disabled AND u.deleted_at IS NULL
            """, logger: logger)
        for try await (every, permissions, live) in rows.decode((Bool, [String], Bool).self) {
            return SessionState(holdsEveryMenu: every, permissions: permissions, sessionLive: live)
        }
        return nil
    }
}
