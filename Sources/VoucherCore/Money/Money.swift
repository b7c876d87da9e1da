/// An amount of renminbi as a whole number of fen (分, 1/100 yuan).
///
/// SPEC §2 forbids floats near money: every amount is an `Int64` of fen. Wrapping it in a type
/// keeps fen and yuan from being mixed up and routes all arithmetic through checked operations,
/// so an overflow is an error a caller must handle instead of a silent wrap or a crash.
/// It encodes as a bare JSON integer of fen, which is what the `…Fen` fields of the API carry.
public struct Money: Sendable, Hashable, Comparable, Codable {
    /// Fen in one yuan; the scale of every conversion between the two.
    public static let fenPerYuan: Int64 = 100
    /// The most decimals a yuan amount may have ("保留两位小数", SPEC §2).
    public static let yuanDecimalsMax = 2
    /// No money at all; the neutral element of addition.
    public static let zero = Money(fen: 0)
    /// The largest representable amount, ¥92,233,720,368,547,758.07.
    public static let max = Money(fen: Int64.max)
    /// The smallest representable amount (negative amounts appear only in ledger deltas).
    public static let min = Money(fen: Int64.min)

    /// The amount in fen; the only stored representation.
    public let fen: Int64

    /// Wraps a fen count; every `Int64` is a valid amount, so this cannot fail.
    public init(fen: Int64) {
        self.fen = fen
    }

    /// Builds a whole-yuan amount, failing instead of wrapping when it exceeds the fen range.
    public init(yuan: Int64) throws(MoneyArithmeticError) {
        let (product, overflow) = yuan.multipliedReportingOverflow(by: Money.fenPerYuan)
        guard !overflow else { throw .overflow }
        self.fen = product
    }

    /// True below zero; negative amounts are only legal as deltas, never as balances or prices.
    public var isNegative: Bool { fen < 0 }
    /// True above zero.
    public var isPositive: Bool { fen > 0 }
    /// True when there is no money.
    public var isZero: Bool { fen == 0 }

    /// Orders amounts by fen, so `min`/`max` and sorting work on money directly.
    public static func < (lhs: Money, rhs: Money) -> Bool {
        lhs.fen < rhs.fen
    }

    /// Decodes a bare integer of fen, the wire form of every `…Fen` field.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        self.fen = try container.decode(Int64.self)
    }

    /// Encodes as a bare integer of fen, never as an object or a yuan string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(fen)
    }
}

extension Money: CustomStringConvertible {
    /// The display form (`¥50,000.00`), so logs and test failures read as money.
    public var description: String { formatted }
}
