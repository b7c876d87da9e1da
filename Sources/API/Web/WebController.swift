import Foundation
import Hummingbird
import PostgresStore
import VoucherCore
import VoucherServices

/// The web pages (issue 16): the portal and the workbench, rendered on the server from the same
/// use cases and repositories the JSON controllers call — never HTTP calls to itself — so rules
/// and permissions are enforced once.
///
/// - `GET /login`, `POST /login` — login by password (the JSON login's rule and throttle)
/// - `POST /logout`, `POST /logout-all` — end this session, or every login of the user (退出所有登录)
/// - `GET /workbench…` — the workbench, behind a session; see `WebController+Workbench`
/// - `GET /`, `/products`, `/news`, `/campaigns…`, `/register` — the public portal; see `WebController+Portal`
/// - `GET /static/{name}` — the CSS and the plain JS files
///
/// Every POST carries the session's CSRF token (the login form: a double-submit cookie) in a
/// hidden field; without it the answer is the 403 page and nothing changes.
struct WebController: Sendable {
    let pages: WebPages
    let sessions: WebSessions
    let services: Services

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
            .get("static/:name", use: staticFile)
            .get("login", use: loginPage)
            .post("login", use: login)
            .post("logout", use: logout)
            .post("logout-all", use: logoutEverywhere)
            .get("/", use: portalHome)
            .get("register", use: registerPage)
            .get("products", use: products)
            .get("news", use: news)
            .get("campaigns", use: campaigns)
            .get("campaigns/:id", use: campaign)
            .get("workbench", use: workbenchHome)
            .get("workbench/orders", use: orders)
            .get("workbench/orders/:id", use: order)
            .get("workbench/vouchers", use: vouchers)
    }

    func staticFile(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let name = context.parameters.get("name"), let file = pages.statics[name] else { return errorPage(.notFound, viewer: nil) }
        return Response(
            status: .ok, headers: [.contentType: file.contentType, .cacheControl: "public, max-age=300"], body: .init(byteBuffer: file.bytes))
    }

    // MARK: Login and logout

    /// The login form's view: what was typed (escaped when rendered) and the errors by field.
    struct LoginView {
        let chrome: WebChrome
        let csrf: String
        let next: String
        let username: String
        let usernameError: String
        let passwordError: String
        let formError: String
        let expired: Bool
    }

    func loginPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let query = WebForm.query(request)
        if try await sessions.viewer(request) != nil { return redirect(Self.safeNext(query["next"])) }
        return loginForm(next: Self.safeNext(query["next"]), username: "", expired: query["expired"] == "1")
    }

    func loginForm(
        next: String, username: String, usernameError: String = "", passwordError: String = "", formError: String = "",
        expired: Bool = false, status: HTTPResponse.Status = .ok
    ) -> Response {
        let csrf = Secrets.randomToken(byteCount: WebSessions.tokenBytes)
        var response = pages.page(
            "login",
            LoginView(
                chrome: chrome("登录", viewer: nil, crumbs: [("首页", "/"), ("登录", "")]), csrf: csrf, next: next, username: username,
                usernameError: usernameError, passwordError: passwordError, formError: formError, expired: expired),
            status: status)
        response.setCookie(sessions.loginCSRFCookie(csrf))
        return response
    }

    func login(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let form = try await WebForm.body(request) else { return errorPage(.badRequest, viewer: nil) }
        guard let cookie = request.cookies[WebSessions.loginCSRFCookieName]?.value, let sent = form["csrf"],
            WebSessions.tokensEqual(cookie, sent)
        else { return errorPage(.forbidden, viewer: nil, reason: "表单已失效或缺少安全令牌（CSRF），请刷新页面后重新提交。") }
        let next = Self.safeNext(form["next"])
        let username = form.text("username") ?? ""
        let password = form["password"] ?? ""
        if username.isEmpty || password.isEmpty {
            return loginForm(
                next: next, username: username, usernameError: username.isEmpty ? "请输入用户名。" : "",
                passwordError: password.isEmpty ? "请输入密码。" : "", status: .unprocessableContent)
        }
        let user: UserRecord
        do {
            user = try await AuthController.authenticate(
                env, username: username, password: password, address: LoginThrottle.clientAddress(request, context))
        } catch let problem as Problem {
            let message = WebFieldErrors.message(problem)
            return loginForm(
                next: next, username: username, usernameError: message.field == "username" ? message.text : "",
                passwordError: message.field == "password" ? message.text : "", formError: message.field == nil ? message.text : "",
                status: problem.status)
        }
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
            return errorPage(.forbidden, viewer: viewer, reason: "表单已失效或缺少安全令牌（CSRF），请刷新页面后重新提交。")
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
            return errorPage(.forbidden, viewer: viewer, reason: "您的账号没有“\(page.label)”菜单的权限，请联系主账号在用户管理中开通。")
        }
        return try await body(viewer)
    }

    /// The frame of a page; with a viewer on a workbench page, the left menu.
    func chrome(_ title: String, viewer: WebViewer?, crumbs: [(String, String)], menu current: WebMenu? = nil) -> WebChrome {
        let portal: [(String, String)] = [("首页", "/"), ("政策资讯", "/news"), ("产品和解决方案", "/products"), ("服务券活动", "/campaigns")]
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
        case "unavailable": return (nil, "服务暂不可用，请稍后重试。")
        default: return (nil, "请求无法完成（\(problem.code)），请检查后重试。")
        }
    }
}
