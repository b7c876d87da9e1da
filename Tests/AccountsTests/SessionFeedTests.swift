import API
import Foundation
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import TestSupport
import Testing
import VoucherServices

/// The session check off PostgreSQL (issue 19): each server trusts a token's claims while its
/// session-change feed is fresh and names neither the token's user nor its login. Two servers
/// share one database; each test steps the feeds' polls itself, so nothing waits for time.
@Suite struct SessionFeedTests {
    @Test func anotherServerLearnsOfALogoutAtItsNextPollAndTheChangingServerAtOnce() async throws {
        // Proves a logout on server A ends that login on A at once, and on B at B's next poll
        // and not before (B trusts the claims in between, asking PostgreSQL nothing); B's first
        // read also finds a logout made before it started; the user's other login keeps working.
        try await TwoServers.run { servers in
            let (a, b) = (servers.a, servers.b)
            _ = try await a.world.register("enterprise", "feed_co", phone: "13800000701")
            let early = try await a.world.login("feed_co", "Secret#2026")
            let earlyAccess = try #require(early.string("accessToken"))
            let logout = try await a.world.call(.post, "/v1/auth/logout", json: ["refreshToken": try #require(early.string("refreshToken"))])
            #expect(logout.status == .noContent)
            try await a.feed.poll()
            try await b.feed.poll()
            #expect(try await b.world.call(.get, "/v1/account/me", token: earlyAccess).code == "session_revoked")

            let first = try await a.world.login("feed_co", "Secret#2026")
            let second = try await a.world.login("feed_co", "Secret#2026")
            let access = try #require(first.string("accessToken"))
            let other = try #require(second.string("accessToken"))
            let declined = b.feed.declinedCount
            #expect(try await b.world.call(.get, "/v1/account/me", token: access).status == .ok)
            #expect(b.feed.declinedCount == declined, "a fresh feed that names nothing costs no query")

            let ended = try await a.world.call(.post, "/v1/auth/logout", json: ["refreshToken": try #require(first.string("refreshToken"))])
            #expect(ended.status == .noContent)
            #expect(try await a.world.call(.get, "/v1/account/me", token: access).code == "session_revoked")
            #expect(try await b.world.call(.get, "/v1/account/me", token: access).status == .ok, "B has not read the feed yet")
            try await b.feed.poll()
            let after = try await b.world.call(.get, "/v1/account/me", token: access)
            #expect(after.status == .unauthorized)
            #expect(after.code == "session_revoked")
            let declinedBefore = b.feed.declinedCount
            #expect(try await b.world.call(.get, "/v1/account/me", token: other).status == .ok)
            #expect(b.feed.declinedCount == declinedBefore, "only the ended login is named, not the user")
        }
    }

    @Test func aReplayedRefreshTokenAndAPasswordChangeReachAnotherServerAtItsPoll() async throws {
        // Proves a replayed refresh token on A ends that login's access tokens on B at B's next
        // poll, and a password change on A ends every login of the user there too.
        try await TwoServers.run { servers in
            let (a, b) = (servers.a, servers.b)
            let registered = try await a.world.register("enterprise", "feed_replay", phone: "13800000702")
            let login = try await a.world.login("feed_replay", "Secret#2026")
            let refresh = try #require(login.string("refreshToken"))
            let access = try #require(login.string("accessToken"))
            let elsewhere = try await a.world.token("feed_replay", "Secret#2026")
            try await a.feed.poll()
            try await b.feed.poll()
            #expect(try await a.world.call(.post, "/v1/auth/refresh", json: ["refreshToken": refresh]).status == .ok)
            #expect(try await a.world.call(.post, "/v1/auth/refresh", json: ["refreshToken": refresh]).code == "refresh_token_reused")
            #expect(try await b.world.call(.get, "/v1/account/me", token: access).status == .ok, "B has not read the feed yet")
            try await b.feed.poll()
            #expect(try await b.world.call(.get, "/v1/account/me", token: access).code == "session_revoked")
            #expect(try await b.world.call(.get, "/v1/account/me", token: elsewhere).status == .ok)

            let changed = try await a.world.call(
                .put, "/v1/account/password",
                json: ["currentPassword": "Secret#2026", "newPassword": "Another#2027", "newPasswordConfirmation": "Another#2027"],
                token: registered)
            #expect(changed.status == .noContent)
            #expect(try await a.world.call(.get, "/v1/account/me", token: elsewhere).code == "session_revoked")
            #expect(try await b.world.call(.get, "/v1/account/me", token: elsewhere).status == .ok, "B has not read the feed yet")
            try await b.feed.poll()
            for token in [registered, elsewhere] {
                #expect(try await b.world.call(.get, "/v1/account/me", token: token).code == "session_revoked")
            }
            let fresh = try await a.world.token("feed_replay", "Another#2027")
            #expect(try await b.world.call(.get, "/v1/account/me", token: fresh).status == .ok)
        }
    }

    @Test func removedPermissionsAndADeletedSubAccountReachAnotherServerAtItsPoll() async throws {
        // Proves a sub-account's removed menu is refused on B from B's next poll (403
        // permission_denied with the token it holds), a granted one allowed, and its deletion on
        // A ends its token on B at the poll after (401 session_revoked); on A both act at once.
        try await TwoServers.run { servers in
            let (a, b) = (servers.a, servers.b)
            let operatorToken = try await a.world.makePlatformUser(.operator, "operator_feed", phone: "13700000071")
            let main = try await a.world.certifiedEnterprise(
                "feed_main", phone: "13800000703", uscc: "91350100M000100Y43", operatorToken: operatorToken)
            let created = try await a.world.call(
                .post, "/v1/subaccounts",
                json: [
                    "username": "clerk_feed", "phone": "13800000704", "password": "Clerk#2026", "passwordConfirmation": "Clerk#2026",
                    "permissions": ["inbox", "organisation"],
                ], token: main)
            #expect(created.status == .created)
            let subID = try #require(created.string("id"))
            let sub = try await a.world.token("clerk_feed", "Clerk#2026")
            try await a.feed.poll()
            try await b.feed.poll()
            #expect(try await b.world.call(.get, "/v1/organisations/me", token: sub).status == .ok)

            let narrowed = try await a.world.call(.put, "/v1/subaccounts/\(subID)/permissions", json: ["permissions": ["inbox"]], token: main)
            #expect(narrowed.status == .ok)
            #expect(try await a.world.call(.get, "/v1/organisations/me", token: sub).code == "permission_denied")
            #expect(try await b.world.call(.get, "/v1/organisations/me", token: sub).status == .ok, "B has not read the feed yet")
            try await b.feed.poll()
            let denied = try await b.world.call(.get, "/v1/organisations/me", token: sub)
            #expect(denied.status == .forbidden)
            #expect(denied.code == "permission_denied")
            #expect(try await b.world.call(.get, "/v1/approvals/mine", token: sub).status == .ok)

            #expect(try await a.world.call(.delete, "/v1/subaccounts/\(subID)", token: main).status == .noContent)
            #expect(try await a.world.call(.get, "/v1/approvals/mine", token: sub).code == "session_revoked")
            try await b.feed.poll()
            #expect(try await b.world.call(.get, "/v1/approvals/mine", token: sub).code == "session_revoked")
            #expect(try await b.world.call(.get, "/v1/account/me", token: main).status == .ok)
        }
    }

    @Test func aStaleFeedSendsEveryRequestToPostgreSQLAgain() async throws {
        // Proves the bound on staleness: when no poll of B succeeds for `staleAfter` (here its
        // reads fail), B asks PostgreSQL on every request again, so a logout on A that B could
        // not read is enforced; once a read succeeds, the feed names the login and the claims
        // decide again for the others.
        try await TwoServers.run { servers in
            let (a, b) = (servers.a, servers.b)
            _ = try await a.world.register("enterprise", "feed_stale", phone: "13800000705")
            let first = try await a.world.login("feed_stale", "Secret#2026")
            let access = try #require(first.string("accessToken"))
            let other = try await a.world.token("feed_stale", "Secret#2026")
            try await a.feed.poll()
            try await b.feed.poll()
            #expect(b.feed.isFresh)

            let logout = try await a.world.call(.post, "/v1/auth/logout", json: ["refreshToken": try #require(first.string("refreshToken"))])
            #expect(logout.status == .noContent)
            _ = try await servers.postgres.query("ALTER TABLE session_changes RENAME TO session_changes_away")
            await #expect(throws: (any Error).self) { try await b.feed.poll() }
            #expect(try await b.world.call(.get, "/v1/account/me", token: access).status == .ok, "B's feed is still fresh and has not read it")
            servers.clock.advance(seconds: Int(SessionChangeFeed.staleAfter.components.seconds))
            #expect(!b.feed.isFresh)
            let declined = b.feed.declinedCount
            #expect(try await b.world.call(.get, "/v1/account/me", token: access).code == "session_revoked")
            #expect(try await b.world.call(.get, "/v1/account/me", token: other).status == .ok)
            #expect(b.feed.declinedCount == declined + 2, "both asked PostgreSQL")

            _ = try await servers.postgres.query("ALTER TABLE session_changes_away RENAME TO session_changes")
            try await b.feed.poll()
            #expect(b.feed.isFresh)
            #expect(try await b.world.call(.get, "/v1/account/me", token: access).code == "session_revoked")
            let named = b.feed.declinedCount
            #expect(try await b.world.call(.get, "/v1/account/me", token: other).status == .ok)
            #expect(b.feed.declinedCount == named)
        }
    }
}

/// Two servers (each its own `Services`, router and feed) over one test database, sharing a
/// manual clock (wall and monotonic), the SMS sender and the file folder.
struct TwoServers {
    /// One server: its requests and its feed.
    struct Server {
        let world: AccountsWorld
        let feed: SessionChangeFeed
    }

    let a: Server
    let b: Server
    let clock: TestClock
    let postgres: PostgresClient

    static func run(_ body: @escaping @Sendable (TwoServers) async throws -> Void) async throws {
        try await TestDatabase.with { postgres, config in
            let clock = TestClock()
            let sms = CapturingSMS()
            let folder = TestEnvironment.stateDirectory + "/files-" + UUID().uuidString
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let overrides = Services.Overrides(
                clock: clock, rushClock: clock, files: LocalDiskFileStore(root: folder), sms: sms, bcryptCost: AccountsWorld.testBcryptCost)
            try await TestServices.with(postgres: postgres, config: config, overrides: overrides) { servicesA in
                try await TestServices.with(postgres: postgres, config: config, overrides: overrides) { servicesB in
                    try await serve(servicesA) { clientA in
                        try await serve(servicesB) { clientB in
                            let a = AccountsWorld(client: clientA, postgres: postgres, clock: clock, sms: sms, environment: servicesA.accounts)
                            let b = AccountsWorld(client: clientB, postgres: postgres, clock: clock, sms: sms, environment: servicesB.accounts)
                            try await body(
                                TwoServers(
                                    a: Server(world: a, feed: servicesA.accounts.sessionChanges),
                                    b: Server(world: b, feed: servicesB.accounts.sessionChanges), clock: clock, postgres: postgres))
                        }
                    }
                }
            }
        }
    }

    /// The service's router in process, as `AccountsWorld.run` serves it.
    private static func serve(_ services: Services, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let router = VoucherApp.buildRouter(services: services).buildResponder()
        let app = Application(
            responder: CallbackResponder<AppRequestContext> { request, context in
                var context = context
                context.clientAddress = request.headers[AccountsWorld.peerAddress]
                return try await router.respond(to: request, context: context)
            }, logger: TestEnvironment.logger)
        try await app.test(.router) { client in try await body(client) }
    }
}
