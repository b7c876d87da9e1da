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
/// - Single flight: when the snapshot is missing, one read goes to Redis and the views of that
///   moment wait for it; when it is stale, one view refreshes it and the others are answered from
///   the stale snapshot meanwhile.
/// - Redis down: a stale snapshot is served (never older than the last read that succeeded) and
///   read again at the next view; with none, the lots show no number (as before: "—").
/// - Bounded: past `campaignsMax` campaigns everything is forgotten.
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

    enum Slot {
        case ready(Snapshot)
        /// A read in flight; `stale` is what it replaces, served meanwhile.
        case loading(Task<Snapshot, any Error>, stale: Snapshot?)
    }

    struct State {
        var slots: [String: Slot] = [:]
        /// Campaign → lot → (remaining after a grab on this server, when it was learned).
        var learned: [String: [String: (remaining: Int64, at: ContinuousClock.Instant)]] = [:]
        /// Bumped by every `forget`: a read started before it must not store what it read.
        var generation = 0
    }

    private let clock: any MonotonicClock
    /// Guarded by the mutex; no await happens while it is held.
    private let state = Mutex(State())
    /// Redis reads started by this cache (the tests' proof that views share a read).
    private let readCount = Atomic<Int>(0)

    public init(clock: any MonotonicClock = SystemMonotonicClock()) {
        self.clock = clock
    }

    public var reads: Int { readCount.load(ordering: .relaxed) }

    private enum Step {
        case serve(Snapshot)
        case wait(Task<Snapshot, any Error>, stale: Snapshot?)
    }

    /// Each of `lotIDs`' remaining stock (absent when Redis does not know the lot or cannot be
    /// read and nothing was read before), `read` asked at most once per `freshness`.
    public func remaining(
        campaignID: String, lotIDs: [String], read: @escaping @Sendable ([String]) async throws -> [String: Int64]
    ) async -> [String: Int64] {
        guard !lotIDs.isEmpty else { return [:] }
        let now = clock.instant()
        let step: Step = state.withLock { state in
            switch state.slots[campaignID] {
            case .ready(let snapshot) where snapshot.lotIDs == lotIDs && now - snapshot.startedAt < Self.freshness:
                return .serve(snapshot)
            case .loading(_, let stale?) where stale.lotIDs == lotIDs:
                return .serve(stale)
            case .loading(let task, _):
                return .wait(task, stale: nil)
            case .ready(let snapshot):
                let task = start(campaignID, lotIDs: lotIDs, generation: state.generation, read)
                let stale = snapshot.lotIDs == lotIDs ? snapshot : nil
                state.slots[campaignID] = .loading(task, stale: stale)
                return .wait(task, stale: stale)
            case nil:
                if state.slots.count >= Self.campaignsMax {
                    state.slots.removeAll()
                    state.learned.removeAll()
                }
                let task = start(campaignID, lotIDs: lotIDs, generation: state.generation, read)
                state.slots[campaignID] = .loading(task, stale: nil)
                return .wait(task, stale: nil)
            }
        }
        let snapshot: Snapshot?
        switch step {
        case .serve(let served):
            snapshot = served
        case .wait(let task, let stale):
            let answered = try? await task.value
            if let answered, answered.lotIDs != lotIDs {
                // The campaign's lots changed while another view's read was in flight: read ours.
                return (try? await read(lotIDs)) ?? [:]
            }
            snapshot = answered ?? stale
        }
        guard let snapshot else { return [:] }
        return state.withLock { Self.lowered(snapshot, by: $0.learned[campaignID]) }
    }

    /// A grab on this server left `remaining` of the lot (0 after `sold_out`).
    public func learn(campaignID: String, lotID: String, remaining: Int64) {
        let now = clock.instant()
        state.withLock { state in
            if state.learned.count >= Self.campaignsMax { state.learned.removeAll() }
            // The latest answer wins: it is at most a batch's reordering away from the smallest.
            state.learned[campaignID, default: [:]][lotID] = (remaining, now)
        }
    }

    /// The campaign's stock may have risen (a restock on this server): the next view reads Redis.
    public func forget(campaignID: String) {
        state.withLock { state in
            state.generation += 1
            state.slots.removeValue(forKey: campaignID)
            state.learned.removeValue(forKey: campaignID)
        }
    }

    /// The snapshot with each bound learned since its read started applied.
    static func lowered(_ snapshot: Snapshot, by learned: [String: (remaining: Int64, at: ContinuousClock.Instant)]?) -> [String: Int64] {
        guard let learned else { return snapshot.remaining }
        var remaining = snapshot.remaining
        for (lotID, bound) in learned where bound.at >= snapshot.startedAt {
            if let read = remaining[lotID], bound.remaining < read { remaining[lotID] = bound.remaining }
        }
        return remaining
    }

    private func start(
        _ campaignID: String, lotIDs: [String], generation: Int, _ read: @escaping @Sendable ([String]) async throws -> [String: Int64]
    ) -> Task<Snapshot, any Error> {
        readCount.add(1, ordering: .relaxed)
        let startedAt = clock.instant()
        return Task {
            do {
                let snapshot = Snapshot(lotIDs: lotIDs, remaining: try await read(lotIDs), startedAt: startedAt)
                state.withLock { state in
                    guard state.generation == generation else { return }
                    state.slots[campaignID] = .ready(snapshot)
                    // Bounds older than this read are in it; keep only the newer ones.
                    state.learned[campaignID] = state.learned[campaignID]?.filter { $0.value.at >= startedAt }
                }
                return snapshot
            } catch {
                state.withLock { state in
                    guard state.generation == generation, case .loading(_, let stale) = state.slots[campaignID] else { return }
                    if let stale {
                        // Served stale, and read again at the next view (an old start makes it stale).
                        state.slots[campaignID] = .ready(
                            Snapshot(lotIDs: stale.lotIDs, remaining: stale.remaining, startedAt: clock.instant() - Self.freshness))
                    } else {
                        state.slots.removeValue(forKey: campaignID)
                    }
                }
                throw error
            }
        }
    }
}
