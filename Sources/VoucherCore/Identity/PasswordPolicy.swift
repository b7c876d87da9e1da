/// The password rule of SPEC §7, minus the comparison against stored hashes.
///
/// Hashes are compared where they are stored (the API layer, with bcrypt); this part is the pure
/// rule so that it can be tested exhaustively and shared by registration, reset and change.
public enum PasswordPolicy {
    /// The fewest characters a password may have.
    public static let lengthMin = 8
    /// The most characters a password may have.
    public static let lengthMax = 18
    /// How many of the four character classes a password must mix.
    public static let characterClassesMin = 3
    /// How many earlier passwords, besides the current one, a new password may not repeat;
    /// the caller compares hashes and throws `PasswordPolicyError.reused`.
    public static let earlierPasswordsCompared = 5

    /// The four kinds of character a strong password mixes.
    public enum CharacterClass: Sendable, Hashable, CaseIterable {
        /// `0`–`9`.
        case digit
        /// `A`–`Z`.
        case upper
        /// `a`–`z`.
        case lower
        /// Any other printable ASCII character except space: `~!#$%&+,*;=>@_?^`./` and the like.
        case special
    }

    /// The classes that occur in `password`; characters outside printable ASCII count in none.
    public static func characterClasses(in password: String) -> Set<CharacterClass> {
        var classes = Set<CharacterClass>()
        for byte in password.utf8 {
            if let characterClass = characterClass(of: byte) { classes.insert(characterClass) }
        }
        return classes
    }

    /// The class of one byte, or nil for bytes no password may contain.
    static func characterClass(of byte: UInt8) -> CharacterClass? {
        if ASCII.isDigit(byte) { return .digit }
        if ASCII.isUpperLetter(byte) { return .upper }
        if ASCII.isLowerLetter(byte) { return .lower }
        if ASCII.isVisible(byte) { return .special }
        return nil
    }

    /// Checks a new password; the first broken rule is thrown, in the order a person fixes them.
    ///
    /// - Parameters:
    ///   - password: The new password as typed.
    ///   - username: The account's username, which the password may not contain (case-insensitive).
    ///   - phone: The account's phone, whose 11 digits the password may not contain.
    public static func check(_ password: String, username: String?, phone: PhoneNumber?) throws(PasswordPolicyError) {
        let bytes = Array(password.utf8)
        guard bytes.allSatisfy({ characterClass(of: $0) != nil }) else { throw .invalidCharacter }
        guard bytes.count >= lengthMin else { throw .tooShort }
        guard bytes.count <= lengthMax else { throw .tooLong }
        guard characterClasses(in: password).count >= characterClassesMin else { throw .tooWeak }
        if let username, containsIgnoringCase(bytes, Array(username.utf8)) { throw .containsUsername }
        if let phone, containsIgnoringCase(bytes, Array(phone.digits.utf8)) { throw .containsPhone }
    }

    /// ASCII case-insensitive substring test; an empty needle is never "contained", so a missing
    /// username cannot reject every password.
    static func containsIgnoringCase(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= haystack.count else { return false }
        let lowerHaystack = haystack.map(ASCII.lowercased)
        let lowerNeedle = needle.map(ASCII.lowercased)
        for start in 0...(lowerHaystack.count - lowerNeedle.count)
        where lowerHaystack[start..<(start + lowerNeedle.count)].elementsEqual(lowerNeedle) {
            return true
        }
        return false
    }
}

/// Why a new password was rejected.
public enum PasswordPolicyError: DomainErrorConvertible, Hashable, CaseIterable {
    /// Fewer than `PasswordPolicy.lengthMin` characters.
    case tooShort
    /// More than `PasswordPolicy.lengthMax` characters.
    case tooLong
    /// A space, a control character or a non-ASCII character.
    case invalidCharacter
    /// Fewer than `PasswordPolicy.characterClassesMin` character classes.
    case tooWeak
    /// Contains the username.
    case containsUsername
    /// Contains the phone number.
    case containsPhone
    /// Equals the current password or one of the `PasswordPolicy.earlierPasswordsCompared` before it
    /// (thrown by the caller that compares hashes).
    case reused

    /// The stable code of each case.
    public var code: String {
        switch self {
        case .tooShort: ErrorCode.passwordTooShort
        case .tooLong: ErrorCode.passwordTooLong
        case .invalidCharacter: ErrorCode.passwordInvalidCharacter
        case .tooWeak: ErrorCode.passwordTooWeak
        case .containsUsername: ErrorCode.passwordContainsUsername
        case .containsPhone: ErrorCode.passwordContainsPhone
        case .reused: ErrorCode.passwordReused
        }
    }

    /// Bad input.
    public var kind: DomainError.Kind { .invalidInput }

    /// What to fix.
    public var detail: String {
        let range = "\(PasswordPolicy.lengthMin) to \(PasswordPolicy.lengthMax) characters"
        switch self {
        case .tooShort: return "The password is too short; use \(range)."
        case .tooLong: return "The password is too long; use \(range)."
        case .invalidCharacter:
            return "The password contains a space or a character outside ASCII; use only letters, digits and symbols such as ~!#$%&+,*;=>@_?^`./."
        case .tooWeak:
            return
                "The password is too weak; mix at least \(PasswordPolicy.characterClassesMin) of digits, upper-case letters, lower-case letters "
                + "and symbols."
        case .containsUsername: return "The password contains the username; choose one that does not."
        case .containsPhone: return "The password contains the phone number; choose one that does not."
        case .reused:
            return "The password was used before; choose one different from the current and the last \(PasswordPolicy.earlierPasswordsCompared)."
        }
    }
}
