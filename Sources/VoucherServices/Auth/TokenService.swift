import Foundation
import JWTKit
import Synchronization
import VoucherConfig

/// Issues and verifies HS256 access tokens with the configured secret.
public struct TokenService: Sendable {
    package let keys: JWTKeyCollection
    package let issuer: String
    package let accessTtlSeconds: Int
    package let verified = VerifiedTokenCache()

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

    /// The identity a token proves, or the `TokenRejection` saying why it proves nothing.
    public func verify(_ token: String, now: Date = Date()) async throws -> Identity {
        if let identity = verified.identity(for: token, now: now) { return identity }
        let claims: AccessClaims
        do {
            claims = try await keys.verify(token, as: AccessClaims.self)
        } catch let error as JWTError where error.errorType == .claimVerificationFailure {
            throw TokenRejection.expired
        } catch {
            throw TokenRejection.invalid
        }
        guard claims.iss.value == issuer, let role = Role(rawValue: claims.role) else { throw TokenRejection.invalid }
        let identity = Identity(
            userID: claims.sub.value, orgID: claims.org, role: role, certified: claims.cert, permissions: claims.perms, sessionID: claims.sid)
        verified.remember(token, identity: identity, expiresAt: claims.exp.value)
        return identity
    }

    /// Seconds an access token lives, for the login response.
    public var accessTokenLifetimeSeconds: Int { accessTtlSeconds }
}

/// Why an access token proves nothing; the API answers each with its 401.
public enum TokenRejection: Error, Sendable, Equatable {
    /// Malformed, wrongly signed, or from another issuer.
    case invalid
    /// Past its expiry.
    case expired
}

/// Tokens this process has verified, until they expire: a grab rush sends the same token many
/// times, and jwt-kit's verification (JSON decoding behind an actor) showed in profiles. Keyed
/// by the whole token, signature included, so only a token already proven is ever trusted.
package final class VerifiedTokenCache: Sendable {
    /// Bound on cached tokens; past it the cache starts over.
    package static let tokensMax = 100_000

    /// Token → identity and expiry. Guarded by the mutex.
    private let entries = Mutex<[String: (identity: Identity, expiresAt: Date)]>([:])

    package func identity(for token: String, now: Date) -> Identity? {
        entries.withLock { entries in
            guard let entry = entries[token] else { return nil }
            guard entry.expiresAt > now else {
                entries.removeValue(forKey: token)
                return nil
            }
            return entry.identity
        }
    }

    package func remember(_ token: String, identity: Identity, expiresAt: Date) {
        entries.withLock { entries in
            if entries.count >= Self.tokensMax { entries.removeAll(keepingCapacity: true) }
            entries[token] = (identity, expiresAt)
        }
    }
}
