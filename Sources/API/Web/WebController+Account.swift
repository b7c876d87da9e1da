import Foundation
import Hummingbird
import PostgresStore
import VoucherCore
import VoucherServices

/// 修改密码 (guide §1.4.10, §2.4.8) and 用户管理 (guide §1.4.9): the signed-in user's password and
/// the main account's sub-accounts with their menu permissions (应用内权限配置), through
/// `AccountController` and `SubAccountsController`, so the rules and problem codes are the JSON
/// routes' own.
extension WebController {
    // MARK: 修改密码

    struct PasswordView {
        let chrome: WebChrome
        let notice: String
        let currentError: String
        let newError: String
        let confirmationError: String
        let formError: String
    }

    func passwordPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await workbenchPage(request, .password) { viewer in
            let done = WebForm.query(request)["done"] == "1"
            return passwordForm(viewer, PasswordView.Errors(), notice: done ? Self.passwordChanged : "")
        }
    }

    static let passwordChanged = "密码已修改。您在其他浏览器和设备上的登录已全部退出，本页面已用新密码重新登录。"

    /// `POST /workbench/password`: `AccountController.changePassword` (current password, policy,
    /// history; every login of the user ends). This browser then gets a new session, so only the
    /// other sessions end, and the page says so.
    func changePassword(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await workbenchForm(request, .password) { viewer, form in
            let current = form["currentPassword"] ?? ""
            let new = form["newPassword"] ?? ""
            let confirmation = form["newPasswordConfirmation"] ?? ""
            var errors = PasswordView.Errors()
            if current.isEmpty { errors.current = "请输入原密码。" }
            if new.isEmpty { errors.new = "请输入新密码。" }
            if confirmation.isEmpty { errors.confirmation = "请再次输入新密码。" }
            if errors.any { return passwordForm(viewer, errors, status: .unprocessableContent) }
            do {
                try await AccountController(env: env).changePassword(
                    viewer.identity,
                    AccountController.ChangePasswordRequest(currentPassword: current, newPassword: new, newPasswordConfirmation: confirmation))
            } catch {
                let problem = try await WebErrorMiddleware.refusal(for: error, request, context)
                let message = WebFieldErrors.passwordMessage(problem.code)
                switch message.field {
                case "currentPassword": errors.current = message.text
                case "newPassword": errors.new = message.text
                case "newPasswordConfirmation": errors.confirmation = message.text
                default: errors.form = message.text
                }
                return passwordForm(viewer, errors, status: problem.status)
            }
            try await sessions.repository.end(id: viewer.session.id, now: sessions.clock.now())
            let (token, _) = try await sessions.start(for: viewer.user)
            var response = redirect("/workbench/password?done=1")
            response.setCookie(sessions.cookie(token))
            return response
        }
    }

    func passwordForm(_ viewer: WebViewer, _ errors: PasswordView.Errors, notice: String = "", status: HTTPResponse.Status = .ok) -> Response {
        pages.page(
            "password",
            PasswordView(
                chrome: chrome("修改密码", viewer: viewer, crumbs: [("工作台", "/workbench"), ("修改密码", "")], menu: .password), notice: notice,
                currentError: errors.current, newError: errors.new, confirmationError: errors.confirmation, formError: errors.form),
            status: status)
    }

    // MARK: 用户管理

    struct UserRow {
        let username: String
        let phone: String
        let role: String
        let permissions: String
        let createdAt: String
        let href: String
    }

    struct UsersView {
        let chrome: WebChrome
        let notice: String
        let rows: [UserRow]
        let empty: Bool
        let paging: WebPaging
    }

    /// 用户管理: the organisation's sub-accounts (用户名, 姓名, 手机号, 角色, 菜单权限, 创建时间, 操作).
    func subAccountsPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await workbenchPage(request, .users) { viewer in
            let query = WebForm.query(request)
            let page = WebPaging.requested(query)
            let result = try await env.subAccounts.list(orgID: viewer.identity.orgID, page: page, pageSize: WebPaging.pageSize)
            let rows = result.items.map { user in
                UserRow(
                    username: user.username, phone: user.phone ?? "", role: WebLabels.roleName(user.role) + "（子账号）",
                    permissions: user.permissions.compactMap(MenuPermission.init(rawValue:)).map(WebLabels.menuPermission).joined(separator: "、"),
                    createdAt: user.createdAt.map(WebLabels.time) ?? "", href: "/workbench/users/" + user.id)
            }
            return pages.page(
                "users",
                UsersView(
                    chrome: chrome("用户管理", viewer: viewer, crumbs: [("工作台", "/workbench"), ("用户管理", "")], menu: .users),
                    notice: Self.usersNotice(query["done"] ?? ""), rows: rows, empty: rows.isEmpty,
                    paging: WebPaging(page: page, total: result.total, path: "/workbench/users", filters: [])))
        }
    }

    static func usersNotice(_ done: String) -> String {
        switch done {
        case "created": "新增成功。"
        case "permissions": "配置权限成功。"
        case "deleted": "用户已删除，其登录已全部退出。"
        default: ""
        }
    }

    struct PermissionBox {
        let name: String
        let label: String
        let checked: Bool
    }

    struct UserFormView {
        let chrome: WebChrome
        let state: UserFormState
        let permissions: [PermissionBox]
    }

    /// What the 添加用户 form shows again after a refusal: what was typed (never the passwords) and
    /// the error next to each field.
    struct UserFormState {
        var username = ""
        var phone = ""
        var email = ""
        var usernameError = ""
        var phoneError = ""
        var emailError = ""
        var passwordError = ""
        var confirmationError = ""
        var formError = ""
    }

    /// The menus a sub-account of `role` may be granted (the guide's menus of that workbench).
    static func grantable(_ role: Role) -> [MenuPermission] {
        role == .provider
            ? [.organisation, .inbox, .products, .orders, .redemptions, .payeeAccounts, .experts, .reviews]
            : [.organisation, .inbox, .orders, .vouchers, .reviews]
    }

    func permissionBoxes(_ role: Role, checked: [String]) -> [PermissionBox] {
        Self.grantable(role).map {
            PermissionBox(name: "perm_" + $0.rawValue, label: WebLabels.menuPermission($0), checked: checked.contains($0.rawValue))
        }
    }

    /// The ticked menu checkboxes (`perm_<menu>`) of a form, as permission names.
    static func tickedPermissions(_ form: WebForm, role: Role) -> [String] {
        grantable(role).filter { form["perm_" + $0.rawValue] != nil }.map(\.rawValue)
    }

    func newSubAccountPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await workbenchPage(request, .users) { viewer in
            userForm(viewer, UserFormState(), checked: [])
        }
    }

    func userForm(_ viewer: WebViewer, _ state: UserFormState, checked: [String], status: HTTPResponse.Status = .ok) -> Response {
        pages.page(
            "user-new",
            UserFormView(
                chrome: chrome(
                    "添加用户", viewer: viewer, crumbs: [("工作台", "/workbench"), ("用户管理", "/workbench/users"), ("添加用户", "")], menu: .users),
                state: state, permissions: permissionBoxes(viewer.identity.role, checked: checked)),
            status: status)
    }

    /// `POST /workbench/users`: `SubAccountsController.create` (username, phone, e-mail, password
    /// policy, the organisation's bound), the ticked menus as its permissions.
    func createSubAccount(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await workbenchForm(request, .users) { viewer, form in
            var state = UserFormState(username: form.text("username") ?? "", phone: form.text("phone") ?? "", email: form.text("email") ?? "")
            let checked = Self.tickedPermissions(form, role: viewer.identity.role)
            do {
                let identity = try SubAccountsController.manager(viewer.identity)
                _ = try await SubAccountsController(env: env).create(
                    SubAccountsController.CreateRequest(
                        username: state.username, phone: state.phone, email: state.email.isEmpty ? nil : state.email,
                        password: form["password"] ?? "", passwordConfirmation: form["passwordConfirmation"] ?? "", permissions: checked),
                    identity)
                return redirect("/workbench/users?done=created")
            } catch {
                let problem = try await WebErrorMiddleware.refusal(for: error, request, context)
                let message = WebFieldErrors.subAccountMessage(problem.code)
                switch message.field {
                case "username": state.usernameError = message.text
                case "phone": state.phoneError = message.text
                case "email": state.emailError = message.text
                case "newPassword": state.passwordError = message.text
                case "newPasswordConfirmation": state.confirmationError = message.text
                default: state.formError = message.text
                }
                return userForm(viewer, state, checked: checked, status: problem.status)
            }
        }
    }

    struct UserEditView {
        let chrome: WebChrome
        let username: String
        let phone: String
        let email: String
        let createdAt: String
        let action: String
        let deleteAction: String
        let permissions: [PermissionBox]
        let formError: String
    }

    /// One sub-account: 应用内权限配置 (the menu checkboxes) and 删除. Another organisation's is the 404 page.
    func subAccountPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let id = Self.userID(context) else { return errorPage(.badRequest, viewer: nil, reason: "用户编号格式不正确。") }
        return try await workbenchPage(request, .users) { viewer in
            guard let user = try await env.subAccounts.find(orgID: viewer.identity.orgID, id: id) else {
                return errorPage(.notFound, viewer: viewer, reason: "没有这个用户。")
            }
            return userEdit(viewer, user, checked: user.permissions)
        }
    }

    func userEdit(_ viewer: WebViewer, _ user: UserRecord, checked: [String], formError: String = "", status: HTTPResponse.Status = .ok) -> Response {
        pages.page(
            "user-edit",
            UserEditView(
                chrome: chrome(
                    "应用内权限配置", viewer: viewer, crumbs: [("工作台", "/workbench"), ("用户管理", "/workbench/users"), (user.username, "")],
                    menu: .users),
                username: user.username, phone: user.phone ?? "", email: user.email ?? "", createdAt: user.createdAt.map(WebLabels.time) ?? "",
                action: "/workbench/users/\(user.id)/permissions", deleteAction: "/workbench/users/\(user.id)/delete",
                permissions: permissionBoxes(viewer.identity.role, checked: checked), formError: formError),
            status: status)
    }

    /// `POST /workbench/users/{id}/permissions`: `SubAccountsController.setPermissions` with the ticked menus.
    func setSubAccountPermissions(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await userAction(request, context) { viewer, form, identity, user in
            _ = try await SubAccountsController(env: env).setPermissions(user, identity, Self.tickedPermissions(form, role: viewer.identity.role))
            return redirect("/workbench/users?done=permissions")
        }
    }

    /// `POST /workbench/users/{id}/delete`: `SubAccountsController.remove`; its logins end.
    func deleteSubAccount(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await userAction(request, context) { _, _, identity, user in
            try await SubAccountsController(env: env).remove(user, identity)
            return redirect("/workbench/users?done=deleted")
        }
    }

    /// A sub-account form: CSRF, the manager rule, the sub-account of the organisation, then `act`;
    /// a refusal is shown above the form.
    private func userAction(
        _ request: Request, _ context: AppRequestContext, act: (WebViewer, WebForm, Identity, UserRecord) async throws -> Response
    ) async throws -> Response {
        guard let id = Self.userID(context) else { return errorPage(.badRequest, viewer: nil, reason: "用户编号格式不正确。") }
        return try await workbenchForm(request, .users) { viewer, form in
            let identity = try SubAccountsController.manager(viewer.identity)
            guard let user = try await env.subAccounts.find(orgID: identity.orgID, id: id) else {
                return errorPage(.notFound, viewer: viewer, reason: "没有这个用户。")
            }
            do {
                return try await act(viewer, form, identity, user)
            } catch {
                let problem = try await WebErrorMiddleware.refusal(for: error, request, context)
                return userEdit(
                    viewer, user, checked: Self.tickedPermissions(form, role: viewer.identity.role),
                    formError: WebFieldErrors.subAccountMessage(problem.code).text, status: problem.status)
            }
        }
    }

    static func userID(_ context: AppRequestContext) -> String? {
        guard let id = context.parameters.get("id"), OpaqueID.isWellFormed(id, prefix: RegistrationController.userPrefix) else { return nil }
        return id
    }
}

