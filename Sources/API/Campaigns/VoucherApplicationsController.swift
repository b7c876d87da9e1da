import Foundation
import Hummingbird
import PostgresStore
import VoucherCore
import VoucherServices

/// Apply-mode lots (申请): an enterprise applies, an operator approves (issuing the voucher, in
/// PostgreSQL under the lot's lock) or rejects with a reason.
struct VoucherApplicationsController {
    let applications: VoucherApplicationsRepository
    let campaigns: CampaignsRepository
    /// Whether the campaign is open, and the application's time, come from the injected clock
    /// (`services.clock`), as in the other controllers, so tests can move time.
    let clock: any WallClock

    /// Longest rejection reason kept.
    static let reasonLengthMax = 500

    var endpoints: RouteCollection<AppRequestContext> {
        RouteCollection(context: AppRequestContext.self)
            .post("campaigns/:campaignID/lots/:lotID/applications", use: apply)
            .get("voucher-applications", use: list)
            .get("voucher-applications/:applicationID", use: show)
            .post("voucher-applications/:applicationID/approve", use: approve)
            .post("voucher-applications/:applicationID/reject", use: reject)
    }

    struct ApplicationResponse: ResponseEncodable {
        let id: String
        let campaignId: String
        let lotId: String
        let organisationId: String
        let status: String
        let reason: String?
        let voucherId: String?
        let createdAt: String
        let decidedAt: String?

        init(_ record: VoucherApplicationRecord) {
            id = record.id
            campaignId = record.campaignID
            lotId = record.lotID
            organisationId = record.orgID
            status = record.status.rawValue
            reason = record.reason
            voucherId = record.voucherID
            createdAt = RFC3339.format(record.createdAt)
            decidedAt = record.decidedAt.map(RFC3339.format)
        }
    }

    func apply(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<ApplicationResponse> {
        let identity = try context.requireIdentity(.enterprise)
        // Certification first, before the path, as this route always answered.
        guard identity.certified else { throw CampaignRequestError.notCertified }
        let campaignID = try PathID.check(context.parameters.require("campaignID"), "campaignID")
        let lotID = try PathID.check(context.parameters.require("lotID"), "lotID")
        let record = try await apply(identity: identity, campaignID: campaignID, lotID: lotID)
        return EditedResponse(status: .created, response: ApplicationResponse(record))
    }

    /// 立即申请, for the JSON route and the campaign page alike: certification, the lot (apply
    /// mode), the campaign's window, then the application with its inbox item.
    func apply(identity: Identity, campaignID: String, lotID: String) async throws -> VoucherApplicationRecord {
        guard identity.certified else {
            throw CampaignRequestError.notCertified
        }
        guard let campaign = try await campaigns.campaign(id: campaignID), campaign.status.isVisible,
            let lot = campaign.lots.first(where: { $0.id == lotID })
        else { throw CampaignError.lotNotFound }
        guard lot.mode == .apply else {
            throw CampaignRequestError.lotNotApplicable
        }
        let now = clock.now()
        guard campaign.status == .published, now >= campaign.startsAt else {
            throw now < campaign.startsAt
                ? CampaignRequestError.notOpen(opensAt: campaign.startsAt, closesAt: campaign.endsAt)
                : CampaignRequestError.ended(opensAt: campaign.startsAt, closesAt: campaign.endsAt)
        }
        guard now < campaign.endsAt else {
            throw CampaignRequestError.ended(opensAt: campaign.startsAt, closesAt: campaign.endsAt)
        }
        return try await applications.apply(
            id: OpaqueID.make(prefix: "vap"), lot: lot, orgID: identity.orgID, applicantID: identity.userID, title: "服务券申请 " + campaign.name,
            now: now)
    }

    func list(_ request: Request, _ context: AppRequestContext) async throws -> Page<ApplicationResponse> {
        let identity = try context.requireIdentity(.enterprise, .operator)
        let query = PageRequest.query(request)
        let paging = try PageRequest(query)
        var status: ApprovalStatus?
        if let text = query["status"] {
            guard let value = ApprovalStatus(rawValue: text), value != .withdrawn else {
                throw CampaignRequestError.statusInvalid(allowed: ["pending", "approved", "rejected"])
            }
            status = value
        }
        let org = identity.role == .operator ? nil : identity.orgID
        let (items, total) = try await applications.list(orgID: org, status: status, page: paging.page, pageSize: paging.pageSize)
        return Page(items: items.map(ApplicationResponse.init), page: paging.page, pageSize: paging.pageSize, total: total)
    }

    func show(_ request: Request, _ context: AppRequestContext) async throws -> ApplicationResponse {
        let identity = try context.requireIdentity(.enterprise, .operator)
        let id = try PathID.check(context.parameters.require("applicationID"), "applicationID")
        guard let record = try await applications.application(id: id),
            identity.role == .operator || record.orgID == identity.orgID
        else { throw VoucherApplicationError.notFound }
        return ApplicationResponse(record)
    }

    func approve(_ request: Request, _ context: AppRequestContext) async throws -> ApplicationResponse {
        let identity = try context.requireIdentity(.operator)
        let id = try PathID.check(context.parameters.require("applicationID"), "applicationID")
        return ApplicationResponse(try await applications.approve(id: id, voucherID: OpaqueID.make(prefix: "vch"), decidedBy: identity.userID))
    }

    struct RejectInput: Decodable { let reason: String }

    func reject(_ request: Request, _ context: AppRequestContext) async throws -> ApplicationResponse {
        let identity = try context.requireIdentity(.operator)
        let id = try PathID.check(context.parameters.require("applicationID"), "applicationID")
        let input = try await request.decode(as: RejectInput.self, context: context)
        let reason = input.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty, reason.count <= Self.reasonLengthMax else {
            throw CampaignRequestError.reasonMissing(lengthMax: Self.reasonLengthMax)
        }
        return ApplicationResponse(try await applications.reject(id: id, reason: reason, decidedBy: identity.userID))
    }
}
