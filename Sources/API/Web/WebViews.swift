import Foundation
import PostgresStore
import VoucherCore
import VoucherServices

/// What every page's frame shows (`top.mustache`, `bottom.mustache`): the top bar, the portal's
/// navigation or the workbench's left menu, the breadcrumbs, and the CSRF token of the session's
/// forms (logout in the top bar).
struct WebChrome {
    struct Link {
        let label: String
        let href: String
        let current: Bool
    }

    struct Crumb {
        let label: String
        let href: String
        /// The last crumb is the page itself, not a link.
        let linked: Bool
    }

    let title: String
    let signedIn: Bool
    let userName: String
    let roleLabel: String
    let csrf: String
    let portalNav: [Link]
    let menu: [Link]
    let workbench: Bool
    let crumbs: [Crumb]
}

/// One page of a list (10 rows, SPEC §9) with its links and the page-jump form (前往 … 页), which
/// repeats the list's filters as hidden fields.
struct WebPaging {
    struct Hidden {
        let name: String
        let value: String
    }

    static let pageSize = 10

    let page: Int
    let pages: Int
    let total: Int
    let path: String
    let hasPrevious: Bool
    let hasNext: Bool
    let previousHref: String
    let nextHref: String
    let hidden: [Hidden]

    /// The requested page number (from 1; anything else reads as 1).
    static func requested(_ query: WebForm) -> Int {
        guard let text = query["page"], let page = Int(text), page >= 1, page <= Int(Int32.max) else { return 1 }
        return page
    }

    init(page: Int, total: Int, path: String, filters: [(String, String)]) {
        self.page = page
        self.total = total
        self.pages = max(1, (total + Self.pageSize - 1) / Self.pageSize)
        self.path = path
        let kept = filters.filter { !$0.1.isEmpty }
        let prefix = kept.map { "\($0.0)=\(WebForm.encode($0.1))&" }.joined()
        hasPrevious = page > 1
        hasNext = page < pages
        previousHref = path + "?" + prefix + "page=\(max(1, page - 1))"
        nextHref = path + "?" + prefix + "page=\(page + 1)"
        hidden = kept.map { Hidden(name: $0.0, value: $0.1) }
    }
}

/// The Chinese names the guide uses for roles and states.
enum WebLabels {
    static func role(_ role: Role) -> String {
        switch role {
        case .enterprise: "企业用户"
        case .provider: "服务商"
        case .operator: "平台运营"
        case .expert: "专家"
        case .authority: "工信厅"
        case .auditor: "审计"
        case .finance: "财务"
        }
    }

    static func orderState(_ state: OrderState) -> String {
        switch state {
        case .pendingPayment: "待支付"
        case .paymentReview: "支付审核中"
        case .paid: "已支付"
        case .delivered: "已交付"
        case .completed: "已完成"
        case .cancelled: "已取消"
        case .refundReview: "退款审核中"
        case .refunded: "已退款"
        }
    }

    static func paymentState(_ state: OrderState) -> String {
        switch state {
        case .pendingPayment, .cancelled: "未支付"
        case .paymentReview: "审核中"
        case .paid, .delivered, .completed, .refundReview: "已支付"
        case .refunded: "已退款"
        }
    }

    /// The stored type is `new_subscription` (migration 0005's only value).
    static func orderType(_ type: String) -> String { type == "new_subscription" || type == "new" ? "商品新订阅" : type }

    static func voucherStatus(_ status: String) -> String {
        switch status {
        case "available": "可使用"
        case "partly_used": "部分使用"
        case "used_up": "已用完"
        case "expired": "已过期"
        default: status
        }
    }

    /// 未开始 / 进行中 / 已结束, as readers see a listed or ended campaign at `now`.
    static func campaignStatus(_ campaign: CampaignRecord, now: Date) -> String {
        if campaign.status == .ended || now >= campaign.endsAt { return "已结束" }
        return now < campaign.startsAt ? "未开始" : "进行中"
    }

    static func voucherKind(_ kind: String) -> String { kind == "diagnostic" ? "诊断服务券" : "通用服务券" }

    static func category(_ category: ProductCategory) -> String {
        switch category {
        case .diagnosticConsulting: "诊断咨询"
        case .cloud: "上云服务"
        case .dtStandard: "数字化转型标准"
        case .integrationStandard: "两化融合标准"
        case .dcmm: "DCMM"
        case .softwareApplication: "软件应用"
        case .digitalApplication: "数字化应用"
        case .networkPlatform: "网络平台"
        case .trainingBranding: "培训推广"
        }
    }

    /// `2026-01-01 09:00:00` in China Standard Time, as the guide's lists show times.
    static func time(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600) ?? .current
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String { String(format: "%02d", value ?? 0) }
        return "\(parts.year ?? 0)-\(two(parts.month))-\(two(parts.day)) \(two(parts.hour)):\(two(parts.minute)):\(two(parts.second))"
    }

    static func money(_ fen: Int64) -> String { Money(fen: fen).formatted }
}

/// The workbench's left menu (guide §2.4): each entry is a page and the JSON route whose menu
/// rule (`MenuPolicy`, the table the JSON API enforces) decides whether a sub-account may see it.
/// A page the viewer may not open is neither in the menu nor served (403 page).
enum WebMenu: CaseIterable {
    case home, registration, organisation, orders, vouchers, reviews
    case inbox, users, password
    case products
    case providerOrders, providerReviews, experts
    case payeeAccounts, redemption, generalRedemption, transfers
    case statements, payouts
    case campaigns, announcements, platform

