/// Yuan text for people and files; the API itself carries fen integers (SPEC §9).
extension Money {
    /// The currency sign used in the display form.
    public static let yuanSign = "¥"
    /// Digits per thousands group in the display form.
    static let groupDigits = 3

    /// The display form, `¥50,000.00` or `-¥1.00`: always two decimals and thousands separators,
    /// the way the platform's guide writes amounts. `Money.parse` reads it back unchanged.
    public var formatted: String {
        let (whole, cents) = fen.magnitude.quotientAndRemainder(dividingBy: Money.fenPerYuan.magnitude)
        let sign = isNegative ? "-" : ""
        return sign + Money.yuanSign + Money.grouped(whole) + "." + Money.twoDigits(cents)
    }

    /// The plain form, `50000.00` or `-1.00`, for CSV exports and forms: no sign, no separators.
    public var yuanText: String {
        let (whole, cents) = fen.magnitude.quotientAndRemainder(dividingBy: Money.fenPerYuan.magnitude)
        let sign = isNegative ? "-" : ""
        return sign + String(whole) + "." + Money.twoDigits(cents)
    }

    /// The shortest text in `unit` that `Money.parse(_:unit:allowNegative:)` reads back exactly:
    /// no sign but `-`, no separators, no trailing zeros (`0.015` 亿元, `150.5` 万元, `12` 元), for
    /// forms and pages that show an amount in the unit it was typed in.
    public func shortestText(in unit: MoneyUnit) -> String {
        let (whole, rest) = fen.magnitude.quotientAndRemainder(dividingBy: unit.fenPerUnit.magnitude)
        let sign = isNegative ? "-" : ""
        guard rest != 0 else { return sign + String(whole) }
        var digits = String(rest)
        digits = String(repeating: "0", count: unit.decimalsMax - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return sign + String(whole) + "." + digits
    }

    /// `1234567` → `1,234,567`.
    static func grouped(_ value: UInt64) -> String {
        let digits = Array(String(value))
        var result = ""
        result.reserveCapacity(digits.count + digits.count / groupDigits)
        for (index, digit) in digits.enumerated() {
            let remaining = digits.count - index
            if index > 0 && remaining.isMultiple(of: groupDigits) { result.append(",") }
            result.append(digit)
        }
        return result
    }

    /// `5` → `05`; the fen part always has two digits.
    static func twoDigits(_ cents: UInt64) -> String {
        precondition(cents < 100, "cents must be below 100")
        return cents < 10 ? "0" + String(cents) : String(cents)
    }
}