extension WebController.PasswordView {
    /// The errors of the 修改密码 form, each next to its field.
    struct Errors {
        var current = ""
        var new = ""
        var confirmation = ""
        var form = ""

        var any: Bool { !(current.isEmpty && new.isEmpty && confirmation.isEmpty && form.isEmpty) }
    }
}

extension WebFieldErrors {
    /// The rules of 表1-6 / 表2-2 in the guide's words, by the JSON route's problem `code`.
    static func passwordMessage(_ code: String) -> (field: String?, text: String) {
        switch code {
        case "current_password_wrong": ("currentPassword", "原密码不正确。")
        case "password_mismatch": ("newPasswordConfirmation", "两次输入的新密码不一致。")
        case "password_too_short", "password_too_long": ("newPassword", "密码须为 8-18 个字符。")
        case "password_invalid_character": ("newPassword", "密码不能包含空格、中文或其他不支持的字符。")
        case "password_too_weak": ("newPassword", "密码至少包含数字、大写字母、小写字母和特殊字符中的 3 种。")
        case "password_contains_username": ("newPassword", "密码不能包含用户名。")
        case "password_contains_phone": ("newPassword", "密码不能包含手机号。")
        case "password_reused": ("newPassword", "新密码不能与原密码或历史密码相同。")
        default: (nil, "修改未能完成（\(code)），请检查后重试。")
        }
    }

