import API
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing
import VoucherServices

/// 我的待办, 修改密码 and 用户管理 in process (issue 16): the pages' forms reach the JSON routes'
/// use cases, show their refusals next to the fields, and change nothing without the CSRF token.
@Suite struct WebAccountPagesTests {
    static func text(_ answer: Answer) -> String { String(decoding: answer.body, as: UTF8.self) }

    @Test func theInboxListsFiltersAndDecidesAnApplicationAsTheJSONRouteWould() async throws {
        // Proves a pending 企业认证 is under the enterprise's 我的申请 and the operator's 待我审批
        // (with the 申请名称 filter and a refused date), that 驳回 without a reason is refused next to
        // the field, that 通过 approves it as POST /v1/approvals/{id}/approve does, and that another
        // organisation gets the 404 page for it.
        try await AccountsWorld.run { world in
            _ = try await world.makePlatformUser(.operator, "operator_inbox", phone: "13700000111")
            let token = try await world.register("enterprise", "web_inbox_co", phone: "13800000611")
            try await world.prepareEnterprise(token, name: "收件箱测试有限公司")
            let submitted = try await world.call(.post, "/v1/registrations/me/submit", token: token)
            #expect(submitted.status == .accepted, "submit: \(submitted.json)")
            let id = try #require(submitted.string("applicationId"))

            var applicant = WebBrowser(world)
            #expect(try await applicant.logIn("web_inbox_co", "Secret#2026").status == .seeOther)
            let mine = Self.text(try await applicant.get("/workbench/inbox?tab=mine"))
            #expect(mine.contains("/workbench/inbox/\(id)") && mine.contains("企业认证") && mine.contains("收件箱测试有限公司"))
            #expect(mine.contains("审批中"))

            var reviewer = WebBrowser(world)
            #expect(try await reviewer.logIn("operator_inbox", "Review#2026x").status == .seeOther)
            #expect(Self.text(try await reviewer.get("/workbench/inbox")).contains("/workbench/inbox/\(id)"))
            #expect(!Self.text(try await reviewer.get("/workbench/inbox?title=nothing-like-it")).contains("/workbench/inbox/\(id)"))
            let badDate = Self.text(try await reviewer.get("/workbench/inbox?from=2026-13-45"))
            #expect(badDate.contains("id=\"filter-error\""))
            let detail = try await reviewer.get("/workbench/inbox/\(id)")
            #expect(detail.status == .ok && Self.text(detail).contains("id=\"decision-form\""))
            let csrf = try #require(WebBrowser.csrf(in: detail))
            let refused = try await reviewer.post("/workbench/inbox/\(id)", [("csrf", csrf), ("action", "reject"), ("reason", "  ")])
            #expect(refused.status == .badRequest || refused.status == .unprocessableContent)
            #expect(Self.text(refused).contains("id=\"reason-error\">驳回时请填写原因"))
            #expect(try await reviewer.post("/workbench/inbox/\(id)", [("action", "approve")]).status == .forbidden)
            let pending = try await world.call(.get, "/v1/approvals/\(id)", token: token)
            #expect(pending.string("status") == "pending")
            let approved = try await reviewer.post("/workbench/inbox/\(id)", [("csrf", csrf), ("action", "approve")])
            #expect(approved.status == .seeOther && approved.headers[.location] == "/workbench/inbox/\(id)?done=approve")
            let after = Self.text(try await reviewer.get("/workbench/inbox/\(id)?done=approve"))
            #expect(after.contains("审批通过") && after.contains("id=\"approval-notice\"") && !after.contains("id=\"decision-form\""))
            #expect(Self.text(try await reviewer.get("/workbench/inbox?tab=history")).contains("/workbench/inbox/\(id)"))

            _ = try await world.register("enterprise", "web_inbox_other", phone: "13800000612")
            var stranger = WebBrowser(world)
            #expect(try await stranger.logIn("web_inbox_other", "Secret#2026").status == .seeOther)
            #expect(try await stranger.get("/workbench/inbox/\(id)").status == .notFound)
        }
    }

    @Test func changingThePasswordShowsTheRulesNextToTheFieldsAndEndsTheOtherSessions() async throws {
        // Proves 修改密码 refuses a wrong current password and a mismatch next to their fields, and
        // after a change the user's other web session and JSON logins end while this browser
        // carries on with a new session.
        try await AccountsWorld.run { world in
            let operatorToken = try await world.makePlatformUser(.operator, "operator_pw", phone: "13700000112")
            _ = try await world.certifiedEnterprise("web_pw_co", phone: "13800000613", uscc: "91350100M000100Y43", operatorToken: operatorToken)
            let json = try await world.token("web_pw_co", "Secret#2026")
            var other = WebBrowser(world)
            #expect(try await other.logIn("web_pw_co", "Secret#2026").status == .seeOther)
            var browser = WebBrowser(world)
            #expect(try await browser.logIn("web_pw_co", "Secret#2026").status == .seeOther)
            let page = try await browser.get("/workbench/password")
            #expect(page.status == .ok)
            let csrf = try #require(WebBrowser.csrf(in: page))
            func change(_ current: String, _ new: String, _ again: String, csrf: String?) async throws -> Answer {
                try await browser.post(
                    "/workbench/password",
                    (csrf.map { [("csrf", $0)] } ?? []) + [("currentPassword", current), ("newPassword", new), ("newPasswordConfirmation", again)])
            }
            let wrong = try await change("Wrong#2026x", "Changed#2026x", "Changed#2026x", csrf: csrf)
            #expect(wrong.status.code / 100 == 4 && Self.text(wrong).contains("id=\"current-password-error\">原密码不正确"))
            let mismatch = try await change("Secret#2026", "Changed#2026x", "Changed#2026y", csrf: csrf)
            #expect(Self.text(mismatch).contains("id=\"new-password-confirmation-error\">两次输入的新密码不一致"))
            #expect(try await change("Secret#2026", "Changed#2026x", "Changed#2026x", csrf: nil).status == .forbidden)
            #expect(try await world.login("web_pw_co", "Secret#2026").status == .ok)
            let done = try await change("Secret#2026", "Changed#2026x", "Changed#2026x", csrf: csrf)
            #expect(done.status == .seeOther && done.headers[.location] == "/workbench/password?done=1")
            #expect(Self.text(try await browser.get("/workbench/password?done=1")).contains("其他浏览器和设备上的登录已全部退出"))
            #expect(try await browser.get("/workbench").status == .ok)
            #expect(try await other.get("/workbench").status == .seeOther)
            #expect(try await world.call(.get, "/v1/account/me", token: json).status == .unauthorized)
            #expect(try await world.login("web_pw_co", "Changed#2026x").status == .ok)
        }
    }

