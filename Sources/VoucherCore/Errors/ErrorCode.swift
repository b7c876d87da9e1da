/// Every error code the core's rules produce, in one place, and the one convention every code of
/// the server follows.
///
/// Codes are part of the public API (clients branch on them, SPEC §9), so they live together
/// where a reviewer sees a rename; other modules add their own codes next to their own rules.
///
/// The convention: `<subject>_<fault>`, the noun first (`page_invalid`, `order_not_found`,
/// `proofs_too_many`); a field absent from the request is `<field>_missing` (`reason_missing`); a
/// precondition the caller has not met is `<what>_required` (`certification_required`); a path id
/// that does not parse is 400 `id_malformed` everywhere, and 404 is kept for a well-formed id that
/// is not found or not the caller's. The grab's refusals that SPEC §9 names (`sold_out`,
/// `not_open`, `ended`, `limit_reached`, `not_certified`) and the HTTP-level codes (`busy`,
/// `unavailable`, `rate_limited`, `internal_error`, …) keep their names. A code renamed to the
/// convention stays recognisable: see `aliases`.
public enum ErrorCode {
    /// The largest length of a code, so that a code always fits a log field or a DB column.
    public static let lengthMax = 64

    /// True when `code` is lower-case snake_case (`sold_out`), the only shape clients are promised.
    public static func isSnakeCase(_ code: String) -> Bool {
        let bytes = Array(code.utf8)
        guard let first = bytes.first, bytes.count <= lengthMax, ASCII.isLowerLetter(first) else { return false }
        guard bytes.last != ASCII.underscore else { return false }
        var previousWasUnderscore = false
        for byte in bytes {
            let isUnderscore = byte == ASCII.underscore
            guard isUnderscore || ASCII.isLowerLetter(byte) || ASCII.isDigit(byte) else { return false }
            if isUnderscore && previousWasUnderscore { return false }
            previousWasUnderscore = isUnderscore
        }
        return true
    }

    // MARK: Money (SPEC §2)

    /// A yuan amount was empty.
    public static let amountEmpty = "amount_empty"
    /// A yuan amount was longer than any amount can be written.
    public static let amountTooLong = "amount_too_long"
    /// A yuan amount had spaces around or inside it.
    public static let amountWhitespace = "amount_whitespace"
    /// A yuan amount was not a decimal number.
    public static let amountNotANumber = "amount_not_a_number"
    /// A yuan amount was negative where only non-negative amounts are accepted.
    public static let amountNegative = "amount_negative"
    /// A yuan amount had more than two decimals.
    public static let amountTooManyDecimals = "amount_too_many_decimals"
    /// A yuan amount had a decimal point without digits on one side (`1.`, `.5`).
    public static let amountIncompleteDecimal = "amount_incomplete_decimal"
    /// A yuan amount started with a superfluous zero (`050`).
    public static let amountLeadingZero = "amount_leading_zero"
    /// A yuan amount had thousands separators not in groups of three.
    public static let amountMisplacedSeparator = "amount_misplaced_separator"
    /// A yuan amount (or a sum of amounts) does not fit in 64-bit fen.
    public static let amountOverflow = "amount_overflow"

    // MARK: Deduction (SPEC §2)

    /// An order total was zero or negative.
    public static let orderTotalNotPositive = "order_total_not_positive"
    /// The same voucher was offered twice for one order.
    public static let voucherDuplicate = "voucher_duplicate"
    /// A voucher offered for an order is past its validity.
    public static let voucherExpired = "voucher_expired"
    /// More vouchers were offered for one order than a plan accepts.
    public static let vouchersTooMany = "vouchers_too_many"

    // MARK: Accounts (SPEC §7)

