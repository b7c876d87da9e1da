import Foundation
import Logging
import PostgresNIO
import VoucherCore

extension RedemptionRepository {
    /// What was paid out (`redeem` entries) per provider, campaign and calendar month (China
    /// Standard Time, `YYYY-MM`) in `[from, to)`.
    public func payoutTotals(from: Date, to: Date) async throws -> [PayoutTotalRow] {
        let rows = try await client.query(
            """
            SELECT u.provider_org_id, p.name, v.campaign_id, c.name,
                to_char(l.created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') AS month, sum(l.amount_fen)::bigint, count(*)::int
            FROM voucher_ledger l
            JOIN usages u ON u.voucher_id = l.voucher_id AND u.order_id = l.order_id
            JOIN vouchers v ON v.id = l.voucher_id
            JOIN campaigns c ON c.id = v.campaign_id
            JOIN organisations p ON p.id = u.provider_org_id
            WHERE l.entry = 'redeem' AND l.created_at >= \(from) AND l.created_at < \(to)
            GROUP BY u.provider_org_id, p.name, v.campaign_id, c.name, month
            ORDER BY u.provider_org_id, v.campaign_id, month
            """, logger: logger)
        var result: [PayoutTotalRow] = []
        for try await (provider, name, campaign, campaignName, month, sum, count) in rows.decode(
            (String, String, String, String, String, Int64, Int).self)
        {
            result.append(
                PayoutTotalRow(
                    providerOrgID: provider, providerName: name, campaignID: campaign, campaignName: campaignName, month: month,
                    redeemedFen: sum, usageCount: count))
        }
        return result
    }
}
