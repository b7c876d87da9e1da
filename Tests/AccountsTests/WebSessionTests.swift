import API
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing
import VoucherServices

/// A browser's view of the web pages, in process: it keeps the cookies the server sets and sends
/// them back, and reads the CSRF token out of a page's forms.
struct WebBrowser {
    let world: AccountsWorld
    var cookies: [String: String] = [:]

    init(_ world: AccountsWorld) { self.world = world }

    var html: (Answer) -> String { { String(decoding: $0.body, as: UTF8.self) } }

    mutating func get(_ path: String) async throws -> Answer {
        let answer = try await world.client.call(.get, path, token: nil, headers: cookieHeader)
        keepCookies(answer)
        return answer
    }

    mutating func post(_ path: String, _ fields: [(String, String)]) async throws -> Answer {
        var headers = cookieHeader
        headers[.contentType] = "application/x-www-form-urlencoded"
        let body = fields.map { "\($0.0)=\(Self.encode($0.1))" }.joined(separator: "&")
        let answer = try await world.client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: body)) {
            Answer(status: $0.status, headers: $0.headers, body: Array($0.body.readableBytesView))
        }
        keepCookies(answer)
        return answer
    }

    /// Logs in through the login form; answers the POST's answer.
    mutating func logIn(_ username: String, _ password: String, next: String? = nil) async throws -> Answer {
        let form = try await get("/login" + (next.map { "?next=" + Self.encode($0) } ?? ""))
        let csrf = try #require(Self.csrf(in: form))
        return try await post("/login", [("csrf", csrf), ("next", next ?? ""), ("username", username), ("password", password)])
    }

    /// The value of the first hidden `csrf` field of a page.
    static func csrf(in answer: Answer) -> String? {
        let page = String(decoding: answer.body, as: UTF8.self)
        guard let start = page.range(of: "name=\"csrf\" value=\"") else { return nil }
        return String(page[start.upperBound...].prefix { $0 != "\"" })
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(
            withAllowedCharacters: CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~"))
            ?? ""
    }

    private var cookieHeader: HTTPFields {
        cookies.isEmpty ? [:] : [.cookie: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")]
    }

    private mutating func keepCookies(_ answer: Answer) {
        for header in answer.headers[values: .setCookie] {
            let pair = header.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(pair[0])
            let value = pair.count > 1 ? String(pair[1]) : ""
            if value.isEmpty || header.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = value }
        }
    }
}

@Suite struct WebSessionTests {
    static func text(_ answer: Answer) -> String { String(decoding: answer.body, as: UTF8.self) }

    @Test func loginByPasswordOpensTheWorkbenchWithAStrictHttpOnlyCookieAndAStrictCSP() async throws {
        // Proves the login form leads to 工作台 through a session cookie that is HttpOnly,
        // SameSite=Strict and Path=/, that the token is stored only as its hash, that every page
        // carries a CSP without 'unsafe-inline', and that a wrong password is shown next to its field.
        try await AccountsWorld.run { world in
            let operatorToken = try await world.makePlatformUser(.operator, "operator_web1", phone: "13700000101")
            _ = try await world.certifiedEnterprise("web_co_one", phone: "13800000501", uscc: "91350100M000100Y43", operatorToken: operatorToken)
            var browser = WebBrowser(world)
            let blank = try await browser.get("/login")
            #expect(!Self.text(blank).contains("aria-invalid") && !Self.text(blank).contains("field-error") && !Self.text(blank).contains("notice"))
            let wrong = try await browser.logIn("web_co_one", "Wrong#2026x")
            #expect(wrong.status == .unauthorized)
            #expect(Self.text(wrong).contains("id=\"password-error\">用户名或密码错误"))
            #expect(!Self.text(wrong).contains("id=\"username-error\"") && !Self.text(wrong).contains("id=\"phone-error\""))
            let answer = try await browser.logIn("web_co_one", "Secret#2026")
            #expect(answer.status == .seeOther)
            #expect(answer.headers[.location] == "/workbench")
            let cookie = try #require(answer.headers[values: .setCookie].first { $0.hasPrefix("vr_session=") })
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/") && !cookie.contains("Secure"))
            let token = try #require(browser.cookies["vr_session"])
            let stored = try await world.postgres.query("SELECT count(*)::int FROM web_sessions WHERE token_hash = \(Secrets.sha256Hex(token))")
            var count = 0
            for try await value in stored.decode(Int.self) { count = value }
            #expect(count == 1)
            let home = try await browser.get("/workbench")
            #expect(home.status == .ok)
            #expect(Self.text(home).contains("web_co_one") && Self.text(home).contains("已认证") && Self.text(home).contains("订单管理"))
            let csp = try #require(home.headers[.contentSecurityPolicy])
            #expect(csp.contains("script-src 'self'") && csp.contains("style-src 'self'") && !csp.contains("unsafe-inline"))
            #expect(!Self.text(home).contains("style=") && !Self.text(home).contains("onclick"))
        }
    }