    /// A phone number is not a mainland mobile number.
    public static let phoneInvalid = "phone_invalid"
    /// A sub-account username is shorter than allowed.
    public static let usernameTooShort = "username_too_short"
    /// A sub-account username is longer than allowed.
    public static let usernameTooLong = "username_too_long"
    /// A sub-account username contains a character other than letters, digits, underscore.
    public static let usernameInvalidCharacter = "username_invalid_character"
    /// A password is shorter than allowed.
    public static let passwordTooShort = "password_too_short"
    /// A password is longer than allowed.
    public static let passwordTooLong = "password_too_long"
    /// A password contains a space, a control or a non-ASCII character.
    public static let passwordInvalidCharacter = "password_invalid_character"
    /// A password mixes fewer than three character classes (the code SPEC §9 names).
    public static let passwordTooWeak = "password_too_weak"
    /// A password contains the account's username.
    public static let passwordContainsUsername = "password_contains_username"
    /// A password contains the account's phone number.
    public static let passwordContainsPhone = "password_contains_phone"
    /// A new password equals the current one or one of the recent ones.
    public static let passwordReused = "password_reused"
    /// A unified social credit code does not have 18 characters.
    public static let creditCodeInvalidLength = "credit_code_invalid_length"
    /// A unified social credit code has a character outside its alphabet.
    public static let creditCodeInvalidCharacter = "credit_code_invalid_character"
    /// A unified social credit code's check character does not match the other seventeen.
    public static let creditCodeCheckMismatch = "credit_code_check_mismatch"

    // MARK: Certification (SPEC §3, §7)

    /// The caller's organisation is not certified, and the step needs a certified one (quoting,
    /// ordering, listing, payee accounts, redemption; also sub-account management).
    public static let certificationRequired = "certification_required"

    // MARK: Ids

    /// An opaque id in a path or body is not one this system could have issued.
    public static let idMalformed = "id_malformed"
    /// An `Idempotency-Key` header is empty, too long, or holds a byte the route does not accept.
    public static let idempotencyKeyInvalid = "idempotency_key_invalid"

    // MARK: Renamed codes

    /// Codes renamed to the convention, by their current name, with the names they had before.
    /// A problem whose code is here also carries `"aliases": [old names]`, so a client that
    /// branches on an old name keeps working; an old name is never given to another failure.
    public static let aliases: [String: [String]] = [
        "page_invalid": ["invalid_page"],
        "time_invalid": ["invalid_time"],
        "filter_invalid": ["invalid_filter"],
        "body_invalid": ["invalid_body"],
        "token_invalid": ["invalid_token"],
        "refresh_token_invalid": ["invalid_refresh_token"],
        "credentials_invalid": ["invalid_credentials"],
        "sms_code_invalid": ["invalid_sms_code"],
        "sms_code_missing": ["sms_code_required"],
        "reason_missing": ["reason_required"],
        "role_forbidden": ["forbidden_role"],
        "failed_logins_too_many": ["too_many_failed_logins"],
        "media_type_unsupported": ["unsupported_media_type"],
    ]

    /// Codes that put an adjective or a quantity before their subject (`invalid_page`): the
    /// shapes the convention replaced, which no current code may have.
    public static let faultFirstPrefixes = ["invalid_", "missing_", "unknown_", "unsupported_", "malformed_", "forbidden_", "too_many_"]

    /// Every code above, so a test can prove they are unique and snake_case.
    public static let all: [String] = [
        amountEmpty, amountTooLong, amountWhitespace, amountNotANumber, amountNegative,
        amountTooManyDecimals, amountIncompleteDecimal, amountLeadingZero, amountMisplacedSeparator,
        amountOverflow,
        orderTotalNotPositive, voucherDuplicate, voucherExpired, vouchersTooMany,
        phoneInvalid, usernameTooShort, usernameTooLong, usernameInvalidCharacter,
        passwordTooShort, passwordTooLong, passwordInvalidCharacter, passwordTooWeak,
        passwordContainsUsername, passwordContainsPhone, passwordReused,
        creditCodeInvalidLength, creditCodeInvalidCharacter, creditCodeCheckMismatch,
        certificationRequired, idMalformed, idempotencyKeyInvalid,
    ]
}
