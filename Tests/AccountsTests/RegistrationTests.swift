import API
import Foundation
import Hummingbird
import Testing
import VoucherCore
import VoucherServices

@Suite struct RegistrationTests {
    @Test func enterpriseRegistersAndIsCertifiedThroughTheInbox() async throws {
        // Proves the enterprise path end to end: account, resumable details, licence, survey
        // required before submit, under review, operator approval from the inbox, certified token.
        try await AccountsWorld.run { world in
            let operatorToken = try await world.makePlatformUser(.operator, "operator_one", phone: "13700000001")
            let token = try await world.register("enterprise", "acme_corp", phone: "13800000101")
            var draft = try await world.call(.get, "/v1/registrations/me", token: token)
            #expect(draft.string("certification") == "draft")
            #expect((draft.json["missing"] as? [String])?.contains("unifiedSocialCreditCode") == true)

            // A partial save is kept and can be resumed after a fresh login.
            let partial = try await world.call(.put, "/v1/registrations/me/details", json: ["name": "先存一半有限公司"], token: token)
            #expect(partial.status == .ok)
            let again = try await world.token("acme_corp", "Secret#2026")
            draft = try await world.call(.get, "/v1/registrations/me", token: again)
            #expect((draft.json["details"] as? [String: Any])?["name"] as? String == "先存一半有限公司")

            var details = AccountsWorld.enterpriseDetails
            details["name"] = "福州测试制造有限公司"
            details["unifiedSocialCreditCode"] = "91350100M000100Y43"
            #expect(try await world.call(.put, "/v1/registrations/me/details", json: details, token: token).status == .ok)
            #expect(try await world.call(.put, "/v1/registrations/me/licence", token: token, body: AccountsWorld.png).status == .ok)
            let early = try await world.call(.post, "/v1/registrations/me/submit", token: token)
            #expect(early.status == .conflict)
            #expect(early.code == "survey_required")
            let survey = try await world.call(
                .put, "/v1/organisations/me/survey",
                json: [
                    "companyName": "福州测试制造有限公司", "city": "福州市", "companyType": "state_owned",
                ], token: token)
            #expect(survey.status == .ok)

            let submitted = try await world.call(.post, "/v1/registrations/me/submit", token: token)
            #expect(submitted.status == .accepted)
            let applicationID = try #require(submitted.string("applicationId"))
            let organisation = try await world.call(.get, "/v1/organisations/me", token: token)
            #expect(organisation.string("certification") == "under_review")
            #expect(organisation.string("name") == "福州测试制造有限公司")
            // Details are frozen while under review.
            let frozen = try await world.call(.put, "/v1/registrations/me/details", json: details, token: token)
            #expect(frozen.status == .conflict)

            let waiting = try await world.call(.get, "/v1/approvals/waiting?title=%E4%BC%81%E4%B8%9A%E8%AE%A4%E8%AF%81", token: operatorToken)
            #expect(waiting.json["total"] as? Int == 1)
            #expect(waiting.json["pageSize"] as? Int == 10)
            let mine = try await world.call(.get, "/v1/approvals/mine", token: token)
            #expect(((mine.json["items"] as? [[String: Any]])?.first?["id"] as? String) == applicationID)

            let approved = try await world.call(.post, "/v1/approvals/\(applicationID)/approve", json: [:], token: operatorToken)
            #expect(approved.status == .ok)
            #expect(approved.string("status") == "approved")
            let login = try await world.login("acme_corp", "Secret#2026")
            #expect(login.json["certified"] as? Bool == true)
            let history = try await world.call(.get, "/v1/approvals/history", token: operatorToken)
            #expect(history.json["total"] as? Int == 1)
            let detail = try await world.call(.get, "/v1/approvals/\(applicationID)", token: token)
            #expect((detail.json["decisions"] as? [[String: Any]])?.first?["decision"] as? String == "approved")
        }
    }