    /// The rules of 表1-4 (添加用户) in the guide's words, by the JSON route's problem `code`.
    static func subAccountMessage(_ code: String) -> (field: String?, text: String) {
        switch code {
        case "username_too_short", "username_too_long", "username_invalid_character":
            ("username", "用户名须为 6-30 个字符，仅支持英文、数字、下划线。")
        case "username_taken": ("username", "该用户名已被使用，请换一个。")
        case "phone_invalid": ("phone", "请输入以 1 开头的 11 位手机号。")
        case "phone_taken": ("phone", "该手机号已被其他账号使用。")
        case "email_invalid": ("email", "邮箱格式不正确。")
        case "password_mismatch": ("newPasswordConfirmation", "两次输入的密码不一致。")
        case "permission_invalid": (nil, "菜单权限无效，请重新选择。")
        case "subaccount_limit": (nil, "子账号数量已达上限，请先删除不用的账号。")
        case "main_account_only": (nil, "只有主账号可以管理用户。")
        case "certification_required": (nil, "企业认证通过后才能管理用户。")
        default:
            code.hasPrefix("password_") ? passwordMessage(code) : (nil, "操作未能完成（\(code)），请检查后重试。")
        }
    }
}

extension WebLabels {
    /// A role by its stored name (`enterprise`…), in the guide's words.
    static func roleName(_ name: String) -> String {
        Role(rawValue: name).map(role) ?? name
    }

