import Foundation
import Hummingbird
import Ledger
import Logging
import RedisNIO
import Rush
import VoucherCore

/// Campaigns (SPEC §3): operators create, edit, publish and end them; enterprises list them,
/// see the remaining stock, and grab.
struct CampaignsController {
    let campaigns: CampaignsRepository
    let rush: RushServices

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("campaigns") { request, context in try await create(request, context) }
        group.get("campaigns") { request, context in try await list(request, context) }
        group.get("campaigns/:campaignID") { request, context in try await detail(request, context) }
        group.put("campaigns/:campaignID") { request, context in try await replace(request, context) }
        group.post("campaigns/:campaignID/publish") { request, context in try await publish(request, context) }
        group.post("campaigns/:campaignID/end") { request, context in try await end(request, context) }
        group.patch("campaigns/:campaignID/lots/:lotID") { request, context in try await restock(request, context) }
        group.post("campaigns/:campaignID/lots/:lotID/grab") { request, context in try await grab(request, context) }
    }

    static let notFound = Problem(.notFound, code: "campaign_not_found", detail: "No campaign has this id. List campaigns with GET /v1/campaigns.")
    static let lotNotFound = Problem(.notFound, code: "lot_not_found", detail: "This campaign has no lot with this id. See the campaign's lots with GET /v1/campaigns/{id}.")

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
        do {
            try await campaigns.replaceDraft(record)
        } catch let error as CampaignStateError {
            throw Self.problem(error)
        }
        return CampaignResponse(record)
    }

    func list(_ request: Request, _ context: AppRequestContext) async throws -> Page<CampaignResponse> {
        let identity = try context.requireIdentity()
        let query = PageRequest.query(request)
        let paging = try PageRequest(query)
        var statuses: [String]? = nil
        if let status = query["status"] {
            guard ["draft", "published", "ended"].contains(status) else {
                throw Problem(.badRequest, code: "status_invalid", detail: "status must be draft, published or ended.")
            }
            statuses = [status]
        }
        // Only operators see drafts; everyone else sees listed (published) and ended campaigns.
        if identity.role != .operator {
            statuses = (statuses ?? ["published", "ended"]).filter { $0 != "draft" }
        }
        let (items, total) = try await campaigns.list(statuses: statuses, page: paging.page, pageSize: paging.pageSize)
        return Page(items: items.map { CampaignResponse($0) }, page: paging.page, pageSize: paging.pageSize, total: total)
    }

    func detail(_ request: Request, _ context: AppRequestContext) async throws -> CampaignResponse {
        let identity = try context.requireIdentity()
        let id = try PathID.check(context.parameters.require("campaignID"), "campaignID")
        guard let campaign = try await campaigns.campaign(id: id), campaign.status != "draft" || identity.role == .operator else {
            throw Self.notFound
        }
        var remaining: [String: Int64] = [:]
        for lot in campaign.lots {
            if campaign.status != "draft", lot.mode == "grab", let left = try? await rush.gate.remaining(campaignID: id, lotID: lot.id) {
                remaining[lot.id] = left
            } else if campaign.status == "draft" {
                remaining[lot.id] = Int64(lot.stock)
            }
        }
        return CampaignResponse(campaign, remaining: remaining)
    }

    /// 上架: the campaign becomes visible and its grab lots are loaded into Redis in the same
    /// transaction, so a failed load leaves it a draft to publish again.
    func publish(_ request: Request, _ context: AppRequestContext) async throws -> CampaignResponse {
        _ = try context.requireIdentity(.operator)
        let id = try PathID.check(context.parameters.require("campaignID"), "campaignID")
        let loader = rush.loader
        do {
            let record = try await campaigns.transition(id, from: ["draft"], to: "published") { record in
                try await loader.load(record)
            }
            rush.directory.remember(record)
            return CampaignResponse(record)
        } catch let error as CampaignStateError {
            throw Self.problem(error)
        }
    }

    /// Ends a campaign early: grabs answer `ended` from then on.
    func end(_ request: Request, _ context: AppRequestContext) async throws -> CampaignResponse {
        _ = try context.requireIdentity(.operator)
        let id = try PathID.check(context.parameters.require("campaignID"), "campaignID")
        let loader = rush.loader
        do {
            let record = try await campaigns.transition(id, from: ["published"], to: "ended") { record in
                try await loader.load(record)
            }
            rush.directory.remember(record)
            return CampaignResponse(record)
        } catch let error as CampaignStateError {
            throw Self.problem(error)
        }
    }

    struct RestockInput: Decodable { let stock: Int }

    /// Changes a lot's stock: freely on a draft; after publishing, never below what was issued.
    func restock(_ request: Request, _ context: AppRequestContext) async throws -> CampaignResponse {
        _ = try context.requireIdentity(.operator)
        let campaignID = try PathID.check(context.parameters.require("campaignID"), "campaignID")
        let lotID = try PathID.check(context.parameters.require("lotID"), "lotID")
        let input = try await request.decode(as: RestockInput.self, context: context)
        guard (0...CampaignInput.Limits.stockMax).contains(input.stock) else {
            throw Problem(.badRequest, code: "lot_stock_invalid", detail: "stock must be from 0 to \(CampaignInput.Limits.stockMax).")
        }
        guard let campaign = try await campaigns.campaign(id: campaignID) else { throw Self.notFound }
        guard let lot = campaign.lots.first(where: { $0.id == lotID }) else { throw Self.lotNotFound }
        guard campaign.status != "ended" else {
            throw Problem(.conflict, code: "campaign_ended", detail: "The campaign has ended; its stock can no longer change.")
        }
        let gate = rush.gate
        let published = campaign.status == "published" && lot.mode == "grab"
        do {
            try await campaigns.setStock(lotID: lotID, stock: input.stock) {
                guard published else { return }
                switch try await gate.restock(campaignID: campaignID, lotID: lotID, stock: input.stock) {
                case .ok: return
                case .belowIssued(let issued):
                    throw Problem(.conflict, code: "stock_below_issued", detail: "\(issued) vouchers of this lot are issued already; the stock cannot be set below that.")
                case .unknownLot:
                    throw Problem(.serviceUnavailable, code: "lot_not_loaded", detail: "The lot is not loaded in Redis; publish the campaign again, then retry.")
                }
            }
        } catch let error as CampaignStateError {
            throw Self.problem(error)
        }
        guard let updated = try await campaigns.campaign(id: campaignID) else { throw Self.notFound }
        rush.directory.remember(updated)
        return CampaignResponse(updated)
    }

    static func problem(_ error: CampaignStateError) -> Problem {
        switch error {
        case .notFound: return notFound
        case .notDraft(let status):
            return Problem(.conflict, code: "campaign_not_draft", detail: "The campaign is \(status), not a draft; only drafts can be edited or published.")
        case .notPublished(let status):
            return Problem(.conflict, code: "campaign_not_published", detail: "The campaign is \(status); only a published campaign can end.")
        case .stockBelowIssued(let issued):
            return Problem(.conflict, code: "stock_below_issued", detail: "\(issued) vouchers are issued already; the stock cannot be set below that.")
        }
    }
}
