/// The units people type amounts in: yuan (元), and the larger units of the guide's forms, 万元
/// and 亿元 (a provider's revenues and sales, guide §1.3.1 fig 1-4).
///
/// A fen is the smallest part of every unit, so a unit's decimals go down to one fen and no
/// further: an amount typed in any unit converts to fen exactly or is refused, never rounded.
public enum MoneyUnit: Sendable, Hashable, CaseIterable {
    /// 元: two decimals (`Money.yuanDecimalsMax`).
    case yuan
    /// 万元, ten thousand yuan: six decimals.
    case wan
    /// 亿元, a hundred million yuan: ten decimals.
    case yi

    /// Fen in one of this unit; the scale of every conversion.
    public var fenPerUnit: Int64 {
        switch self {
        case .yuan: Money.fenPerYuan
        case .wan: 1_000_000
        case .yi: 10_000_000_000
        }
    }

    /// The most decimals an amount in this unit may have: down to one fen.
    public var decimalsMax: Int {
        switch self {
        case .yuan: Money.yuanDecimalsMax
        case .wan: 6
        case .yi: 10
        }
    }
}
