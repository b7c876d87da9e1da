/// A unified social credit code (统一社会信用代码, GB 32100-2015), checked by its check character.
///
/// Enterprises register with it (SPEC §7); the check character catches every single mistyped
/// character, so a typo is rejected at the form instead of reaching an operator's review.
/// Only the code's alphabet and check character are verified: the registration-authority and
/// region segments change over time and are the operator's to judge.
public struct SocialCreditCode: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Characters in a code.
    public static let length = 18
    /// The 31 characters a code may use (digits and capitals without I, O, S, V, Z); a
    /// character's value is its index here.
    public static let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY".utf8)
    /// The weight of each of the first 17 characters: 3^i mod 31, as GB 32100-2015 tabulates them.
    ///
    /// Note: the list `…29, 28, 25, 15, 8, 10, 24, 7` that circulated in the task brief is not
    /// the standard's; with it the published example 91350100M000100Y43 (and real codes) fail.
    public static let weights: [Int] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    /// The 18 characters, upper case.
    public let value: String

    /// Validates a code; lower-case letters are accepted and stored upper case, because a
    /// person copying a code from a licence may type either.
    public init(validating text: String) throws(SocialCreditCodeError) {
        // Counted in scalars, not bytes, so a full-width `３` is reported as a wrong character, not a wrong length.
        let scalars = Array(text.unicodeScalars)
        guard scalars.count == SocialCreditCode.length else { throw .invalidLength }
        var bytes: [UInt8] = []
        var values: [Int] = []
        bytes.reserveCapacity(SocialCreditCode.length)
        values.reserveCapacity(SocialCreditCode.length)
        for (index, scalar) in scalars.enumerated() {
            let byte = scalar.isASCII ? ASCII.uppercased(UInt8(scalar.value)) : 0
            guard let value = SocialCreditCode.alphabet.firstIndex(of: byte) else { throw .invalidCharacter(position: index + 1) }
            bytes.append(byte)
            values.append(value)
        }
        guard SocialCreditCode.checkValue(of: values.prefix(SocialCreditCode.length - 1)) == values.last else {
            throw .checkMismatch
        }
        self.value = String(decoding: bytes, as: UTF8.self)
    }

    /// `(31 − Σ valueᵢ × weightᵢ mod 31) mod 31`, the value of the 18th character.
    public static func checkValue(of values: some Collection<Int>) -> Int {
        precondition(values.count == weights.count, "a code body has \(weights.count) characters")
        precondition(values.allSatisfy { (0..<alphabet.count).contains($0) }, "values must index the alphabet")
        let modulus = alphabet.count
        let sum = zip(values, weights).reduce(0) { $0 + $1.0 * $1.1 }
        return (modulus - sum % modulus) % modulus
    }

    /// The check character for the first 17 characters of a code, or nil when one of them is
    /// outside the alphabet; used to build valid codes (tests, fixtures).
    public static func checkCharacter(forBody body: String) -> Character? {
        let bytes = Array(body.utf8)
        guard bytes.count == weights.count else { return nil }
        var values: [Int] = []
        for byte in bytes {
            guard let value = alphabet.firstIndex(of: byte) else { return nil }
            values.append(value)
        }
        return Character(Unicode.Scalar(alphabet[checkValue(of: values)]))
    }

    /// The 18 characters.
    public var description: String { value }

    /// Decodes through validation, so a code cannot bypass the check.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        try self.init(validating: text)
    }

    /// Encodes as a bare string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}

/// Why a unified social credit code was rejected.
public enum SocialCreditCodeError: DomainErrorConvertible, Hashable {
    /// Not exactly 18 characters.
    case invalidLength
    /// The character at this 1-based position is outside the code's alphabet.
    case invalidCharacter(position: Int)
    /// The 18th character does not match the first 17; some character was mistyped.
    case checkMismatch

    /// The stable code of each case.
    public var code: String {
        switch self {
        case .invalidLength: ErrorCode.creditCodeInvalidLength
        case .invalidCharacter: ErrorCode.creditCodeInvalidCharacter
        case .checkMismatch: ErrorCode.creditCodeCheckMismatch
        }
    }

    /// Bad input.
    public var kind: DomainError.Kind { .invalidInput }

    /// What to fix.
    public var detail: String {
        switch self {
        case .invalidLength:
            "The unified social credit code must have \(SocialCreditCode.length) characters; copy it from the business licence."
        case .invalidCharacter(let position):
            "Character \(position) of the unified social credit code is not allowed; use digits and capital letters except I, O, S, V and Z."
        case .checkMismatch:
            "The unified social credit code fails its check character; a character is mistyped, so compare it with the business licence."
        }
    }
}
