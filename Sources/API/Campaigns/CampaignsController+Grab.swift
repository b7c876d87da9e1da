import Foundation
import HTTPTypes
import Hummingbird
import RedisNIO
import Rush
import VoucherCore
import VoucherServices

extension CampaignsController {
    /// 抢券: one Redis script call decides; PostgreSQL is not touched on this path.
    func grab(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<GrabResponse> {
        let identity = try context.requireIdentity(.enterprise)
        // Certification first, before the path, as this route always answered.
        guard identity.certified else { throw GrabRefusal.notCertified }
        let campaignID = try PathID.check(context.parameters.require("campaignID"), "campaignID")
        let lotID = try PathID.check(context.parameters.require("lotID"), "lotID")
        return try await grab(
            identity: identity, campaignID: campaignID, lotID: lotID, idempotencyKey: request.headers[.idempotencyKey],
            address: context.clientAddress)
    }

    /// The grab use case, for the JSON route and the campaign page's 抢券 alike: certification,
    /// the Idempotency-Key, the rate limits, the lot, then the one Redis script call.
    func grab(
        identity: Identity, campaignID: String, lotID: String, idempotencyKey: String?, address: String?
    ) async throws
        -> EditedResponse<GrabResponse>
    {
        guard identity.certified else {
            throw GrabRefusal.notCertified
        }
        let key = try IdempotencyKey.validated(idempotencyKey, reserved: IdempotencyKey.grabReserved)?.value
        try rush.admit(org: identity.orgID, address: address)

        guard let entry = try await lookup(lotID), entry.lot.campaignID == campaignID, entry.campaignStatus.isVisible else {
            throw CampaignError.lotNotFound
        }
        guard entry.lot.mode == .grab else {
            throw GrabRefusal.notGrabbable
        }
        let outcome: GrabOutcome
        do {
            outcome = try await rush.gate.grab(campaignID: campaignID, lotID: lotID, orgID: identity.orgID, idempotencyKey: key)
        } catch let error as RedisClientError {
            throw Problem.grabUnavailable(error)
        } catch is GrabUnconfirmed {
            throw Problem.grabUnconfirmed
        }
        return try Self.response(outcome, entry: entry)
    }

    private func lookup(_ lotID: String) async throws -> LotDirectory.Entry? {
        do {
            return try await rush.directory.lot(lotID)
        } catch {
            throw Problem.campaignUnreadable
        }
    }

    static func response(_ outcome: GrabOutcome, entry: LotDirectory.Entry) throws -> EditedResponse<GrabResponse> {
        func voucher(_ id: String, _ grantedAtMs: Int64, _ result: String) -> GrabResponse {
            let granted = Date(timeIntervalSince1970: Double(grantedAtMs) / 1000)
            let validUntil = granted.addingTimeInterval(Double(entry.lot.validityDays) * 86_400)
            return GrabResponse(
                voucherId: id, campaignId: entry.lot.campaignID, lotId: entry.lot.id, kind: entry.lot.kind, direction: entry.lot.direction,
                faceValueFen: entry.lot.faceValueFen, grantedAt: RFC3339.format(granted), validUntil: RFC3339.format(validUntil), result: result)
        }
        if let refusal = GrabRefusal(outcome) { throw refusal }
        switch outcome {
        case .won(let id, let at, _):
            return EditedResponse(status: .created, response: voucher(id, at, "issued"))
        case .again(let id, let at):
            return EditedResponse(status: .ok, response: voucher(id, at, "already_issued"))
        case .soldOut, .notOpen, .ended, .limitReached, .unknownLot:
            preconditionFailure("every other outcome is a GrabRefusal")
        }
    }
}

extension HTTPField.Name {
    /// The client's key that makes a retried request return the first one's result.
    public static let idempotencyKey: HTTPField.Name = {
        guard let name = HTTPField.Name("Idempotency-Key") else { preconditionFailure("a valid header name") }
        return name
    }()
}
