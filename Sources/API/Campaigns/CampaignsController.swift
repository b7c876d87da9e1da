import Foundation
import Hummingbird
import Logging
import PostgresStore
import RedisNIO
import Rush
import VoucherCore
import VoucherServices

/// Campaigns (SPEC §3): operators create, edit, publish and end them; enterprises list them,
/// see the remaining stock, and grab.
struct CampaignsController {
    let campaigns: CampaignsRepository
    let rush: RushServices
    let publisher: CampaignPublisher

    var endpoints: RouteCollection<AppRequestContext> {
        RouteCollection(context: AppRequestContext.self)
            .post("campaigns", use: create)
            .get("campaigns", use: list)
            .get("campaigns/:campaignID", use: detail)
            .put("campaigns/:campaignID", use: replace)
            .post("campaigns/:campaignID/publish", use: publish)
            .post("campaigns/:campaignID/end", use: end)
            .patch("campaigns/:campaignID/lots/:lotID", use: restock)
            .post("campaigns/:campaignID/lots/:lotID/grab", use: grab)
    }

    func create(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<CampaignResponse> {
        let identity = try context.requireIdentity(.operator)
        let input = try await request.decode(as: CampaignInput.self, context: context)
        let id = OpaqueID.make(prefix: "cmp")
        let record = try input.record(id: id) { _ in OpaqueID.make(prefix: "lot") }
        try await campaigns.create(record, createdBy: identity.userID)
        return EditedResponse(status: .created, headers: [.location: "/v1/campaigns/\(id)"], response: CampaignResponse(record))
    }

    func replace(_ request: Request, _ context: AppRequestContext) async throws -> CampaignResponse {
        _ = try context.requireIdentity(.operator)
        let id = try PathID.check(context.parameters.require("campaignID"), "campaignID")
        let input = try await request.decode(as: CampaignInput.self, context: context)
        let record = try input.record(id: id) { _ in OpaqueID.make(prefix: "lot") }
        try await publisher.replaceDraft(record)
        return CampaignResponse(record)
    }

    func list(_ request: Request, _ context: AppRequestContext) async throws -> Page<CampaignResponse> {
        let identity = try context.requireIdentity()
        let query = PageRequest.query(request)
        let paging = try PageRequest(query)
        var statuses: [CampaignStatus]? = nil
        if let status = query["status"] {
            guard let status = CampaignStatus(rawValue: status) else {
                throw CampaignRequestError.statusInvalid(allowed: ["draft", "published", "ended"])
            }
            statuses = [status]
        }
        // Only operators see drafts; everyone else sees listed (published) and ended campaigns.
        if identity.role != .operator {
            statuses = (statuses ?? CampaignStatus.allCases).filter(\.isVisible)
        }
        let (items, total) = try await campaigns.list(statuses: statuses, page: paging.page, pageSize: paging.pageSize)
        return Page(items: items.map { CampaignResponse($0) }, page: paging.page, pageSize: paging.pageSize, total: total)
    }

    func detail(_ request: Request, _ context: AppRequestContext) async throws -> CampaignResponse {
        let identity = try context.requireIdentity()
        let id = try PathID.check(context.parameters.require("campaignID"), "campaignID")
        guard let campaign = try await campaigns.campaign(id: id), campaign.status.isVisible || identity.role == .operator else {
            throw CampaignError.campaignNotFound
        }
        return CampaignResponse(campaign, remaining: await Self.remainingStock(campaign, gate: rush.gate))
    }

    /// Each lot's remaining stock as readers see it (the JSON detail and the web pages): a listed
    /// grab lot's from Redis (absent when Redis cannot say), a draft's whole stock, nothing for
    /// apply lots.
    static func remainingStock(_ campaign: CampaignRecord, gate: GrabGate) async -> [String: Int64] {
        var remaining: [String: Int64] = [:]
        for lot in campaign.lots {
            if campaign.status.isVisible, lot.mode == .grab, let left = try? await gate.remaining(campaignID: campaign.id, lotID: lot.id) {
                remaining[lot.id] = left
            } else if campaign.status == .draft {
                remaining[lot.id] = Int64(lot.stock)
            }
        }
        return remaining
    }

    /// `remainingStock` as the 服务券活动 page shows it: a listed campaign's grab lots from the
    /// snapshot `GrabGate.shownRemaining` shares among the views of a moment (at most
    /// `RemainingStockCache.freshness` behind another server's grabs, never behind this server's).
    static func shownStock(_ campaign: CampaignRecord, gate: GrabGate) async -> [String: Int64] {
        guard campaign.status.isVisible else { return await remainingStock(campaign, gate: gate) }
        return await gate.shownRemaining(campaignID: campaign.id, lotIDs: campaign.grabLotIDs)
    }

    /// 上架: the campaign becomes visible and its grab lots are loaded into Redis.
    func publish(_ request: Request, _ context: AppRequestContext) async throws -> CampaignResponse {
        _ = try context.requireIdentity(.operator)
        let id = try PathID.check(context.parameters.require("campaignID"), "campaignID")
        return CampaignResponse(try await publisher.publish(campaignID: id))
    }

    /// Ends a campaign early: grabs answer `ended` from then on.
    func end(_ request: Request, _ context: AppRequestContext) async throws -> CampaignResponse {
        _ = try context.requireIdentity(.operator)
        let id = try PathID.check(context.parameters.require("campaignID"), "campaignID")
        return CampaignResponse(try await publisher.end(campaignID: id))
    }

    struct RestockInput: Decodable { let stock: Int }

    /// Changes a lot's stock: freely on a draft; after publishing, never below what was issued.
    func restock(_ request: Request, _ context: AppRequestContext) async throws -> CampaignResponse {
        _ = try context.requireIdentity(.operator)
        let campaignID = try PathID.check(context.parameters.require("campaignID"), "campaignID")
        let lotID = try PathID.check(context.parameters.require("lotID"), "lotID")
        let input = try await request.decode(as: RestockInput.self, context: context)
        guard (0...CampaignInput.Limits.stockMax).contains(input.stock) else {
            throw CampaignRequestError.input(code: "lot_stock_invalid", detail: "stock must be from 0 to \(CampaignInput.Limits.stockMax).")
        }
        return CampaignResponse(try await publisher.restock(campaignID: campaignID, lotID: lotID, stock: input.stock))
    }
}

extension CampaignRecord {
    /// The ids of the lots issued by grabbing, in the campaign's order: the lots whose remaining
    /// stock Redis holds and the pages show.
    var grabLotIDs: [String] { lots.filter { $0.mode == .grab }.map(\.id) }
}
