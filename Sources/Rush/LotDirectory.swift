import Foundation
import PostgresStore
import Synchronization
import VoucherCore

/// What a server needs to answer a grab without PostgreSQL: the lot and its campaign's window,
/// cached in memory. Entries refresh from PostgreSQL after `freshness`; when PostgreSQL is down
/// the stale entry is used, so grabs keep working through a database outage.
public final class LotDirectory: Sendable {
    /// How long an entry is trusted before the next lookup refreshes it.
    public static let freshness: Duration = .seconds(5)
    /// Bound on cached lots.
    public static let lotsMax = 10_000

    /// A lot as the grab path sees it.
    public struct Entry: Sendable, Equatable {
        public let lot: LotRecord
        public let campaignName: String
        public let startsAt: Date
        public let endsAt: Date
        public let campaignStatus: CampaignStatus
    }

    let campaigns: CampaignsRepository
    /// Lot id → entry and when it was read. Guarded by the mutex.
    private let entries = Mutex<[String: (entry: Entry, read: ContinuousClock.Instant)]>([:])

    /// Where freshness is measured.
    private let clock: any MonotonicClock

    public init(campaigns: CampaignsRepository, clock: any MonotonicClock = SystemMonotonicClock()) {
        self.campaigns = campaigns
        self.clock = clock
    }

    /// The lot, or nil when no campaign has it. Throws only when PostgreSQL is needed and down.
    public func lot(_ lotID: String) async throws -> Entry? {
        let cached = entries.withLock { $0[lotID] }
        if let cached, clock.instant() - cached.read < Self.freshness { return cached.entry }
        do {
            guard let found = try await campaigns.lot(id: lotID) else {
                entries.withLock { _ = $0.removeValue(forKey: lotID) }
                return nil
            }
            let entry = Entry(
                lot: found.lot, campaignName: found.campaign.name, startsAt: found.campaign.startsAt, endsAt: found.campaign.endsAt,
                campaignStatus: found.campaign.status)
            remember(entry)
            return entry
        } catch {
            if let cached { return cached.entry }
            throw error
        }
    }

    /// Caches every lot of a campaign (after publish, end, or edit on this server).
    public func remember(_ campaign: CampaignRecord) {
        for lot in campaign.lots {
            remember(
                Entry(lot: lot, campaignName: campaign.name, startsAt: campaign.startsAt, endsAt: campaign.endsAt, campaignStatus: campaign.status))
        }
    }

    private func remember(_ entry: Entry) {
        let now = clock.instant()
        entries.withLock { entries in
            if entries.count >= Self.lotsMax { entries.removeAll() }
            entries[entry.lot.id] = (entry, now)
        }
    }
}
