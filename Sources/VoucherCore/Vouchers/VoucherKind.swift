/// The two kinds of service voucher (SPEC §3).
public enum VoucherKind: String, Sendable, Codable, CaseIterable {
    /// 诊断服务券: pays only for 诊断咨询 products; redeemed in batches with an auditor's review.
    case diagnostic
    /// 通用服务券: pays for products of its one direction.
    case general
}

/// The direction of a general voucher (SPEC §3); a diagnostic voucher has none.
public enum VoucherDirection: String, Sendable, Codable, CaseIterable {
    /// 上云用云
    case cloud
    /// 数字化转型贯标
    case dtStandard = "dt_standard"
    /// 两化融合贯标
    case integrationStandard = "integration_standard"
    /// 数据管理咨询评估 (DCMM)
    case dcmm
}
