import Foundation
import Hummingbird
import Logging
import Metrics
import PostgresStore
import Synchronization
import VoucherCore
import VoucherServices

/// Holds every access token to the current state of its login and its user: a logout, a replayed
/// refresh token, a password change, a deleted or disabled user (401 `session_revoked`) and removed
/// menu permissions (the menu check reads the permissions held now).
///
/// The common case costs no query: while this server's `SessionChangeFeed` is fresh and names
/// neither the token's user nor its login, the token's claims decide. A change made on this
/// server is in its feed before the change's answer leaves; one made on another server, within
/// the feed's poll (0.5 s, never more than `SessionChangeFeed.staleAfter`). Otherwise (named, or
/// the feed stale) it costs one PostgreSQL query by primary key (and the refresh-token family
/// index), as before the feed.
///
/// When that query fails or passes `lookupDeadline`, other routes answer 503 `unavailable` (they
/// need PostgreSQL anyway), but the grab path needs only Redis and must go on while PostgreSQL is
/// down: there the token's own claims decide for `outagePause` (so a rush does not wait on a dead
/// database request after request), except for logins this process saw ended. A feed gone stale
/// is such an outage for the grab route at once: a rush of 1,024 connections on a starved machine
/// once made the poll miss its 3 s, and every grab then queued a query behind the claim sink.
final class LiveSessions: Sendable {
    /// How long one check of a grab may wait for PostgreSQL.
    static let lookupDeadline: Duration = .seconds(2)
    /// After a failed check, how long the claims decide before PostgreSQL is asked again.
    static let outagePause: Duration = .seconds(5)
    /// Bound on remembered ended logins (used only during an outage).
    static let endedMax = 100_000

    let credentials: CredentialsRepository
    let feed: SessionChangeFeed
    let logger: Logger
    let clock: any MonotonicClock
    /// Until when the claims decide (PostgreSQL failed a check). Guarded by the mutex.
    private let outageUntil = Mutex<ContinuousClock.Instant?>(nil)
    /// "user|session" of logins found ended. Guarded by the mutex.
    private let ended = Mutex<Set<String>>([])
    /// Checks the feed vouched for (the claims decided) and checks it declined (a PostgreSQL query,
    /// or the grab route's outage rule).
    private let byClaims = Counter(label: "voucher_session_checks_total", dimensions: [("by", "claims")])
    private let byQuery = Counter(label: "voucher_session_checks_total", dimensions: [("by", "query")])

    init(credentials: CredentialsRepository, feed: SessionChangeFeed, logger: Logger, clock: any MonotonicClock = SystemMonotonicClock()) {
        self.credentials = credentials
        self.feed = feed
        self.logger = logger
        self.clock = clock
    }

    /// The identity with the permissions its user holds now, or 401 `session_revoked`. With
    /// `outageTolerant` (the grab route) a PostgreSQL failure lets the claims decide; otherwise it
    /// is 503 `unavailable`.
    func current(_ identity: Identity, outageTolerant: Bool) async throws -> Identity {
        let verdict = feed.verdict(userID: identity.userID, sessionID: identity.sessionID)
        if verdict == .vouched {
            byClaims.increment()
            return identity
        }
        byQuery.increment()
        let key = identity.userID + "|" + (identity.sessionID ?? "")
        // A feed gone stale means PostgreSQL is failing or too slow to answer its one poll: the grab
        // route does not queue every grab behind it, it keeps the outage rule (claims decide).
        if outageTolerant, verdict == .stale { return try claimsOnly(identity, key: key) }
        if outageTolerant, let until = outageUntil.withLock({ $0 }), clock.instant() < until { return try claimsOnly(identity, key: key) }
        let state: SessionState?
        do {
            let credentials = self.credentials
            let lookup: @Sendable () async throws -> SessionState? = {
                try await credentials.sessionState(userID: identity.userID, orgID: identity.orgID, familyID: identity.sessionID)
            }
            // Only the grab route bounds the wait: other routes wait for PostgreSQL as their own queries do.
            state = outageTolerant ? try await withDeadline(Self.lookupDeadline, lookup) : try await lookup()
        } catch {
            try Task.checkCancellation()
            guard outageTolerant else {
                logger.warning("auth.session_check_failed", metadata: ["error": "\(String(reflecting: error))"])
                throw Problem(
                    .serviceUnavailable, code: "unavailable", detail: "Your login could not be checked right now. Retry in a moment.",
                    headers: [.retryAfter: "1"])
            }
            let until = clock.instant() + Self.outagePause
            outageUntil.withLock { $0 = until }
            logger.warning("auth.session_check_failed", metadata: ["error": "\(String(reflecting: error))"])
            return try claimsOnly(identity, key: key)
        }
        guard let state, state.sessionLive else {
            ended.withLock { ended in
                if ended.count >= Self.endedMax { ended.removeAll() }
                ended.insert(key)
            }
            throw AuthProblem.sessionEnded
        }
        return identity.with(permissions: state.holdsEveryMenu ? [Identity.allPermissions] : state.permissions)
    }

    private func claimsOnly(_ identity: Identity, key: String) throws -> Identity {
        if ended.withLock({ $0.contains(key) }) { throw AuthProblem.sessionEnded }
        return identity
    }
}

extension AccountsEnvironment {
    /// The auth middleware over this environment's tokens and credentials.
    var authMiddleware: AuthMiddleware {
        AuthMiddleware(tokens: tokens, sessions: LiveSessions(credentials: credentials, feed: sessionChanges, logger: logger))
    }
}
