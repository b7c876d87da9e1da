import Foundation
import Hummingbird
import PostgresStore
import Rush
import VoucherCore
import VoucherServices

/// 服务券活动 (guide §2.4.6.2): the listed and ended campaigns, and one campaign's lots with their
/// remaining stock (`CampaignsController.remainingStock`, the JSON detail's rule: Redis for grab lots).
extension WebController {
    struct CampaignRow {
        let name: String
        let startsAt: String
        let endsAt: String
        let status: String
        let href: String
    }

    struct CampaignsView {
        let chrome: WebChrome
        let campaigns: [CampaignRow]
        let empty: Bool
        let paging: WebPaging
    }

    func campaigns(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let viewer = try await sessions.viewer(request)
        let page = WebPaging.requested(WebForm.query(request))
        let visible = CampaignStatus.allCases.filter(\.isVisible)
        let (items, total) = try await services.campaigns.list(statuses: visible, page: page, pageSize: WebPaging.pageSize)
        let rows = items.map { campaign in
            CampaignRow(
                name: campaign.name, startsAt: WebLabels.time(campaign.startsAt), endsAt: WebLabels.time(campaign.endsAt),
                status: WebLabels.campaignStatus(campaign, now: services.clock.now()), href: "/campaigns/" + campaign.id)
        }
        return pages.page(
            "campaigns",
            CampaignsView(
                chrome: chrome("服务券活动", viewer: viewer, crumbs: [("首页", "/"), ("服务券活动", "")]), campaigns: rows, empty: rows.isEmpty,
                paging: WebPaging(page: page, total: total, path: "/campaigns", filters: [])))
    }

    struct LotRow {
        let kind: String
        let faceValue: String
        let mode: String
        let stock: Int
        let remaining: String
        let perEnterpriseLimit: Int
        let validityDays: Int
    }

    struct CampaignView {
        let chrome: WebChrome
        let name: String
        let startsAt: String
        let endsAt: String
        let status: String
        let lots: [LotRow]
    }

    func campaign(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let viewer = try await sessions.viewer(request)
        // A malformed id is 400 and a well-formed unknown one 404, as on the JSON routes.
        guard let id = context.parameters.get("id"), OpaqueID.isWellFormed(id, prefix: "cmp") else {
            return errorPage(.badRequest, viewer: viewer, reason: "活动编号格式不正确。")
        }
        guard let campaign = try await services.campaigns.campaign(id: id), campaign.status.isVisible else {
            return errorPage(.notFound, viewer: viewer, reason: "没有这个服务券活动，或它尚未上架。")
        }
        let remaining = await CampaignsController.remainingStock(campaign, gate: services.rush.gate)
        let lots = campaign.lots.map { lot in
            LotRow(
                kind: WebLabels.voucherKind(lot.kind.rawValue), faceValue: WebLabels.money(lot.faceValueFen),
                mode: lot.mode == .grab ? "抢券" : "申请", stock: lot.stock,
                remaining: remaining[lot.id].map(String.init) ?? "—", perEnterpriseLimit: lot.perEnterpriseLimit,
                validityDays: lot.validityDays)
        }
        return pages.page(
            "campaign",
            CampaignView(
                chrome: chrome(campaign.name, viewer: viewer, crumbs: [("首页", "/"), ("服务券活动", "/campaigns"), (campaign.name, "")]),
                name: campaign.name, startsAt: WebLabels.time(campaign.startsAt), endsAt: WebLabels.time(campaign.endsAt),
                status: WebLabels.campaignStatus(campaign, now: services.clock.now()), lots: lots))
    }
}