    static func menuPermission(_ menu: MenuPermission) -> String {
        switch menu {
        case .organisation: "我的企业"
        case .inbox: "我的待办"
        case .products: "商品管理"
        case .orders: "订单管理"
        case .vouchers: "服务券"
        case .redemptions: "兑付"
        case .payeeAccounts: "收款账号"
        case .experts: "专家管理"
        case .reviews: "我的评价"
        }
    }

    /// 申请类型 of the inbox, by approval type.
    static func approvalType(_ type: String) -> String {
        switch type {
        case CertificationEffect.type: "企业认证"
        case OrderPaymentEffect.type: "支付审核"
        case OrderRefundEffect.type: "退款申请"
        case RedemptionBatchEffect.type: "诊断券兑付"
        case RedemptionBatchEffect.generalType: "通用券兑付"
        case PaymentConfirmationEffect.type: "支付确认"
        case VoucherApplicationEffect.type: "服务券申请"
        case ListingEffect.type: "商品上架"
        default: type
        }
    }

    static func approvalStatus(_ status: ApprovalStatus) -> String {
        switch status {
        case .pending: "审批中"
        case .approved: "审批通过"
        case .rejected: "已驳回"
        case .withdrawn: "已撤销"
        }
    }

    static func decision(_ kind: ApprovalDecisionKind) -> String {
        switch kind {
        case .approved: "通过"
        case .rejected: "驳回"
        case .withdrawn: "撤销"
        }
    }
}
