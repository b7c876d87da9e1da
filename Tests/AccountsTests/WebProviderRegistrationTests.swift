import API
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing
import VoucherServices

/// The provider's registration wizard over HTTP against real PostgreSQL (issue 17, guide §1.3.1):
/// the enterprise wizard's pages with the provider's fields, no groups and no survey.
@Suite struct WebProviderRegistrationTests {
    static func text(_ answer: Answer) -> String { String(decoding: answer.body, as: UTF8.self) }

    /// Proves a 服务商 chosen at the account step registers, that its 企业信息 form stores the
    /// JSON route's typed fields (亿元 and 万元 exactly in fen, 、-separated industries as a list,
    /// ticked scopes), that three years' revenues go together and a fraction of a fen is refused
    /// next to its field, that the groups and the survey are not its steps (404 page), that the
    /// licence leads to 提交认证, that until it is certified 商品管理, 专家管理 and 收款账号管理 are
    /// neither in its menu nor served (403 page), and that after the operator's approval (whose
    /// page shows the provider's details) they are, and 我的企业 shows the details with no 企业诊断信息.
    @Test func aProviderRegistersThroughTheWizardAndReadsMyOrganisation() async throws {
        try await AccountsWorld.run { world in
            var browser = WebBrowser(world)
            let form = try await browser.get("/register/account?role=provider")
            #expect(Self.text(form).contains("id=\"role-provider\" checked"))
            let sent = try await browser.post(
                "/register/account", [("csrf", try #require(WebBrowser.csrf(in: form))), ("phone", "13800000791"), ("action", "send")])
            let code = try #require(world.sms.lastCode(for: "13800000791"))
            let made = try await browser.post(
                "/register/account",
                [
                    ("csrf", try #require(WebBrowser.csrf(in: sent))), ("role", "provider"), ("username", "web_provider_co"),
                    ("phone", "13800000791"), ("password", "Webreg#2026x"), ("passwordConfirmation", "Webreg#2026x"), ("consent", "yes"),
                    ("smsCode", code), ("action", "register"),
                ])
            #expect(made.status == .seeOther && made.headers[.location] == "/workbench/registration/details", "\(Self.text(made))")
            let token = try await world.token("web_provider_co", "Webreg#2026x")
            #expect(try await world.call(.get, "/v1/registrations/me", token: token).string("kind") == "provider")

            let page = try await browser.get("/workbench/registration/details")
            #expect(page.status == .ok)
            let html = Self.text(page)
            #expect(html.contains("企业信息") && html.contains("id=\"f-serviceScopes-cloud_adoption\"") && !html.contains("f-legalRepresentative"))
            #expect(!html.contains("step-groups") && !html.contains("step-survey"))
            let csrf = try #require(WebBrowser.csrf(in: page))

            let before = try await world.snapshot()
            let bad: [([(String, String)], String)] = [
                ([("revenue2020", "1")], "f-revenue2021-error"),
                ([("revenue2020", "0.00000000001"), ("revenue2021", "1"), ("revenue2022", "1")], "f-revenue2020-error"),
                ([("solutionSalesSharePercent", "101")], "f-solutionSalesSharePercent-error"),
                ([("salesAverageFen", "-3")], "f-salesAverageFen-error"),
            ]
            for (fields, errorID) in bad {
                let refused = try await browser.post(
                    "/workbench/registration/details", [("csrf", csrf), ("action", "save"), ("name", "网页服务商")] + fields)
                #expect(refused.status == .badRequest, "\(errorID): \(refused.status)")
                #expect(Self.text(refused).contains("id=\"\(errorID)\""), "\(errorID): the error is next to its field")
                #expect(Self.text(refused).contains("value=\"网页服务商\""), "what was typed stays")
            }
            #expect(try await world.snapshot() == before, "a refused form changed nothing")

            let saved = try await browser.post(
                "/workbench/registration/details",
                [
                    ("csrf", csrf), ("action", "next"), ("name", "网页数字科技有限公司"), ("contactName", "孙七"),
                    ("unifiedSocialCreditCode", "91110108MA01ABCD1E"), ("contactPhone", "010-66666666"),
                    ("serviceScopes.diagnostic_consulting", "on"), ("serviceScopes.cloud_adoption", "on"), ("coreProducts", "诊断咨询与上云方案"),
                    ("servedIndustries", "制造业、纺织业"), ("industrialCustomerCount", "35"), ("operatingSince", "2016-01-01"),
                    ("revenue2020", "0.01"), ("revenue2021", "0.015"), ("revenue2022", "2"), ("industrialSalesAverageFen", "90"),
                    ("salesAverageFen", "150.5"), ("solutionSalesSharePercent", "40"), ("industry", "软件和信息技术服务业"),
                ])
            #expect(saved.status == .seeOther && saved.headers[.location] == "/workbench/registration/licence", "\(Self.text(saved))")
            let draft = try await world.call(.get, "/v1/registrations/me", token: token)
            let details = try #require(draft.json["details"] as? [String: Any])
            #expect(details["serviceScopes"] as? [String] == ["diagnostic_consulting", "cloud_adoption"])
            #expect(details["servedIndustries"] as? [String] == ["制造业", "纺织业"])
            let revenues = (details["annualRevenues"] as? [[String: Any]] ?? []).map { "\($0["year"] ?? ""):\($0["amountFen"] ?? "")" }
            #expect(revenues == ["2020:100000000", "2021:150000000", "2022:20000000000"])
            #expect(details["industrialSalesAverageFen"] as? Int == 90_000_000)
            #expect(details["salesAverageFen"] as? Int == 150_500_000)
            #expect(details["solutionSalesSharePercent"] as? Int == 40)
            #expect(draft.json["missing"] as? [String] == ["licence"], "\(draft.json)")
            #expect(Self.text(try await browser.get("/workbench/registration/details")).contains("value=\"0.015\""), "shown as typed")

            #expect(try await browser.get("/workbench/registration/groups").status == .notFound)
            #expect(try await browser.get("/workbench/registration/survey").status == .notFound)

            let boundary = "----vrprovider"
            var body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\(csrf)\r\n"
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"action\"\r\n\r\nnext\r\n"
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"licence\"; filename=\"licence.png\"\r\nContent-Type: image/png\r\n\r\n"
            var buffer = ByteBuffer(string: body)
            buffer.writeBytes(AccountsWorld.png)
            buffer.writeString("\r\n--\(boundary)--\r\n")
            var headers: HTTPFields = [.contentType: "multipart/form-data; boundary=\(boundary)"]
            headers[.cookie] = browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
            let licence = try await world.client.execute(uri: "/workbench/registration/licence", method: .post, headers: headers, body: buffer) {
                Answer(status: $0.status, headers: $0.headers, body: Array($0.body.readableBytesView))
            }
            #expect(licence.status == .seeOther && licence.headers[.location] == "/workbench/registration", "\(Self.text(licence))")

            let submitted = try await browser.post("/workbench/registration/submit", [("csrf", csrf)])
            #expect(submitted.status == .seeOther, "\(Self.text(submitted))")
            #expect(Self.text(try await browser.get("/workbench/registration")).contains("id=\"under-review\""))

            // Under review, not certified: the pages whose actions CertificationGate refuses (listing,
            // experts, payee accounts) are hidden and refused, the rest of the menu stays.
            let certifiedOnly = ["/workbench/products", "/workbench/experts", "/workbench/payee-accounts"]
            let waitingMenu = Self.text(try await browser.get("/workbench"))
            #expect(waitingMenu.contains("href=\"/workbench/password\""))
            for href in certifiedOnly {
                #expect(!waitingMenu.contains("href=\"\(href)\""), "\(href) is hidden until certified")
                let refused = try await browser.get(href)
                #expect(refused.status == .forbidden && Self.text(refused).contains("企业认证通过后"), "\(href): \(refused.status)")
            }

            let op = try await world.makePlatformUser(.operator, "web_provider_op", phone: "13700000791")
            let waiting = try await world.call(.get, "/v1/approvals/waiting?pageSize=100", token: op)
            let items = waiting.json["items"] as? [[String: Any]] ?? []
            let id = try #require(items.first { ($0["title"] as? String)?.contains("网页数字科技有限公司") == true }?["id"] as? String)
            var reviewer = WebBrowser(world)
            #expect(try await reviewer.logIn("web_provider_op", "Review#2026x").status == .seeOther)
            let subject = Self.text(try await reviewer.get("/workbench/inbox/\(id)"))
            #expect(subject.contains("id=\"subject-registration\"") && subject.contains("服务商") && subject.contains("诊断咨询、上云用云"))
            #expect(subject.contains("0.015 亿元") && subject.contains("150.5 万元"))
            #expect(try await world.call(.post, "/v1/approvals/\(id)/approve", json: [:], token: op).status == .ok)

            let certifiedMenu = Self.text(try await browser.get("/workbench"))
            for href in certifiedOnly {
                #expect(certifiedMenu.contains("href=\"\(href)\""), "\(href) is shown once certified")
                #expect(try await browser.get(href).status == .ok, "\(href)")
            }

            let mine = Self.text(try await browser.get("/workbench/organisation"))
            #expect(mine.contains("id=\"org-certification\">已认证"))
            #expect(mine.contains("id=\"basic-serviceScopes\">诊断咨询、上云用云"))
            #expect(mine.contains("id=\"basic-servedIndustries\">制造业、纺织业"))
            #expect(mine.contains("id=\"basic-revenue2021\">0.015 亿元"))
            #expect(mine.contains("id=\"basic-solutionSalesSharePercent\">40%"))
            #expect(!mine.contains("企业诊断信息") && !mine.contains("企业注册"))
        }
    }
}
