import Foundation
import Hummingbird
import Logging
import PostgresStore
import Synchronization
import VoucherCore
import VoucherServices

/// Holds every access token to the current state of its login and its user, so that revocation
/// takes effect on the next request: a logout, a replayed refresh token, a password change, a
/// deleted or disabled user (401 `session_revoked`) and removed menu permissions (the menu check
/// reads the permissions held now). It costs one PostgreSQL query by primary key (and the
/// refresh-token family index) per request that carries a token.
///
/// When the query fails or passes `lookupDeadline`, other routes answer 503 `unavailable` (they
/// need PostgreSQL anyway), but the grab path needs only Redis and must go on while PostgreSQL is
/// down: there the token's own claims decide for `outagePause` (so a rush does not wait on a dead
/// database request after request), except for logins this process saw ended.
final class LiveSessions: Sendable {
    /// How long one check of a grab may wait for PostgreSQL.
    static let lookupDeadline: Duration = .seconds(2)
    /// After a failed check, how long the claims decide before PostgreSQL is asked again.
    static let outagePause: Duration = .seconds(5)
    /// Bound on remembered ended logins (used only during an outage).
    static let endedMax = 100_000

    let credentials: CredentialsRepository
    let logger: Logger
    let clock: any MonotonicClock
    /// Until when the claims decide (PostgreSQL failed a check). Guarded by the mutex.
    private let outageUntil = Mutex<ContinuousClock.Instant?>(nil)
    /// "user|session" of logins found ended. Guarded by the mutex.
    private let ended = Mutex<Set<String>>([])

    init(credentials: CredentialsRepository, logger: Logger, clock: any MonotonicClock = SystemMonotonicClock()) {
        self.credentials = credentials
        self.logger = logger
        self.clock = clock
    }

    /// The identity with the permissions its user holds now, or 401 `session_revoked`. With
    /// `outageTolerant` (the grab route) a PostgreSQL failure lets the claims decide; otherwise it
    /// is 503 `unavailable`.
    func current(_ identity: Identity, outageTolerant: Bool) async throws -> Identity {
        let key = identity.userID + "|" + (identity.sessionID ?? "")
        if outageTolerant, let until = outageUntil.withLock({ $0 }), clock.instant() < until { return try claimsOnly(identity, key: key) }
        let state: SessionState?
        do {
            let credentials = self.credentials
            let lookup: @Sendable () async throws -> SessionState? = {
                try await credentials.sessionState(userID: identity.userID, orgID: identity.orgID, familyID: identity.sessionID)
            }
            // Only the grab route bounds the wait: other routes wait for PostgreSQL as their own queries do.
            state = outageTolerant ? try await Self.answerWithin(Self.lookupDeadline, lookup) : try await lookup()
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

/// The first of `operation`'s answer and `duration` passing, without waiting for the loser:
/// postgres-nio's `query` may not end on cancellation while it waits for a connection to a
/// server that is down, and a grab must not wait for it (`withDeadline` would, for its child).
extension LiveSessions {
    static func answerWithin<T: Sendable>(_ duration: Duration, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        let once = ResumeOnce<T>()
        return try await withCheckedThrowingContinuation { continuation in
            once.set(continuation)
            let work = Task {
                do { _ = once.finish(.success(try await operation())) } catch { _ = once.finish(.failure(error)) }
            }
            Task {
                try? await Task.sleep(for: duration)
                let (seconds, attoseconds) = duration.components
                if once.finish(.failure(DeadlineExceeded(seconds: Double(seconds) + Double(attoseconds) / 1e18))) { work.cancel() }
            }
        }
    }
}

/// A continuation resumed by whichever caller comes first.
final class ResumeOnce<T: Sendable>: Sendable {
    private let slot = Mutex<CheckedContinuation<T, any Error>?>(nil)

    func set(_ continuation: CheckedContinuation<T, any Error>) { slot.withLock { $0 = continuation } }

    /// Resumes with `result` unless another caller did; true when this one did.
    func finish(_ result: Result<T, any Error>) -> Bool {
        let taken = slot.withLock { slot -> CheckedContinuation<T, any Error>? in
            defer { slot = nil }
            return slot
        }
        guard let taken else { return false }
        taken.resume(with: result)
        return true
    }
}

extension AccountsEnvironment {
    /// The auth middleware over this environment's tokens and credentials.
    var authMiddleware: AuthMiddleware {
        AuthMiddleware(tokens: tokens, sessions: LiveSessions(credentials: credentials, logger: logger))
    }
}
