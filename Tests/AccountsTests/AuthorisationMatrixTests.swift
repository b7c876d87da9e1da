import API
import Foundation
import Hummingbird
import Testing
import VoucherServices

@Suite struct AuthorisationMatrixTests {
    /// One probe of the matrix: who calls, what they must get.
    struct Probe {
        let method: HTTPRequest.Method
        let path: String
        let json: [String: Any]?
        let token: String?
        let who: String
        let expected: HTTPResponse.Status
    }

    @Test func everyRouteRefusesStrangersWrongRolesAndOtherOrganisations() async throws {
        // Proves for every accounts, sub-account and approvals route: no token is 401, a wrong
        // role (or a sub-account on a main-account route) is 403, another organisation's user is
        // 404 for the first organisation's resources, and none of these changes any table.
        try await AccountsWorld.run { world in
            let operatorToken = try await world.makePlatformUser(.operator, "operator_mx", phone: "13700000021")
            let expertToken = try await world.makePlatformUser(.expert, "expert_mx", phone: "13700000022")
            let mainA = try await world.certifiedEnterprise(
                "org_a_main", phone: "13800000501", uscc: "91350100M000100Y43", operatorToken: operatorToken)
            let mainB = try await world.certifiedEnterprise(
                "org_b_main", phone: "13800000502", uscc: "91110108MA01ABCD1E", operatorToken: operatorToken)
            let providerToken = try await world.register("provider", "provider_mx", phone: "13800000503")
            let created = try await world.call(
                .post, "/v1/subaccounts",
                json: [
                    "username": "a_clerk", "phone": "13800000504", "password": "Clerk#2026", "passwordConfirmation": "Clerk#2026", "permissions": [],
                ], token: mainA)
            let subA = try #require(created.string("id"))
            let subToken = try await world.token("a_clerk", "Clerk#2026")
            // A pending application of organisation A: a fresh enterprise under review.
            let pendingToken = try await world.register("enterprise", "pending_co", phone: "13800000505")
            try await world.prepareEnterprise(pendingToken, uscc: "91310115MA1K3XY006")
            let applicationID = try #require(try await world.call(.post, "/v1/registrations/me/submit", token: pendingToken).string("applicationId"))

            let password = ["password": "Other#2027", "passwordConfirmation": "Other#2027"]
            var probes: [Probe] = []
            func deny(
                _ method: HTTPRequest.Method, _ path: String, _ json: [String: Any]? = nil,
                wrong: [(String, String)] = [], other: [(String, String)] = []
            ) {
                probes.append(Probe(method: method, path: path, json: json, token: nil, who: "nobody", expected: .unauthorized))
                for (who, token) in wrong {
                    probes.append(Probe(method: method, path: path, json: json, token: token, who: who, expected: .forbidden))
                }
                for (who, token) in other {
                    probes.append(Probe(method: method, path: path, json: json, token: token, who: who, expected: .notFound))
                }
            }
            let op = ("operator", operatorToken)
            let provider = ("provider", providerToken)
            let sub = ("sub-account", subToken)
            let orgB = ("organisation B", mainB)
            deny(.get, "/v1/registrations/me", wrong: [op, sub])
            deny(.put, "/v1/registrations/me/details", ["name": "改名"], wrong: [op, sub])
            deny(.put, "/v1/registrations/me/licence", wrong: [op, sub])
            deny(.post, "/v1/registrations/me/submit", wrong: [op, sub])
            deny(.put, "/v1/organisations/me/survey", ["companyName": "x", "city": "y", "companyType": "private"], wrong: [op, provider, sub])
            deny(.get, "/v1/organisations/me/survey", wrong: [op, provider, sub])
            deny(.get, "/v1/organisations/me", wrong: [op, sub])
            deny(.get, "/v1/account/me")
            deny(
                .put, "/v1/account/password",
                ["currentPassword": "Secret#2026", "newPassword": "Other#2027", "newPasswordConfirmation": "Other#2027"])
            deny(.get, "/v1/subaccounts", wrong: [op, sub, provider])
            deny(.post, "/v1/subaccounts", ["username": "b_clerk", "phone": "13800000506"].merging(password) { $1 }, wrong: [op, sub, provider])
            deny(.get, "/v1/subaccounts/\(subA)", wrong: [op, sub], other: [orgB])
            deny(.patch, "/v1/subaccounts/\(subA)", ["email": "x@example.com"], wrong: [op, sub], other: [orgB])
            deny(.delete, "/v1/subaccounts/\(subA)", wrong: [op, sub], other: [orgB])
            deny(.put, "/v1/subaccounts/\(subA)/password", password, wrong: [op, sub], other: [orgB])
            deny(.put, "/v1/subaccounts/\(subA)/permissions", ["permissions": ["inbox"]], wrong: [op, sub], other: [orgB])
            deny(.get, "/v1/approvals/waiting", wrong: [sub])
            deny(.get, "/v1/approvals/mine", wrong: [sub])
            deny(.get, "/v1/approvals/history", wrong: [sub])
            deny(.get, "/v1/approvals/\(applicationID)", wrong: [sub], other: [orgB, ("expert", expertToken)])
            deny(.post, "/v1/approvals/\(applicationID)/approve", [:], wrong: [("applicant", pendingToken), sub], other: [("expert", expertToken)])
            deny(
                .post, "/v1/approvals/\(applicationID)/reject", ["reason": "no"], wrong: [("applicant", pendingToken), sub],
                other: [("expert", expertToken)])
            deny(.post, "/v1/approvals/\(applicationID)/withdraw", wrong: [sub], other: [orgB])

            let before = try await world.snapshot()
            for probe in probes {
                let answer = try await world.call(probe.method, probe.path, json: probe.json, token: probe.token)
                #expect(answer.status == probe.expected, "\(probe.method) \(probe.path) as \(probe.who): \(answer.status.code) \(answer.json)")
                #expect(answer.headers[.contentType] == "application/problem+json", "\(probe.method) \(probe.path) as \(probe.who)")
            }
            #expect(try await world.snapshot() == before)
            #expect(probes.count >= 60)
            // Organisation A's own main account still reaches what the others could not.
            #expect(try await world.call(.get, "/v1/subaccounts/\(subA)", token: mainA).status == .ok)
            #expect(try await world.call(.get, "/v1/approvals/\(applicationID)", token: operatorToken).status == .ok)
        }
    }
}
