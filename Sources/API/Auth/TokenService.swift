import Foundation
import Synchronization
import JWTKit
import VoucherConfig

/// Issues and verifies HS256 access tokens with the configured secret.
public struct TokenService: Sendable {
    let keys: JWTKeyCollection
    let issuer: String
    let accessTtlSeconds: Int
    let verified = VerifiedTokenCache()

    public init(config: AppConfig.JWT) async {
        precondition(config.secret.utf8.count >= AppConfig.JWT.secretBytesMin, "config guarantees the secret length")
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: config.secret), digestAlgorithm: .sha256)
        self.keys = keys
        self.issuer = config.issuer
        self.accessTtlSeconds = config.accessTtlSeconds
    }

    /// A signed access token for `identity`, valid for the configured lifetime from `now`.
    public func issueAccessToken(for identity: Identity, now: Date = Date()) async throws -> String {
        let claims = AccessClaims(
            sub: .init(value: identity.userID), org: identity.orgID, role: identity.role.rawValue,
            cert: identity.certified, perms: identity.permissions, sid: identity.sessionID, iss: .init(value: issuer),
            iat: .init(value: now), exp: .init(value: now.addingTimeInterval(TimeInterval(accessTtlSeconds))))
        return try await keys.sign(claims)
    }

    /// The identity a token proves, or a 401 problem saying why it proves nothing.
    public func verify(_ token: String, now: Date = Date()) async throws -> Identity {
        if let identity = verified.identity(for: token, now: now) { return identity }
        let claims: AccessClaims
        do {
            claims = try await keys.verify(token, as: AccessClaims.self)
        } catch let error as JWTError where error.errorType == .claimVerificationFailure {
            throw AuthProblem.tokenExpired
        } catch {
            throw AuthProblem.invalidToken
        }
        guard claims.iss.value == issuer, let role = Role(rawValue: claims.role) else { throw AuthProblem.invalidToken }
        let identity = Identity(
            userID: claims.sub.value, orgID: claims.org, role: role, certified: claims.cert, permissions: claims.perms, sessionID: claims.sid)
        verified.remember(token, identity: identity, expiresAt: claims.exp.value)
        return identity
    }

    /// Seconds an access token lives, for the login response.
    public var accessTokenLifetimeSeconds: Int { accessTtlSeconds }
}

/// The 401 and 403 answers of authentication and authorisation.
enum AuthProblem {
    static let missingToken = Problem(
        .unauthorized, code: "unauthenticated",
        detail: "This route needs a login. Send Authorization: Bearer <access token> from POST /v1/auth/login.",
        headers: [.wwwAuthenticate: "Bearer"])
    static let invalidToken = Problem(
        .unauthorized, code: "invalid_token",
        detail: "The access token is malformed or its signature is wrong. Log in again for a new one.",
        headers: [.wwwAuthenticate: "Bearer error=\"invalid_token\""])
    static let tokenExpired = Problem(
        .unauthorized, code: "token_expired",
        detail: "The access token has expired. Refresh it or log in again.",
        headers: [.wwwAuthenticate: "Bearer error=\"invalid_token\""])
    static let invalidRefreshToken = Problem(
        .unauthorized, code: "invalid_refresh_token",
        detail: "The refresh token is unknown, expired or revoked. Log in again.")
    static let sessionEnded = Problem(
        .unauthorized, code: "session_revoked",
        detail: "This login has ended: it was logged out or revoked, the password was changed, or the account was deleted or disabled. "
            + "Log in again.",
        headers: [.wwwAuthenticate: "Bearer error=\"invalid_token\""])
    static let refreshTokenReused = Problem(
        .unauthorized, code: "refresh_token_reused",
        detail: "This refresh token was used already, so every session of its login is now revoked. Log in again.")
    static func wrongRole(_ allowed: [Role]) -> Problem {
        Problem(.forbidden, code: "forbidden_role",
                detail: "This route is for \(allowed.map(\.rawValue).joined(separator: " or ")) accounts. Log in with such an account.")
    }
}

/// Tokens this process has verified, until they expire: a grab rush sends the same token many
/// times, and jwt-kit's verification (JSON decoding behind an actor) showed in profiles. Keyed
/// by the whole token, signature included, so only a token already proven is ever trusted.
final class VerifiedTokenCache: Sendable {
    /// Bound on cached tokens; past it the cache starts over.
    static let tokensMax = 100_000

    /// Token → identity and expiry. Guarded by the mutex.
    private let entries = Mutex<[String: (identity: Identity, expiresAt: Date)]>([:])

    func identity(for token: String, now: Date) -> Identity? {
        entries.withLock { entries in
            guard let entry = entries[token] else { return nil }
            guard entry.expiresAt > now else {
                entries.removeValue(forKey: token)
                return nil
            }
            return entry.identity
        }
    }

    func remember(_ token: String, identity: Identity, expiresAt: Date) {
        entries.withLock { entries in
            if entries.count >= Self.tokensMax { entries.removeAll(keepingCapacity: true) }
            entries[token] = (identity, expiresAt)
        }
    }
}
