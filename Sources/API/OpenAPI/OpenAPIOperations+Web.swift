import VoucherServices

private typealias Op = OpenAPIOperation

/// An HTML page: its errors are HTML pages too (403 page, 404 page), not problems, so only the
/// codes every route shares are listed.
private let html = OpenAPIOperation.Answer.media(["text/html": ["type": "string", "contentMediaType": "text/html"]])
/// A form post answers 303 to the next page, or 200/4xx with the form again and the errors next
/// to its fields (HTML).
private let formBody = OpenAPIOperation.Body.raw(
    mediaTypes: ["application/x-www-form-urlencoded"], description: "An HTML form with its hidden csrf field.")

extension OpenAPIDocument {
    /// `WebController`: the portal and workbench pages (issue 16). They use a session cookie
    /// (`vr_session`), not a bearer token; a workbench page without a live session answers 303 to
    /// `/login?next=…`.
    static let webOperations: [OpenAPIOperation] = [
        Op(.get, "/", id: "webHome", summary: "Portal 首页 (HTML).", access: .anyone, answer: html),
        Op(.get, "/news", id: "webNews", summary: "Portal 政策资讯 by tab, 10 a page (HTML).", access: .anyone, answer: html),
        Op(
            .get, "/products", id: "webProducts", summary: "Portal 产品和解决方案: search, category filter, 10 a page (HTML).", access: .anyone, answer: html
        ),
        Op(
            .get, "/campaigns", id: "webCampaigns", summary: "Portal 服务券活动: listed and ended campaigns, 10 a page (HTML).", access: .anyone,
            answer: html),
        Op(
            .get, "/campaigns/{id}", id: "webCampaign", summary: "One campaign's lots with their remaining stock (HTML; 404 page for a draft).",
            access: .anyone, answer: html),
        Op(.get, "/register", id: "webRegister", summary: "Portal 注册 entry (HTML).", access: .anyone, answer: html),
        Op(.get, "/login", id: "webLoginPage", summary: "The login form; sets its CSRF cookie (HTML).", access: .anyone, answer: html),
        Op(
            .post, "/login", id: "webLogin", summary: "Log in by password: 303 with the session cookie, or the form again with errors (HTML).",
            access: .anyone, body: formBody, status: 303, answer: .empty, replayStatus: 200),
        Op(
            .post, "/login/sms", id: "webSMSLogin",
            summary: "短信登录: action=send asks for a code (the form again with a notice), action=login logs in: 303 with the session cookie, "
                + "or the form again with errors (HTML).",
            access: .anyone, body: formBody, status: 303, answer: .empty, replayStatus: 200),
        Op(
            .post, "/logout", id: "webLogout", summary: "End this web session and its login: 303 to the login page.", access: .anyone,
            body: formBody, status: 303, answer: .empty),
        Op(
            .post, "/logout-all", id: "webLogoutEverywhere",
            summary: "退出所有登录: end every web session and JSON login of the user: 303 to the login page.", access: .anyone,
            body: formBody, status: 303, answer: .empty),
        Op(.get, "/workbench", id: "webWorkbench", summary: "工作台 (HTML; session needed).", access: .anyone, answer: html),
        Op(.get, "/workbench/orders", id: "webOrders", summary: "订单管理 › 我的订单 (HTML; enterprise, orders menu).", access: .anyone, answer: html),
        Op(
            .get, "/workbench/orders/{id}", id: "webOrder", summary: "订单详情 with cap, deduction and payable (HTML; the orders menu).",
            access: .anyone, answer: html),
        Op(
            .get, "/workbench/vouchers", id: "webVouchers", summary: "服务券查询 (HTML; enterprise, vouchers menu).", access: .anyone,
            answer: html),
        Op(
            .get, "/register/account", id: "webRegisterAccountPage", summary: "注册 › 填写帐号信息: the account form; sets its CSRF cookie (HTML).",
            access: .anyone, answer: html),
        Op(
            .post, "/register/account", id: "webRegisterAccount",
            summary: "action=send sends the registration SMS code (the form again with a notice); action=register makes the enterprise's "
                + "account: 303 to the registration wizard with the session cookie, or the form again with errors (HTML).",
            access: .anyone, body: formBody, status: 303, answer: .empty, replayStatus: 200),
        Op(
            .get, "/workbench/registration", id: "webRegistration",
            summary: "企业注册 › 提交认证: the state (审核中 once submitted) and what is missing (HTML; enterprise main account until certified).",
            access: .anyone, answer: html),
        Op(
            .post, "/workbench/registration/submit", id: "webRegistrationSubmit",
            summary: "提交: 303 to the state page, or the page again listing what is missing (HTML).", access: .anyone, body: formBody,
            status: 303, answer: .empty, replayStatus: 200),
        Op(
            .get, "/workbench/registration/details", id: "webRegistrationDetails", summary: "企业注册 › 企业背景, the saved draft (HTML).",
            access: .anyone, answer: html),
        Op(
            .post, "/workbench/registration/details", id: "webRegistrationSaveDetails",
            summary: "保存 / 下一步 / a step: save 企业背景 as a draft: 303 on, or the form again with the errors next to their fields (HTML).",
            access: .anyone, body: formBody, status: 303, answer: .empty, replayStatus: 200),
        Op(
            .get, "/workbench/registration/groups", id: "webRegistrationGroups", summary: "企业注册 › 经营情况: the eleven groups (HTML).",
            access: .anyone, answer: html),
        Op(
            .post, "/workbench/registration/groups", id: "webRegistrationSaveGroups",
            summary: "Save the groups, one `名称=值` per line: 303 on, or the form again with errors (HTML).", access: .anyone, body: formBody,
            status: 303, answer: .empty, replayStatus: 200),
        Op(
            .get, "/workbench/registration/licence", id: "webRegistrationLicence", summary: "企业注册 › 营业执照 (HTML).", access: .anyone,
            answer: html),
        Op(
            .post, "/workbench/registration/licence", id: "webRegistrationUploadLicence",
            summary: "Upload the licence (JPG/PNG by content, ≤ 10 MB): 303 on, or the form again with the error (HTML).", access: .anyone,
            body: .raw(mediaTypes: ["multipart/form-data"], description: "Parts csrf, action and licence (the image)."), status: 303,
            answer: .empty, replayStatus: 200),
        Op(
            .get, "/workbench/registration/survey", id: "webRegistrationSurvey", summary: "企业注册 › 需求调研 (HTML).", access: .anyone,
            answer: html),
        Op(
            .post, "/workbench/registration/survey", id: "webRegistrationSaveSurvey",
            summary: "Save the demand survey: 303 on, or the form again with errors (HTML).", access: .anyone, body: formBody, status: 303,
            answer: .empty, replayStatus: 200),
        Op(
            .get, "/workbench/organisation", id: "webOrganisation",
            summary: "我的企业: 认证信息, 基本信息, 企业诊断信息 (HTML; enterprise or provider, organisation menu).", access: .anyone, answer: html),
        Op(
            .get, "/static/{name}", id: "webStatic", summary: "The pages' stylesheet and plain scripts.", access: .anyone,
            answer: .media(["text/css": ["type": "string"], "text/javascript": ["type": "string"]])),
    ]
}
