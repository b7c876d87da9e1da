import Foundation
import VoucherCore

/// Every bound of accounts and access in one place (house habit 5).
public enum AccountsLimits {
    /// Digits of an SMS login code.
    public static let smsCodeDigits = 6
    /// How long an SMS code works after it is sent.
    public static let smsCodeLifetimeSeconds = 300
    /// Guesses allowed per SMS code; the code dies after the last.
    public static let smsAttemptsMax = 5
    /// The shortest gap between two codes to one phone.
    public static let smsSendIntervalSeconds = 60
    /// Codes one phone may receive per `smsSendWindowSeconds`.
    public static let smsSendsPerWindowMax = 5
    /// The window of `smsSendsPerWindowMax`.
    public static let smsSendWindowSeconds = 3600

    /// Registration code sends plus registrations from one client address per window.
    public static let registrationEventsPerAddressMax = 10
    /// The sliding window of `registrationEventsPerAddressMax`.
    public static let registrationWindowSeconds = 3600

    /// The sliding window over which failed logins are counted.
    public static let loginFailureWindowSeconds = 900
    /// Failed logins of one account within the window before it is throttled.
    public static let loginFailuresPerAccountMax = 5
    /// Failed logins from one client address within the window before it is throttled.
    public static let loginFailuresPerAddressMax = 20

    /// Licence images and other uploads: 10 MB (SPEC §7).
    public static let uploadBytesMax = 10 * 1024 * 1024
    /// The largest JSON body of an accounts route (details with the guide's flexible section).
    public static let jsonBodyBytesMax = 256 * 1024
    /// The largest encoded size of the flexible `extra`/`answers` sections.
    public static let flexibleSectionBytesMax = 64 * 1024

    /// Hashes compared when a password is set: the current one and the five before it.
    public static let passwordHashesCompared = PasswordPolicy.earlierPasswordsCompared + 1
    /// bcrypt work factor for stored passwords.
    public static let bcryptCost: UInt8 = 10
    /// Longest input accepted as a username or password at login; longer is wrong by definition.
    public static let credentialLengthMax = 72

    /// Random bytes of a refresh token.
    public static let refreshTokenBytes = 32

    /// Lists: default and largest page size (SPEC §9).
    public static let pageSizeDefault = 10
    public static let pageSizeMax = 100
    /// Longest reason of a decision.
    public static let reasonLengthMax = 500
    /// Longest e-mail address (the guide's form: 80).
    public static let emailLengthMax = 80
    /// Longest inbox filter text.
    public static let filterTextLengthMax = 100
}
