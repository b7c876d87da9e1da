import VoucherServices

/// Which workbench menu (应用内权限配置, SPEC §7) each `/v1` route belongs to: a sub-account calls
/// only the menus its main account granted. One table for every controller, read by
/// `AuthMiddleware` right after it verifies the token, so no handler can forget the check and a
/// refused request reaches no handler (it changes nothing). Handlers still check roles.
///
/// Rules match the route template (`/v1/orders/{id}/cancel`), not the raw path, by whole path
/// segments; the first rule whose prefix and roles match decides. `MenuPolicyTests` fails for
/// a route that no rule decides, so a new route needs a line here.
public enum MenuPolicy {
    /// What a rule says about its routes.
    public enum Decision: Sendable, Equatable {
        /// A sub-account needs this menu.
        case menu(MenuPermission)
        /// No menu fits; any account of the right role may call it. The text says why.
        case open(String)
    }

    /// Routes under `prefix` (segments after the router's root), for `roles` (all when nil).
    public struct Rule: Sendable {
        public let prefix: [String]
        public let roles: [Role]?
        public let decision: Decision

        init(_ prefix: String, roles: [Role]? = nil, _ decision: Decision) {
            self.prefix = prefix.split(separator: "/").map(String.init)
            self.roles = roles
            self.decision = decision
        }
    }

    /// The table. Order matters only where prefixes nest or roles differ.
    public static let rules: [Rule] = [
        // Accounts: signing in, one's own account, registration (main account only, in the
        // handler) and sub-account management (main account only) belong to no menu.
        Rule("v1/auth", .open("signing in comes before any menu")),
        Rule("v1/account", .open("every user manages their own account and password")),
        Rule("v1/registrations", .open("registration is the main account's, checked in the handler")),
        Rule("v1/subaccounts", .open("sub-account management is the main account's, checked in the handler")),
        Rule("v1/organisations", .menu(.organisation)),
        Rule("v1/approvals", .menu(.inbox)),
        // Buying and selling.
        Rule("v1/orders", .menu(.orders)),
        Rule("v1/provider/orders", .menu(.orders)),
        Rule("v1/provider/enterprises", .menu(.orders)),
        Rule("v1/provider/products", .menu(.products)),
        Rule("v1/provider/product-files", .menu(.products)),
        Rule("v1/provider/experts", .menu(.experts)),
        Rule("v1/provider/expert-photos", .menu(.experts)),
        Rule("v1/products", roles: [.provider], .menu(.products)),
        Rule("v1/products", .open("an enterprise reads a listed product to buy it; no menu is the catalogue")),
        Rule("v1/catalogue", .open("the catalogue is public; 去使用 reads only the caller's own voucher")),
        // Reviews: 我的评价 (enterprises) and 客户评价 (providers); the catalogue's public list is above.
        Rule("v1/reviews", .menu(.reviews)),
        Rule("v1/provider/reviews", .menu(.reviews)),
        // Vouchers: the enterprise's vouchers, campaigns (list, detail, grab, apply) and applications.
        Rule("v1/vouchers", .menu(.vouchers)),
        Rule("v1/campaigns", .menu(.vouchers)),
        Rule("v1/voucher-applications", .menu(.vouchers)),
        // Redemption: the usages a provider redeems, its batches, materials and payee accounts.
        Rule("v1/provider/usages", .menu(.redemptions)),
        Rule("v1/provider/payee-accounts", .menu(.payeeAccounts)),
        Rule("v1/redemption", .menu(.redemptions)),
        // Platform routes (finance, operator): their accounts hold every menu, so this only says
        // where they belong.
        Rule("v1/finance", .menu(.redemptions)),
        Rule("v1/platform", .open("the operators' lists across organisations; platform accounts hold every menu")),
        // Announcements: every signed-in reader sees those for their audience; the portal's need no token.
        Rule("v1/announcements", .open("every user reads the announcements for their audience")),
        Rule("v1/public", .open("the portal's public pages need no account")),
        // The workbench summary: every user's landing page; its inbox counts follow the inbox menu.
        Rule("v1/workbench", .open("every user lands on their workbench; the inbox counts need the inbox menu")),
    ]

    /// The decision for a route template and a role; nil when no rule matches (a test keeps
    /// that from happening; such a route is left open).
    public static func decision(route: String, role: Role) -> Decision? {
        let segments = route.split(separator: "/")
        for rule in rules where rule.prefix.count <= segments.count {
            guard rule.roles?.contains(role) ?? true else { continue }
            if zip(rule.prefix, segments).allSatisfy({ $0 == $1 }) { return rule.decision }
        }
        return nil
    }

    /// Throws the accounts routes' `permission_denied` (403) when `identity` is a sub-account
    /// without the route's menu. Main and platform accounts hold every menu and return at once,
    /// so the grab path of a main account pays one array lookup.
    static func enforce(_ identity: Identity, route: String?) throws {
        guard !identity.isMainAccount, let route, case .menu(let menu) = decision(route: route, role: identity.role) else { return }
        guard identity.may(menu) else { throw AccountsError.menuForbidden(menu) }
    }
}
