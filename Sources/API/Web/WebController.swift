import Foundation
import Hummingbird
import PostgresStore
import VoucherCore
import VoucherServices

/// The web pages (issue 16): the portal and the workbench, rendered on the server from the same
/// use cases and repositories the JSON controllers call — never HTTP calls to itself — so rules
/// and permissions are enforced once.
///
/// - `GET /login`, `POST /login`, `POST /login/sms` — login by password (the JSON login's rule and
///   throttle) or by SMS code (the JSON SMS login's send limits and guesses)
/// - `POST /logout`, `POST /logout-all` — end this session, or every login of the user (退出所有登录)
/// - `GET /workbench…` — the workbench, behind a session; see `WebController+Workbench`
/// - `GET /`, `/products`, `/news`, `/campaigns…`, `/register` — the public portal; see `WebController+Portal`
/// - `GET /experts…`, `/search` — 专家团队 and 统一搜索; see `WebController+Experts`
/// - `/workbench/inbox…`, `/workbench/password`, `/workbench/users…` — 我的待办, 修改密码, 用户管理;
///   see `WebController+Inbox` and `WebController+Account`
/// - `GET /static/{name}` — the CSS and the plain JS files
///
/// Every POST carries the session's CSRF token (the login form: a double-submit cookie) in a
/// hidden field; without it the answer is the 403 page and nothing changes.
struct WebController: Sendable {
    let pages: WebPages
    let sessions: WebSessions
    let services: Services
    /// The anonymous campaign pages' renders (`WebController+Campaigns`), one set per router.
    let campaignRenders = CampaignRenders()

    var env: AccountsEnvironment { sessions.env }

    /// The templates and static files, read once per process (every router of the tests shares them).
    static let loadedPages = Result { try WebPages.load() }

    /// The pages over `services`: sessions in PostgreSQL on the use cases' clock (moved on by
    /// `web.clockOffsetFile` in a browser-test server). Missing resources are a broken build: stop.
    static func make(services: Services) -> WebController {
        let pages: WebPages
        do { pages = try loadedPages.get() } catch { preconditionFailure("the web pages cannot be loaded: \(error)") }
        let settings = services.config.web
        let clock: any WallClock =
            settings.clockOffsetFile.isEmpty ? services.clock : OffsetFileClock(base: services.clock, path: settings.clockOffsetFile)
        let sessions = WebSessions(
            env: services.accounts, repository: WebSessionsRepository(client: services.stores.postgres, logger: services.logger),
            settings: settings, clock: clock)
        return WebController(pages: pages, sessions: sessions, services: services)
    }