    @Test func aFormPostedWithoutItsCSRFTokenIsRefusedAndChangesNothing() async throws {
        // Proves the logout forms and the login form refuse a post without the right CSRF token
        // with the 403 page, and the session stays live (nothing changed).
        try await AccountsWorld.run { world in
            let operatorToken = try await world.makePlatformUser(.operator, "operator_web2", phone: "13700000102")
            _ = try await world.certifiedEnterprise("web_co_two", phone: "13800000502", uscc: "91350100M000100Y43", operatorToken: operatorToken)
            var browser = WebBrowser(world)
            #expect(try await browser.logIn("web_co_two", "Secret#2026").status == .seeOther)
            for path in ["/logout", "/logout-all"] {
                #expect(try await browser.post(path, []).status == .forbidden)
                #expect(try await browser.post(path, [("csrf", "forged-token-forged-token-forged-token")]).status == .forbidden)
            }
            let home = try await browser.get("/workbench")
            #expect(home.status == .ok)
            var stranger = WebBrowser(world)
            _ = try await stranger.get("/login")
            let refused = try await stranger.post("/login", [("username", "web_co_two"), ("password", "Secret#2026")])
            #expect(refused.status == .forbidden)
            #expect(Self.text(refused).contains("id=\"error-page\""))
            #expect(stranger.cookies["vr_session"] == nil)
            let csrf = try #require(WebBrowser.csrf(in: home))
            let out = try await browser.post("/logout", [("csrf", csrf)])
            #expect(out.status == .seeOther && out.headers[.location] == "/login")
            #expect(try await browser.get("/workbench").status == .seeOther)
        }
    }

    @Test func userTextIsEscapedWherePagesShowIt() async throws {
        // Proves a `<script>` typed into the catalogue search and the login username comes back
        // as text (escaped), never as markup.
        try await AccountsWorld.run { world in
            var browser = WebBrowser(world)
            let attack = "<script>alert(\"x\")</script>'"
            let search = try await browser.get("/products?q=" + WebBrowser.encode(attack))
            #expect(search.status == .ok)
            #expect(Self.text(search).contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;"))
            #expect(!Self.text(search).contains("<script>alert"))
            let login = try await browser.logIn(attack, "whatever#2026")
            #expect(login.status == .unauthorized)
            #expect(Self.text(login).contains("value=\"&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;\""))
            #expect(!Self.text(login).contains("<script>alert"))
        }
    }

