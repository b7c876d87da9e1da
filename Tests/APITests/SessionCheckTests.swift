import Foundation
import PostgresStore
import TestSupport
import Testing
import VoucherServices

@testable import API

@Suite struct SessionCheckTests {
    @Test func aStaleFeedKeepsTheGrabRoutesOutageRuleAndSendsOtherRoutesToPostgreSQL() async throws {
        // Proves the session check's three cases on a token whose user PostgreSQL does not know
        // (a query would answer 401 session_revoked): with the feed unread, both routes ask
        // PostgreSQL as before; fresh, the claims decide on both; gone stale (no poll succeeded
        // for staleAfter), the grab route keeps the outage rule (claims decide, no query) while
        // other routes ask PostgreSQL again; a login this process found ended stays refused. After
        // a change of this process whose read failed, the grab route asks PostgreSQL too.
        try await TestDatabase.with { postgres, _ in
            let clock = TestClock()
            let logger = TestEnvironment.logger
            let feed = SessionChangeFeed(
                repository: SessionChangesRepository(client: postgres, logger: logger), accessTtlSeconds: 900, clock: clock, logger: logger)
            let sessions = LiveSessions(
                credentials: CredentialsRepository(client: postgres, logger: logger), feed: feed, logger: logger, clock: clock)
            let identity = Identity(userID: "usr_unknown", orgID: "org_unknown", role: .enterprise, certified: true, permissions: ["*"])
            let unseen = Identity(userID: "usr_unseen", orgID: "org_unknown", role: .enterprise, certified: true, permissions: ["*"])
            func code(grab: Bool, _ identity: Identity = identity) async -> String? {
                do {
                    _ = try await sessions.current(identity, outageTolerant: grab)
                    return nil
                } catch {
                    return (error as? Problem)?.code ?? "\(error)"
                }
            }

            #expect(feed.verdict(userID: identity.userID, sessionID: nil) == .unread)
            #expect(await code(grab: true) == "session_revoked")
            #expect(await code(grab: false) == "session_revoked")

            try await feed.poll()
            #expect(feed.verdict(userID: identity.userID, sessionID: nil) == .vouched)
            #expect(await code(grab: true) == nil)
            #expect(await code(grab: false) == nil)

            clock.advance(seconds: Int(SessionChangeFeed.staleAfter.components.seconds))
            #expect(feed.verdict(userID: identity.userID, sessionID: nil) == .stale)
            let declined = feed.declinedCount
            #expect(await code(grab: true, unseen) == nil)
            #expect(await code(grab: true) == "session_revoked", "a login this process saw ended stays refused")
            #expect(await code(grab: false, unseen) == "session_revoked")
            #expect(feed.declinedCount == declined + 3)

            try await feed.poll()
            #expect(await code(grab: true, unseen) == nil)
            _ = try await postgres.query("ALTER TABLE session_changes RENAME TO session_changes_away")
            await feed.changed()
            #expect(feed.verdict(userID: unseen.userID, sessionID: nil) == .unread, "a change of ours no read has seen")
            #expect(await code(grab: true, unseen) == "session_revoked")
            _ = try await postgres.query("ALTER TABLE session_changes_away RENAME TO session_changes")
            try await feed.poll()
            #expect(await code(grab: true, unseen) == nil)
        }
    }
}
