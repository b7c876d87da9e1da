import Foundation
import Hummingbird
import PostgresStore
import VoucherConfig
import VoucherCore
import VoucherServices

/// Who is looking at a page: the live web session, its user and the identity the JSON API would
/// give the same login now (current certification and menu permissions).
struct WebViewer: Sendable {
    let session: WebSessionRecord
    let user: UserRecord
    let identity: Identity
}

/// Server-side web sessions (issue 16): a random token in an HttpOnly, SameSite=Strict cookie
/// (Secure behind TLS), its SHA-256 in `web_sessions`, idle and absolute expiry on `clock`, and a
/// login (refresh-token family) of its own, so logout everywhere, a password change and a
/// disabled or deleted user end it as they end the JSON API's tokens.
struct WebSessions: Sendable {
    let env: AccountsEnvironment
    let repository: WebSessionsRepository
    let settings: AppConfig.Web
    /// The sessions' time: the use cases' clock, or in a test server that clock moved on by the
    /// seconds in `web.clockOffsetFile` (see `OffsetFileClock`).
    let clock: any WallClock

    static let cookieName = "vr_session"
    /// The login form's CSRF token before there is a session (a double-submit cookie).
    static let loginCSRFCookieName = "vr_login_csrf"
    /// Random bytes of a session token and of a CSRF token.
    static let tokenBytes = 32
    /// The longest cookie value read (anything longer is no session).
    static let cookieValueLengthMax = 128
    static let idPrefix = "ws"

    /// Starts a session for `user` (already authenticated) and answers the cookie token.
    func start(for user: UserRecord) async throws -> (token: String, session: WebSessionRecord) {
        let now = clock.now()
        let token = Secrets.randomToken(byteCount: Self.tokenBytes)
        let csrf = Secrets.randomToken(byteCount: Self.tokenBytes)
        let family = OpaqueID.make(prefix: Sessions.refreshPrefix)
        let start = WebSessionStart(
            id: OpaqueID.make(prefix: Self.idPrefix), tokenHash: Secrets.sha256Hex(token), userID: user.id, orgID: user.orgID,
            familyID: family, refreshTokenID: OpaqueID.make(prefix: Sessions.refreshPrefix),
            refreshTokenHash: Secrets.sha256Hex(Secrets.randomToken(byteCount: Self.tokenBytes)), csrfToken: csrf, now: now,
            expiresAt: now.addingTimeInterval(TimeInterval(settings.absoluteTimeoutSeconds)))
        try await repository.start(start)
        return (token, WebSessionRecord(id: start.id, userID: user.id, orgID: user.orgID, familyID: family, csrfToken: csrf, createdAt: now))
    }

    /// The viewer of the request's session cookie, or nil when there is none, it is unknown,
    /// ended or expired, or its login was revoked (the session is then ended too).
    func viewer(_ request: Request) async throws -> WebViewer? {
        guard let token = request.cookies[Self.cookieName]?.value, !token.isEmpty, token.utf8.count <= Self.cookieValueLengthMax else {
            return nil
        }
        let now = clock.now()
        guard
            let session = try await repository.touch(
                tokenHash: Secrets.sha256Hex(token), now: now,
                idleSince: now.addingTimeInterval(-TimeInterval(settings.idleTimeoutSeconds)),
                startedSince: now.addingTimeInterval(-TimeInterval(settings.absoluteTimeoutSeconds)))
        else { return nil }
        guard let state = try await env.credentials.sessionState(userID: session.userID, orgID: session.orgID, familyID: session.familyID),
            state.sessionLive, let user = try await env.accounts.user(id: session.userID),
            let identity = try await Sessions(env: env).identity(for: user)
        else {
            try await repository.end(id: session.id, now: now)
            return nil
        }
        let current = identity.inSession(session.familyID).with(permissions: state.holdsEveryMenu ? [Identity.allPermissions] : state.permissions)
        return WebViewer(session: session, user: user, identity: current)
    }

    /// The session cookie: HttpOnly, SameSite=Strict, Path=/, Secure when `web.secureCookies`.
    func cookie(_ token: String) -> Cookie {
        Cookie(name: Self.cookieName, value: token, path: "/", secure: settings.secureCookies, httpOnly: true, sameSite: .strict)
    }

    /// A cookie that makes the browser forget `name`.
    func expired(_ name: String) -> Cookie {
        Cookie(name: name, value: "", maxAge: 0, path: "/", secure: settings.secureCookies, httpOnly: true, sameSite: .strict)
    }

    /// The login form's CSRF cookie (Path=/ so that `POST /login` carries it).
    func loginCSRFCookie(_ token: String) -> Cookie {
        Cookie(name: Self.loginCSRFCookieName, value: token, path: "/", secure: settings.secureCookies, httpOnly: true, sameSite: .strict)
    }

    /// Compares two tokens in time independent of where they differ.
    static func tokensEqual(_ a: String, _ b: String) -> Bool {
        let left = Array(a.utf8)
        let right = Array(b.utf8)
        guard left.count == right.count, !left.isEmpty else { return false }
        var difference: UInt8 = 0
        for index in left.indices { difference |= left[index] ^ right[index] }
        return difference == 0
    }
}

/// A wall clock moved on by the whole seconds written in a file, read at every `now()`: the
/// browser tests' way to pass an idle timeout without waiting (`ops/browser-test` writes it).
/// Only ever configured by `web.clockOffsetFile`, which production mode refuses; an absent or
/// unreadable file means no offset. The read is a few bytes of a local file, test servers only.
struct OffsetFileClock: WallClock {
    let base: any WallClock
    let path: String

    func now() -> Date {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        let seconds = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        return base.now().addingTimeInterval(TimeInterval(seconds))
    }
}
