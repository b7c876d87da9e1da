import Foundation
import RedisNIO

/// The one Lua script of the grab path. It runs atomically inside Redis and decides one or more
/// grabs of one lot in the order given (`GrabBatcher` sends the grabs in flight together), so the
/// window, the per-enterprise limits and the stock are checked and the claims are recorded with no
/// other grab in between, each grab seeing what the ones before it wrote. Every key carries the
/// campaign's hash tag, so the script runs unchanged on Redis Cluster. Checks come first and the
/// stream appends are the first writes: if Redis refused the first append (out of memory),
/// nothing has been written.
///
/// KEYS: 1 the lot's hash, 2 the claim stream.
/// ARGV: 1 lot id, then per grab: enterprise (organisation) id, idempotency key or "".
/// The lot's hash holds everything a decision reads, so one HMGET reads it for the whole batch:
/// `start`, `end` (ms), `limit`, `state` (`open`/`closed`), `total` (the stock published), `stock`
/// (what is left), `version`; per enterprise `e:<org>` = `held|voucherId|grantedAtMs` (how many it
/// holds and its latest voucher) and `k:<org>:<idempotency key>` = `voucherId|grantedAtMs`. The
/// voucher's sequence is `total − stock + 1` (what was issued, plus one; a restock keeps
/// `total − stock`).
/// Reply: an array with one reply per grab, in ARGV order, each one of
///       {"won", voucherId, grantedAtMs, remaining} · {"again", voucherId, grantedAtMs}
///       · {"sold_out"} · {"not_open", startMs, endMs} · {"ended", startMs, endMs}
///       · {"limit_reached", held} · {"unknown_lot"}
public enum GrabScript {
    /// `Scripts/grab.lua`, also read by ops/loadtest and the benchmarks, so they run the same text.
    public static let script = ScriptResource.load("grab")

}

/// Adjusts a published lot's stock. Atomic: the new total may not fall below what was issued.
/// KEYS: 1 the lot's hash. ARGV: 1 new total. Replies {"ok", remaining} · {"below_issued", issued}
/// · {"unknown_lot"}.
public enum RestockScript {
    public static let script = ScriptResource.load("restock")

}

/// The Redis keys of one lot. All share `{c:<campaign>}`, the campaign's hash tag.
public struct LotKeys: Sendable, Hashable {
    public let campaignID: String
    public let lotID: String

    public init(campaignID: String, lotID: String) {
        self.campaignID = campaignID
        self.lotID = lotID
    }

    var tag: String { "vr:{c:\(campaignID)}" }
    /// The lot's one hash: window, limit, state, stock and every enterprise's counts and grants.
    public var meta: String { "\(tag):lot:\(lotID)" }
    /// The claim stream is per campaign: one consumer-group read drains all its lots.
    public var stream: String { CampaignKeys(campaignID: campaignID).stream }

    /// In the order the grab script's KEYS expect.
    public var grabKeys: [String] { [meta, stream] }

    /// The keys of the layout before the one hash (stock, counts, grants and sequence apart),
    /// which `load-lot.lua` moves into the hash when it finds a lot still laid out so.
    var legacyKeys: [String] { ["stock", "count", "grant", "seq"].map { "\(tag):\($0):\(lotID)" } }
}

/// Campaign-wide keys.
public struct CampaignKeys: Sendable, Hashable {
    public let campaignID: String
    public init(campaignID: String) { self.campaignID = campaignID }
    public var stream: String { "vr:{c:\(campaignID)}:claims" }
    /// Entries that failed `ClaimSink.deliveriesMax` times, kept for a person to look at.
    public var deadLetters: String { "vr:{c:\(campaignID)}:dead" }

    /// The keys of the campaign whose claim stream is `stream`; nil for any other key.
    public init?(stream: String) {
        let prefix = "vr:{c:"
        let suffix = "}:claims"
        guard stream.hasPrefix(prefix), stream.hasSuffix(suffix), stream.count > prefix.count + suffix.count else { return nil }
        self.init(campaignID: String(stream.dropFirst(prefix.count).dropLast(suffix.count)))
    }
}

/// The Lua scripts shipped as resources of this module.
enum ScriptResource {
    /// A missing script is a broken build, not an operating error: stop at once.
    static func load(_ name: String) -> RedisScript {
        guard let url = Bundle.module.url(forResource: name, withExtension: "lua", subdirectory: "Scripts"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else {
            preconditionFailure("the Lua script \(name).lua is missing from the Rush resource bundle")
        }
        return RedisScript(text)
    }
}
