import PostgresStore
import Synchronization
import VoucherCore

/// The published campaigns as the 服务券活动 pages show them (issue 16: "the campaign page itself is
/// served without a PostgreSQL query per view"): one campaign, and the list's pages, held in memory
/// for `freshness`. At the opening second thousands of views of one campaign cost one PostgreSQL
/// read per `freshness` per server, not one each.
///
/// - Staleness bound: a change made on this server (publish, end, edit, restock through
///   `CampaignPublisher`) is seen at once (`forget`); one made on another server within
///   `freshness`. The remaining stock is not cached here (see `RemainingStockCache`).
/// - Single flight: when an entry is missing, one read goes to PostgreSQL and the other views of
///   that moment wait for it; when an entry is stale, one view refreshes it and the others are
///   answered from the stale entry meanwhile (nobody waits for PostgreSQL during a rush).
/// - PostgreSQL down: a stale entry is served until a read succeeds; a missing one throws.
public final class CampaignPageCache: Sendable {
    /// How long an entry is served without asking PostgreSQL again.
    public static let freshness: Duration = .seconds(2)
    /// Bound on cached campaigns (unknown ids are cached too, as "none"); past it the cache
    /// forgets everything, as `LotDirectory` does.
    public static let campaignsMax = 10_000
    /// Bound on cached list pages.
    public static let listPagesMax = 1_000

    /// One page of the list of visible campaigns.
    public struct ListPage: Sendable {
        public let items: [CampaignRecord]
        public let total: Int
    }

    let campaigns: CampaignsRepository
    let clock: any MonotonicClock
    let byID: Memo<String, CampaignRecord?>
    let lists: Memo<ListKey, ListPage>
    /// PostgreSQL reads started by this cache (the tests' proof that views do not query).
    private let readCount = Atomic<Int>(0)

    struct ListKey: Hashable, Sendable {
        let page: Int
        let pageSize: Int
    }

    public init(campaigns: CampaignsRepository, clock: any MonotonicClock = SystemMonotonicClock()) {
        self.campaigns = campaigns
        self.clock = clock
        byID = Memo(entriesMax: Self.campaignsMax, freshness: Self.freshness, clock: clock)
        lists = Memo(entriesMax: Self.listPagesMax, freshness: Self.freshness, clock: clock)
    }

    /// How many PostgreSQL reads this cache has started.
    public var reads: Int { readCount.load(ordering: .relaxed) }

    /// The campaign (any status; the caller decides what a visitor may see), nil when unknown.
    public func campaign(id: String) async throws -> CampaignRecord? {
        if let held = byID.held(id) { return held }
        return try await byID.value(id) { [self] in
            readCount.add(1, ordering: .relaxed)
            return try await campaigns.campaign(id: id)
        }
    }

    /// The campaign as `campaign(id:)` would serve it now without reading, and the instant until
    /// which it stays fresh; nil when it is not held fresh (missing, stale, being read).
    public func heldCampaign(id: String) -> (record: CampaignRecord?, freshUntil: ContinuousClock.Instant)? {
        byID.heldFresh(id)
    }

    /// Bumped by every `forget`: what was shown before a bump may be out of date.
    public var generation: Int { byID.generation }

    /// This cache's clock (the instants of `heldCampaign`).
    public func instant() -> ContinuousClock.Instant { clock.instant() }

    /// A page of the listed (published) and ended campaigns, newest first as the repository orders them.
    public func list(page: Int, pageSize: Int) async throws -> ListPage {
        try await lists.value(ListKey(page: page, pageSize: pageSize)) { [self] in
            readCount.add(1, ordering: .relaxed)
            let (items, total) = try await campaigns.list(statuses: CampaignStatus.allCases.filter(\.isVisible), page: page, pageSize: pageSize)
            return ListPage(items: items, total: total)
        }
    }

    /// Forgets a campaign and every list page after a change on this server, so the next view reads it.
    public func forget(campaignID: String) {
        byID.forget(campaignID)
        lists.forgetAll()
    }
}

