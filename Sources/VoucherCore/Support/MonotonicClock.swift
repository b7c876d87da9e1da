/// The monotonic time that in-memory limits run on (the grab path's rate buckets, sold-out
/// recheck and lot freshness); a protocol so tests move time instead of waiting for it.
public protocol MonotonicClock: Sendable {
    func instant() -> ContinuousClock.Instant
}

/// The process's continuous clock.
public struct SystemMonotonicClock: MonotonicClock {
    public init() {}
    public func instant() -> ContinuousClock.Instant { .now }
}
