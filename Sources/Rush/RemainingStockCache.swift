import Synchronization
import VoucherCore

/// The remaining stock of a campaign's grab lots as the 服务券活动 page shows it (issue 16: the page at
/// the opening must cost about what `/health` costs): one Redis read of all the campaign's lots per
/// `freshness` per server, shared by every view of that moment, instead of a Redis round trip per
/// lot per view.
///
/// - Staleness bound: another server's grabs show within `freshness` (plus the read's round trip).
///   This server's grabs show at once: each grab that reached Redis teaches the cache a lower
///   bound for its lot (`learn`), applied to every snapshot read before it; stock only falls
///   between restocks, so the smaller number is the truer one. A restock on this server forgets
///   the campaign (the next view reads Redis); one on another server shows within `freshness`.
/// - Single flight, stale while refreshing, stale while Redis is down, bounded: `Memo`'s rules, as
///   for `CampaignPageCache` (with no snapshot and Redis down, the lots show no number: "—").
public final class RemainingStockCache: Sendable {
    /// How long a snapshot is served without asking Redis again.
    public static let freshness: Duration = .milliseconds(250)
    public static let campaignsMax = 10_000

    /// One read of a campaign's lots: what Redis said (lots it does not know are absent) and when
    /// the read started (a bound learned after that is newer than the snapshot).
    struct Snapshot: Sendable {
        let lotIDs: [String]
        let remaining: [String: Int64]
        let startedAt: ContinuousClock.Instant
    }

    typealias Bounds = [String: (remaining: Int64, at: ContinuousClock.Instant)]

    private let clock: any MonotonicClock
    private let snapshots: Memo<String, Snapshot>
    /// Campaign → lot → (remaining after a grab on this server, when it was learned).
    private let learned = Mutex<[String: Bounds]>([:])
    /// Redis reads started by this cache (the tests' proof that views share a read).
    private let readCount = Atomic<Int>(0)
    /// Bumped by every `learn` and `forget` (what a view shows may have changed without a read).
    private let changes = Atomic<Int>(0)

    public init(clock: any MonotonicClock = SystemMonotonicClock()) {
        self.clock = clock
        snapshots = Memo(entriesMax: Self.campaignsMax, freshness: Self.freshness, clock: clock)
    }

    public var reads: Int { readCount.load(ordering: .relaxed) }

    /// Bumped by every `learn` and `forget`: a view rendered before a bump may show too much stock.
    public var generation: Int { changes.load(ordering: .acquiring) }

    /// The instant until which the campaign's snapshot of exactly `lotIDs` stays fresh; nil when
    /// none is held fresh (so `remaining` would read Redis or serve a stale one).
    public func freshUntil(campaignID: String, lotIDs: [String]) -> ContinuousClock.Instant? {
        guard let (snapshot, until) = snapshots.heldFresh(campaignID), snapshot.lotIDs == lotIDs else { return nil }
        return until
    }

    /// This cache's clock (the instants of `freshUntil`).
    public func instant() -> ContinuousClock.Instant { clock.instant() }

    /// Each of `lotIDs`' remaining stock (absent when Redis does not know the lot or cannot be
    /// read and nothing was read before), `read` asked at most once per `freshness`.
    public func remaining(
        campaignID: String, lotIDs: [String], read: @escaping @Sendable ([String]) async throws -> [String: Int64]
    ) async -> [String: Int64] {
        guard !lotIDs.isEmpty else { return [:] }
        if let held = snapshots.held(campaignID), held.lotIDs == lotIDs { return shown(held, campaignID: campaignID) }
        let load: @Sendable () async throws -> Snapshot = { [self] in
            readCount.add(1, ordering: .relaxed)
            let startedAt = clock.instant()
            let snapshot = Snapshot(lotIDs: lotIDs, remaining: try await read(lotIDs), startedAt: startedAt)
            // Bounds older than this read are in it; keep only the newer ones.
            learned.withLock { $0[campaignID] = $0[campaignID]?.filter { $0.value.at >= startedAt } }
            return snapshot
        }
        var snapshot = try? await snapshots.value(campaignID, load: load)
        if let held = snapshot, held.lotIDs != lotIDs {
            // The campaign's lots changed since the snapshot: read them as they are now.
            snapshots.forget(campaignID)
            snapshot = try? await snapshots.value(campaignID, load: load)
        }
        guard let snapshot, snapshot.lotIDs == lotIDs else { return [:] }
        return shown(snapshot, campaignID: campaignID)
    }

    /// What a view shows of `snapshot`: lowered by this server's grabs since its read.
    private func shown(_ snapshot: Snapshot, campaignID: String) -> [String: Int64] {
        learned.withLock { Self.lowered(snapshot, by: $0[campaignID]) }
    }

    /// A grab on this server left `remaining` of the lot (0 after `sold_out`).
    public func learn(campaignID: String, lotID: String, remaining: Int64) {
        let now = clock.instant()
        defer { changes.add(1, ordering: .releasing) }
        learned.withLock { learned in
            if learned.count >= Self.campaignsMax { learned.removeAll() }
            // The latest answer wins: it is at most a batch's reordering away from the smallest.
            learned[campaignID, default: [:]][lotID] = (remaining, now)
        }
    }

    /// The campaign's stock may have risen (a restock on this server): the next view reads Redis.
    public func forget(campaignID: String) {
        snapshots.forget(campaignID)
        _ = learned.withLock { $0.removeValue(forKey: campaignID) }
        changes.add(1, ordering: .releasing)
    }

    /// The snapshot with each bound learned since its read started applied.
    static func lowered(_ snapshot: Snapshot, by learned: Bounds?) -> [String: Int64] {
        guard let learned else { return snapshot.remaining }
        var remaining = snapshot.remaining
        for (lotID, bound) in learned where bound.at >= snapshot.startedAt {
            if let read = remaining[lotID], bound.remaining < read { remaining[lotID] = bound.remaining }
        }
        return remaining
    }
}
