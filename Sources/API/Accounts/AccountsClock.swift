import Foundation

/// The time accounts rules run on (code expiry, throttling windows, token lifetimes); a protocol
/// so tests can move time instead of waiting.
public protocol AccountsClock: Sendable {
    func now() -> Date
}

/// The wall clock.
public struct SystemAccountsClock: AccountsClock {
    public init() {}
    public func now() -> Date { Date() }
}
