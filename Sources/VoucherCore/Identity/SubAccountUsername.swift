/// A sub-account's username (SPEC §7): 6–30 ASCII letters, digits or underscores, fixed once created.
///
/// A type rather than a bare `String` so that a username that reached storage is known to be
/// valid, and so the password rule can be handed the exact name it must not contain.
public struct SubAccountUsername: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The fewest characters a username may have.
    public static let lengthMin = 6
    /// The most characters a username may have.
    public static let lengthMax = 30

    /// The username exactly as entered (case is kept; uniqueness rules are the ledger's).
    public let value: String

    /// Checks characters first (the likelier mistake, and it makes the length unambiguous), then length.
    public init(validating text: String) throws(SubAccountUsernameError) {
        let bytes = Array(text.utf8)
        guard bytes.allSatisfy({ ASCII.isLetter($0) || ASCII.isDigit($0) || $0 == ASCII.underscore }) else {
            throw .invalidCharacter
        }
        guard bytes.count >= SubAccountUsername.lengthMin else { throw .tooShort }
        guard bytes.count <= SubAccountUsername.lengthMax else { throw .tooLong }
        self.value = text
    }

    /// The username.
    public var description: String { value }

    /// Decodes through validation, so a username cannot bypass the rule.
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

/// Why a sub-account username was rejected.
public enum SubAccountUsernameError: DomainErrorConvertible, Hashable, CaseIterable {
    /// Fewer than `SubAccountUsername.lengthMin` characters.
    case tooShort
    /// More than `SubAccountUsername.lengthMax` characters.
    case tooLong
    /// A character other than ASCII letters, digits and underscore.
    case invalidCharacter

    /// The stable code of each case.
    public var code: String {
        switch self {
        case .tooShort: ErrorCode.usernameTooShort
        case .tooLong: ErrorCode.usernameTooLong
        case .invalidCharacter: ErrorCode.usernameInvalidCharacter
        }
    }

    /// Bad input.
    public var kind: DomainError.Kind { .invalidInput }

    /// What to fix.
    public var detail: String {
        let range = "\(SubAccountUsername.lengthMin) to \(SubAccountUsername.lengthMax)"
        switch self {
        case .tooShort: return "The username is too short; use \(range) letters, digits or underscores."
        case .tooLong: return "The username is too long; use \(range) letters, digits or underscores."
        case .invalidCharacter:
            return "The username may contain only letters A–Z and a–z, digits and underscores; remove other characters and spaces."
        }
    }
}
