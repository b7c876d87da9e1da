import Foundation
import PostgresStore
import RedisNIO
import VoucherCore

/// Frees an ended campaign's claim stream in Redis (`voucherctl campaign archive`). The stream is
/// the only copy of a claim until the sink has stored it, so it goes only when the campaign has
/// ended and `CampaignVerifier` finds Redis and PostgreSQL in agreement; the deletion itself is a
/// script that re-checks, atomically, that the stream is still as verified. The archive (when,
/// and how many entries) is recorded on the campaign in the same PostgreSQL transaction.
///
/// Only `ended` counts as over: a published campaign past its window is still drained by the sink
/// and may still be restocked or ended by an operator, so it must be ended first.
public struct ClaimArchiver: Sendable {
    /// `Scripts/archive-claims.lua`: the atomic re-check and UNLINK (tested on its own).
    static let script = ScriptResource.load("archive-claims")

    let redis: RedisClient
    let campaigns: CampaignsRepository
    let verifier: CampaignVerifier

    public init(redis: RedisClient, campaigns: CampaignsRepository, claims: ClaimsRepository) {
        self.redis = redis
        self.campaigns = campaigns
        self.verifier = CampaignVerifier(redis: redis, campaigns: campaigns, claims: claims)
    }

    /// What an archive run did; both leave the campaign archived.
    public enum Outcome: Sendable, Equatable {
        case archived(ClaimsArchive)
        /// Archived before (by this command or a colleague's); nothing changed.
        case alreadyArchived(ClaimsArchive)
    }

    /// Why nothing was deleted, each with what to do about it.
    public enum Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        case notFound(campaignID: String)
        case notEnded(campaignID: String, status: String)
        case inconsistent(campaignID: String, problems: [String])
        /// The stream changed between the verification and the deletion.
        case changed(campaignID: String, reason: String)

        public var description: String {
            switch self {
            case .notFound(let id):
                return "No campaign has the id \(id); nothing was archived."
            case .notEnded(let id, let status):
                return "Campaign \(id) is \(status), not ended, so claims may still arrive in its stream; end it first "
                    + "(POST /v1/campaigns/\(id)/end), let the sink drain, then archive again."
            case .inconsistent(let id, let problems):
                return "Campaign \(id) does not pass verification, so its claim stream may be the only copy of some claims "
                    + "(\(problems.joined(separator: "; "))); keep a server's claim sink running and deal with any dead letters "
                    + "until `voucherctl campaign verify \(id)` passes, then archive again."
            case .changed(let id, let reason):
                return "The claim stream of campaign \(id) changed after it was verified (\(reason)); nothing was deleted. "
                    + "Run `voucherctl campaign verify \(id)`, then archive again."
            }
        }
    }

    /// Archives the campaign's claim stream, or answers the archive made before. Throws `Refusal`
    /// when it may not (nothing is deleted then), or a store's error.
    public func archive(campaignID: String) async throws -> Outcome {
        guard let campaign = try await campaigns.campaign(id: campaignID) else { throw Refusal.notFound(campaignID: campaignID) }
        if let archive = try await campaigns.claimsArchive(campaignID: campaignID) { return .alreadyArchived(archive) }
        guard campaign.status == .ended else { throw Refusal.notEnded(campaignID: campaignID, status: campaign.status.rawValue) }
        guard let report = try await verifier.verify(campaignID: campaignID) else { throw Refusal.notFound(campaignID: campaignID) }
        guard report.isConsistent else { throw Refusal.inconsistent(campaignID: campaignID, problems: report.problems) }
        let redis = self.redis
        let stream = CampaignKeys(campaignID: campaignID).stream
        let verifiedLength = report.streamLength
        let result = try await campaigns.archiveClaims(campaignID: campaignID) {
            let reply = try await redis.evalsha(Self.script, keys: [stream], arguments: [ClaimSink.group, String(verifiedLength)])
            guard let parts = reply.array, parts.count == 2, parts[0].string == "deleted", let deleted = parts[1].int64 else {
                throw Refusal.changed(campaignID: campaignID, reason: reply.array?.last?.string ?? "unexpected reply \(reply)")
            }
            return deleted
        }
        switch result {
        case .archived(let archive): return .archived(archive)
        case .already(let archive): return .alreadyArchived(archive)
        case .notEnded(let status): throw Refusal.notEnded(campaignID: campaignID, status: status.rawValue)
        }
    }
}
