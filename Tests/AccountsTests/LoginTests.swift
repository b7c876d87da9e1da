import API
import Foundation
import Hummingbird
import TestSupport
import Testing
import VoucherServices

@Suite struct LoginTests {
    /// Asks for an SMS code and returns the answer.
    static func send(_ world: AccountsWorld, _ phone: String) async throws -> Answer {
        try await world.call(.post, "/v1/auth/sms/send", json: ["phone": phone])
    }

    static func smsLogin(_ world: AccountsWorld, _ phone: String, _ code: String) async throws -> Answer {
        try await world.call(.post, "/v1/auth/sms/login", json: ["phone": phone, "code": code])
    }

    /// A 6-digit code different from `code`.
    static func wrong(_ code: String) -> String {
        String((Int(code).map { ($0 + 1) % 1_000_000 } ?? 0) + 1_000_000).suffix(6).description
    }

    @Test func smsCodeWorksOnceWithinFiveMinutesAndNotAfter() async throws {
        // Proves an SMS code logs in once within its 5-minute life, is stored hashed, and is dead
        // one second after expiry; unknown phones get the same answer but no SMS.
        try await AccountsWorld.run { world in
            _ = try await world.register("enterprise", "sms_user", phone: "13800000301")
            world.clock.advance(seconds: AccountsLimits.smsSendWindowSeconds + 1)  // past the registration code's send window
            let sent = try await Self.send(world, "+8613800000301")
            #expect(sent.status == .accepted)
            let code = try #require(world.sms.lastCode(for: "13800000301"))
            #expect(code.count == 6 && code.allSatisfy(\.isNumber))
            let stored = try await world.postgres.query("SELECT code_hash FROM sms_codes")
            for try await hash in stored.decode(String.self) { #expect(hash != code && hash.count == 64) }
            world.clock.advance(seconds: AccountsLimits.smsCodeLifetimeSeconds - 1)
            let login = try await Self.smsLogin(world, "13800000301", code)
            #expect(login.status == .ok)
            #expect(login.string("role") == "enterprise")
            #expect(try await Self.smsLogin(world, "13800000301", code).code == "sms_code_invalid")

            world.clock.advance(seconds: AccountsLimits.smsSendIntervalSeconds)
            #expect(try await Self.send(world, "13800000301").status == .accepted)
            let second = try #require(world.sms.lastCode(for: "13800000301"))
            world.clock.advance(seconds: AccountsLimits.smsCodeLifetimeSeconds + 1)
            #expect(try await Self.smsLogin(world, "13800000301", second).code == "sms_code_invalid")

            let before = world.sms.count
            #expect(try await Self.send(world, "13800009999").status == .accepted)
            #expect(world.sms.count == before)
            #expect(try await Self.send(world, "23800000301").code == "phone_invalid")
        }
    }

    @Test func smsCodeDiesAfterFiveWrongGuessesAndSendsAreLimited() async throws {
        // Proves five wrong guesses kill a code (even the right one fails after), the attempts left
        // are reported, a second send within 60 s is refused, and at most five sends per hour.
        try await AccountsWorld.run { world in
            _ = try await world.register("provider", "sms_guess", phone: "13800000302")
            world.clock.advance(seconds: AccountsLimits.smsSendWindowSeconds + 1)  // past the registration code's send window
            #expect(try await Self.send(world, "13800000302").status == .accepted)
            let code = try #require(world.sms.lastCode(for: "13800000302"))
            for left in stride(from: AccountsLimits.smsAttemptsMax - 1, through: 0, by: -1) {
                let answer = try await Self.smsLogin(world, "13800000302", Self.wrong(code))
                #expect(answer.status == .unauthorized)
                #expect(answer.json["attemptsLeft"] as? Int == left)
            }
            #expect(try await Self.smsLogin(world, "13800000302", code).code == "sms_code_invalid")

            let tooSoon = try await Self.send(world, "13800000302")
            #expect(tooSoon.status == .tooManyRequests)
            #expect(tooSoon.code == "sms_rate_limited")
            for _ in 2...AccountsLimits.smsSendsPerWindowMax {
                world.clock.advance(seconds: AccountsLimits.smsSendIntervalSeconds)
                #expect(try await Self.send(world, "13800000302").status == .accepted)
            }
            world.clock.advance(seconds: AccountsLimits.smsSendIntervalSeconds)
            #expect(try await Self.send(world, "13800000302").code == "sms_rate_limited")
            world.clock.advance(seconds: AccountsLimits.smsSendWindowSeconds)
            #expect(try await Self.send(world, "13800000302").status == .accepted)
        }
    }

    @Test func refreshTokensRotateAndReuseRevokesTheFamily() async throws {
        // Proves a refresh token gives a new pair once; presenting it again revokes the whole
        // login (the newer token stops working too); logout revokes; expired tokens are refused.
        try await AccountsWorld.run { world in
            _ = try await world.register("enterprise", "refresh_co", phone: "13800000303")
            let login = try await world.login("refresh_co", "Secret#2026")
            let first = try #require(login.string("refreshToken"))
            let rotated = try await world.call(.post, "/v1/auth/refresh", json: ["refreshToken": first])
            #expect(rotated.status == .ok)
            let second = try #require(rotated.string("refreshToken"))
            #expect(second != first)
            #expect(rotated.string("accessToken") != nil)
            let stored = try await world.postgres.query("SELECT count(*) FROM refresh_tokens WHERE token_hash = \(first) OR token_hash = \(second)")
            for try await count in stored.decode(Int.self) { #expect(count == 0) }

            let replay = try await world.call(.post, "/v1/auth/refresh", json: ["refreshToken": first])
            #expect(replay.code == "refresh_token_reused")
            #expect(try await world.call(.post, "/v1/auth/refresh", json: ["refreshToken": second]).code == "refresh_token_invalid")

            let other = try #require(try await world.login("refresh_co", "Secret#2026").string("refreshToken"))
            #expect(try await world.call(.post, "/v1/auth/logout", json: ["refreshToken": other]).status == .noContent)
            #expect(try await world.call(.post, "/v1/auth/refresh", json: ["refreshToken": other]).code == "refresh_token_invalid")

            let late = try #require(try await world.login("refresh_co", "Secret#2026").string("refreshToken"))
            world.clock.advance(seconds: world.environment.refreshTtlSeconds + 1)
            #expect(try await world.call(.post, "/v1/auth/refresh", json: ["refreshToken": late]).code == "refresh_token_invalid")
            #expect(try await world.call(.post, "/v1/auth/refresh", json: ["refreshToken": "nonsense"]).status == .unauthorized)
        }
    }

    @Test func passwordChangeRevokesRefreshTokens() async throws {
        // Proves that changing the password ends other sessions: their refresh tokens stop working.
        try await AccountsWorld.run { world in
            let token = try await world.register("enterprise", "revoke_co", phone: "13800000304")
            let refresh = try #require(try await world.login("revoke_co", "Secret#2026").string("refreshToken"))
            let changed = try await world.call(
                .put, "/v1/account/password",
                json: [
                    "currentPassword": "Secret#2026", "newPassword": "Another#2027", "newPasswordConfirmation": "Another#2027",
                ], token: token)
            #expect(changed.status == .noContent)
            #expect(try await world.call(.post, "/v1/auth/refresh", json: ["refreshToken": refresh]).code == "refresh_token_invalid")
        }
    }

    @Test func bruteForceIsThrottledPerAccountAndPerAddress() async throws {
        // Proves five wrong passwords lock the account for the window (even the right password
        // gets 429 with Retry-After), the lock lifts when the window passes, and twenty failures
        // from one address lock that address for every account but not other addresses.
        try await AccountsWorld.run { world in
            _ = try await world.register("enterprise", "target_co", phone: "13800000305")
            for _ in 0..<AccountsLimits.loginFailuresPerAccountMax {
                #expect(try await world.login("target_co", "Guess#0000").code == "credentials_invalid")
            }
            let locked = try await world.login("target_co", "Secret#2026")
            #expect(locked.status == .tooManyRequests)
            #expect(locked.code == "failed_logins_too_many")
            #expect(locked.headers[.retryAfter] != nil)
            world.clock.advance(seconds: AccountsLimits.loginFailureWindowSeconds + 1)
            #expect(try await world.login("target_co", "Secret#2026").status == .ok)

            for index in 0..<AccountsLimits.loginFailuresPerAddressMax {
                let answer = try await world.login("nobody_\(index)", "Guess#0000", address: "203.0.113.7")
                #expect(answer.code == "credentials_invalid")
            }
            #expect(try await world.login("target_co", "Secret#2026", address: "203.0.113.7").status == .tooManyRequests)
            #expect(try await world.login("target_co", "Secret#2026", address: "198.51.100.1").status == .ok)
        }
    }
}
