/// Reading amounts typed by people (SPEC §2: at most two decimals in yuan, anything else is a 400),
/// in yuan or in one of the guide's larger units (`MoneyUnit`: 万元, 亿元), with one grammar.
///
/// Accepted: optional `-` (only with `allowNegative`), optional `¥` or full-width `￥`, then either
/// plain digits (`50000`) or digits in groups of three (`50,000`), then optionally `.` and one to
/// the unit's `decimalsMax` digits (two in yuan: down to one fen in every unit). Rejected on
/// purpose, each with its own error so the message says what to fix: spaces anywhere (`" 1"`; the
/// caller should not guess what a pasted field meant), a point without digits on either side
/// (`"1."`, `".5"`: write `1` or `0.5`), superfluous leading zeros (`"050"`), exponents and other
/// notations (`"1e3"`, `"+1"`), more decimals than one fen even when they are zeros (`"1.000"` in
/// yuan; excess digits are refused, never rounded), separators not in groups of three
/// (`"5,0000.00"`), and amounts beyond `Int64` fen.
extension Money {
    /// The longest text accepted, in UTF-8 bytes: `-¥92,233,720,368,547,758.08` fits with room to
    /// spare, and longer input is rejected before any digit is read.
    public static let yuanTextBytesMax = 40

    /// Parses an amount typed in `unit` (yuan unless said) into fen, exactly.
    ///
    /// - Parameters:
    ///   - text: The amount as typed, e.g. `"50,000.00"` (yuan) or `"0.015"` (亿元).
    ///   - unit: The unit the text is in; its `decimalsMax` bounds the decimals (`.tooManyDecimals`
    ///     beyond, as the errors' sentences, written for yuan, say).
    ///   - allowNegative: Whether a leading `-` is accepted; prices and totals never are, so the
    ///     default rejects it and only ledger adjustments opt in.
    public static func parse(_ text: String, unit: MoneyUnit = .yuan, allowNegative: Bool = false) throws(MoneyParseError) -> Money {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { throw .empty }
        guard bytes.count <= yuanTextBytesMax else { throw .tooLong }
        guard !bytes.contains(where: ASCII.isWhitespace) else { throw .whitespace }

        let (isNegative, body) = splitSignAndSymbol(bytes[...])
        let parts = try AmountParts(body, decimalsMax: unit.decimalsMax)
        if isNegative && !allowNegative { throw .negative }
        return try parts.money(negative: isNegative)
    }

    /// Removes a leading `-` and then a currency sign, the order `formatted` writes them in.
    static func splitSignAndSymbol(_ bytes: ArraySlice<UInt8>) -> (negative: Bool, body: ArraySlice<UInt8>) {
        var body = bytes
        let isNegative = body.first == ASCII.minus
        if isNegative { body = body.dropFirst() }
        for sign in yuanSignsUTF8 where body.starts(with: sign) {
            body = body.dropFirst(sign.count)
            break
        }
        return (isNegative, body)
    }

    /// `¥` (U+00A5) and the full-width `￥` (U+FFE5) that Chinese input methods produce.
    static let yuanSignsUTF8: [[UInt8]] = [Array("¥".utf8), Array("￥".utf8)]
}

/// The syntactic pieces of an amount: whole-unit digits and up to `decimalsMax` fraction digits.
///
/// Construction checks the syntax; `money(negative:)` does the arithmetic, so each stage has one job.
struct AmountParts {
    /// Digits of the whole-unit part, separators removed.
    let wholeDigits: [UInt8]
    /// Digits after the point, at most `decimalsMax`.
    let fractionDigits: [UInt8]
    /// The unit's decimals down to one fen (`MoneyUnit.decimalsMax`).
    let decimalsMax: Int

    /// Splits the text after sign and currency sign at the point and checks each side's syntax,
    /// most basic problem first (characters, then missing digits, zeros, grouping, decimals).
    init(_ body: ArraySlice<UInt8>, decimalsMax: Int) throws(MoneyParseError) {
        let pieces = body.split(separator: ASCII.point, maxSplits: 2, omittingEmptySubsequences: false)
        guard pieces.count <= 2 else { throw .notANumber }
        let whole = pieces[0]
        let fraction = pieces.count == 2 ? pieces[1] : nil

        guard whole.allSatisfy({ ASCII.isDigit($0) || $0 == ASCII.comma }) else { throw .notANumber }
        guard fraction?.allSatisfy(ASCII.isDigit) ?? true else { throw .notANumber }
        if whole.isEmpty && fraction == nil { throw .notANumber }
        if whole.isEmpty || fraction?.isEmpty == true { throw .incompleteDecimal }

        let digits = try AmountParts.ungrouped(whole)
        if digits.count > 1 && digits[0] == ASCII.zero { throw .leadingZero }
        if let fraction, fraction.count > decimalsMax { throw .tooManyDecimals }
        self.wholeDigits = digits
        self.fractionDigits = Array(fraction ?? [])
        self.decimalsMax = decimalsMax
    }

