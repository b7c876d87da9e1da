import Logging
import PostgresStore
import Synchronization
import VoucherCore

/// This server's memory of which users and logins changed lately (the "changed since" feed of
/// migration 0019), so the per-request session check costs no PostgreSQL query in the common case:
/// a token's claims decide unless the feed names its user or its login, or the feed is stale.
///
/// Across servers, a change is seen at the next poll of each server (`pollInterval`, one query
/// per server and interval); a feed whose last successful poll began more than `staleAfter` ago
/// vouches for nothing, so a server never trusts claims for longer than that after a change it
/// has not read. The server that makes a change calls `changed()` before answering, so its own
/// next request sees it at once. A named user or login takes the slow path (the query by primary
/// key) for `namedFor` = the access-token lifetime and a clock-skew margin after the feed learns of
/// it: every token issued before the change has expired by then, whatever the servers' clocks say,
/// so no issue time is compared with a change time taken on another clock.
public final class SessionChangeFeed: Sendable {
    /// How often each server reads the feed: the usual bound on cross-server staleness.
    public static let pollInterval: Duration = .milliseconds(500)
    /// With no successful poll begun within this, the feed is stale and every request asks
    /// PostgreSQL as before (the grab route keeps its outage rule): the hard bound on staleness.
    public static let staleAfter: Duration = .seconds(3)
    /// Added to the access-token lifetime for how long a named user or login stays named.
    public static let clockSkewMarginSeconds = 60
    /// Bound on rows one read may return; past it the read is refused and the feed goes stale.
    public static let rowsPerReadMax = 10_000
    /// Bound on named users and logins held at once; past it the feed starts over (stale).
    public static let namedMax = 100_000
    /// The purge runs every this many polls (about a minute).
    public static let purgeEveryPolls = 120

    let repository: SessionChangesRepository
    let clock: any MonotonicClock
    let logger: Logger
    /// How long a named user or login takes the slow path after the feed learns of it.
    let namedFor: Duration
    /// The first read's window: changes this recent can still concern a live token.
    let windowSeconds: Int

    private struct State {
        /// Where the next read starts (the last read's snapshot xmin); nil before the first.
        var nextTxid: UInt64?
        /// Rows read whose transaction is at or after `nextTxid` (they are read again): id → txid.
        var seen: [Int64: UInt64] = [:]
        /// User → until when its tokens take the slow path.
        var users: [String: ContinuousClock.Instant] = [:]
        /// Login (refresh-token family) → until when its tokens take the slow path.
        var families: [String: ContinuousClock.Instant] = [:]
        /// When the last successful poll began; nil: stale.
        var freshSince: ContinuousClock.Instant?
        /// Some poll has made the feed fresh: past `staleAfter` it is stale, not unread.
        var everFresh = false
        /// This process made a change that no successful read has seen yet: until one has, the
        /// feed is unread (every route asks PostgreSQL), not merely stale.
        var localChangeUnread = false
        /// Changes this process made (`changed()`); a poll begun before the latest one must not
        /// make the feed fresh, since its snapshot may predate that change.
        var localChanges = 0
        /// Requests the feed did not vouch for (they asked PostgreSQL), for tests and metrics.
        var declined = 0
    }

    /// Guarded by the mutex.
    private let state = Mutex(State())

    public init(repository: SessionChangesRepository, accessTtlSeconds: Int, clock: any MonotonicClock, logger: Logger) {
        self.repository = repository
        self.clock = clock
        self.logger = logger
        let namedSeconds = accessTtlSeconds + Self.clockSkewMarginSeconds
        self.namedFor = .seconds(namedSeconds)
        self.windowSeconds = namedSeconds
    }

    /// What the feed says of a token.
    public enum Verdict: Sendable, Equatable {
        /// Fresh, and it names neither the token's user nor its login: the claims decide.
        case vouched
        /// It names the user or the login (changed within `namedFor`): ask PostgreSQL.
        case named
        /// It was fresh once, but no poll has succeeded for `staleAfter` (PostgreSQL is failing or
        /// too slow to answer): ask PostgreSQL, except where an outage rule lets the claims decide.
        case stale
        /// It has never been read (the server is starting, or no poller runs): ask PostgreSQL.
        case unread
    }

