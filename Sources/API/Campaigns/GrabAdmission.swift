import Hummingbird
import VoucherServices

extension RushServices {
    /// Throws a 429 with Retry-After when the enterprise or the address is over its rate.
    func admit(org: String, address: String?) throws {
        if let wait = perEnterprise.acquire(org) ?? address.flatMap({ perAddress.acquire($0) }) {
            throw Problem(
                .tooManyRequests, code: "rate_limited", detail: "Too many requests. Retry after \(wait) seconds.",
                headers: [.retryAfter: String(wait)], extensions: ["retryAfterSeconds": .int(Int64(wait))])
        }
    }
}
