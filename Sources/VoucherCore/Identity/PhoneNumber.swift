/// A mainland-China mobile number (SPEC §7): 11 digits starting with 1, optionally written with `+86`.
///
/// Validated once at the edge and then carried as this type, so code that receives a
/// `PhoneNumber` never re-checks and every stored number has the same 11-digit form.
public struct PhoneNumber: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Digits of a mainland mobile number, without the country code.
    public static let digitCount = 11
    /// The first digit of every mainland mobile number.
    public static let leadingDigit = UInt8(ascii: "1")
    /// The optional international prefix accepted in input.
    public static let countryPrefix = "+86"

    /// The 11 digits, the canonical stored and compared form.
    public let digits: String

    /// Accepts `13800138000` or `+8613800138000`; rejects spaces, dashes and other countries,
    /// because SMS login and uniqueness checks need one exact form.
    public init(validating text: String) throws(PhoneNumberError) {
        var bytes = Array(text.utf8)[...]
        if bytes.starts(with: PhoneNumber.countryPrefix.utf8) { bytes = bytes.dropFirst(PhoneNumber.countryPrefix.utf8.count) }
        guard bytes.count == PhoneNumber.digitCount,
            bytes.allSatisfy(ASCII.isDigit),
            bytes.first == PhoneNumber.leadingDigit
        else { throw .invalid }
        self.digits = String(decoding: bytes, as: UTF8.self)
    }

    /// The international form, `+8613800138000`, for SMS gateways.
    public var e164: String { PhoneNumber.countryPrefix + digits }

    /// The 11 digits.
    public var description: String { digits }

    /// Decodes through validation, so a stored or sent number cannot bypass the rule.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        try self.init(validating: text)
    }

    /// Encodes the 11 digits as a bare string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(digits)
    }
}

/// Why a phone number was rejected; there is one fix, so one case.
public enum PhoneNumberError: DomainErrorConvertible, Hashable {
    /// Not 11 digits starting with 1, with an optional `+86`.
    case invalid

    /// `phone_invalid`.
    public var code: String { ErrorCode.phoneInvalid }
    /// Bad input.
    public var kind: DomainError.Kind { .invalidInput }
    /// What to fix.
    public var detail: String {
        "The phone number is not a mainland mobile number; enter 11 digits starting with 1, optionally preceded by +86, without spaces or dashes."
    }
}
