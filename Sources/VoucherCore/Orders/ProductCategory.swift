/// A product's category (SPEC §3, §7 service scope), which decides the vouchers that apply.
///
/// Pure rule, no I/O: a diagnostic voucher pays only for 诊断咨询, a general voucher only for the
/// category of its direction; the other categories take no voucher at all.
public enum ProductCategory: String, Sendable, Codable, CaseIterable {
    /// 诊断咨询 — diagnostic vouchers.
    case diagnosticConsulting = "diagnostic_consulting"
    /// 上云用云 — general vouchers, direction cloud.
    case cloud
    /// 数字化转型贯标 — general vouchers, direction dt_standard.
    case dtStandard = "dt_standard"
    /// 两化融合贯标 — general vouchers, direction integration_standard.
    case integrationStandard = "integration_standard"
    /// 数据管理贯标 (DCMM) — general vouchers, direction dcmm.
    case dcmm
    /// 软件应用产品 — no voucher applies.
    case softwareApplication = "software_application"
    /// 数字化应用产品 — no voucher applies.
    case digitalApplication = "digital_application"
    /// 网络平台建设 — no voucher applies.
    case networkPlatform = "network_platform"
    /// 培训与品牌推广 — no voucher applies.
    case trainingBranding = "training_branding"

    /// The voucher kind and direction (nil for diagnostic) that pay for this category, or nil
    /// when no voucher does.
    public var voucherMatch: (kind: VoucherKind, direction: VoucherDirection?)? {
        switch self {
        case .diagnosticConsulting: (.diagnostic, nil)
        case .cloud: (.general, .cloud)
        case .dtStandard: (.general, .dtStandard)
        case .integrationStandard: (.general, .integrationStandard)
        case .dcmm: (.general, .dcmm)
        case .softwareApplication, .digitalApplication, .networkPlatform, .trainingBranding: nil
        }
    }

    /// True when a voucher of `kind`/`direction` may pay for a product of this category.
    public func accepts(kind: VoucherKind, direction: VoucherDirection?) -> Bool {
        guard let match = voucherMatch else { return false }
        return match.kind == kind && match.direction == direction
    }
}

/// How a spec is bought (按年/按月/按数量); the quantity counts years, months or units.
public enum PurchaseMode: String, Sendable, Codable, CaseIterable {
    case year, month, quantity
}

/// How a spec is priced (免费/简单模式): free, or a unit price in fen times the quantity.
public enum Pricing: String, Sendable, Codable, CaseIterable {
    case free, simple
}