    @Test func sessionsExpireWhenIdleAndAtTheirAbsoluteLimitAndSendBackToLoginWithNext() async throws {
        // Proves a session idle past web.idleTimeoutSeconds sends a workbench page to the login
        // page with `next` (and the 已过期 notice), logging in again returns to that page, and a
        // session kept busy still ends at web.absoluteTimeoutSeconds (all on the injected clock).
        try await AccountsWorld.run { world in
            let operatorToken = try await world.makePlatformUser(.operator, "operator_web3", phone: "13700000103")
            _ = try await world.certifiedEnterprise("web_co_three", phone: "13800000503", uscc: "91350100M000100Y43", operatorToken: operatorToken)
            let settings = try TestEnvironment.config().web
            var browser = WebBrowser(world)
            #expect(try await browser.logIn("web_co_three", "Secret#2026").status == .seeOther)
            world.clock.advance(seconds: settings.idleTimeoutSeconds - 1)
            #expect(try await browser.get("/workbench/vouchers?page=2").status == .ok)
            world.clock.advance(seconds: settings.idleTimeoutSeconds + 1)
            let expired = try await browser.get("/workbench/vouchers?page=2")
            #expect(expired.status == .seeOther)
            let location = try #require(expired.headers[.location])
            #expect(location == "/login?next=%2Fworkbench%2Fvouchers%3Fpage%3D2&expired=1")
            let form = try await browser.get(location)
            #expect(Self.text(form).contains("登录已过期"))
            let again = try await browser.logIn("web_co_three", "Secret#2026", next: "/workbench/vouchers?page=2")
            #expect(again.headers[.location] == "/workbench/vouchers?page=2")
            var elapsed = 0
            let step = settings.idleTimeoutSeconds - 60
            while elapsed + step < settings.absoluteTimeoutSeconds {
                world.clock.advance(seconds: step)
                elapsed += step
                #expect(try await browser.get("/workbench").status == .ok)
            }
            world.clock.advance(seconds: settings.absoluteTimeoutSeconds - elapsed)
            #expect(try await browser.get("/workbench").status == .seeOther)
            var other = WebBrowser(world)
            #expect(try await other.logIn("web_co_three", "Secret#2026", next: "//evil.example/x").headers[.location] == "/workbench")
        }
    }

    @Test func logoutEverywhereEndsJSONLoginsAndAPasswordChangeEndsWebSessions() async throws {
        // Proves 退出所有登录 revokes the user's JSON logins too (401 session_revoked), and that the
        // JSON API's password change ends a live web session (its login family is revoked).
        try await AccountsWorld.run { world in
            let operatorToken = try await world.makePlatformUser(.operator, "operator_web4", phone: "13700000104")
            _ = try await world.certifiedEnterprise("web_co_four", phone: "13800000504", uscc: "91350100M000100Y43", operatorToken: operatorToken)
            let token = try await world.token("web_co_four", "Secret#2026")
            var browser = WebBrowser(world)
            #expect(try await browser.logIn("web_co_four", "Secret#2026").status == .seeOther)
            let csrf = try #require(WebBrowser.csrf(in: try await browser.get("/workbench")))
            #expect(try await browser.post("/logout-all", [("csrf", csrf)]).status == .seeOther)
            #expect(try await world.call(.get, "/v1/account/me", token: token).code == "session_revoked")

            var second = WebBrowser(world)
            #expect(try await second.logIn("web_co_four", "Secret#2026").status == .seeOther)
            #expect(try await second.get("/workbench").status == .ok)
            let fresh = try await world.token("web_co_four", "Secret#2026")
            let changed = try await world.call(
                .put, "/v1/account/password",
                json: ["currentPassword": "Secret#2026", "newPassword": "Changed#2026x", "newPasswordConfirmation": "Changed#2026x"], token: fresh)
            #expect(changed.status == .noContent, "password change: \(changed.json)")
            #expect(try await second.get("/workbench").status == .seeOther)
        }
    }

