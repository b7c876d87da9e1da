import API
import Foundation
import Hummingbird
import Testing
import VoucherServices

/// Revocation takes effect on the very next request, not when the access token expires.
@Suite struct RevocationTests {
    @Test func logoutEndsTheLoginsAccessTokenAtOnce() async throws {
        // Proves logout revokes the access token of that login on the next request (401
        // session_revoked), while another login of the same user keeps working.
        try await AccountsWorld.run { world in
            _ = try await world.register("enterprise", "logout_co", phone: "13800000601")
            let first = try await world.login("logout_co", "Secret#2026")
            let second = try await world.login("logout_co", "Secret#2026")
            let access = try #require(first.string("accessToken"))
            let other = try #require(second.string("accessToken"))
            #expect(try await world.call(.get, "/v1/account/me", token: access).status == .ok)
            let logout = try await world.call(.post, "/v1/auth/logout", json: ["refreshToken": try #require(first.string("refreshToken"))])
            #expect(logout.status == .noContent)
            let after = try await world.call(.get, "/v1/account/me", token: access)
            #expect(after.status == .unauthorized)
            #expect(after.code == "session_revoked")
            #expect(try await world.call(.get, "/v1/account/me", token: other).status == .ok)
        }
    }

    @Test func aReplayedRefreshTokenEndsEveryAccessTokenOfTheLogin() async throws {
        // Proves a replayed refresh token revokes the whole login: the access tokens issued at
        // login and at the refresh both answer 401 session_revoked on the next request.
        try await AccountsWorld.run { world in
            _ = try await world.register("enterprise", "replay_co", phone: "13800000602")
            let login = try await world.login("replay_co", "Secret#2026")
            let refresh = try #require(login.string("refreshToken"))
            let rotated = try await world.call(.post, "/v1/auth/refresh", json: ["refreshToken": refresh])
            #expect(rotated.status == .ok)
            let tokens = [try #require(login.string("accessToken")), try #require(rotated.string("accessToken"))]
            for token in tokens { #expect(try await world.call(.get, "/v1/account/me", token: token).status == .ok) }
            #expect(try await world.call(.post, "/v1/auth/refresh", json: ["refreshToken": refresh]).code == "refresh_token_reused")
            for token in tokens { #expect(try await world.call(.get, "/v1/account/me", token: token).code == "session_revoked") }
        }
    }

    @Test func aPasswordChangeEndsEveryLoginOfTheUser() async throws {
        // Proves a password change revokes every access token of the user on the next request,
        // the changing login's included; a login with the new password works.
        try await AccountsWorld.run { world in
            let registered = try await world.register("enterprise", "pwchange_co", phone: "13800000603")
            let elsewhere = try await world.token("pwchange_co", "Secret#2026")
            #expect(try await world.call(.get, "/v1/account/me", token: elsewhere).status == .ok)
            let changed = try await world.call(
                .put, "/v1/account/password",
                json: [
                    "currentPassword": "Secret#2026", "newPassword": "Another#2027", "newPasswordConfirmation": "Another#2027",
                ], token: registered)
            #expect(changed.status == .noContent)
            for token in [registered, elsewhere] {
                let answer = try await world.call(.get, "/v1/account/me", token: token)
                #expect(answer.status == .unauthorized)
                #expect(answer.code == "session_revoked")
            }
            let fresh = try await world.token("pwchange_co", "Another#2027")
            #expect(try await world.call(.get, "/v1/account/me", token: fresh).status == .ok)
        }
    }

    @Test func aDeletedOrDemotedSubAccountLosesAccessOnTheNextRequest() async throws {
        // Proves a sub-account's removed menu is refused on its very next request with the token
        // it already holds (403 permission_denied), a granted one is allowed at once, and after
        // deletion the same token answers 401 session_revoked everywhere.
        try await AccountsWorld.run { world in
            let operatorToken = try await world.makePlatformUser(.operator, "operator_rev", phone: "13700000061")
            let main = try await world.certifiedEnterprise(
                "revoke_main", phone: "13800000604", uscc: "91350100M000100Y43", operatorToken: operatorToken)
            let created = try await world.call(
                .post, "/v1/subaccounts",
                json: [
                    "username": "clerk_rev", "phone": "13800000605", "password": "Clerk#2026", "passwordConfirmation": "Clerk#2026",
                    "permissions": ["inbox", "organisation"],
                ], token: main)
            #expect(created.status == .created)
            let subID = try #require(created.string("id"))
            let sub = try await world.token("clerk_rev", "Clerk#2026")
            #expect(try await world.call(.get, "/v1/organisations/me", token: sub).status == .ok)

            let narrowed = try await world.call(.put, "/v1/subaccounts/\(subID)/permissions", json: ["permissions": ["inbox"]], token: main)
            #expect(narrowed.status == .ok)
            let denied = try await world.call(.get, "/v1/organisations/me", token: sub)
            #expect(denied.status == .forbidden)
            #expect(denied.code == "permission_denied")
            #expect(try await world.call(.get, "/v1/approvals/mine", token: sub).status == .ok)
            let widened = try await world.call(
                .put, "/v1/subaccounts/\(subID)/permissions", json: ["permissions": ["inbox", "organisation"]], token: main)
            #expect(widened.status == .ok)
            #expect(try await world.call(.get, "/v1/organisations/me", token: sub).status == .ok)

            #expect(try await world.call(.delete, "/v1/subaccounts/\(subID)", token: main).status == .noContent)
            for path in ["/v1/approvals/mine", "/v1/account/me", "/v1/organisations/me"] {
                let answer = try await world.call(.get, path, token: sub)
                #expect(answer.status == .unauthorized, "\(path)")
                #expect(answer.code == "session_revoked", "\(path)")
            }
            #expect(try await world.call(.get, "/v1/account/me", token: main).status == .ok)
        }
    }
}
