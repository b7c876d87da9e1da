import Hummingbird

/// `/metrics` is not public: it names routes, rates and store health. The scraper sends the
/// configured token (`VOUCHER_METRICS_TOKEN`) as a bearer token; without a configured token the
/// route refuses everybody. The comparison takes the same time wherever the tokens differ.
struct MetricsAccess {
    let token: String?

    static let code = "metrics_token_required"

    func check(_ request: Request) throws {
        guard let token else {
            throw refusal("Metrics are off: this server has no metrics token. Set VOUCHER_METRICS_TOKEN and restart it.")
        }
        let header = request.headers[.authorization] ?? ""
        guard header.count > 7, header.prefix(7).lowercased() == "bearer ",
            Self.equalInConstantTime(Array(header.utf8.dropFirst(7)), Array(token.utf8))
        else {
            throw refusal("Send the metrics token (VOUCHER_METRICS_TOKEN) as a bearer token: Authorization: Bearer <token>.")
        }
    }

    func refusal(_ detail: String) -> Problem {
        Problem(.unauthorized, code: Self.code, detail: detail, headers: [.wwwAuthenticate: "Bearer realm=\"metrics\""])
    }

    static func equalInConstantTime(_ left: [UInt8], _ right: [UInt8]) -> Bool {
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(left, right) { difference |= a ^ b }
        return difference == 0
    }
}
