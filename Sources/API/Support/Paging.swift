import Foundation
import Hummingbird
import VoucherServices

/// A page asked for with `page` (from 1) and `pageSize` (default 10, at most 100), SPEC §9.
struct PageRequest: Sendable {
    let page: Int
    let pageSize: Int

    init(_ query: [String: String]) throws {
        page = try Self.number(query["page"], name: "page", default: 1, range: 1...Int(Int32.max))
        pageSize = try Self.number(
            query["pageSize"], name: "pageSize", default: AccountsLimits.pageSizeDefault, range: 1...AccountsLimits.pageSizeMax)
    }

    /// The query parameters of a request as plain strings.
    static func query(_ request: Request) -> [String: String] {
        var query: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { query[String(key)] = String(value) }
        return query
    }

    private static func number(_ text: String?, name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw AccountsError.invalid("page_invalid", "\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound).")
        }
        return number
    }
}

/// `{items, page, pageSize, total}`, the shape of every list (SPEC §9).
struct Page<Item: Encodable & Sendable>: ResponseEncodable, Sendable {
    let items: [Item]
    let page: Int
    let pageSize: Int
    let total: Int
}
