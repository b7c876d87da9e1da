import Foundation
import Hummingbird
import PostgresStore
import VoucherCore
import VoucherServices

/// The registration wizard of enterprises (guide §2.3.2; issue 16) and providers (§1.3.1; issue
/// 17), over the same use cases as `RegistrationController` (`registerUser`,
/// `sendRegistrationCode`, `save`, `storeLicence`, the survey's record and `Registration.submit`):
///
/// - `GET/POST /register/account` — step 1, 填写帐号信息: 角色 (企业用户 or 服务商; `?role=provider`
///   preselects), username, phone with its SMS code (获取验证码), password twice, consent; the
///   account is made and a web session starts
/// - `GET/POST /workbench/registration/details` — step 2, the enterprise's 企业背景 (fig 2-7) or the
///   provider's 企业信息 (fig 1-4), saved as a draft
/// - `GET/POST /workbench/registration/groups` — the eleven groups (运营 … 创新研发; enterprises)
/// - `GET/POST /workbench/registration/licence` — 营业执照 (multipart, JPG/PNG by content, ≤ 10 MB)
/// - `GET/POST /workbench/registration/survey` — 企业需求收集 (the demand survey; enterprises)
/// - `GET /workbench/registration` — 提交: what is missing, the state (审核中 …); `POST …/submit`
///
/// Every step's 保存 keeps a partial draft, and the step links are buttons of the form, so leaving
/// a step saves it first; the draft is on the server, so logging in again resumes it. The steps
/// are for the main account while its organisation is not certified (menu 企业注册). A provider's
/// wizard is the same pages with its own fields and without the groups and the survey (404 page).
extension WebController {
    /// The enterprise wizard's steps, in order, with their paths.
    static let registrationSteps: [(key: String, label: String, path: String)] = [
        ("details", "企业背景", "/workbench/registration/details"),
        ("groups", "经营情况", "/workbench/registration/groups"),
        ("licence", "营业执照", "/workbench/registration/licence"),
        ("survey", "需求调研", "/workbench/registration/survey"),
        ("submit", "提交认证", "/workbench/registration"),
    ]

    /// The provider wizard's steps (guide §1.3.1: 企业信息 with the licence, then 注册完成).
    static let providerRegistrationSteps: [(key: String, label: String, path: String)] = [
        ("details", "企业信息", "/workbench/registration/details"),
        ("licence", "营业执照", "/workbench/registration/licence"),
        ("submit", "提交认证", "/workbench/registration"),
    ]

    /// The steps of `role`'s wizard.
    static func registrationSteps(for role: Role) -> [(key: String, label: String, path: String)] {
        role == .provider ? providerRegistrationSteps : registrationSteps
    }

    /// The path of the step after `key` in `role`'s wizard (提交认证 after the last).
    static func stepPath(after key: String, role: Role) -> String {
        let steps = registrationSteps(for: role)
        guard let index = steps.firstIndex(where: { $0.key == key }), index + 1 < steps.count else { return "/workbench/registration" }
        return steps[index + 1].path
    }

    struct StepLink {
        let key: String
        let label: String
        let path: String
        let number: Int
        let current: Bool
    }

    static func stepLinks(current: String, role: Role) -> [StepLink] {
        registrationSteps(for: role).enumerated().map {
            StepLink(key: $1.key, label: $1.label, path: $1.path, number: $0 + 1, current: $1.key == current)
        }
    }

    var registration: RegistrationController { RegistrationController(env: env) }

    /// The largest registration step form read (the groups' text areas and 企业简介 included).
    static let registrationFormBytesMax = 128 * 1024

    // MARK: Step 1: the account

    struct AccountState {
        var username = ""
        var phone = ""
        var usernameError = ""
        var phoneError = ""
        var codeError = ""
        var passwordError = ""
        var confirmationError = ""
        var consentError = ""
        var formError = ""
        var notice = ""
        var consent = false
        /// 角色: 服务商 (the form's `role=provider`), else 企业用户. Stored, as the template reads it.
        var isProvider = false
        var role: Role { isProvider ? .provider : .enterprise }
    }

