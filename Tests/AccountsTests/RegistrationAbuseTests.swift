import API
import Foundation
import HTTPTypes
import Hummingbird
import TestSupport
import Testing
import VoucherServices

/// Registration proves the phone by SMS and is limited per phone and per client address.
@Suite struct RegistrationAbuseTests {
    static func body(_ username: String, phone: String, code: String?) -> [String: Any] {
        var body: [String: Any] = [
            "role": "enterprise", "username": username, "phone": phone, "password": "Secret#2026",
            "passwordConfirmation": "Secret#2026", "consent": true,
        ]
        if let code { body["smsCode"] = code }
        return body
    }

    @Test func registrationNeedsTheCodeSentToThePhone() async throws {
        // Proves nobody registers a phone they cannot read: without a code 400 sms_code_missing,
        // with a wrong code 401 sms_code_invalid (attempts counted), with another phone's code
        // 401, none of which creates anything; the phone's own code registers once and cannot
        // be used again.
        try await AccountsWorld.run { world in
            let before = try await world.snapshot()
            let missing = try await world.call(.post, "/v1/registrations", json: Self.body("phone_thief", phone: "13800000701", code: nil))
            #expect(missing.status == .badRequest)
            #expect(missing.code == "sms_code_missing")
            let otherCode = try await world.registrationCode("13800000702")
            let code = try await world.registrationCode("13800000701")
            let wrongDigit = code.last == "0" ? "1" : "0"
            let wrong = try await world.call(
                .post, "/v1/registrations", json: Self.body("phone_thief", phone: "13800000701", code: String(code.dropLast()) + wrongDigit))
            #expect(wrong.status == .unauthorized)
            #expect(wrong.code == "sms_code_invalid")
            #expect(wrong.json["attemptsLeft"] as? Int == AccountsLimits.smsAttemptsMax - 1)
            if otherCode != code {
                let borrowed = try await world.call(.post, "/v1/registrations", json: Self.body("phone_thief", phone: "13800000701", code: otherCode))
                #expect(borrowed.code == "sms_code_invalid")
            }
            #expect(
                try await world.call(.post, "/v1/registrations", json: Self.body("bad", phone: "13800000701", code: "12")).code
                    == "username_too_short")
            #expect(try await world.snapshot() == before, "refused registrations created nothing")

            let registered = try await world.call(.post, "/v1/registrations", json: Self.body("phone_owner", phone: "13800000701", code: code))
            #expect(registered.status == .created, "\(registered.json)")
            let again = try await world.call(.post, "/v1/registrations", json: Self.body("phone_owner2", phone: "13800000701", code: code))
            #expect(again.code == "sms_code_invalid")
        }
    }

    @Test func codesAndRegistrationsAreLimitedPerPhoneAndPerAddress() async throws {
        // Proves the limits: a second code to one phone within a minute is 429 sms_rate_limited;
        // one client address gets ten code sends or registrations per hour, the eleventh is 429
        // registration_rate_limited with Retry-After and creates nothing, another address is not
        // affected, and the window frees the address again.
        try await AccountsWorld.run { world in
            let address: HTTPFields = [AccountsWorld.peerAddress: "203.0.113.7"]
            #expect(try await world.call(.post, "/v1/registrations/sms", json: ["phone": "13800000801"], headers: address).status == .accepted)
            let tooSoon = try await world.call(.post, "/v1/registrations/sms", json: ["phone": "13800000801"], headers: address)
            #expect(tooSoon.status == .tooManyRequests)
            #expect(tooSoon.code == "sms_rate_limited")

            let code = try #require(world.sms.lastCode(for: "13800000801"))
            let first = try await world.call(
                .post, "/v1/registrations", json: Self.body("nat_user_1", phone: "13800000801", code: code), headers: address)
            #expect(first.status == .created, "\(first.json)")
            for index in 2...9 {  // events 3…10 of the window: eight more sends
                let sent = try await world.call(.post, "/v1/registrations/sms", json: ["phone": "138000008\(10 + index)"], headers: address)
                #expect(sent.status == .accepted, "send \(index): \(sent.json)")
            }
            let sendsBefore = world.sms.count
            let before = try await world.snapshot()
            let limited = try await world.call(.post, "/v1/registrations/sms", json: ["phone": "13800000899"], headers: address)
            #expect(limited.status == .tooManyRequests)
            #expect(limited.code == "registration_rate_limited")
            #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 > 0)
            let blocked = try await world.call(
                .post, "/v1/registrations", json: Self.body("nat_user_2", phone: "13800000812", code: world.sms.lastCode(for: "13800000812")),
                headers: address)
            #expect(blocked.code == "registration_rate_limited")
            #expect(world.sms.count == sendsBefore)
            #expect(try await world.snapshot() == before)

            let elsewhere: HTTPFields = [AccountsWorld.peerAddress: "198.51.100.4"]
            #expect(try await world.call(.post, "/v1/registrations/sms", json: ["phone": "13800000898"], headers: elsewhere).status == .accepted)
            world.clock.advance(seconds: AccountsLimits.registrationWindowSeconds + 1)
            #expect(try await world.call(.post, "/v1/registrations/sms", json: ["phone": "13800000812"], headers: address).status == .accepted)
            let later = try await world.call(
                .post, "/v1/registrations", json: Self.body("nat_user_2", phone: "13800000812", code: world.sms.lastCode(for: "13800000812")),
                headers: address)
            #expect(later.status == .created, "\(later.json)")
        }
    }

    @Test func aReplacedLicenceLeavesTheDisk() async throws {
        // Proves a re-uploaded licence deletes the one it replaced from disk, and keeps bytes that
        // another organisation's licence still uses.
        try await AccountsWorld.run { world in
            let first = try await world.register("enterprise", "licence_co", phone: "13800000901")
            let second = try await world.register("provider", "licence_p2", phone: "13800000902")
            func upload(_ token: String, _ tail: String) async throws -> String {
                let answer = try await world.call(.put, "/v1/registrations/me/licence", token: token, body: AccountsWorld.png + Array(tail.utf8))
                #expect(answer.status == .ok, "\(answer.json)")
                return answer.string("sha256") ?? ""
            }
            let old = try await upload(first, "one")
            #expect(try await world.environment.files.read(sha256: old) != nil)
            let new = try await upload(first, "two")
            #expect(try await world.environment.files.read(sha256: old) == nil, "the replaced licence is gone from disk")
            #expect(try await world.environment.files.read(sha256: new) != nil)

            #expect(try await upload(second, "two") == new)
            _ = try await upload(first, "three")
            #expect(try await world.environment.files.read(sha256: new) != nil, "the other organisation's licence stays")
        }
    }
}
