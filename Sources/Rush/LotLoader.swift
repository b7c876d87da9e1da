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
            let known = try await redis.send(["EXISTS", keys.meta]).checked().int64 == 1
            var remaining = lot.stock
            var sequence = 0
            if !known {
                let granted = try await claims.grants(lotID: lot.id)
                remaining = max(0, lot.stock - granted.count)
                sequence = granted.compactMap { Int($0.voucherID.split(separator: "-").last ?? "") }.max() ?? 0
                try await rebuild(keys, granted: granted)
                if !granted.isEmpty {
                    logger.warning("lot.rebuilt_from_postgres", metadata: ["lot.id": "\(lot.id)", "lot.granted": "\(granted.count)"])
                }
            }
            _ = try await redis.evalsha(
                LoadLotScript.script, keys: [keys.meta, keys.stock, keys.sequence],
                arguments: [
                    String(Int64(campaign.startsAt.timeIntervalSince1970 * 1000)),
                    String(Int64(campaign.endsAt.timeIntervalSince1970 * 1000)),
                    String(lot.perEnterpriseLimit), state, String(lot.stock), String(remaining), String(sequence),
                ])
            _ = try await redis.xgroupCreate(keys.stream, group: ClaimSink.group, startID: "0")
        }
    }

    private func rebuild(_ keys: LotKeys, granted: [(orgID: String, sequence: Int, voucherID: String, grantedAtMs: Int64)]) async throws {
        _ = try await redis.send(["DEL", keys.counts, keys.grants]).checked()
        var counts: [String: Int] = [:]
        for grant in granted { counts[grant.orgID] = max(counts[grant.orgID] ?? 0, grant.sequence) }
        for chunk in stride(from: 0, to: granted.count, by: Self.rebuildChunk) {
            let slice = granted[chunk..<min(chunk + Self.rebuildChunk, granted.count)]
            var command = ["HSET", keys.grants]
            for grant in slice { command += ["\(grant.orgID):\(grant.sequence)", "\(grant.voucherID)|\(grant.grantedAtMs)"] }
            _ = try await redis.send(command).checked()
        }
        let entries = Array(counts)
        for chunk in stride(from: 0, to: entries.count, by: Self.rebuildChunk) {
            var command = ["HSET", keys.counts]
            for (org, count) in entries[chunk..<min(chunk + Self.rebuildChunk, entries.count)] { command += [org, String(count)] }
            _ = try await redis.send(command).checked()
        }
    }
}

/// Writes a lot's meta, and on first load its stock and sequence, in one step.
/// KEYS: meta, stock, sequence. ARGV: start ms, end ms, limit, state, total, remaining, sequence.
enum LoadLotScript {
    static let script = ScriptResource.load("load-lot")
}