    var endpoints: RouteCollection<AppRequestContext> {
        RouteCollection(context: AppRequestContext.self)
            // The opening second's pages first: the router tries a path's first component against
            // its siblings in the order they were added (`RouterTrie.matchComponent`).
            .get("campaigns", use: campaigns)
            .get("campaigns/:id", use: campaign)
            .post("campaigns/:id/lots/:lot/grab", use: grabAction)
            .post("campaigns/:id/lots/:lot/apply", use: applyAction)
            .get("static/:name", use: staticFile)
            .get("login", use: loginPage)
            .post("login", use: login)
            .post("login/sms", use: smsLogin)
            .post("logout", use: logout)
            .post("logout-all", use: logoutEverywhere)
            .get("/", use: portalHome)
            .get("register", use: registerPage)
            .get("products", use: products)
            .get("news", use: news)
            .get("workbench", use: workbenchHome)
            .get("workbench/orders", use: orders)
            .get("workbench/orders/:id", use: orderDetail)
            .get("workbench/vouchers", use: vouchers)
            .get("workbench/inbox", use: inbox)
            .get("workbench/inbox/:id", use: approval)
            .post("workbench/inbox/:id", use: decideApproval)
            .get("workbench/inbox/:id/files/:fileId", use: approvalFile)
            .get("workbench/password", use: passwordPage)
            .post("workbench/password", use: changePassword)
            .get("workbench/users", use: subAccountsPage)
            .post("workbench/users", use: createSubAccount)
            .get("workbench/users/new", use: newSubAccountPage)
            .get("workbench/users/:id", use: subAccountPage)
            .post("workbench/users/:id/permissions", use: setSubAccountPermissions)
            .post("workbench/users/:id/delete", use: deleteSubAccount)
            .get("experts", use: expertsPage)
            .get("experts/:id", use: expertPage)
            .get("search", use: unifiedSearch)
            .get("workbench/vouchers/:id", use: voucher)
            .get("products/:id", use: productDetail)
            .get("workbench/buy/:productID", use: buyPage)
            .post("workbench/buy/:productID", use: buyPost)
            .post("workbench/buy/:productID/quote", use: buyQuoteJSON)
            .post("workbench/orders/:id/proofs", use: orderProofs)
            .post("workbench/orders/:id/payment", use: orderPay)
            .post("workbench/orders/:id/cancel", use: orderCancel)
            .post("workbench/orders/:id/accept", use: orderAccept)
            .post("workbench/orders/:id/refund", use: orderRefund)
            .get("workbench/reviews", use: myReviews)
            .get("workbench/reviews/write/:orderID", use: reviewWritePage)
            .post("workbench/reviews/write/:orderID", use: reviewWrite)
            .get("workbench/reviews/:id", use: reviewPage)
            .post("workbench/reviews/:id", use: reviewEdit)
            .get("register/account", use: registerAccountPage)
            .post("register/account", use: registerAccount)
            .get("workbench/registration", use: submitPage)
            .post("workbench/registration/submit", use: submitRegistration)
            .get("workbench/registration/details", use: detailsPage)
            .post("workbench/registration/details", use: saveDetailsForm)
            .get("workbench/registration/groups", use: groupsPage)
            .post("workbench/registration/groups", use: saveGroupsForm)
            .get("workbench/registration/licence", use: licencePage)
            .post("workbench/registration/licence", use: uploadLicenceForm)
            .get("workbench/registration/survey", use: surveyPage)
            .post("workbench/registration/survey", use: saveSurveyForm)
            .get("workbench/organisation", use: organisationPage)
            .get("workbench/payee-accounts", use: payeesPage)
            .post("workbench/payee-accounts", use: addPayeeForm)
            .get("workbench/payee-accounts/:id", use: payeePage)
            .post("workbench/payee-accounts/:id", use: editPayeeForm)
            .post("workbench/payee-accounts/:id/disable", use: disablePayeeForm)
            .get("workbench/redemption", use: batchesPage)
            .get("workbench/redemption/new", use: newBatchPage)
            .post("workbench/redemption/new", use: submitBatchForm)
            .get("workbench/redemption/general", use: generalBatchPage)
            .post("workbench/redemption/general", use: submitGeneralForm)
            .get("workbench/redemption/:id", use: batchPage)
            .get("workbench/redemption/:id/materials", use: batchMaterials)
            .get("workbench/redemption/:id/files/:position", use: batchFile)
            .post("workbench/redemption/:id/confirm", use: confirmBatchForm)
            .post("workbench/redemption/:id/dispute", use: disputeBatchForm)
            .post("workbench/redemption/:id/transfer", use: transferBatchForm)
            .post("workbench/redemption/:id/reject", use: rejectBatchForm)
            .get("workbench/transfers", use: transfersPage)
            .get("workbench/finance/statements", use: financeStatements)
            .post("workbench/finance/statements", use: uploadStatementForm)
            .get("workbench/finance/statements/:id", use: financeReport)
            .get("workbench/finance/statements/:id/report.csv", use: financeReportCSV)
            .get("workbench/finance/statement-lines/:id", use: financeLine)
            .post("workbench/finance/statement-lines/:id", use: decideLine)
            .get("workbench/finance/payouts", use: financePayouts)
            .get("workbench/finance/payouts.csv", use: financePayoutsCSV)
            .get("workbench/campaigns", use: operatorCampaigns)
            .post("workbench/campaigns", use: createCampaign)
            .get("workbench/campaigns/new", use: newCampaignPage)
            .get("workbench/campaigns/:id", use: operatorCampaign)
            .get("workbench/campaigns/:id/live", use: operatorCampaignLive)
            .get("workbench/campaigns/:id/edit", use: editCampaignPage)
            .post("workbench/campaigns/:id/edit", use: updateCampaign)
            .post("workbench/campaigns/:id/publish", use: campaignTransition)
            .post("workbench/campaigns/:id/end", use: campaignTransition)
            .post("workbench/campaigns/:id/lots/:lot/stock", use: campaignRestock)
            .post("workbench/campaigns/:id/applications/:application", use: campaignApplication)
            .get("workbench/announcements", use: operatorAnnouncements)
            .post("workbench/announcements", use: saveAnnouncement)
            .get("workbench/announcements/new", use: newAnnouncementPage)
            .get("workbench/announcements/:id", use: announcementPage)
            .post("workbench/announcements/:id", use: saveAnnouncement)
            .post("workbench/announcements/:id/publish", use: announcementAction)
            .post("workbench/announcements/:id/pin", use: announcementAction)
            .post("workbench/announcements/:id/withdraw", use: announcementAction)
            .get("workbench/platform/organisations", use: platformOrganisations)
            .get("workbench/platform/orders", use: platformOrders)
            .get("workbench/platform/products", use: platformProducts)
            .get("workbench/products", use: myProducts)
            .get("workbench/products/new", use: listingNewPage)
            .post("workbench/products/new", use: listingCreate)
            .get("workbench/products/:id/edit", use: listingEditPage)
            .post("workbench/products/:id/edit", use: listingUpdate)
            .get("workbench/products/:id/preview", use: listingPreview)
            .get("workbench/products/:id/files/:fileId", use: listingPreviewFile)
            .post("workbench/products/:id/submit") { try await productAction($0, $1, action: "submit") }
            .post("workbench/products/:id/withdraw") { try await productAction($0, $1, action: "withdraw") }
            .post("workbench/products/:id/delist") { try await productAction($0, $1, action: "delist") }
            .get("workbench/inbox/:id/listing-files/:fileId", use: listingSubjectFile)
            .get("workbench/provider/orders", use: providerOrders)
            .get("workbench/provider/orders/:id", use: providerOrder)
            .post("workbench/provider/orders/:id/deliver", use: providerDeliver)
            .get("workbench/provider/reviews", use: customerReviews)
            .get("workbench/experts", use: expertsAdmin)
            .get("workbench/experts/new", use: expertNewPage)
            .post("workbench/experts/new", use: expertCreate)
            .get("workbench/experts/:id", use: expertEditPage)
            .post("workbench/experts/:id", use: expertUpdate)
            .post("workbench/experts/:id/delete", use: expertDelete)
    }