    @Test func aSubAccountWithoutAMenuSeesNeitherTheMenuNorThePage() async throws {
        // Proves the workbench's menu and pages follow the sub-account's menu permissions with the
        // JSON API's MenuPolicy: without `orders` there is no 订单管理 link and the page is the 403
        // page; granting it shows both on the next request.
        try await AccountsWorld.run { world in
            let operatorToken = try await world.makePlatformUser(.operator, "operator_web5", phone: "13700000105")
            let main = try await world.certifiedEnterprise(
                "web_co_five", phone: "13800000505", uscc: "91350100M000100Y43", operatorToken: operatorToken)
            let created = try await world.call(
                .post, "/v1/subaccounts",
                json: [
                    "username": "clerk_web", "phone": "13800000506", "password": "Clerk#2026", "passwordConfirmation": "Clerk#2026",
                    "permissions": ["vouchers"],
                ], token: main)
            #expect(created.status == .created, "sub-account: \(created.json)")
            let username = try #require(created.string("username"))
            var browser = WebBrowser(world)
            #expect(try await browser.logIn(username, "Clerk#2026").status == .seeOther)
            let home = try await browser.get("/workbench")
            #expect(Self.text(home).contains("服务券查询") && !Self.text(home).contains("订单管理"))
            let denied = try await browser.get("/workbench/orders")
            #expect(denied.status == .forbidden)
            #expect(Self.text(denied).contains("订单管理") && Self.text(denied).contains("id=\"error-page\""))
            let subID = try #require(created.string("id"))
            let granted = try await world.call(
                .put, "/v1/subaccounts/\(subID)/permissions", json: ["permissions": ["vouchers", "orders"]], token: main)
            #expect(granted.status == .ok, "grant: \(granted.json)")
            #expect(try await browser.get("/workbench/orders").status == .ok)
        }
    }

    @Test func loginBySMSCodeUsesTheJSONAPIsRulesAndShowsErrorsNextToTheirFields() async throws {
        // Proves the SMS form sends a code with the JSON API's limits (a second send at once is
        // refused with the wait), shows a malformed phone and a wrong code next to their fields,
        // and logs in with the code received.
        try await AccountsWorld.run { world in
            let operatorToken = try await world.makePlatformUser(.operator, "operator_web8", phone: "13700000108")
            _ = try await world.certifiedEnterprise("web_co_eight", phone: "13800000509", uscc: "91350100M000100Y43", operatorToken: operatorToken)
            world.clock.advance(seconds: AccountsLimits.smsSendIntervalSeconds)
            var browser = WebBrowser(world)
            let form = try await browser.get("/login")
            let csrf = try #require(WebBrowser.csrf(in: form))
            let badPhone = try await browser.post("/login/sms", [("csrf", csrf), ("phone", "12345"), ("action", "send")])
            #expect(badPhone.status == .badRequest)
            #expect(Self.text(badPhone).contains("id=\"phone-error\""))
            let csrf2 = try #require(WebBrowser.csrf(in: badPhone))
            let sent = try await browser.post("/login/sms", [("csrf", csrf2), ("phone", "13800000509"), ("action", "send")])
            #expect(sent.status == .ok && Self.text(sent).contains("id=\"sms-notice\""))
            let code = try #require(world.sms.lastCode(for: "13800000509"))
            let csrf3 = try #require(WebBrowser.csrf(in: sent))
            let again = try await browser.post("/login/sms", [("csrf", csrf3), ("phone", "13800000509"), ("action", "send")])
            #expect(again.status == .tooManyRequests && Self.text(again).contains("id=\"sms-form-error\""))
            let csrf4 = try #require(WebBrowser.csrf(in: again))
            let wrongCode = code == "000000" ? "111111" : "000000"
            let wrong = try await browser.post("/login/sms", [("csrf", csrf4), ("phone", "13800000509"), ("code", wrongCode), ("action", "login")])
            #expect(wrong.status == .unauthorized && Self.text(wrong).contains("id=\"code-error\""))
            let csrf5 = try #require(WebBrowser.csrf(in: wrong))
            let done = try await browser.post("/login/sms", [("csrf", csrf5), ("phone", "13800000509"), ("code", code), ("action", "login")])
            #expect(done.status == .seeOther && done.headers[.location] == "/workbench")
            #expect(Self.text(try await browser.get("/workbench")).contains("web_co_eight"))
        }
    }
}
