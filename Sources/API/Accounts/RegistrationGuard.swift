import Foundation
import Hummingbird
import PostgresStore
import VoucherCore
import VoucherServices

/// Registration's abuse bounds (issue 20, item 10). The phone is proven by an SMS code before an
/// account is made with it (`POST /v1/registrations/sms`, then `smsCode` in the registration),
/// and code sends and registrations are limited per client address over a sliding window kept in
/// PostgreSQL, so every server counts the same. Per phone, the SMS rules bound it: a code a minute,
/// five an hour, each code registers once, and a phone registers one main account.
struct RegistrationGuard: Sendable {
    let env: AccountsEnvironment

    /// The window key of a client address (the same table as the login throttle's, its own keys).
    static func addressKey(_ address: String) -> String { "registration:" + address }

    /// 429 `registration_rate_limited` when the address used up its window.
    func check(address: String?) async throws {
        guard let address else { return }
        let key = Self.addressKey(address)
        let now = env.clock.now()
        let window = TimeInterval(AccountsLimits.registrationWindowSeconds)
        let since = now.addingTimeInterval(-window)
        let count = try await env.credentials.loginFailures(keys: [key], since: since)[key, default: 0]
        guard count >= AccountsLimits.registrationEventsPerAddressMax else { return }
        let oldest = try await env.credentials.oldestLoginFailure(key: key, since: since) ?? now
        let retry = max(1, Int((oldest.timeIntervalSince(now) + window).rounded(.up)))
        throw Problem(
            .tooManyRequests, code: "registration_rate_limited",
            detail: "Too many registrations or registration codes from this address. Wait \(retry) seconds and try again.",
            headers: [.retryAfter: String(retry)], extensions: ["retryAfterSeconds": .int(Int64(retry))])
    }

    /// Counts one code send or registration against the address.
    func record(address: String?) async throws {
        guard let address else { return }
        try await env.credentials.recordLoginFailure(keys: [Self.addressKey(address)], now: env.clock.now())
    }

    /// 400 when the registration carries no well-formed code; 401 `sms_code_invalid` when it is
    /// not the phone's live code (each guess counts; the right code is used up).
    func provePhone(_ phone: PhoneNumber, code: String?) async throws {
        guard let code, !code.isEmpty else {
            throw AccountsError.invalid(
                "sms_code_missing", "Registration needs the SMS code sent to the phone: POST /v1/registrations/sms, then send it as smsCode.")
        }
        guard code.utf8.count == AccountsLimits.smsCodeDigits, code.utf8.allSatisfy({ (48...57).contains($0) }) else {
            throw AccountsError.invalid("sms_code_malformed", "The SMS code has \(AccountsLimits.smsCodeDigits) digits; type it as received.")
        }
        let check = try await env.credentials.checkSMSCode(
            phone: phone.digits, codeHash: Secrets.smsCodeHash(phone: phone.digits, code: code),
            now: env.clock.now(), attemptsMax: AccountsLimits.smsAttemptsMax)
        switch check {
        case .accepted: return
        case .wrong(let left):
            var problem = AuthController.badCode
            problem.extensions["attemptsLeft"] = .int(Int64(left))
            throw problem
        case .noLiveCode: throw AuthController.badCode
        }
    }
}

extension AuthController {
    /// Sends a fresh code to `phone` within the per-phone limits (a code a minute, five an hour),
    /// or 429 `sms_rate_limited`. `deliver` false records nothing and sends nothing (a login code
    /// for a phone without an account), so the answer looks the same either way.
    static func issueCode(_ env: AccountsEnvironment, to phone: PhoneNumber, deliver: Bool) async throws {
        let now = env.clock.now()
        let window = now.addingTimeInterval(-TimeInterval(AccountsLimits.smsSendWindowSeconds))
        let sends = try await env.credentials.smsSends(phone: phone.digits, since: window)
        if let last = sends.last, now.timeIntervalSince(last) < TimeInterval(AccountsLimits.smsSendIntervalSeconds) {
            let retry = max(1, Int((TimeInterval(AccountsLimits.smsSendIntervalSeconds) - now.timeIntervalSince(last)).rounded(.up)))
            throw Self.tooManySends(retry, "A code was sent to this phone moments ago")
        }
        if sends.count >= AccountsLimits.smsSendsPerWindowMax {
            throw Self.tooManySends(AccountsLimits.smsSendWindowSeconds, "This phone has received the most codes allowed per hour")
        }
        guard deliver else { return }
        let code = Secrets.numericCode(digits: AccountsLimits.smsCodeDigits)
        try await env.credentials.insertSMSCode(
            id: OpaqueID.make(prefix: "sms"), phone: phone.digits, codeHash: Secrets.smsCodeHash(phone: phone.digits, code: code),
            sentAt: now, expiresAt: now.addingTimeInterval(TimeInterval(AccountsLimits.smsCodeLifetimeSeconds)))
        try await env.sms.sendLoginCode(code, to: phone)
    }
}