    func staticFile(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let name = context.parameters.get("name"), Self.isFileName(name) else { return errorPage(.badRequest, viewer: nil) }
        guard let file = pages.statics[name] else { return errorPage(.notFound, viewer: nil) }
        return Response(
            status: .ok, headers: [.contentType: file.contentType, .cacheControl: "public, max-age=300"], body: .init(byteBuffer: file.bytes))
    }

    // MARK: Login and logout

    /// What the login page shows besides its frame: what was typed (escaped when rendered), the
    /// errors next to their fields, and the SMS form's state.
    struct LoginState {
        var next = "/workbench"
        var username = ""
        var usernameError = ""
        var passwordError = ""
        var formError = ""
        var expired = false
        var phone = ""
        var phoneError = ""
        var codeError = ""
        var smsUsername = ""
        /// The phone has several accounts: the SMS form asks which.
        var askUsername = false
        var smsNotice = ""
        var smsFormError = ""
    }

    struct LoginView {
        let chrome: WebChrome
        let csrf: String
        let state: LoginState
    }

    func loginPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let query = WebForm.query(request)
        if try await sessions.viewer(request) != nil { return redirect(Self.safeNext(query["next"])) }
        return loginForm(LoginState(next: Self.safeNext(query["next"]), expired: query["expired"] == "1"))
    }

    /// The login page with a fresh login CSRF token (cookie and hidden fields).
    func loginForm(_ state: LoginState, status: HTTPResponse.Status = .ok) -> Response {
        let csrf = Secrets.randomToken(byteCount: WebSessions.tokenBytes)
        let view = LoginView(chrome: chrome("登录", viewer: nil, crumbs: [("首页", "/"), ("登录", "")]), csrf: csrf, state: state)
        var response = pages.page("login", view, status: status)
        response.setCookie(sessions.loginCSRFCookie(csrf))
        return response
    }

    /// The login form's body when its CSRF token matches the login cookie (double submit).
    private func loginFormBody(_ request: Request) async throws -> WebForm? {
        guard let form = try await WebForm.body(request), let cookie = request.cookies[WebSessions.loginCSRFCookieName]?.value,
            let sent = form["csrf"], WebSessions.tokensEqual(cookie, sent)
        else { return nil }
        return form
    }

    static let csrfRefusal = "表单已失效或缺少安全令牌（CSRF），请刷新页面后重新提交。"

    func login(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let form = try await loginFormBody(request) else { return errorPage(.forbidden, viewer: nil, reason: Self.csrfRefusal) }
        var state = LoginState(next: Self.safeNext(form["next"]), username: form.text("username") ?? "")
        let password = form["password"] ?? ""
        if state.username.isEmpty || password.isEmpty {
            state.usernameError = state.username.isEmpty ? "请输入用户名。" : ""
            state.passwordError = password.isEmpty ? "请输入密码。" : ""
            return loginForm(state, status: .unprocessableContent)
        }
        do {
            let user = try await AuthController.authenticate(
                env, username: state.username, password: password, address: LoginThrottle.clientAddress(request, context))
            return try await signedIn(user, next: state.next)
        } catch {
            let problem = try await WebErrorMiddleware.refusal(for: error, request, context)
            let message = WebFieldErrors.message(problem)
            switch message.field {
            case "username": state.usernameError = message.text
            case "password": state.passwordError = message.text
            default: state.formError = message.text
            }
            return loginForm(state, status: problem.status)
        }
    }

    /// 短信登录: `action=send` asks for a code (the JSON API's send limits), `action=login` logs in
    /// with it (the JSON API's rule: bounded guesses, the username when the phone has several accounts).
    func smsLogin(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let form = try await loginFormBody(request) else { return errorPage(.forbidden, viewer: nil, reason: Self.csrfRefusal) }
        var state = LoginState(next: Self.safeNext(form["next"]), phone: form.text("phone") ?? "", smsUsername: form.text("username") ?? "")
        state.askUsername = !state.smsUsername.isEmpty
        do {
            if form["action"] == "send" {
                try await AuthController.sendLoginCode(env, phone: state.phone)
                state.smsNotice = "如该手机号已注册，验证码已发送，\(AccountsLimits.smsCodeLifetimeSeconds / 60) 分钟内有效。"
                return loginForm(state)
            }
            let user = try await AuthController.authenticateBySMS(
                env, phone: state.phone, code: form.text("code") ?? "", username: state.askUsername ? state.smsUsername : nil)
            return try await signedIn(user, next: state.next)
        } catch {
            let problem = try await WebErrorMiddleware.refusal(for: error, request, context)
            let message = WebFieldErrors.message(problem)
            switch message.field {
            case "phone": state.phoneError = message.text
            case "code": state.codeError = message.text
            case "smsUsername":
                state.askUsername = true
                state.smsFormError = message.text
            default: state.smsFormError = message.text
            }
            return loginForm(state, status: problem.status)
        }
    }

    /// A new session for `user`: its cookie, the login CSRF cookie forgotten, and on to `next`.
    private func signedIn(_ user: UserRecord, next: String) async throws -> Response {
        let (token, _) = try await sessions.start(for: user)
        var response = redirect(next)
        response.setCookie(sessions.cookie(token))
        response.setCookie(sessions.expired(WebSessions.loginCSRFCookieName))
        return response
    }

    func logout(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await signedInPost(request) { viewer in
            try await sessions.repository.end(id: viewer.session.id, now: sessions.clock.now())
        }
    }

    func logoutEverywhere(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await signedInPost(request) { viewer in
            try await sessions.repository.endEverywhere(userID: viewer.user.id, now: sessions.clock.now())
        }
    }

    /// A logout form: the session's CSRF token must match, then `end` runs and the browser is sent
    /// to the login page without its cookie.
    private func signedInPost(_ request: Request, end: (WebViewer) async throws -> Void) async throws -> Response {
        guard let form = try await WebForm.body(request) else { return errorPage(.badRequest, viewer: nil) }
        guard let viewer = try await sessions.viewer(request) else { return redirect("/login") }
        guard let sent = form["csrf"], WebSessions.tokensEqual(viewer.session.csrfToken, sent) else {
            return errorPage(.forbidden, viewer: viewer, reason: Self.csrfRefusal)
        }
        try await end(viewer)
        var response = redirect("/login")
        response.setCookie(sessions.expired(WebSessions.cookieName))
        return response
    }

    struct PlainView {
        let chrome: WebChrome
    }

    /// 注册: the registration entry of the portal (the wizard's pages come later; the JSON API registers today).
    func registerPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let viewer = try await sessions.viewer(request)
        return pages.page("register", PlainView(chrome: chrome("注册", viewer: viewer, crumbs: [("首页", "/"), ("注册", "")])))
    }

    // MARK: Shared parts

    /// A workbench page: the viewer's session, else the login page with `next` back here; the
    /// page's menu check, else the 403 page.
    func workbenchPage(
        _ request: Request, _ page: WebMenu, _ body: (WebViewer) async throws -> Response
    ) async throws -> Response {
        guard let viewer = try await sessions.viewer(request) else {
            let here = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
            return redirect("/login?next=" + WebForm.encode(here) + (request.cookies[WebSessions.cookieName] == nil ? "" : "&expired=1"))
        }
        guard page.allows(viewer.identity) else {
            if page.needsCertification, !viewer.identity.certified {
                return errorPage(.forbidden, viewer: viewer, reason: "企业认证通过后才能使用“\(page.label)”。")
            }
            return errorPage(.forbidden, viewer: viewer, reason: "您的账号没有“\(page.label)”菜单的权限，请联系主账号在用户管理中开通。")
        }
        return try await body(viewer)
    }

    /// The frame of a page; with a viewer on a workbench page, the left menu.
    func chrome(_ title: String, viewer: WebViewer?, crumbs: [(String, String)], menu current: WebMenu? = nil) -> WebChrome {
        let portal: [(String, String)] = [("首页", "/"), ("政策资讯", "/news"), ("产品和解决方案", "/products"), ("服务券活动", "/campaigns"), ("专家团队", "/experts")]
        return WebChrome(
            title: title, signedIn: viewer != nil, userName: viewer?.user.username ?? "",
            roleLabel: viewer.map { WebLabels.role($0.identity.role) } ?? "", csrf: viewer?.session.csrfToken ?? "",
            portalNav: portal.map { WebChrome.Link(label: $0.0, href: $0.1, current: current == nil && $0.0 == title) },
            menu: current.flatMap { current in viewer.map { WebMenu.links(for: $0.identity, current: current) } } ?? [],
            workbench: current != nil,
            crumbs: crumbs.enumerated().map { index, crumb in
                WebChrome.Crumb(label: crumb.0, href: crumb.1, linked: index < crumbs.count - 1 && !crumb.1.isEmpty)
            })
    }

    struct ErrorView {
        let chrome: WebChrome
        let status: Int
        let heading: String
        let reason: String
    }

    /// The error page of `status` (403 page, 404 page…), in the frame of the viewer if any.
    func errorPage(_ status: HTTPResponse.Status, viewer: WebViewer?, reason: String = "") -> Response {
        let heading: String
        switch status.code {
        case 400: heading = "请求无效"
        case 403: heading = "无权访问"
        case 404: heading = "页面不存在"
        case 429: heading = "操作过于频繁"
        case 503: heading = "服务暂不可用"
        default: heading = status.code >= 500 ? "系统错误" : "请求无法完成"
        }
        let view = ErrorView(
            chrome: chrome(heading, viewer: viewer, crumbs: [("首页", "/"), (heading, "")], menu: viewer == nil ? nil : .home),
            status: status.code, heading: heading, reason: reason)
        return pages.page("error", view, status: status)
    }

    func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }

    /// A static file's name: letters, digits, `.`, `-`, `_` (anything else is a malformed path, 400).
    static func isFileName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 64
            && name.utf8.allSatisfy {
                ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || $0 == 0x2E || $0 == 0x2D || $0 == 0x5F
            }
    }

    /// Where a login may send the browser: a path of this site only (`/…`, not `//host` or a URL).
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\"), next.utf8.count <= 512,
            !next.unicodeScalars.contains(where: { $0.value < 0x20 })
        else { return "/workbench" }
        return next
    }
}