    @Test func providerIsRejectedWithAReasonThenResubmitsAndIsCertified() async throws {
        // Proves the provider path: the §1.3.1 fields, a rejection whose reason reaches the
        // applicant, correction and resubmission, then approval; and that withdrawal returns to draft.
        try await AccountsWorld.run { world in
            let operatorToken = try await world.makePlatformUser(.operator, "operator_two", phone: "13700000002")
            let token = try await world.register("provider", "cloud_maker", phone: "13800000102")
            #expect(try await world.call(.put, "/v1/registrations/me/details", json: AccountsWorld.providerDetails, token: token).status == .ok)
            #expect(try await world.call(.put, "/v1/registrations/me/licence", token: token, body: AccountsWorld.png).status == .ok)

            // Withdraw (撤销) goes back to draft.
            let first = try await world.call(.post, "/v1/registrations/me/submit", token: token)
            let firstID = try #require(first.string("applicationId"))
            let withdrawn = try await world.call(.post, "/v1/approvals/\(firstID)/withdraw", token: token)
            #expect(withdrawn.string("status") == "withdrawn")
            #expect(try await world.call(.get, "/v1/organisations/me", token: token).string("certification") == "draft")

            let second = try await world.call(.post, "/v1/registrations/me/submit", token: token)
            let secondID = try #require(second.string("applicationId"))
            let noReason = try await world.call(.post, "/v1/approvals/\(secondID)/reject", json: [:], token: operatorToken)
            #expect(noReason.code == "reason_missing")
            let rejected = try await world.call(.post, "/v1/approvals/\(secondID)/reject", json: ["reason": "营业执照不清晰，请重新上传"], token: operatorToken)
            #expect(rejected.string("status") == "rejected")
            let detail = try await world.call(.get, "/v1/approvals/\(secondID)", token: token)
            #expect((detail.json["decisions"] as? [[String: Any]])?.first?["reason"] as? String == "营业执照不清晰，请重新上传")
            #expect(try await world.call(.get, "/v1/organisations/me", token: token).string("certification") == "rejected")
            let again = try await world.call(.post, "/v1/approvals/\(secondID)/approve", json: [:], token: operatorToken)
            #expect(again.code == "application_closed")

            #expect(try await world.call(.put, "/v1/registrations/me/licence", token: token, body: AccountsWorld.png + [1, 2, 3]).status == .ok)
            let third = try await world.call(.post, "/v1/registrations/me/submit", token: token)
            let thirdID = try #require(third.string("applicationId"))
            #expect(try await world.call(.post, "/v1/approvals/\(thirdID)/approve", json: ["reason": "ok"], token: operatorToken).status == .ok)
            let login = try await world.login("cloud_maker", "Secret#2026")
            #expect(login.json["certified"] as? Bool == true)
            #expect(login.string("role") == "provider")
        }
    }

    @Test func badLicencesAndCodesAreRefusedAndChangeNothing() async throws {
        // Proves uploads are judged by content and size (GIF and text refused, over 10 MB refused),
        // USCC check digits are verified (valid accepted, off by one refused), and refusals write nothing.
        try await AccountsWorld.run { world in
            let token = try await world.register("enterprise", "careful_co", phone: "13800000103")
            let before = try await world.snapshot()
            let gif = try await world.call(.put, "/v1/registrations/me/licence", token: token, body: Array("GIF89a....".utf8))
            #expect(gif.status == .unsupportedMediaType)
            #expect(gif.code == "file_type_unsupported")
            let big = [UInt8](repeating: 0, count: AccountsLimits.uploadBytesMax + 1)
            let tooBig = try await world.call(.put, "/v1/registrations/me/licence", token: token, body: AccountsWorld.png + big)
            #expect(tooBig.status == .contentTooLarge)
            #expect(tooBig.code == "file_too_large")
            let offByOne = try await world.call(
                .put, "/v1/registrations/me/details", json: ["unifiedSocialCreditCode": "91350100M000100Y44"], token: token)
            #expect(offByOne.code == "credit_code_check_mismatch")
            let bodyTypo = try await world.call(
                .put, "/v1/registrations/me/details", json: ["unifiedSocialCreditCode": "91350100M000200Y43"], token: token)
            #expect(bodyTypo.code == "credit_code_check_mismatch")
            let badScope = try await world.call(.put, "/v1/registrations/me/details", json: ["serviceScopes": ["咖啡"]], token: token)
            #expect(badScope.code == "service_scope_invalid")
            #expect(try await world.snapshot() == before)
            let valid = try await world.call(
                .put, "/v1/registrations/me/details", json: ["unifiedSocialCreditCode": "91350100m000100y43"], token: token)
            #expect(valid.status == .ok)
            #expect((valid.json["details"] as? [String: Any])?["unifiedSocialCreditCode"] as? String == "91350100M000100Y43")
            let jpeg = try await world.call(.put, "/v1/registrations/me/licence", token: token, body: [0xFF, 0xD8, 0xFF, 0xE0, 1, 2])
            #expect(jpeg.string("mediaType") == "image/jpeg")
        }
    }

    @Test func creditCodeCheckCharactersAtEveryPosition() throws {
        // Proves the GB 32100 check: the standard's example is valid, and changing any one of the
        // 18 characters to its neighbour in the alphabet is caught.
        let valid = "91350100M000100Y43"
        #expect(try SocialCreditCode(validating: valid).value == valid)
        #expect(SocialCreditCode.weights == [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28])
        let alphabet = SocialCreditCode.alphabet
        for position in 0..<SocialCreditCode.length {
            var bytes = Array(valid.utf8)
            let index = try #require(alphabet.firstIndex(of: bytes[position]))
            bytes[position] = alphabet[(index + 1) % alphabet.count]
            #expect(throws: SocialCreditCodeError.checkMismatch) { try SocialCreditCode(validating: String(decoding: bytes, as: UTF8.self)) }
        }
    }
}
