import Hummingbird
import VoucherServices

/// The 401 and 403 answers of authentication and authorisation. The `WWW-Authenticate` challenge
/// keeps RFC 6750's `error="invalid_token"`; the problem codes follow the house convention.
enum AuthProblem {
    static let missingToken = Problem(
        .unauthorized, code: "unauthenticated",
        detail: "This route needs a login. Send Authorization: Bearer <access token> from POST /v1/auth/login.",
        headers: [.wwwAuthenticate: "Bearer"])
    static let invalidToken = Problem(
        .unauthorized, code: "token_invalid",
        detail: "The access token is malformed or its signature is wrong. Log in again for a new one.",
        headers: [.wwwAuthenticate: "Bearer error=\"invalid_token\""])
    static let tokenExpired = Problem(
        .unauthorized, code: "token_expired",
        detail: "The access token has expired. Refresh it or log in again.",
        headers: [.wwwAuthenticate: "Bearer error=\"invalid_token\""])
    static let invalidRefreshToken = Problem(
        .unauthorized, code: "refresh_token_invalid",
        detail: "The refresh token is unknown, expired or revoked. Log in again.")
    static let refreshTokenReused = Problem(
        .unauthorized, code: "refresh_token_reused",
        detail: "This refresh token was used already, so every session of its login is now revoked. Log in again.")
    static let sessionEnded = Problem(
        .unauthorized, code: "session_revoked",
        detail: "This login has ended: it was logged out or revoked, the password was changed, or the account was deleted or disabled. "
            + "Log in again.",
        headers: [.wwwAuthenticate: "Bearer error=\"invalid_token\""])
    static func wrongRole(_ allowed: [Role]) -> Problem {
        Problem(
            .forbidden, code: "role_forbidden",
            detail: "This route is for \(allowed.map(\.rawValue).joined(separator: " or ")) accounts. Log in with such an account.")
    }
}

/// A rejected token is the matching 401, with its `WWW-Authenticate` challenge.
extension TokenRejection: ProblemConvertible {
    var problem: Problem {
        switch self {
        case .invalid: AuthProblem.invalidToken
        case .expired: AuthProblem.tokenExpired
        }
    }
}