    /// What the feed says of a token of `userID` in login `sessionID`; anything but `.vouched`
    /// counts a request that the feed declined.
    public func verdict(userID: String, sessionID: String?) -> Verdict {
        let now = clock.instant()
        return state.withLock { state in
            let named = state.users[userID].map { now < $0 } == true || sessionID.flatMap { state.families[$0] }.map { now < $0 } == true
            let fresh = state.freshSince.map { now < $0 + Self.staleAfter } ?? false
            if fresh && !named { return .vouched }
            state.declined += 1
            return named ? .named : state.everFresh && !state.localChangeUnread ? .stale : .unread
        }
    }

    /// True when a token of `userID` in login `sessionID` may be trusted on its claims alone.
    public func vouches(userID: String, sessionID: String?) -> Bool { verdict(userID: userID, sessionID: sessionID) == .vouched }

    /// Whether the feed would vouch for an unnamed token now.
    public var isFresh: Bool {
        let now = clock.instant()
        return state.withLock { state in state.freshSince.map { now < $0 + Self.staleAfter } ?? false }
    }

    /// How many requests the feed declined so far (each asked PostgreSQL).
    public var declinedCount: Int { state.withLock { $0.declined } }

    /// Reads what changed since the last read (one query) and names it. A failed read leaves the
    /// feed as it was, to go stale when no poll succeeds for `staleAfter`; a read refused for too
    /// many changes (a mass revocation) makes it unread at once, so no route trusts claims then.
    public func poll() async throws {
        let started = clock.instant()
        let (since, generation) = state.withLock { ($0.nextTxid, $0.localChanges) }
        do {
            let read = try await repository.read(sinceTxid: since, windowSeconds: windowSeconds, rowsMax: Self.rowsPerReadMax)
            apply(read, started: started, generation: generation)
        } catch let error as SessionChangeReadError {
            state.withLock { state in
                state.freshSince = nil
                state.everFresh = false
            }
            throw error
        }
    }

    /// Called by the process that has just committed a change to a user or a login, before it
    /// answers: a live feed reads it at once, so this server's next request sees it. Until a read
    /// begun after the change succeeds, the feed is unread: every request, grabs included, asks
    /// PostgreSQL.
    public func changed() async {
        let wasFresh = isFresh
        state.withLock { state in
            state.localChanges += 1
            state.freshSince = nil
            state.localChangeUnread = true
        }
        guard wasFresh else { return }
        do {
            try await poll()
        } catch {
            logger.warning("auth.session_feed_read_failed", metadata: ["error": "\(String(reflecting: error))"])
        }
    }

    /// Deletes rows no server needs: older than twice the first read's window.
    public func purge() async throws {
        try await repository.purge(olderThanSeconds: 2 * windowSeconds)
    }

    private func apply(_ read: SessionChangeRead, started: ContinuousClock.Instant, generation: Int) {
        let now = clock.instant()
        let until = now + namedFor
        state.withLock { state in
            for change in read.changes where state.seen[change.id] == nil {
                state.seen[change.id] = change.txid
                if let family = change.familyID { state.families[family] = until } else { state.users[change.userID] = until }
            }
            let next = max(state.nextTxid ?? 0, read.nextTxid)
            state.nextTxid = next
            state.seen = state.seen.filter { $0.value >= next }
            if !state.users.isEmpty { state.users = state.users.filter { now < $0.value } }
            if !state.families.isEmpty { state.families = state.families.filter { now < $0.value } }
            // Past the bound the feed starts over, unread (every route asks PostgreSQL).
            guard state.users.count + state.families.count <= Self.namedMax else {
                let (declined, localChanges) = (state.declined, state.localChanges)
                state = State()
                (state.declined, state.localChanges) = (declined, localChanges)
                return
            }
            guard generation == state.localChanges else { return }
            state.freshSince = max(state.freshSince ?? started, started)
            state.everFresh = true
            state.localChangeUnread = false
        }
    }
}
