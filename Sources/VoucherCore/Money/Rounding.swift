/// How a division of fen that does not come out even is rounded.
///
/// Every division of money names its rounding (TigerBeetle style), because the choice decides who
/// keeps the odd fen; the deduction cap, for example, rounds `.down` so it never exceeds 30 %.
public enum Rounding: Sendable, Hashable, CaseIterable {
    /// Toward −∞ (floor): `7/2 → 3`, `−7/2 → −4`.
    case down
    /// Toward +∞ (ceiling): `7/2 → 4`, `−7/2 → −3`.
    case up
    /// To the nearest; an exact half goes to the even neighbour (banker's rounding).
    case halfEven
    /// Toward zero (truncation, what `/` does): `7/2 → 3`, `−7/2 → −3`.
    case towardZero

    /// Adjusts a truncated quotient by its remainder; pure so every mode is tested on its own.
    ///
    /// - Parameters:
    ///   - quotient: `dividend / divisor`, truncated toward zero.
    ///   - remainder: `dividend % divisor`, with the dividend's sign.
    ///   - divisor: a positive divisor.
    func adjust(quotient: Int64, remainder: Int64, divisor: Int64) -> Int64 {
        precondition(divisor > 0, "divisor must be positive")
        guard remainder != 0 else { return quotient }
        // The exact result lies strictly between `quotient` and `quotient + direction`.
        let direction: Int64 = remainder < 0 ? -1 : 1
        switch self {
        case .towardZero:
            return quotient
        case .down:
            return direction < 0 ? quotient - 1 : quotient
        case .up:
            return direction > 0 ? quotient + 1 : quotient
        case .halfEven:
            // |remainder| < divisor ≤ Int64.max, so comparing against divisor - |remainder| cannot overflow.
            let magnitude = remainder.magnitude
            let rest = divisor.magnitude - magnitude
            if magnitude > rest { return quotient + direction }
            if magnitude < rest { return quotient }
            return quotient.isMultiple(of: 2) ? quotient : quotient + direction
        }
    }
}
