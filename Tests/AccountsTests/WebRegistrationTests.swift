import API
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing
import VoucherServices

/// The registration wizard's forms and 我的企业 page over HTTP against real PostgreSQL (issue 16,
/// guide §2.3.2 and §2.4.3): the same rules as the JSON routes, with the refusals next to their fields.
@Suite struct WebRegistrationTests {
    static func text(_ answer: Answer) -> String { String(decoding: answer.body, as: UTF8.self) }

    /// Proves the details form saves a partial draft typed as the JSON API stores it (yuan to fen,
    /// 是/否 to booleans, ticked boxes to a list), keeps the groups, and that a number typed as words,
    /// a malformed date, a choice outside its set or a post without its CSRF token is refused with
    /// the error next to its field (or the 403 page) and changes nothing.
    @Test func theDetailsFormSavesTypedDraftsAndRefusesBadFieldsWithoutChangingAnything() async throws {
        try await AccountsWorld.run { world in
            let token = try await world.register("enterprise", "web_reg_co", phone: "13800000671")
            let groups = try await world.call(
                .put, "/v1/registrations/me/details", json: ["groups": ["personnel": ["研发人员": 20]]], token: token)
            #expect(groups.status == .ok, "\(groups.json)")
            var browser = WebBrowser(world)
            #expect(try await browser.logIn("web_reg_co", "Secret#2026").status == .seeOther)
            let page = try await browser.get("/workbench/registration/details")
            #expect(page.status == .ok)
            let csrf = try #require(WebBrowser.csrf(in: page))
            let saved = try await browser.post(
                "/workbench/registration/details",
                [
                    ("csrf", csrf), ("action", "save"), ("name", "网页企业有限公司"), ("manufacturingOutputAverageFen", "1234.5"),
                    ("listed", "false"), ("customerKinds.sme", "on"), ("customerKinds.government", "on"), ("registrationType", "private"),
                ])
            #expect(saved.status == .seeOther && saved.headers[.location] == "/workbench/registration/details?saved=1", "\(Self.text(saved))")
            let draft = try await world.call(.get, "/v1/registrations/me", token: token)
            let details = try #require(draft.json["details"] as? [String: Any])
            #expect(details["name"] as? String == "网页企业有限公司")
            #expect(details["manufacturingOutputAverageFen"] as? Int == 123_450)
            #expect(details["listed"] as? Bool == false)
            #expect(details["customerKinds"] as? [String] == ["government", "sme"])
            #expect(details["registrationType"] as? String == "private")
            #expect((details["groups"] as? [String: Any])?["personnel"] != nil, "the groups are kept")

            let before = try await world.snapshot()
            let bad: [(String, String, String)] = [
                ("employeeCount", "一百二十", "f-employeeCount-error"), ("foundedOn", "2012/05/20", "f-foundedOn-error"),
                ("registrationType", "合伙企业", "f-registrationType-error"), ("subsidyTotalIn3YearsFen", "-5", "f-subsidyTotalIn3YearsFen-error"),
                ("email", "not-an-email", "f-email-error"), ("unifiedSocialCreditCode", "91350100M000100Y44", "f-unifiedSocialCreditCode-error"),
            ]
            for (field, value, errorID) in bad {
                let refused = try await browser.post(
                    "/workbench/registration/details", [("csrf", csrf), ("action", "save"), ("name", "改名企业"), (field, value)])
                #expect(refused.status == .badRequest, "\(field): \(refused.status)")
                #expect(Self.text(refused).contains("id=\"\(errorID)\""), "\(field): the error is next to its field")
                #expect(Self.text(refused).contains("value=\"改名企业\""), "what was typed stays")
            }
            let forged = try await browser.post("/workbench/registration/details", [("csrf", "forged"), ("name", "改名企业")])
            #expect(forged.status == .forbidden)
            #expect(try await world.snapshot() == before, "a refused form changed nothing")

            // The licence: text named .png is refused by content; a PNG is stored.
            let boundary = "----vrtest"
            func multipart(_ file: [UInt8]) -> ByteBuffer {
                var body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\(csrf)\r\n"
                body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"action\"\r\n\r\nnext\r\n"
                body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"licence\"; filename=\"licence.png\"\r\n"
                body += "Content-Type: image/png\r\n\r\n"
                var buffer = ByteBuffer(string: body)
                buffer.writeBytes(file)
                buffer.writeString("\r\n--\(boundary)--\r\n")
                return buffer
            }
            var headers: HTTPFields = [.contentType: "multipart/form-data; boundary=\(boundary)"]
            headers[.cookie] = browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
            let textAsPNG = try await world.client.execute(
                uri: "/workbench/registration/licence", method: .post, headers: headers, body: multipart(Array("not an image".utf8))
            ) { Answer(status: $0.status, headers: $0.headers, body: Array($0.body.readableBytesView)) }
            #expect(textAsPNG.status == .unsupportedMediaType)
            #expect(Self.text(textAsPNG).contains("id=\"licence-error\""))
            #expect(try await world.snapshot() == before)
            let png = try await world.client.execute(
                uri: "/workbench/registration/licence", method: .post, headers: headers, body: multipart(AccountsWorld.png)
            ) { Answer(status: $0.status, headers: $0.headers, body: Array($0.body.readableBytesView)) }
            #expect(png.status == .seeOther && png.headers[.location] == "/workbench/registration/survey", "\(Self.text(png))")
            let withLicence = try await world.call(.get, "/v1/registrations/me", token: token)
            #expect((withLicence.json["licence"] as? [String: Any])?["sha256"] is String)

            // 提交 while details are missing: refused, listing them in Chinese; nothing submitted.
            let submit = try await browser.get("/workbench/registration")
            let refused = try await browser.post("/workbench/registration/submit", [("csrf", try #require(WebBrowser.csrf(in: submit)))])
            #expect(refused.status == .unprocessableContent || refused.status == .conflict, "\(refused.status)")
            #expect(Self.text(refused).contains("id=\"submit-refused\"") && Self.text(refused).contains("注册法人"))
            #expect(try await world.call(.get, "/v1/registrations/me", token: token).string("certification") == "draft")
        }
    }

    /// Proves 我的企业 shows the certified enterprise's 认证信息, 基本信息 and 企业诊断信息 to its main
    /// account and a sub-account with the organisation menu, and is the 403
    /// page for a sub-account without it; the wizard is gone once certified.
    @Test func myOrganisationFollowsTheOrganisationMenu() async throws {
        try await AccountsWorld.run { world in
            let op = try await world.makePlatformUser(.operator, "web_org_op", phone: "13700000681")
            let main = try await world.certifiedEnterprise("web_org_co", phone: "13800000681", uscc: "91350100M000100Y43", operatorToken: op)
            for (username, phone, permissions) in [("web_org_clerk", "13800000682", ["organisation"]), ("web_inbox_clerk", "13800000683", ["inbox"])]
            {
                let created = try await world.call(
                    .post, "/v1/subaccounts",
                    json: [
                        "username": username, "phone": phone, "password": "Clerk#2026", "passwordConfirmation": "Clerk#2026",
                        "permissions": permissions,
                    ], token: main)
                #expect(created.status == .created, "\(created.json)")
            }
            for (username, password) in [("web_org_co", "Secret#2026"), ("web_org_clerk", "Clerk#2026")] {
                var browser = WebBrowser(world)
                #expect(try await browser.logIn(username, password).status == .seeOther)
                let page = try await browser.get("/workbench/organisation")
                #expect(page.status == .ok)
                let html = Self.text(page)
                #expect(html.contains("id=\"org-certification\">已认证"))
                #expect(html.contains("id=\"basic-legalRepresentative\">赵六"))
                #expect(html.contains("id=\"basic-registrationType\">有限责任公司"))
                #expect(html.contains("id=\"basic-manufacturingOutputAverageFen\">¥50000000"))
                #expect(html.contains("id=\"survey-companyType\">私营企业"))
                #expect(!html.contains("企业注册"), "the wizard's menu is gone once certified")
                #expect(try await browser.get("/workbench/registration/details").status == .forbidden)
            }
            var clerk = WebBrowser(world)
            #expect(try await clerk.logIn("web_inbox_clerk", "Clerk#2026").status == .seeOther)
            let denied = try await clerk.get("/workbench/organisation")
            #expect(denied.status == .forbidden)
            #expect(!Self.text(try await clerk.get("/workbench")).contains("我的企业"))
        }
    }

    /// Proves the account step refuses a post without its CSRF cookie, needs the SMS code the
    /// registration route sends, and on success signs the new main account in and opens step 2.
    @Test func theAccountStepRegistersWithTheSMSCodeAndSignsIn() async throws {
        try await AccountsWorld.run { world in
            var browser = WebBrowser(world)
            let form = try await browser.get("/register/account")
            #expect(form.status == .ok)
            let csrf = try #require(WebBrowser.csrf(in: form))
            var fields = [
                ("username", "web_new_co"), ("phone", "13800000691"), ("password", "Webreg#2026x"),
                ("passwordConfirmation", "Webreg#2026x"), ("consent", "yes"), ("action", "register"),
            ]
            // Each answer of the form sets a new CSRF cookie and field: the next post carries them.
            let noCode = try await browser.post("/register/account", [("csrf", csrf)] + fields)
            #expect(noCode.status == .badRequest && Self.text(noCode).contains("id=\"code-error\""), "\(noCode.status)")
            let again = try #require(WebBrowser.csrf(in: noCode))
            let sent = try await browser.post("/register/account", [("csrf", again), ("phone", "13800000691"), ("action", "send")])
            #expect(sent.status == .accepted || sent.status == .ok)
            #expect(Self.text(sent).contains("id=\"register-notice\""))
            let code = try #require(world.sms.lastCode(for: "13800000691"))
            fields += [("smsCode", code), ("csrf", try #require(WebBrowser.csrf(in: sent)))]
            var stranger = WebBrowser(world)
            #expect(try await stranger.post("/register/account", fields).status == .forbidden, "no CSRF cookie: refused")
            let made = try await browser.post("/register/account", fields)
            #expect(made.status == .seeOther && made.headers[.location] == "/workbench/registration/details", "\(Self.text(made))")
            let step2 = try await browser.get("/workbench/registration/details")
            #expect(step2.status == .ok && Self.text(step2).contains("企业背景"))
        }
    }
}
