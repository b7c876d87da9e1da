import Foundation

/// The time the use cases run on (code expiry, throttling windows, token lifetimes, order and
/// batch timestamps); a protocol so tests can move time instead of waiting.
public protocol WallClock: Sendable {
    func now() -> Date
}

/// The wall clock.
public struct SystemWallClock: WallClock {
    public init() {}
    public func now() -> Date { Date() }
}
