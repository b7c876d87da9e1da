/// Menus of the workbench (应用内权限配置): a sub-account sees and calls only the menus its main
/// account granted. `MenuPolicy` maps every route to its menu and `AuthMiddleware` enforces it;
/// the accounts and approvals handlers also name theirs in `requireMenu`, next to their roles.
public enum MenuPermission: String, Sendable, Codable, CaseIterable {
    /// 我的企业: the organisation's details and certification state.
    case organisation
    /// 我的待办: the approvals inbox.
    case inbox
    /// 商品管理: product listings.
    case products
    /// 订单管理: orders.
    case orders
    /// 服务券: vouchers and campaigns.
    case vouchers
    /// 兑付: redemptions and payouts.
    case redemptions
    /// 收款账号: payee bank accounts.
    case payeeAccounts = "payee_accounts"
    /// 专家管理: experts.
    case experts
    /// 我的评价: reviews.
    case reviews
}

extension Identity {
    /// The wildcard permission of main and operator-side accounts.
    public static let allPermissions = "*"

    /// Whether this identity may use `menu`.
    public func may(_ menu: MenuPermission) -> Bool {
        permissions.contains(Identity.allPermissions) || permissions.contains(menu.rawValue)
    }

    /// Main accounts (and operator-side accounts, which have no sub-accounts) hold the wildcard.
    public var isMainAccount: Bool { permissions.contains(Identity.allPermissions) }
}
