import Foundation
import JWTKit

/// The roles of SPEC §1. A token carries exactly one.
public enum Role: String, Sendable, Codable, CaseIterable {
    case enterprise, provider, `operator`, expert, authority, auditor, finance
}

/// Who is asking, as proven by a verified access token. Handlers get it from the context and
/// never trust ids from the request body for authorisation.
public struct Identity: Sendable, Equatable {
    public let userID: String
    public let orgID: String
    public let role: Role
    /// The organisation passed certification when the token was issued.
    public let certified: Bool
    /// Menu permissions of a sub-account; the main account has `["*"]`.
    public let permissions: [String]
    /// The login (refresh-token family) the token belongs to; every request checks it is still
    /// live. Nil only for tokens minted outside a login (tests, `voucherctl` load-test tokens).
    public let sessionID: String?

    public init(userID: String, orgID: String, role: Role, certified: Bool, permissions: [String], sessionID: String? = nil) {
        self.userID = userID
        self.orgID = orgID
        self.role = role
        self.certified = certified
        self.permissions = permissions
        self.sessionID = sessionID
    }

    /// The same identity with the permissions its user holds now.
    package func with(permissions: [String]) -> Identity {
        Identity(userID: userID, orgID: orgID, role: role, certified: certified, permissions: permissions, sessionID: sessionID)
    }

    /// The same identity in the login `sessionID`.
    package func inSession(_ sessionID: String) -> Identity {
        Identity(userID: userID, orgID: orgID, role: role, certified: certified, permissions: permissions, sessionID: sessionID)
    }
}

/// The access token's claims. Short names keep the token small: it crosses the wire on every grab.
package struct AccessClaims: JWTPayload {
    package var sub: SubjectClaim
    package var org: String
    package var role: String
    package var cert: Bool
    package var perms: [String]
    /// The login's id (absent in tokens minted outside a login).
    package var sid: String?
    package var iss: IssuerClaim
    package var iat: IssuedAtClaim
    package var exp: ExpirationClaim

    package func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }
}
