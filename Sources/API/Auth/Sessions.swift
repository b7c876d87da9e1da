import Foundation
import Hummingbird
import PostgresStore
import VoucherCore
import VoucherServices

/// What every successful login, refresh and registration answers: a short-lived access token and
/// a rotating refresh token.
struct TokenResponse: ResponseEncodable, Sendable {
    let accessToken: String
    let tokenType: String
    let expiresIn: Int
    let refreshToken: String
    let refreshExpiresIn: Int
    let role: String
    let organisationId: String
    let userId: String
    let certified: Bool
    let permissions: [String]
}

/// Issues sessions from the stored user and organisation, so a token always carries the current
/// certification and permissions as of its issue.
struct Sessions: Sendable {
    let env: AccountsEnvironment

    /// Id prefix of refresh tokens and their families.
    static let refreshPrefix = "rt"

    /// The identity a stored user proves: main and operator-side accounts hold every menu.
    func identity(for user: UserRecord) async throws -> Identity? {
        guard let role = Role(rawValue: user.role), let organisation = try await env.accounts.organisation(id: user.orgID) else { return nil }
        let permissions = user.isMain || organisation.kind == .platform ? [Identity.allPermissions] : user.permissions
        return Identity(
            userID: user.id, orgID: user.orgID, role: role,
            certified: organisation.certification == .certified, permissions: permissions)
    }

    /// A new session: a new refresh-token family.
    func start(for user: UserRecord) async throws -> TokenResponse {
        guard let identity = try await identity(for: user) else { throw AuthController.badCredentials }
        let now = env.clock.now()
        let refresh = Secrets.randomToken(byteCount: AccountsLimits.refreshTokenBytes)
        let family = OpaqueID.make(prefix: Self.refreshPrefix)
        try await env.credentials.insertRefreshToken(
            id: OpaqueID.make(prefix: Self.refreshPrefix), familyID: family, userID: user.id,
            tokenHash: Secrets.sha256Hex(refresh), issuedAt: now, expiresAt: now.addingTimeInterval(TimeInterval(env.refreshTtlSeconds)))
        return try await response(identity.inSession(family), refresh: refresh, now: now)
    }

    /// Uses a refresh token and answers the next pair, or 401 saying why not.
    func refresh(_ token: String) async throws -> TokenResponse {
        let now = env.clock.now()
        let successor = Secrets.randomToken(byteCount: AccountsLimits.refreshTokenBytes)
        let outcome = try await env.credentials.rotateRefreshToken(
            tokenHash: Secrets.sha256Hex(token), successorID: OpaqueID.make(prefix: Self.refreshPrefix),
            successorHash: Secrets.sha256Hex(successor), now: now,
            successorExpiresAt: now.addingTimeInterval(TimeInterval(env.refreshTtlSeconds)))
        switch outcome {
        case .rotated(let userID, let family):
            guard let user = try await env.accounts.user(id: userID), let identity = try await identity(for: user) else {
                throw AuthProblem.invalidRefreshToken
            }
            return try await response(identity.inSession(family), refresh: successor, now: now)
        case .reused:
            env.logger.warning("auth.refresh_token_reused")
            await env.sessionChanges.changed()
            throw AuthProblem.refreshTokenReused
        case .invalid:
            throw AuthProblem.invalidRefreshToken
        }
    }

    private func response(_ identity: Identity, refresh: String, now: Date) async throws -> TokenResponse {
        let access = try await env.tokens.issueAccessToken(for: identity, now: now)
        return TokenResponse(
            accessToken: access, tokenType: "Bearer", expiresIn: env.tokens.accessTokenLifetimeSeconds,
            refreshToken: refresh, refreshExpiresIn: env.refreshTtlSeconds, role: identity.role.rawValue,
            organisationId: identity.orgID, userId: identity.userID, certified: identity.certified, permissions: identity.permissions)
    }
}