    struct AccountView {
        let chrome: WebChrome
        let csrf: String
        let state: AccountState
    }

    func registerAccountPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        if try await sessions.viewer(request) != nil { return redirect("/workbench/registration") }
        var state = AccountState()
        state.isProvider = WebForm.query(request)["role"] == Role.provider.rawValue
        return accountForm(state)
    }

    func accountForm(_ state: AccountState, status: HTTPResponse.Status = .ok) -> Response {
        let csrf = Secrets.randomToken(byteCount: WebSessions.tokenBytes)
        let view = AccountView(
            chrome: chrome("注册", viewer: nil, crumbs: [("首页", "/"), ("注册", "/register"), ("填写帐号信息", "")]), csrf: csrf, state: state)
        var response = pages.page("register-account", view, status: status)
        response.setCookie(sessions.loginCSRFCookie(csrf))
        return response
    }

    /// 获取验证码 (`action=send`) or 下一步 (`action=register`): the JSON registration's rules and
    /// limits; on success the new main account is signed in and goes on to step 2.
    func registerAccount(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let form = try await WebForm.body(request), let cookie = request.cookies[WebSessions.loginCSRFCookieName]?.value,
            let sent = form["csrf"], WebSessions.tokensEqual(cookie, sent)
        else { return errorPage(.forbidden, viewer: nil, reason: Self.csrfRefusal) }
        var state = AccountState(username: form.text("username") ?? "", phone: form.text("phone") ?? "", consent: form["consent"] != nil)
        state.isProvider = form["role"] == Role.provider.rawValue
        let address = LoginThrottle.clientAddress(request, context)
        do {
            if form["action"] == "send" {
                try await registration.sendRegistrationCode(to: state.phone, address: address)
                state.notice = "验证码已发送，\(AccountsLimits.smsCodeLifetimeSeconds / 60) 分钟内有效。"
                return accountForm(state)
            }
            let user = try await registration.registerUser(
                .init(
                    role: state.role.rawValue, username: state.username, phone: state.phone, password: form["password"] ?? "",
                    passwordConfirmation: form["passwordConfirmation"] ?? "", consent: state.consent, smsCode: form.text("smsCode")),
                address: address)
            let (token, _) = try await sessions.start(for: user)
            var response = redirect("/workbench/registration/details")
            response.setCookie(sessions.cookie(token))
            response.setCookie(sessions.expired(WebSessions.loginCSRFCookieName))
            return response
        } catch {
            let problem = try await WebErrorMiddleware.refusal(for: error, request, context)
            let code = problem.code
            switch code {
            case "username_taken": state.usernameError = "该用户名已被使用，请换一个。"
            case let code where code.hasPrefix("username_"): state.usernameError = "用户名为 6–30 位字母、数字或下划线。"
            case "phone_invalid": state.phoneError = "请输入 11 位中国大陆手机号。"
            case "phone_taken": state.phoneError = "该手机号已注册，请直接登录或换一个手机号。"
            case "sms_code_missing": state.codeError = "请先获取并填写短信验证码。"
            case "sms_code_malformed": state.codeError = "验证码为 6 位数字，请按短信输入。"
            case "sms_code_invalid": state.codeError = "验证码错误、已使用或已过期，请检查或重新获取。"
            case "password_mismatch": state.confirmationError = "两次输入的密码不一致。"
            case let code where code.hasPrefix("password_"):
                state.passwordError = "密码为 8–18 位，至少包含数字、大写字母、小写字母和特殊字符中的三种，且不能包含用户名或手机号。"
            case "consent_required": state.consentError = "请阅读并同意《用户服务协议》和《隐私声明》。"
            case "registration_rate_limited", "sms_rate_limited":
                state.formError = "操作过于频繁，请 \(problem.headers[.retryAfter] ?? "60") 秒后再试。"
            default: state.formError = WebFieldErrors.message(problem).text
            }
            return accountForm(state, status: problem.status)
        }
    }

    // MARK: Step 2: the details

    /// A registration step: the main account of an enterprise or provider not yet certified
    /// (under review: the submit page shows the state); anyone else the 403 page. A step only
    /// enterprises have (`enterpriseOnly`: the groups, the survey) is the 404 page for a provider.
    func registrationStep(
        _ request: Request, enterpriseOnly: Bool = false, _ body: (WebViewer) async throws -> Response
    ) async throws -> Response {
        try await workbenchPage(request, .registration) { viewer in
            if enterpriseOnly, viewer.identity.role != .enterprise { return errorPage(.notFound, viewer: viewer) }
            return try await body(viewer)
        }
    }

    struct FieldView {
        struct Option {
            let code: String
            let label: String
            let selected: Bool
        }

        let key: String
        let id: String
        let label: String
        let required: Bool
        let value: String
        let error: String
        let isText: Bool
        let isLongText: Bool
        let isNumber: Bool
        let isDate: Bool
        let isFlag: Bool
        let isChoice: Bool
        let isChoices: Bool
        let maxLength: Int
        let yes: Bool
        let no: Bool
        let options: [Option]
    }

    struct DetailsView {
        let chrome: WebChrome
        /// 企业背景 (an enterprise's) or 企业信息 (a provider's).
        let title: String
        let steps: [StepLink]
        let fields: [FieldView]
        let notice: String
        let formError: String
        let missing: [String]
        let hasMissing: Bool
    }

    /// The saved draft as JSON fields, as the API answers it.
    func savedFields(_ details: OrganisationDetails) throws -> [String: JSONValue] {
        let data = try JSONEncoder().encode(details)
        guard case .object(let fields) = try JSONDecoder().decode(JSONValue.self, from: data) else { return [:] }
        return fields
    }

    func fieldViews(_ form: [WebDetailField], values: [String: String], errors: [String: String]) -> [FieldView] {
        form.map { field in
            let value = values[field.key] ?? ""
            var maxLength = 0
            var options: [FieldView.Option] = []
            var kindFlags = (text: false, long: false, number: false, date: false, flag: false, choice: false, choices: false)
            switch field.kind {
            case .text(let max):
                kindFlags.text = true
                maxLength = max
            case .longText(let max):
                kindFlags.long = true
                maxLength = max
            case .count, .yuan, .amount:
                kindFlags.number = true
                maxLength = 24
            case .percent:
                kindFlags.number = true
                maxLength = 3
            case .list(let max):
                kindFlags.text = true
                maxLength = DetailLimits.listItemsMax * (max + 1)
            case .date:
                kindFlags.date = true
                maxLength = 10
            case .flag: kindFlags.flag = true
            case .choice(let choice):
                kindFlags.choice = true
                options = choice.options.map { FieldView.Option(code: $0.code, label: $0.label, selected: $0.code == value) }
            case .choices(let choice):
                kindFlags.choices = true
                let chosen = Set(value.split(separator: ",").map(String.init))
                options = choice.options.map { FieldView.Option(code: $0.code, label: $0.label, selected: chosen.contains($0.code)) }
            }
            return FieldView(
                key: field.key, id: "f-" + field.key, label: field.label, required: field.required, value: value,
                error: errors[field.key] ?? "", isText: kindFlags.text, isLongText: kindFlags.long, isNumber: kindFlags.number,
                isDate: kindFlags.date, isFlag: kindFlags.flag, isChoice: kindFlags.choice, isChoices: kindFlags.choices, maxLength: maxLength,
                yes: value == "true", no: value == "false", options: options)
        }
    }

    func detailsPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await registrationStep(request) { viewer in
            let draft = try await Registration(env: env).draft(orgID: viewer.identity.orgID)
            let saved = try savedFields(draft.details)
            var values: [String: String] = [:]
            for field in WebDetailField.form(for: viewer.identity.role) { values[field.key] = field.text(of: field.saved(in: saved)) }
            let notice = WebForm.query(request)["saved"] == "1" ? "已保存。" : ""
            return detailsForm(viewer, values: values, errors: [:], notice: notice, missing: draft.missing)
        }
    }

    func detailsForm(
        _ viewer: WebViewer, values: [String: String], errors: [String: String], notice: String = "", formError: String = "",
        missing: [String], status: HTTPResponse.Status = .ok
    ) -> Response {
        let missingLabels = missing.map(WebDetailField.missingLabel)
        let role = viewer.identity.role
        let title = role == .provider ? "企业信息" : "企业背景"
        return pages.page(
            "registration-details",
            DetailsView(
                chrome: chrome(
                    title, viewer: viewer, crumbs: [("工作台", "/workbench"), ("企业注册", "/workbench/registration"), (title, "")],
                    menu: .registration),
                title: title, steps: Self.stepLinks(current: "details", role: role),
                fields: fieldViews(WebDetailField.form(for: role), values: values, errors: errors), notice: notice,
                formError: formError, missing: missingLabels, hasMissing: !missingLabels.isEmpty), status: status)
    }

    /// 保存 / 下一步 / a step link: the 企业背景 (or the provider's 企业信息) fields typed from the form
    /// over the saved draft (the groups are kept), checked and saved by the JSON route's `save`; a
    /// refused field is shown next to itself with everything typed kept, and nothing is saved.
    func saveDetailsForm(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await registrationPost(request) { viewer, form in
            let fieldsOfForm = WebDetailField.form(for: viewer.identity.role)
            var values: [String: String] = [:]
            var errors: [String: String] = [:]
            var typed: [String: JSONValue] = [:]
            for field in fieldsOfForm {
                if case .choices(let choice) = field.kind {
                    values[field.key] = choice.options.map(\.code).filter { form["\(field.key).\($0)"] != nil }.joined(separator: ",")
                } else {
                    values[field.key] = form[field.key] ?? ""
                }
                switch field.read(form) {
                case .success(let value): if let value { typed[field.key] = value }
                case .failure(let refusal): errors[refusal.field] = refusal.text
                }
            }
            errors.merge(WebDetailField.revenueRefusals(typed, form: fieldsOfForm)) { first, _ in first }
            let draft = try await Registration(env: env).draft(orgID: viewer.identity.orgID)
            guard errors.isEmpty else {
                return detailsForm(
                    viewer, values: values, errors: errors, formError: "有 \(errors.count) 项填写不正确，请按提示修改后再保存。", missing: draft.missing,
                    status: .badRequest)
            }
            var fields = try savedFields(draft.details)
            WebDetailField.store(typed, into: &fields, form: fieldsOfForm)
            do {
                let details = try JSONDecoder().decode(OrganisationDetails.self, from: try JSONEncoder().encode(JSONValue.object(fields)))
                try await registration.save(details, identity: viewer.identity)
            } catch {
                let problem = try await WebErrorMiddleware.refusal(for: error, request, context)
                let key = Self.problemField(problem)
                if let field = fieldsOfForm.first(where: { $0.key == key }) {
                    errors[field.key] = field.refusal(problem.code).text
                    return detailsForm(
                        viewer, values: values, errors: errors, formError: "有 1 项填写不正确，请按提示修改后再保存。", missing: draft.missing,
                        status: problem.status)
                }
                return detailsForm(
                    viewer, values: values, errors: errors, formError: WebFieldErrors.message(problem).text, missing: draft.missing,
                    status: problem.status)
            }
            return redirect(Self.afterSave(form, here: "details", role: viewer.identity.role))
        }
    }

    /// The field a problem's detail names first ("region must be …", "groups.operations.x is …").
    static func problemField(_ problem: Problem) -> String {
        if problem.code.hasPrefix("credit_code") { return "unifiedSocialCreditCode" }
        if problem.code == "email_invalid" { return "email" }
        return String(problem.detail.prefix { $0 != " " })
    }

    /// Where a step's form goes after saving: 保存 stays (with 已保存), 下一步 the next step, a step
    /// link that step.
    static func afterSave(_ form: WebForm, here: String, role: Role = .enterprise) -> String {
        let action = form["action"] ?? "save"
        let steps = registrationSteps(for: role)
        if action.hasPrefix("goto:"), let step = steps.first(where: { "goto:" + $0.key == action }) { return step.path }
        if action == "next" { return stepPath(after: here, role: role) }
        let path = steps.first { $0.key == here }?.path ?? "/workbench/registration"
        return path + "?saved=1"
    }

    /// A registration step's POST: the session, the step's menu, the CSRF token, then `body`.
    func registrationPost(
        _ request: Request, enterpriseOnly: Bool = false, _ body: (WebViewer, WebForm) async throws -> Response
    ) async throws -> Response {
        try await registrationStep(request, enterpriseOnly: enterpriseOnly) { viewer in
            // A step's form is larger than a login's: 2,000 characters of 企业简介 percent-encode to 18 KB.
            let buffer: ByteBuffer
            do { buffer = try await request.body.collect(upTo: Self.registrationFormBytesMax) } catch {
                return errorPage(.contentTooLarge, viewer: viewer, reason: "表单内容过多，请缩短后再提交。")
            }
            guard let form = WebForm.parse(String(decoding: buffer.readableBytesView, as: UTF8.self)) else {
                return errorPage(.badRequest, viewer: viewer)
            }
            guard let sent = form["csrf"], WebSessions.tokensEqual(viewer.session.csrfToken, sent) else {
                return errorPage(.forbidden, viewer: viewer, reason: Self.csrfRefusal)
            }
            return try await body(viewer, form)
        }
    }

    // MARK: The eleven groups

    struct GroupView {
        let code: String
        let label: String
        let fieldsMax: Int
        let text: String
        let error: String
        let open: Bool
    }

    struct GroupsView {
        let chrome: WebChrome
        let steps: [StepLink]
        let groups: [GroupView]
        let notice: String
        let formError: String
    }

    /// A group's fields as the page's lines, `名称=值`: whole numbers, 是/否, dates and texts as
    /// they are, a list in brackets with 、 between its items.
    static func groupText(_ fields: [String: JSONValue]?) -> String {
        (fields ?? [:]).sorted { $0.key < $1.key }.map { name, value in
            let text: String
            switch value {
            case .number(let number): text = String(Int64(number))
            case .bool(let flag): text = flag ? "是" : "否"
            case .string(let string): text = string
            case .array(let items): text = "[" + items.compactMap { if case .string(let s) = $0 { s } else { nil } }.joined(separator: "、") + "]"
            default: text = ""
            }
            return name + "=" + text
        }.joined(separator: "\n")
    }

    /// The lines of a group's text area as typed fields; nil when a line is not `名称=值`.
    static func groupFields(_ text: String) -> [String: JSONValue]? {
        var fields: [String: JSONValue] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            guard let equals = trimmed.firstIndex(of: "=") else { return nil }
            let name = trimmed[..<equals].trimmingCharacters(in: .whitespaces)
            let value = trimmed[trimmed.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else { return nil }
            if let number = Int64(value) {
                fields[name] = .number(Double(number))
            } else if value == "是" || value == "否" {
                fields[name] = .bool(value == "是")
            } else if value.hasPrefix("["), value.hasSuffix("]") {
                fields[name] = .array(value.dropFirst().dropLast().split(separator: "、").map { .string($0.trimmingCharacters(in: .whitespaces)) })
            } else {
                fields[name] = .string(value)
            }
        }
        return fields
    }

    func groupsForm(
        _ viewer: WebViewer, texts: [String: String], errors: [String: String], notice: String = "", formError: String = "",
        status: HTTPResponse.Status = .ok
    ) -> Response {
        let groups = EnterpriseGroup.allCases.map { group in
            GroupView(
                code: group.rawValue, label: group.label, fieldsMax: group.fieldsMax, text: texts[group.rawValue] ?? "",
                error: errors[group.rawValue] ?? "", open: errors[group.rawValue] != nil || !(texts[group.rawValue] ?? "").isEmpty)
        }
        return pages.page(
            "registration-groups",
            GroupsView(
                chrome: chrome(
                    "经营情况", viewer: viewer, crumbs: [("工作台", "/workbench"), ("企业注册", "/workbench/registration"), ("经营情况", "")],
                    menu: .registration),
                steps: Self.stepLinks(current: "groups", role: .enterprise), groups: groups, notice: notice, formError: formError), status: status)
    }

    func groupsPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await registrationStep(request, enterpriseOnly: true) { viewer in
            let draft = try await Registration(env: env).draft(orgID: viewer.identity.orgID)
            var texts: [String: String] = [:]
            for group in EnterpriseGroup.allCases { texts[group.rawValue] = Self.groupText(draft.details.groups?[group.rawValue]) }
            return groupsForm(viewer, texts: texts, errors: [:], notice: WebForm.query(request)["saved"] == "1" ? "已保存。" : "")
        }
    }

    func saveGroupsForm(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await registrationPost(request, enterpriseOnly: true) { viewer, form in
            var texts: [String: String] = [:]
            var errors: [String: String] = [:]
            var groups: [String: [String: JSONValue]] = [:]
            for group in EnterpriseGroup.allCases {
                let text = form["group." + group.rawValue] ?? ""
                texts[group.rawValue] = text
                guard let fields = Self.groupFields(text) else {
                    errors[group.rawValue] = "每行写一项：名称=值，例如 研发人员数=20。"
                    continue
                }
                if !fields.isEmpty { groups[group.rawValue] = fields }
            }
            guard errors.isEmpty else {
                return groupsForm(viewer, texts: texts, errors: errors, formError: "有分组填写不正确，请按提示修改后再保存。", status: .badRequest)
            }
            var details = try await Registration(env: env).draft(orgID: viewer.identity.orgID).details
            details.groups = groups.isEmpty ? nil : groups
            do {
                try await registration.save(details, identity: viewer.identity)
            } catch {
                let problem = try await WebErrorMiddleware.refusal(for: error, request, context)
                let path = Self.problemField(problem).split(separator: ".")
                if path.count >= 2, path[0] == "groups", let group = EnterpriseGroup(rawValue: String(path[1])) {
                    errors[group.rawValue] =
                        "请检查：整数不带小数；名称以 Fen 结尾的是金额（分），不能为负；名称以 On 结尾的是日期 YYYY-MM-DD；文字不超过 \(EnterpriseGroup.textMax) 字；"
                        + "本组最多 \(group.fieldsMax) 项。"
                }
                return groupsForm(viewer, texts: texts, errors: errors, formError: WebFieldErrors.message(problem).text, status: problem.status)
            }
            return redirect(Self.afterSave(form, here: "groups"))
        }
    }

    // MARK: The licence

    struct LicenceView {
        let chrome: WebChrome
        let steps: [StepLink]
        let uploaded: Bool
        /// The step after the licence (需求调研 for an enterprise, 提交认证 for a provider).
        let nextPath: String
        let fingerprint: String
        let notice: String
        let error: String
        let csrf: String
    }

    func licenceForm(
        _ viewer: WebViewer, sha256: String?, notice: String = "", error: String = "", status: HTTPResponse.Status = .ok
    )
        -> Response
    {
        pages.page(
            "registration-licence",
            LicenceView(
                chrome: chrome(
                    "营业执照", viewer: viewer, crumbs: [("工作台", "/workbench"), ("企业注册", "/workbench/registration"), ("营业执照", "")],
                    menu: .registration),
                steps: Self.stepLinks(current: "licence", role: viewer.identity.role), uploaded: sha256 != nil,
                nextPath: Self.stepPath(after: "licence", role: viewer.identity.role), fingerprint: String((sha256 ?? "").prefix(12)),
                notice: notice, error: error, csrf: viewer.session.csrfToken), status: status)
    }

    func licencePage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await registrationStep(request) { viewer in
            let profile = try await env.registration.profile(orgID: viewer.identity.orgID)
            return licenceForm(
                viewer, sha256: profile?.licenceSHA256, notice: WebForm.query(request)["saved"] == "1" ? "营业执照已上传。" : "")
        }
    }

    /// The licence form (`multipart/form-data`): its `csrf` part must match the session, then the
    /// `licence` part is checked by content and stored by the JSON route's `storeLicence`.
    func uploadLicenceForm(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await registrationStep(request) { viewer in
            let profile = try await env.registration.profile(orgID: viewer.identity.orgID)
            let parts: WebMultipartForm
            do {
                parts = try await WebMultipartForm.read(request, upTo: AccountsLimits.uploadBytesMax + WebMultipartForm.fieldsBytesMax)
            } catch WebMultipartForm.Failure.tooLarge {
                return licenceForm(viewer, sha256: profile?.licenceSHA256, error: "文件超过 10M，请上传更小的图片。", status: .contentTooLarge)
            } catch {
                return licenceForm(viewer, sha256: profile?.licenceSHA256, error: "请选择营业执照图片后再上传。", status: .badRequest)
            }
            guard let csrf = parts.fields["csrf"], WebSessions.tokensEqual(viewer.session.csrfToken, csrf) else {
                return errorPage(.forbidden, viewer: viewer, reason: Self.csrfRefusal)
            }
            let file = parts.files["licence"]?.first ?? []
            let action = parts.fields["action"] ?? "save"
            let form = WebForm(fields: ["action": action])
            // Leaving the step without a new file: nothing to store.
            if file.isEmpty, action.hasPrefix("goto:") || (action == "next" && profile?.licenceSHA256 != nil) {
                return redirect(Self.afterSave(form, here: "licence", role: viewer.identity.role))
            }
            do {
                _ = try await registration.storeLicence(file, identity: viewer.identity)
            } catch {
                let problem = try await WebErrorMiddleware.refusal(for: error, request, context)
                let text: String
                switch problem.code {
                case "file_empty": text = "请选择营业执照图片后再上传。"
                case "file_too_large": text = "文件超过 10M，请上传更小的图片。"
                case "file_type_unsupported": text = "只支持上传 JPG、PNG、JPEG 格式文件（按文件内容判断）。"
                default: text = WebFieldErrors.message(problem).text
                }
                return licenceForm(viewer, sha256: profile?.licenceSHA256, error: text, status: problem.status)
            }
            return redirect(Self.afterSave(form, here: "licence", role: viewer.identity.role))
        }
    }

    // MARK: The demand survey

    struct SurveyView {
        struct CompanyType {
            let code: String
            let label: String
            let checked: Bool
        }

        let chrome: WebChrome
        let steps: [StepLink]
        let companyName: String
        let city: String
        let needs: String
        let types: [CompanyType]
        let notice: String
        let formError: String
        let companyNameError: String
        let cityError: String
        let typeError: String
    }

    static let companyTypeLabels = [
        "private": "私营企业", "foreign": "外资企业", "collective": "集体所有制企业", "state_owned": "国有企业", "joint_stock": "股份制企业",
        "hk_macao_taiwan": "港、澳、台企业", "joint_venture": "合资企业",
    ]

    func surveyForm(
        _ viewer: WebViewer, companyName: String, city: String, type: String, needs: String, notice: String = "",
        errors: (name: String, city: String, type: String, form: String) = ("", "", "", ""), status: HTTPResponse.Status = .ok
    ) -> Response {
        pages.page(
            "registration-survey",
            SurveyView(
                chrome: chrome(
                    "需求调研", viewer: viewer, crumbs: [("工作台", "/workbench"), ("企业注册", "/workbench/registration"), ("需求调研", "")],
                    menu: .registration),
                steps: Self.stepLinks(current: "survey", role: .enterprise), companyName: companyName, city: city, needs: needs,
                types: RegistrationController.companyTypes.map {
                    SurveyView.CompanyType(code: $0, label: Self.companyTypeLabels[$0] ?? $0, checked: $0 == type)
                }, notice: notice, formError: errors.form, companyNameError: errors.name, cityError: errors.city, typeError: errors.type),
            status: status)
    }

    func surveyPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await registrationStep(request, enterpriseOnly: true) { viewer in
            let survey = try await env.registration.survey(orgID: viewer.identity.orgID)
            let answers = try survey.map { try StoredJSON.decode([String: JSONValue].self, from: $0.answersJSON) } ?? [:]
            var needs = ""
            if case .string(let text)? = answers["needs"] { needs = text }
            var companyName = survey?.companyName ?? ""
            if companyName.isEmpty { companyName = try await Registration(env: env).draft(orgID: viewer.identity.orgID).details.name ?? "" }
            return surveyForm(
                viewer, companyName: companyName, city: survey?.city ?? "", type: survey?.companyType ?? "", needs: needs,
                notice: WebForm.query(request)["saved"] == "1" ? "已保存。" : "")
        }
    }

    /// The survey as `PUT /v1/organisations/me/survey` records it: 企业名称, 所在市, 企业类型 and the
    /// needs as the answer `needs`.
    func saveSurveyForm(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await registrationPost(request, enterpriseOnly: true) { viewer, form in
            let name = form.text("companyName") ?? ""
            let city = form.text("city") ?? ""
            let type = form.text("companyType") ?? ""
            let needs = form.text("needs") ?? ""
            var errors = (name: "", city: "", type: "", form: "")
            if name.isEmpty || name.count > DetailLimits.nameMax { errors.name = "请填写企业名称（1 至 \(DetailLimits.nameMax) 字）。" }
            if city.isEmpty || city.count > 50 { errors.city = "请填写所在市（1 至 50 字）。" }
            if !RegistrationController.companyTypes.contains(type) { errors.type = "请选择企业类型。" }
            if needs.count > DetailLimits.longTextMax { errors.form = "需求说明最多 \(DetailLimits.longTextMax) 字。" }
            guard errors.name.isEmpty, errors.city.isEmpty, errors.type.isEmpty, errors.form.isEmpty else {
                return surveyForm(viewer, companyName: name, city: city, type: type, needs: needs, errors: errors, status: .badRequest)
            }
            let answers: [String: JSONValue] = needs.isEmpty ? [:] : ["needs": .string(needs)]
            try await env.registration.saveSurvey(
                orgID: viewer.identity.orgID,
                SurveyRecord(
                    companyName: name, city: city, companyType: type, answersJSON: try StoredJSON.encode(answers), answeredAt: env.clock.now()))
            return redirect(Self.afterSave(form, here: "survey"))
        }
    }

    // MARK: Submit and the waiting state

    struct SubmitView {
        let chrome: WebChrome
        let steps: [StepLink]
        let state: String
        let draft: Bool
        let underReview: Bool
        let certified: Bool
        let rejected: Bool
        let missing: [String]
        let hasMissing: Bool
        let refused: Bool
        let submittedAt: String
        let csrf: String
    }

    func submitForm(_ viewer: WebViewer, refused: Bool = false, status: HTTPResponse.Status = .ok) async throws -> Response {
        let draft = try await Registration(env: env).draft(orgID: viewer.identity.orgID)
        let state = draft.organisation.certification
        let missing = draft.missing.map(WebDetailField.missingLabel)
        return pages.page(
            "registration-submit",
            SubmitView(
                chrome: chrome("提交认证", viewer: viewer, crumbs: [("工作台", "/workbench"), ("企业注册", "")], menu: .registration),
                steps: Self.stepLinks(current: "submit", role: viewer.identity.role), state: WebLabels.certification(state), draft: state == .draft,
                underReview: state == .underReview, certified: state == .certified, rejected: state == .rejected, missing: missing,
                hasMissing: !missing.isEmpty, refused: refused, submittedAt: draft.profile?.submittedAt.map(WebLabels.time) ?? "",
                csrf: viewer.session.csrfToken), status: status)
    }

    /// 提交认证: the state (审核中 once submitted) and what is still missing.
    func submitPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await registrationStep(request) { viewer in try await submitForm(viewer) }
    }

    /// `Registration.submit`, as `POST /v1/registrations/me/submit`; refused, the page lists what
    /// is missing.
    func submitRegistration(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await registrationPost(request) { viewer, _ in
            do {
                _ = try await Registration(env: env).submit(orgID: viewer.identity.orgID, userID: viewer.identity.userID)
            } catch {
                let problem = try await WebErrorMiddleware.refusal(for: error, request, context)
                return try await submitForm(viewer, refused: true, status: problem.status)
            }
            return redirect("/workbench/registration")
        }
    }
}
