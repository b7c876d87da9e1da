import Foundation
import HTTPTypes
import Hummingbird
import RedisNIO
import Rush
import VoucherCore
import VoucherServices

extension CampaignsController {
    /// 抢券: one Redis script call decides; PostgreSQL is not touched on this path. A lot this
    /// server knows sold out is answered with the one prebuilt `sold_out` response, not thrown
    /// through the middleware chain (the rush after the last voucher is nearly all such answers).
    func grab(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.requireIdentity(.enterprise)
        // Certification first, before the path, as this route always answered.
        guard identity.certified else { throw GrabRefusal.notCertified }
        let campaignID = try PathID.check(context.parameters.require("campaignID"), "campaignID")
        let lotID = try PathID.check(context.parameters.require("lotID"), "lotID")
        let decision = try await decide(
            identity: identity, campaignID: campaignID, lotID: lotID, idempotencyKey: request.headers[.idempotencyKey],
            address: context.clientAddress)
        switch decision {
        case .soldOut, .decided(.soldOut, _):
            return Self.soldOutResponse
        case .decided(let outcome, let entry):
            return try Self.response(outcome, entry: entry).response(from: request, context: context)
        }
    }

    /// The `sold_out` problem, built once: the same status, headers and body as thrown.
    static let soldOutResponse = GrabRefusal.soldOut.problem.prebuiltResponse()

    /// The grab use case, for the JSON route and the campaign page's 抢券 alike: certification,
    /// the Idempotency-Key, the rate limits, the lot, then the one Redis script call.
    func grab(
        identity: Identity, campaignID: String, lotID: String, idempotencyKey: String?, address: String?
    ) async throws
        -> EditedResponse<GrabResponse>
    {
        switch try await decide(identity: identity, campaignID: campaignID, lotID: lotID, idempotencyKey: idempotencyKey, address: address) {
        case .soldOut: throw GrabRefusal.soldOut
        case .decided(let outcome, let entry): return try Self.response(outcome, entry: entry)
        }
    }

    /// How a grab was decided: from memory as sold out, or by an outcome on a looked-up lot.
    enum GrabDecision {
        case soldOut
        case decided(GrabOutcome, LotDirectory.Entry)
    }

    /// The use case up to its outcome. A lot this server knows sold out (`GrabGate.knownSoldOut`)
    /// is answered from memory right after certification and the key's shape, before the rate
    /// limits and the lot lookup: the answer costs neither Redis nor a limiter token, and a client
    /// over its rate learns that the lot is gone rather than when to come back. Memory holds only
    /// lots a grab of this very campaign and lot found sold out (after the lookup), and every
    /// server's `LotChangeFeed` clears them when the campaign or its lots change, so the order
    /// changes no other answer. A retrying winner, a grab with an Idempotency-Key and the one grab
    /// per recheck interval that asks Redis again go the whole way, as before.
    func decide(
        identity: Identity, campaignID: String, lotID: String, idempotencyKey: String?, address: String?
    ) async throws -> GrabDecision {
        guard identity.certified else {
            throw GrabRefusal.notCertified
        }
        let key = try IdempotencyKey.validated(idempotencyKey, reserved: IdempotencyKey.grabReserved)?.value
        if key == nil, rush.gate.knownSoldOut(campaignID: campaignID, lotID: lotID, orgID: identity.orgID) { return .soldOut }
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
        return .decided(outcome, entry)
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