    /// Removes thousands separators, insisting on `d{1,3}(,ddd)*` when there is any.
    static func ungrouped(_ whole: ArraySlice<UInt8>) throws(MoneyParseError) -> [UInt8] {
        guard whole.contains(ASCII.comma) else { return Array(whole) }
        let groups = whole.split(separator: ASCII.comma, omittingEmptySubsequences: false)
        guard let first = groups.first, (1...Money.groupDigits).contains(first.count) else { throw .misplacedSeparator }
        guard groups.dropFirst().allSatisfy({ $0.count == Money.groupDigits }) else { throw .misplacedSeparator }
        return Array(groups.joined())
    }

    /// The amount in fen; the magnitude is built in `UInt64` so that `Money.min` is reachable.
    ///
    /// The fraction is right-padded with zeros to `decimalsMax` digits, so reading all digits as
    /// one integer yields fen directly (yuan `1.5` → `1`,`5`,`0` → 150; 万元 `1.5` → 1,500,000),
    /// every step overflow-checked.
    func money(negative: Bool) throws(MoneyParseError) -> Money {
        let padding = [UInt8](repeating: ASCII.zero, count: decimalsMax - fractionDigits.count)
        var magnitude: UInt64 = 0
        for digit in wholeDigits + fractionDigits + padding {
            let (shifted, overflowShift) = magnitude.multipliedReportingOverflow(by: 10)
            let (next, overflowAdd) = shifted.addingReportingOverflow(UInt64(digit - ASCII.zero))
            guard !overflowShift && !overflowAdd else { throw .overflow }
            magnitude = next
        }
        let limit = negative ? Int64.min.magnitude : Int64.max.magnitude
        guard magnitude <= limit else { throw .overflow }
        return Money(fen: negative ? Int64(truncatingIfNeeded: 0 &- magnitude) : Int64(magnitude))
    }
}

/// Why a yuan amount was rejected; each case is a different fix for the person typing it.
public enum MoneyParseError: DomainErrorConvertible, Hashable, CaseIterable {
    /// Nothing was entered.
    case empty
    /// Longer than `Money.yuanTextBytesMax`; no amount is written that long.
    case tooLong
    /// Contains a space, tab or line break.
    case whitespace
    /// Not a decimal number (letters, exponent, `+`, several points…).
    case notANumber
    /// Negative where only non-negative amounts are accepted.
    case negative
    /// More decimals than one fen: `Money.yuanDecimalsMax` in yuan, `MoneyUnit.decimalsMax` in
    /// another unit (the sentence below is written for yuan; a form in another unit says its own).
    case tooManyDecimals
    /// A point with no digit before it (`.5`) or after it (`1.`).
    case incompleteDecimal
    /// A superfluous leading zero (`050`).
    case leadingZero
    /// Thousands separators not in groups of three (`5,0000`).
    case misplacedSeparator
    /// Larger than 92,233,720,368,547,758.07 yuan.
    case overflow

    /// The stable code of each case.
    public var code: String {
        switch self {
        case .empty: ErrorCode.amountEmpty
        case .tooLong: ErrorCode.amountTooLong
        case .whitespace: ErrorCode.amountWhitespace
        case .notANumber: ErrorCode.amountNotANumber
        case .negative: ErrorCode.amountNegative
        case .tooManyDecimals: ErrorCode.amountTooManyDecimals
        case .incompleteDecimal: ErrorCode.amountIncompleteDecimal
        case .leadingZero: ErrorCode.amountLeadingZero
        case .misplacedSeparator: ErrorCode.amountMisplacedSeparator
        case .overflow: ErrorCode.amountOverflow
        }
    }

    /// Every parse failure is bad input.
    public var kind: DomainError.Kind { .invalidInput }

    /// What to fix, in one sentence.
    public var detail: String {
        switch self {
        case .empty: "The amount is empty; enter an amount in yuan such as 50000.00."
        case .tooLong: "The amount is too long; enter at most \(Money.yuanTextBytesMax) characters such as 50000.00."
        case .whitespace: "The amount contains spaces; remove every space and line break."
        case .notANumber: "The amount is not a number; use digits, an optional point and up to \(Money.yuanDecimalsMax) decimals, such as 50000.00."
        case .negative: "The amount is negative; enter zero or a positive amount."
        case .tooManyDecimals: "The amount has more than \(Money.yuanDecimalsMax) decimals; round it to whole fen, such as 1.23."
        case .incompleteDecimal: "The decimal point needs digits on both sides; write 0.5 rather than .5, and 1.00 rather than a trailing point."
        case .leadingZero: "The amount starts with a superfluous zero; remove the leading zeros, such as 50 instead of 050."
        case .misplacedSeparator: "The thousands separators are misplaced; put a comma every three digits, such as 50,000.00, or leave them out."
        case .overflow: "The amount is too large; enter at most 92,233,720,368,547,758.07 yuan."
        }
    }
}