    @Test func theMainAccountCreatesConfiguresAndDeletesASubAccountThroughTheUsersPages() async throws {
        // Proves 用户管理 is the certified main account's (a sub-account gets the 403 page), that 添加用户
        // shows the JSON route's refusals next to their fields and creates the sub-account with the
        // ticked menus, that a post without the CSRF token creates nothing, and that 应用内权限配置 and
        // 删除 take effect on the sub-account's session at once.
        try await AccountsWorld.run { world in
            let operatorToken = try await world.makePlatformUser(.operator, "operator_users", phone: "13700000113")
            let main = try await world.certifiedEnterprise(
                "web_users_co", phone: "13800000614", uscc: "91350100M000100Y43", operatorToken: operatorToken)
            var browser = WebBrowser(world)
            #expect(try await browser.logIn("web_users_co", "Secret#2026").status == .seeOther)
            #expect(Self.text(try await browser.get("/workbench")).contains("用户管理"))
            let form = try await browser.get("/workbench/users/new")
            #expect(form.status == .ok && Self.text(form).contains("name=\"perm_orders\""))
            let csrf = try #require(WebBrowser.csrf(in: form))
            func add(_ username: String, _ phone: String, csrf: String?) async throws -> Answer {
                try await browser.post(
                    "/workbench/users",
                    (csrf.map { [("csrf", $0)] } ?? []) + [
                        ("username", username), ("phone", phone), ("email", ""), ("password", "Clerk#2026x"),
                        ("passwordConfirmation", "Clerk#2026x"), ("perm_vouchers", "on"), ("perm_inbox", "on"),
                    ])
            }
            let short = try await add("ab", "13800000615", csrf: csrf)
            #expect(short.status.code / 100 == 4 && Self.text(short).contains("id=\"new-username-error\""))
            #expect(Self.text(try await add("web_clerk_ok", "12345", csrf: csrf)).contains("id=\"new-phone-error\""))
            #expect(try await add("web_clerk_ok", "13800000615", csrf: nil).status == .forbidden)
            let listed = try await world.call(.get, "/v1/subaccounts", token: main)
            #expect((listed.json["total"] as? Int) == 0)
            let created = try await add("web_clerk_ok", "13800000615", csrf: csrf)
            #expect(created.status == .seeOther && created.headers[.location] == "/workbench/users?done=created")
            let list = Self.text(try await browser.get("/workbench/users?done=created"))
            #expect(list.contains("新增成功") && list.contains("web_clerk_ok") && list.contains("我的待办、服务券"))
            let subs = try await world.call(.get, "/v1/subaccounts", token: main)
            let item = try #require((subs.json["items"] as? [[String: Any]])?.first)
            let subID = try #require(item["id"] as? String)
            #expect(Set(item["permissions"] as? [String] ?? []) == ["inbox", "vouchers"])

            var clerk = WebBrowser(world)
            #expect(try await clerk.logIn("web_clerk_ok", "Clerk#2026x").status == .seeOther)
            let home = Self.text(try await clerk.get("/workbench"))
            #expect(home.contains("我的待办") && !home.contains("订单管理") && !home.contains("用户管理"))
            #expect(try await clerk.get("/workbench/orders").status == .forbidden)
            #expect(try await clerk.get("/workbench/users").status == .forbidden)

            #expect(try await browser.post("/workbench/users/\(subID)/permissions", [("perm_orders", "on")]).status == .forbidden)
            let granted = try await browser.post("/workbench/users/\(subID)/permissions", [("csrf", csrf), ("perm_orders", "on")])
            #expect(granted.status == .seeOther)
            #expect(try await clerk.get("/workbench/orders").status == .ok)
            #expect(try await clerk.get("/workbench/vouchers").status == .forbidden)

            let deleted = try await browser.post("/workbench/users/\(subID)/delete", [("csrf", csrf)])
            #expect(deleted.status == .seeOther && deleted.headers[.location] == "/workbench/users?done=deleted")
            #expect(try await clerk.get("/workbench").status == .seeOther)
            #expect(try await browser.get("/workbench/users/\(subID)").status == .notFound)
        }
    }
}