    var label: String {
        switch self {
        case .home: "工作台"
        case .orders: "订单管理"
        case .vouchers: "服务券查询"
        case .inbox: "我的待办"
        case .users: "用户管理"
        case .password: "修改密码"
        case .reviews: "我的评价"
        case .organisation: "我的企业"
        case .registration: "企业注册"
        case .payeeAccounts: "收款账号管理"
        case .redemption: "诊断服务券-兑付申请"
        case .generalRedemption: "通用服务券-兑付申请"
        case .transfers: "兑付转账"
        case .statements: "对账管理"
        case .payouts: "兑付汇总"
        case .campaigns: "活动管理"
        case .announcements: "公告管理"
        case .platform: "平台列表"
        case .products: "商品管理"
        case .providerOrders: "订单管理"
        case .providerReviews: "客户评价"
        case .experts: "专家管理"
        }
    }

    var href: String {
        switch self {
        case .home: "/workbench"
        case .orders: "/workbench/orders"
        case .vouchers: "/workbench/vouchers"
        case .inbox: "/workbench/inbox"
        case .users: "/workbench/users"
        case .password: "/workbench/password"
        case .reviews: "/workbench/reviews"
        case .organisation: "/workbench/organisation"
        case .registration: "/workbench/registration"
        case .payeeAccounts: "/workbench/payee-accounts"
        case .redemption: "/workbench/redemption/new"
        case .generalRedemption: "/workbench/redemption/general"
        case .transfers: "/workbench/transfers"
        case .statements: "/workbench/finance/statements"
        case .payouts: "/workbench/finance/payouts"
        case .campaigns: "/workbench/campaigns"
        case .announcements: "/workbench/announcements"
        case .platform: "/workbench/platform/organisations"
        case .products: "/workbench/products"
        case .providerOrders: "/workbench/provider/orders"
        case .providerReviews: "/workbench/provider/reviews"
        case .experts: "/workbench/experts"
        }
    }

    /// Roles that have this page (nil: every role).
    var roles: [Role]? {
        switch self {
        case .home: nil
        case .orders, .vouchers, .reviews: [.enterprise]
        case .inbox, .password: nil
        case .users: [.enterprise, .provider]
        case .organisation: [.enterprise, .provider]
        case .registration: [.enterprise, .provider]
        case .payeeAccounts, .redemption, .generalRedemption: [.provider]
        case .transfers: [.operator]
        case .statements, .payouts: [.finance]
        case .campaigns, .announcements, .platform: [.operator]
        case .products, .providerOrders, .providerReviews, .experts: [.provider]
        }
    }

    /// The JSON route the page reads, whose `MenuPolicy` rule decides for sub-accounts.
    var apiRoute: String? {
        switch self {
        case .home: nil
        case .orders: "/v1/orders"
        case .vouchers: "/v1/vouchers"
        case .inbox: "/v1/approvals"
        case .users: "/v1/subaccounts"
        case .password: "/v1/account/password"
        case .reviews: "/v1/reviews"
        case .organisation: "/v1/organisations/me"
        case .registration: nil
        case .payeeAccounts: "/v1/provider/payee-accounts"
        case .redemption, .generalRedemption, .transfers: "/v1/redemption"
        case .statements: "/v1/finance/statements"
        case .payouts: "/v1/finance/payouts"
        case .campaigns, .announcements, .platform: nil
        case .products: "/v1/provider/products"
        case .providerOrders: "/v1/provider/orders"
        case .providerReviews: "/v1/provider/reviews"
        case .experts: "/v1/provider/experts"
        }
    }

    /// The provider's pages whose every action `CertificationGate` refuses until the organisation
    /// is certified (商品管理: listing a product; 专家管理; payee accounts): hidden from the menu and
    /// refused (403 page) until then, as the registration wizard is after it. The redemption pages
    /// are not here: their batch pages answer another organisation's batch with the 404 page,
    /// certified or not, and an uncertified provider has no batch to file from.
    var needsCertification: Bool {
        switch self {
        case .products, .experts, .payeeAccounts: true
        default: false
        }
    }

    /// Whether `identity` may open this page: its role, its organisation's certification, then the
    /// same menu check as the JSON API.
    func allows(_ identity: Identity) -> Bool {
        guard roles?.contains(identity.role) ?? true else { return false }
        if needsCertification, !identity.certified { return false }
        // 用户管理 is the certified main account's (SubAccountsController.manager), as the guide's menu shows it.
        if self == .users, !(identity.isMainAccount && identity.certified) { return false }
        // The registration wizard: the main account, until its organisation is certified.
        if self == .registration { return identity.isMainAccount && !identity.certified }
        guard let apiRoute, case .menu(let menu)? = MenuPolicy.decision(route: apiRoute, role: identity.role) else { return true }
        return identity.may(menu)
    }

    static func links(for identity: Identity, current: WebMenu) -> [WebChrome.Link] {
        allCases.filter { $0.allows(identity) }.map { WebChrome.Link(label: $0.label, href: $0.href, current: $0 == current) }
    }
}
