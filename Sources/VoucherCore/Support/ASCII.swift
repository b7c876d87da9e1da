/// Byte-level ASCII classification shared by the parsers and validators.
///
/// Rules in this module are defined over ASCII (SPEC §2, §7); working on UTF-8 bytes keeps them
/// exact (no locale, no Unicode digit classes such as full-width `５`) and cheap.
enum ASCII {
    /// `0`, also the base of digit values.
    static let zero = UInt8(ascii: "0")
    /// `9`.
    static let nine = UInt8(ascii: "9")
    /// `_`, allowed in usernames and error codes.
    static let underscore = UInt8(ascii: "_")
    /// `,`, the thousands separator of yuan amounts.
    static let comma = UInt8(ascii: ",")
    /// `.`, the decimal point of yuan amounts.
    static let point = UInt8(ascii: ".")
    /// `-`, the sign of negative amounts.
    static let minus = UInt8(ascii: "-")
    /// The first printable, non-space ASCII byte (`!`).
    static let printableFirst = UInt8(ascii: "!")
    /// The last printable ASCII byte (`~`).
    static let printableLast = UInt8(ascii: "~")

    /// `0`–`9` only; never other scripts' digits.
    static func isDigit(_ byte: UInt8) -> Bool { byte >= zero && byte <= nine }
    /// `a`–`z`.
    static func isLowerLetter(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") }
    /// `A`–`Z`.
    static func isUpperLetter(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") }
    /// `a`–`z` or `A`–`Z`; no accented or other letters.
    static func isLetter(_ byte: UInt8) -> Bool { isLowerLetter(byte) || isUpperLetter(byte) }
    /// Printable and not a space: `!` through `~`.
    static func isVisible(_ byte: UInt8) -> Bool { byte >= printableFirst && byte <= printableLast }
    /// Space, tab, line feed, carriage return, vertical tab, form feed.
    static func isWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }
    /// Lower-cases `A`–`Z` and leaves every other byte alone (no locale).
    static func lowercased(_ byte: UInt8) -> UInt8 { isUpperLetter(byte) ? byte + 0x20 : byte }
    /// Upper-cases `a`–`z` and leaves every other byte alone (no locale).
    static func uppercased(_ byte: UInt8) -> UInt8 { isLowerLetter(byte) ? byte - 0x20 : byte }
}