/// A bounded map of values read from elsewhere, each served for `freshness`, with one read in
/// flight per key (see `CampaignPageCache`).
final class Memo<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    enum Slot {
        case ready(Value, read: ContinuousClock.Instant)
        /// A read in flight; `stale` is what it replaces, served meanwhile.
        case loading(Task<Value, any Error>, stale: Value?)
    }

    struct State {
        var slots: [Key: Slot] = [:]
        /// Bumped by every `forget`: a read started before it must not store what it read.
        var generation = 0
    }

    private let entriesMax: Int
    private let freshness: Duration
    private let clock: any MonotonicClock
    /// Guarded by the mutex; no await happens while it is held.
    private let state = Mutex(State())

    init(entriesMax: Int, freshness: Duration, clock: any MonotonicClock) {
        precondition(entriesMax > 0)
        self.entriesMax = entriesMax
        self.freshness = freshness
        self.clock = clock
    }

    /// What `value` would serve at once without reading: the fresh value, or the stale one while
    /// another caller refreshes it; nil when a read would have to start or be waited for. A hit
    /// costs one lock and no task, closure or read (the views at the opening second).
    func held(_ key: Key) -> Value? { heldNow(key)?.value }

    /// The fresh value of `key` and the instant it goes stale; nil unless it is held fresh.
    func heldFresh(_ key: Key) -> (Value, ContinuousClock.Instant)? {
        guard let held = heldNow(key), let freshUntil = held.freshUntil else { return nil }
        return (held.value, freshUntil)
    }

    /// The value `value` would serve without reading, with the instant it goes stale when it is
    /// fresh (nil for a stale value served while it is being read again).
    private func heldNow(_ key: Key) -> (value: Value, freshUntil: ContinuousClock.Instant?)? {
        let now = clock.instant()
        return state.withLock { state in
            switch state.slots[key] {
            case .ready(let value, let read) where now - read < freshness: (value, read + freshness)
            case .loading(_, let stale?): (stale, nil)
            default: nil
            }
        }
    }

    /// Bumped by every `forget`.
    var generation: Int { state.withLock { $0.generation } }

    private enum Step {
        case serve(Value)
        case wait(Task<Value, any Error>, stale: Value?)
    }

    /// The value of `key`: fresh from memory, stale from memory while one caller refreshes it, or
    /// read by `load` (once for all callers of that moment). The read runs in a task of its own
    /// so that a caller going away does not cancel the others' read; every caller awaits it.
    func value(_ key: Key, load: @escaping @Sendable () async throws -> Value) async throws -> Value {
        let now = clock.instant()
        let step: Step = state.withLock { state in
            switch state.slots[key] {
            case .ready(let value, let read) where now - read < freshness:
                return .serve(value)
            case .loading(_, let stale?):
                return .serve(stale)
            case .loading(let task, nil):
                return .wait(task, stale: nil)
            case .ready(let value, _):
                let task = start(key, generation: state.generation, load)
                state.slots[key] = .loading(task, stale: value)
                return .wait(task, stale: value)
            case nil:
                if state.slots.count >= entriesMax { state.slots.removeAll() }
                let task = start(key, generation: state.generation, load)
                state.slots[key] = .loading(task, stale: nil)
                return .wait(task, stale: nil)
            }
        }
        switch step {
        case .serve(let value):
            return value
        case .wait(let task, let stale):
            do {
                return try await task.value
            } catch {
                if let stale { return stale }
                throw error
            }
        }
    }

    /// The read of `key`; on success it is stored (unless a `forget` came since it started), on
    /// failure the stale value (if any) stays, to be served and retried at the next view.
    private func start(_ key: Key, generation: Int, _ load: @escaping @Sendable () async throws -> Value) -> Task<Value, any Error> {
        Task {
            do {
                let value = try await load()
                let read = clock.instant()
                state.withLock { state in
                    guard state.generation == generation else { return }
                    state.slots[key] = .ready(value, read: read)
                }
                return value
            } catch {
                state.withLock { state in
                    guard state.generation == generation, case .loading(_, let stale) = state.slots[key] else { return }
                    // Served stale, and read again at the next view (an old read instant makes it stale).
                    if let stale {
                        state.slots[key] = .ready(stale, read: clock.instant().advanced(by: .zero - freshness))
                    } else {
                        state.slots.removeValue(forKey: key)
                    }
                }
                throw error
            }
        }
    }

    func forget(_ key: Key) {
        state.withLock { state in
            state.generation += 1
            state.slots.removeValue(forKey: key)
        }
    }

    func forgetAll() {
        state.withLock { state in
            state.generation += 1
            state.slots.removeAll()
        }
    }
}
