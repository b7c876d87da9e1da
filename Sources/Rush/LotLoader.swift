import Foundation
import Logging
import PostgresStore
import RedisNIO
import VoucherCore

/// Puts published lots into Redis, where the grab script finds them. Loading is idempotent: a
/// lot Redis already knows only gets its window and limit refreshed (its stock and claims are
/// Redis's own); a lot Redis does not know (first publish, or keys lost) is rebuilt from
/// PostgreSQL's vouchers, so a reload never hands out stock that was already issued.
public struct LotLoader: Sendable {
    /// Grant records written per HSET when rebuilding a lot.
    static let rebuildChunk = 500

    let redis: RedisClient
    let claims: ClaimsRepository
    let logger: Logger

    public init(redis: RedisClient, claims: ClaimsRepository, logger: Logger) {
        self.redis = redis
        self.claims = claims
        self.logger = logger
    }

    /// Loads every grab lot of `campaign` with the state the campaign is in.
    public func load(_ campaign: CampaignRecord) async throws {
        let state = campaign.status == .published ? "open" : "closed"
        for lot in campaign.lots where lot.mode == .grab {
            let keys = LotKeys(campaignID: campaign.id, lotID: lot.id)
            // `total` is written last on a first load: a hash without it is a rebuild cut short.
            let known = try await redis.send(["HEXISTS", keys.meta, "total"]).checked().int64 == 1
            var remaining = lot.stock
            if !known {
                let granted = try await claims.grants(lotID: lot.id)
                // The script numbers the next voucher total − stock + 1: never below a number in use.
                let numbered = granted.compactMap { Int($0.voucherID.split(separator: "-").last ?? "") }.max() ?? 0
                remaining = max(0, lot.stock - max(granted.count, numbered))
                try await rebuild(keys, granted: granted)
                if !granted.isEmpty {
                    logger.warning("lot.rebuilt_from_postgres", metadata: ["lot.id": "\(lot.id)", "lot.granted": "\(granted.count)"])
                }
            }
            _ = try await redis.evalsha(
                LoadLotScript.script, keys: [keys.meta] + keys.legacyKeys,
                arguments: [
                    String(Int64(campaign.startsAt.timeIntervalSince1970 * 1000)),
                    String(Int64(campaign.endsAt.timeIntervalSince1970 * 1000)),
                    String(lot.perEnterpriseLimit), state, String(lot.stock), String(remaining),
                ])
            _ = try await redis.xgroupCreate(keys.stream, group: ClaimSink.group, startID: "0")
        }
    }

    private func rebuild(_ keys: LotKeys, granted: [(orgID: String, sequence: Int, voucherID: String, grantedAtMs: Int64)]) async throws {
        _ = try await redis.send(["DEL", keys.meta] + keys.legacyKeys).checked()
        // Per enterprise: how many it holds and its latest voucher (the highest per-enterprise number).
        var latest: [String: (sequence: Int, voucherID: String, grantedAtMs: Int64)] = [:]
        for grant in granted where grant.sequence > latest[grant.orgID]?.sequence ?? 0 {
            latest[grant.orgID] = (grant.sequence, grant.voucherID, grant.grantedAtMs)
        }
        let entries = Array(latest)
        for chunk in stride(from: 0, to: entries.count, by: Self.rebuildChunk) {
            var command = ["HSET", keys.meta]
            for (org, grant) in entries[chunk..<min(chunk + Self.rebuildChunk, entries.count)] {
                command += ["e:\(org)", "\(grant.sequence)|\(grant.voucherID)|\(grant.grantedAtMs)"]
            }
            _ = try await redis.send(command).checked()
        }
    }
}

/// Writes a lot's window, limit and state, and on first load its total and stock, in one step; a
/// lot still in the layout before the one hash is moved into it (see `LotKeys.legacyKeys`).
/// KEYS: the lot's hash, then the four legacy keys. ARGV: start ms, end ms, limit, state, total, remaining.
enum LoadLotScript {
    static let script = ScriptResource.load("load-lot")
}
