#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What a voucher can still pay at checkout: the input of `Deduction.plan`.
///
/// `validUntil` is a `Date` (an instant, stored in UTC by the ledger) rather than an epoch integer,
/// because the ledger reads `timestamptz` as `Date` and the API writes RFC 3339; it is the *last*
/// instant at which the voucher may still be used (inclusive), and it orders the draw
/// ("draw from the one that expires first", SPEC §2).
public struct VoucherBalance: Sendable, Hashable, Codable {
    /// The voucher's opaque id; unique within one plan.
    public let id: String
    /// What the voucher can still deduct: face value minus held, captured and expired amounts.
    public let available: Money
    /// The last instant at which the voucher may be used.
    public let validUntil: Date

    /// A negative balance or an empty id can only come from a bug upstream (the ledger keeps
    /// `available ≥ 0` by a CHECK), so both are preconditions, not errors.
    public init(id: String, available: Money, validUntil: Date) {
        precondition(!id.isEmpty, "voucher id must not be empty")
        precondition(!available.isNegative, "voucher \(id) has a negative balance: \(available.fen)")
        self.id = id
        self.available = available
        self.validUntil = validUntil
    }

    /// True while the voucher may still be used at `instant`.
    public func isValid(at instant: Date) -> Bool {
        instant <= validUntil
    }

    /// Draw order: earliest expiry first, then id, so equal expiries still give one answer.
    static func drawsBefore(_ lhs: VoucherBalance, _ rhs: VoucherBalance) -> Bool {
        if lhs.validUntil != rhs.validUntil { return lhs.validUntil < rhs.validUntil }
        return lhs.id < rhs.id
    }
}
