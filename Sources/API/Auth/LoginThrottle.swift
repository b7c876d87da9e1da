import Foundation
import Hummingbird
import PostgresStore
import VoucherServices

/// Slows password guessing: too many failed logins of one account, or from one client address,
/// within a sliding window answer 429 until the oldest failure leaves the window.
struct LoginThrottle: Sendable {
    let env: AccountsEnvironment

    static func accountKey(_ username: String) -> String { "account:" + username.lowercased() }
    static func addressKey(_ address: String) -> String { "address:" + address }

    /// The client's address as `ClientAddressMiddleware` resolved it: the socket's peer, or behind
    /// a configured trusted proxy the address it forwarded — never a header a client sent itself.
    /// Nil when unknown, and then only the account is throttled, because one shared "unknown"
    /// bucket would let anyone lock everyone out.
    static func clientAddress(_ request: Request, _ context: AppRequestContext) -> String? {
        guard let address = context.clientAddress, !address.isEmpty, address.utf8.count <= 64 else { return nil }
        return address
    }

    /// The keys a login attempt counts under.
    static func keys(username: String, address: String?) -> [String] {
        [accountKey(username)] + (address.map { [addressKey($0)] } ?? [])
    }

    /// Throws 429 when the account or the address has used up its failures.
    func check(username: String, address: String?) async throws {
        let now = env.clock.now()
        let since = now.addingTimeInterval(-TimeInterval(AccountsLimits.loginFailureWindowSeconds))
        let counts = try await env.credentials.loginFailures(keys: Self.keys(username: username, address: address), since: since)
        let account = Self.accountKey(username)
        var blocked: String?
        if counts[account, default: 0] >= AccountsLimits.loginFailuresPerAccountMax { blocked = account }
        if let address, counts[Self.addressKey(address), default: 0] >= AccountsLimits.loginFailuresPerAddressMax {
            blocked = Self.addressKey(address)
        }
        guard let blocked else { return }
        let oldest = try await env.credentials.oldestLoginFailure(key: blocked, since: since) ?? now
        let retry = max(1, Int((oldest.timeIntervalSince(now) + TimeInterval(AccountsLimits.loginFailureWindowSeconds)).rounded(.up)))
        throw Problem(
            .tooManyRequests, code: "failed_logins_too_many",
            detail: "Too many failed logins for this account or address. Wait \(retry) seconds, or log in with an SMS code.",
            headers: [.retryAfter: String(retry)], extensions: ["retryAfterSeconds": .int(Int64(retry))])
    }

    func failed(username: String, address: String?) async throws {
        try await env.credentials.recordLoginFailure(keys: Self.keys(username: username, address: address), now: env.clock.now())
    }

    func succeeded(username: String) async throws {
        try await env.credentials.clearLoginFailures(key: Self.accountKey(username))
    }
}
