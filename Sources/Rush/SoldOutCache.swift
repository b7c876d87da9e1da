import Synchronization
import VoucherCore

/// Remembers lots that answered `sold_out`, so that the rush after the last voucher is answered
/// by each server from memory instead of by Redis. A restock on this server clears the entry at
/// once; other servers let one grab per `recheckInterval` through to Redis and learn it then.
public final class SoldOutCache: Sendable {
    /// How stale another server's restock may look here at most.
    public static let recheckIntervalDefault: Duration = .seconds(1)
    /// Bound on remembered lots; past it the cache forgets everything (rare: lots per campaign are few).
    public static let lotsMax = 10_000

    private let recheckInterval: Duration
    /// Winners remembered per server at most, so a sold-out answer can still give a retrying
    /// winner its voucher without Redis.
    public static let winnersMax = 1_000_000

    /// Lot key → when a grab last went to Redis for it. Guarded by the mutex.
    private let marks = Mutex<[String: ContinuousClock.Instant]>([:])
    /// "lot|org" → the first voucher this server handed that enterprise. Guarded by the mutex.
    private let winners = Mutex<[String: (voucherID: String, grantedAtMs: Int64)]>([:])

    /// Where the cache reads the time when it is not given one.
    private let clock: any MonotonicClock

    public init(recheckInterval: Duration = SoldOutCache.recheckIntervalDefault, clock: any MonotonicClock = SystemMonotonicClock()) {
        self.recheckInterval = recheckInterval
        self.clock = clock
    }

    /// True when the lot is known sold out and it is not yet time to ask Redis again. When it
    /// is time, exactly one caller gets `false` (and asks); the others keep getting `true`.
    public func isSoldOut(_ lot: String, now: ContinuousClock.Instant? = nil) -> Bool {
        let now = now ?? clock.instant()
        return marks.withLock { marks in
            guard let marked = marks[lot] else { return false }
            if now - marked < recheckInterval { return true }
            marks[lot] = now
            return false
        }
    }

    /// True when the lot is known sold out and it is not yet time to ask Redis again; unlike
    /// `isSoldOut`, it never makes the caller the one that asks.
    public func isKnownSoldOut(_ lot: String, now: ContinuousClock.Instant? = nil) -> Bool {
        let now = now ?? clock.instant()
        return marks.withLock { marks in marks[lot].map { now - $0 < recheckInterval } ?? false }
    }

    public func markSoldOut(_ lot: String, now: ContinuousClock.Instant? = nil) {
        let now = now ?? clock.instant()
        marks.withLock { marks in
            if marks.count >= SoldOutCache.lotsMax { marks.removeAll() }
            marks[lot] = now
        }
    }

    /// Remembers a win (only the first per enterprise and lot matters for retries).
    public func recordWinner(lot: String, org: String, voucherID: String, grantedAtMs: Int64) {
        winners.withLock { winners in
            if winners.count >= SoldOutCache.winnersMax { winners.removeAll() }
            let key = lot + "|" + org
            if winners[key] == nil { winners[key] = (voucherID, grantedAtMs) }
        }
    }

    /// The voucher this server handed `org` on `lot`, if it remembers one.
    public func winner(lot: String, org: String) -> (voucherID: String, grantedAtMs: Int64)? {
        winners.withLock { $0[lot + "|" + org] }
    }

    /// The lot has stock again (or may have): forget it.
    public func clear(_ lot: String) {
        _ = marks.withLock { $0.removeValue(forKey: lot) }
    }

    /// Every lot may have stock again (changes may have been missed, see `LotChangeFeed`).
    public func clearAll() {
        marks.withLock { $0.removeAll() }
    }
}
