import API
import Foundation
import Hummingbird
import TestSupport
import Testing
import VoucherServices

@Suite struct PasswordAndUsernameTests {
    /// Registers with the given username and password and returns the answer's code (nil on success).
    static func attempt(
        _ world: AccountsWorld, username: String, password: String, confirmation: String? = nil, phone: String
    ) async throws -> String? {
        let answer = try await world.call(
            .post, "/v1/registrations",
            json: [
                "role": "provider", "username": username, "phone": phone, "password": password,
                "passwordConfirmation": confirmation ?? password, "consent": true, "smsCode": try await world.registrationCode(phone),
            ])
        return answer.status == .created ? nil : (answer.code ?? "status \(answer.status.code)")
    }

    @Test func registrationEnforcesEveryPasswordAndUsernameRuleAtItsEdges() async throws {
        // Proves each rule at its boundary through the API: password length 8 and 18 accepted,
        // 7 and 19 refused; two classes refused, three accepted; username and phone inside the
        // password refused; mismatch refused; username 6 and 30 accepted, 5 and 31 and other
        // characters refused; a refused registration creates nothing.
        try await AccountsWorld.run { world in
            var phone = 13_900_000_000
            func next() -> String {
                phone += 1
                return String(phone)
            }
            let before = try await world.snapshot()
            #expect(try await Self.attempt(world, username: "edge_user1", password: "Abc#123", phone: next()) == "password_too_short")
            let acceptedPhone = next()
            #expect(try await Self.attempt(world, username: "edge_user1", password: "Abc#1234567890123x", phone: acceptedPhone) == nil)
            #expect(try await Self.attempt(world, username: "edge_user2", password: "Abc#1234567890123xy", phone: next()) == "password_too_long")
            #expect(try await Self.attempt(world, username: "edge_user2", password: "abcdefgh12", phone: next()) == "password_too_weak")
            #expect(try await Self.attempt(world, username: "edge_user2", password: "ABCDEFGH#!", phone: next()) == "password_too_weak")
            #expect(try await Self.attempt(world, username: "edge_user2", password: "Abcd1234", phone: next()) == nil)
            #expect(try await Self.attempt(world, username: "edge_user3", password: "xEDGE_USER3#1", phone: next()) == "password_contains_username")
            let number = next()
            #expect(try await Self.attempt(world, username: "edge_user3", password: "A#" + number, phone: number) == "password_contains_phone")
            #expect(
                try await Self.attempt(world, username: "edge_user3", password: "Abcd#1234", confirmation: "Abcd#1235", phone: next())
                    == "password_mismatch")
            #expect(try await Self.attempt(world, username: "edge_user3", password: "Abc d#1234", phone: next()) == "password_invalid_character")
            #expect(try await Self.attempt(world, username: "abcde", password: "Secret#2026", phone: next()) == "username_too_short")
            #expect(
                try await Self.attempt(world, username: String(repeating: "u", count: 31), password: "Secret#2026", phone: next())
                    == "username_too_long")
            #expect(try await Self.attempt(world, username: "bad-name", password: "Secret#2026", phone: next()) == "username_invalid_character")
            #expect(try await Self.attempt(world, username: "用户名六个字", password: "Secret#2026", phone: next()) == "username_invalid_character")
            let afterRefusals = try await world.snapshot()
            #expect(afterRefusals != before)  // the two accepted registrations above
            #expect(try await Self.attempt(world, username: "abcdef", password: "Secret#2026", phone: next()) == nil)
            #expect(try await Self.attempt(world, username: String(repeating: "v", count: 30), password: "Secret#2026", phone: next()) == nil)
            #expect(try await Self.attempt(world, username: "ABCDEF", password: "Secret#2026", phone: next()) == "username_taken")
            #expect(try await Self.attempt(world, username: "noconsent", password: "Secret#2026", phone: "139") == "phone_invalid")
            let taken = try await world.call(
                .post, "/v1/registrations",
                json: [
                    "role": "provider", "username": "other_one", "phone": acceptedPhone, "password": "Secret#2026",
                    "passwordConfirmation": "Secret#2026", "consent": true, "smsCode": try await world.registrationCode(acceptedPhone),
                ])
            #expect(taken.code == "phone_taken")
            let consent = try await world.call(
                .post, "/v1/registrations",
                json: [
                    "role": "provider", "username": "other_two", "phone": "13900000099", "password": "Secret#2026",
                    "passwordConfirmation": "Secret#2026", "consent": false,
                ])
            #expect(consent.code == "consent_required")
            let operatorRole = try await world.call(
                .post, "/v1/registrations",
                json: [
                    "role": "operator", "username": "sneaky_op", "phone": "13900000098", "password": "Secret#2026",
                    "passwordConfirmation": "Secret#2026", "consent": true,
                ])
            #expect(operatorRole.code == "role_invalid")
        }
    }

    @Test func passwordChangeNeedsTheCurrentOneAndRefusesTheLastSix() async throws {
        // Proves a change needs the current password, refuses the current one and each of the five
        // before it, accepts the seventh-newest again, and the new password is the one that works.
        try await AccountsWorld.run { world in
            var token = try await world.register("enterprise", "history_co", phone: "13800000201", password: "Pass#0000")
            func change(_ current: String, _ new: String) async throws -> Answer {
                try await world.call(
                    .put, "/v1/account/password",
                    json: [
                        "currentPassword": current, "newPassword": new, "newPasswordConfirmation": new,
                    ], token: token)
            }
            #expect(try await change("Wrong#0000", "Pass#9999").code == "current_password_wrong")
            #expect(try await change("Pass#0000", "Pass#0000").code == "password_reused")
            // A change ends every login of the user (its own included), so each next change logs in anew.
            for index in 1...6 {
                let answer = try await change("Pass#000\(index - 1)", "Pass#000\(index)")
                #expect(answer.status == .noContent)
                token = try await world.token("history_co", "Pass#000\(index)")
            }
            // Current is Pass#0006; Pass#0001…Pass#0005 are the five before it.
            for index in 1...6 {
                #expect(try await change("Pass#0006", "Pass#000\(index)").code == "password_reused")
            }
            #expect(try await change("Pass#0006", "Pass#0000").status == .noContent)
            #expect(try await world.login("history_co", "Pass#0006").status == .unauthorized)
            token = try await world.token("history_co", "Pass#0000")
            #expect(try await change("Pass#0000", "history_co#A1").code == "password_contains_username")
            #expect(try await change("Pass#0000", "x13800000201A").code == "password_contains_phone")
        }
    }
}
