import API
import Foundation
import Hummingbird
import Testing
import VoucherServices

@Suite struct SubAccountTests {
    @Test func subAccountsAreManagedByTheMainAccountAndPermissionsAreEnforced() async throws {
        // Proves the sub-account lifecycle: only after certification; phone unique in the
        // organisation; username fixed; per-menu permissions enforced per route and picked up at
        // the next login; password reset under the policy; deletion ends the account.
        try await AccountsWorld.run { world in
            let operatorToken = try await world.makePlatformUser(.operator, "operator_sub", phone: "13700000011")
            let uncertified = try await world.register("enterprise", "not_yet_co", phone: "13800000401")
            let early = try await world.call(.post, "/v1/subaccounts", json: ["username": "early_sub"], token: uncertified)
            #expect(early.code == "certification_required")

            let main = try await world.certifiedEnterprise("main_co", phone: "13800000402", uscc: "91350100M000100Y43", operatorToken: operatorToken)
            let created = try await world.call(
                .post, "/v1/subaccounts",
                json: [
                    "username": "clerk_01", "phone": "13800000403", "email": "clerk@example.com",
                    "password": "Clerk#2026", "passwordConfirmation": "Clerk#2026", "permissions": ["inbox"],
                ], token: main)
            #expect(created.status == .created)
            let subID = try #require(created.string("id"))
            let duplicatePhone = try await world.call(
                .post, "/v1/subaccounts",
                json: [
                    "username": "clerk_02", "phone": "13800000403", "password": "Clerk#2026", "passwordConfirmation": "Clerk#2026",
                ], token: main)
            #expect(duplicatePhone.code == "phone_taken")
            let weak = try await world.call(
                .post, "/v1/subaccounts",
                json: [
                    "username": "clerk_03", "phone": "13800000404", "password": "clerk_03#A1", "passwordConfirmation": "clerk_03#A1",
                ], token: main)
            #expect(weak.code == "password_contains_username")

            var sub = try await world.token("clerk_01", "Clerk#2026")
            #expect(try await world.call(.get, "/v1/approvals/mine", token: sub).status == .ok)
            let denied = try await world.call(.get, "/v1/organisations/me", token: sub)
            #expect(denied.status == .forbidden)
            #expect(denied.code == "permission_denied")
            #expect(try await world.call(.get, "/v1/subaccounts", token: sub).code == "main_account_only")
            #expect(try await world.call(.put, "/v1/registrations/me/details", json: ["name": "x"], token: sub).code == "main_account_only")

            let granted = try await world.call(
                .put, "/v1/subaccounts/\(subID)/permissions", json: ["permissions": ["inbox", "organisation"]], token: main)
            #expect(granted.json["permissions"] as? [String] == ["inbox", "organisation"])
            #expect(
                try await world.call(.put, "/v1/subaccounts/\(subID)/permissions", json: ["permissions": ["root"]], token: main).code
                    == "permission_invalid")
            sub = try await world.token("clerk_01", "Clerk#2026")
            #expect(try await world.call(.get, "/v1/organisations/me", token: sub).status == .ok)

            let rename = try await world.call(.patch, "/v1/subaccounts/\(subID)", json: ["username": "clerk_99"], token: main)
            #expect(rename.code == "username_immutable")
            let edited = try await world.call(
                .patch, "/v1/subaccounts/\(subID)", json: ["phone": "13800000405", "email": "new@example.com"], token: main)
            #expect(edited.string("phone") == "13800000405")
            #expect(edited.string("email") == "new@example.com")
            #expect(edited.string("username") == "clerk_01")

            let sameAgain = try await world.call(
                .put, "/v1/subaccounts/\(subID)/password", json: ["password": "Clerk#2026", "passwordConfirmation": "Clerk#2026"], token: main)
            #expect(sameAgain.code == "password_reused")
            let reset = try await world.call(
                .put, "/v1/subaccounts/\(subID)/password", json: ["password": "Reset#2027", "passwordConfirmation": "Reset#2027"], token: main)
            #expect(reset.status == .noContent)
            #expect(try await world.login("clerk_01", "Clerk#2026").status == .unauthorized)
            #expect(try await world.login("clerk_01", "Reset#2027").status == .ok)

            let list = try await world.call(.get, "/v1/subaccounts?page=1&pageSize=100", token: main)
            #expect(list.json["total"] as? Int == 1)
            #expect(try await world.call(.get, "/v1/subaccounts?pageSize=101", token: main).code == "page_invalid")
            #expect(try await world.call(.delete, "/v1/subaccounts/\(subID)", token: main).status == .noContent)
            #expect(try await world.login("clerk_01", "Reset#2027").status == .unauthorized)
            #expect(try await world.call(.get, "/v1/subaccounts/\(subID)", token: main).status == .notFound)
            // The username stays taken; the phone is free again.
            let reuse = try await world.call(
                .post, "/v1/subaccounts",
                json: [
                    "username": "clerk_01", "phone": "13800000405", "password": "Clerk#2028", "passwordConfirmation": "Clerk#2028",
                ], token: main)
            #expect(reuse.code == "username_taken")
            let freed = try await world.call(
                .post, "/v1/subaccounts",
                json: [
                    "username": "clerk_05", "phone": "13800000405", "password": "Clerk#2028", "passwordConfirmation": "Clerk#2028",
                ], token: main)
            #expect(freed.status == .created)
        }
    }
}
