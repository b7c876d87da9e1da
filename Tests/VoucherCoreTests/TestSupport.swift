import Foundation

@testable import VoucherCore

/// Builders that keep the tests about the rule under test, not about setting up values.
enum Fixture {
    /// A fixed "now" so that plans are reproducible.
    static let now = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z
    /// Seconds in a day, for expiry offsets.
    static let day: TimeInterval = 86_400

    /// A voucher valid for `days` more days.
    static func voucher(_ id: String, fen: Int64, days: Int64 = 30) -> VoucherBalance {
        VoucherBalance(id: id, available: Money(fen: fen), validUntil: now.addingTimeInterval(Double(days) * day))
    }

    /// Builds vouchers `v0`, `v1`, … from generated (balance, expiry) pairs.
    static func vouchers(_ specs: [(Int64, Int64)]) -> [VoucherBalance] {
        specs.enumerated().map { index, spec in voucher("v\(index)", fen: spec.0, days: spec.1) }
    }

    /// `⌊a / b⌋` in 128 bits: the reference the production code is compared against.
    static func floorDivide(_ a: Int128, _ b: Int128) -> Int128 {
        let quotient = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? quotient - 1 : quotient
    }
}