/// The Chinese sentence shown next to a form field for a use case's problem `code` (nil field:
/// above the form).
enum WebFieldErrors {
    static func message(_ problem: Problem) -> (field: String?, text: String) {
        switch problem.code {
        case "credentials_invalid": return ("password", "用户名或密码错误，请检查后重试。")
        case "failed_logins_too_many":
            let retry = problem.headers[.retryAfter] ?? "900"
            return (nil, "登录失败次数过多，请 \(retry) 秒后再试，或使用短信验证码登录。")
        case "phone_invalid": return ("phone", "请输入 11 位中国大陆手机号。")
        case "sms_code_malformed": return ("code", "验证码为 6 位数字，请按短信输入。")
        case "sms_code_invalid": return ("code", "验证码错误、已使用或已过期，请检查或重新获取。")
        case "phone_ambiguous": return ("smsUsername", "该手机号绑定了多个账号，请填写用户名后再登录。")
        case "sms_rate_limited":
            let retry = problem.headers[.retryAfter] ?? "60"
            return (nil, "验证码发送过于频繁，请 \(retry) 秒后再试。")
        case "unavailable": return (nil, "服务暂不可用，请稍后重试。")
        default: return (nil, "请求无法完成（\(problem.code)），请检查后重试。")
        }
    }
}
