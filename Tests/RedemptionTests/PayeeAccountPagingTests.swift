import API
import Foundation
import HTTPTypes
import TestSupport
import Testing
import VoucherServices

/// The payee-account list honours `page` and `pageSize` like every list (SPEC §9), over HTTP
/// against real PostgreSQL.
@Suite("Payee account paging")
struct PayeeAccountPagingTests {
    static func ids(_ answer: Answer) -> [String] { answer.items.compactMap { $0["id"] as? String } }
    static func int(_ answer: Answer, _ key: String) -> Int? { (answer.json[key] as? NSNumber)?.intValue }

    @Test func payeeAccountsPageInAStableOrder() async throws {
        // Proves three accounts listed two a page give two then one (page 2), the same accounts in the same order as one
        // page of ten, with total 3 on every page (a page past the end is empty), and that pageSize 0 or 101 and page 0
        // are 400 page_invalid.
        try await RedemptionWorld.run { world in
            let provider = try await world.providerToken()
            for suffix in ["0001", "0002", "0003"] {
                let added = try await world.call(
                    .post, "/v1/provider/payee-accounts", token: provider,
                    json: ["bank": "ABC", "accountName": RedemptionWorld.providerName, "accountNumber": "622848040256489" + suffix])
                #expect(added.status == .created, "\(added.json)")
            }
            let all = try await world.call(.get, "/v1/provider/payee-accounts?pageSize=10", token: provider)
            #expect(all.status == .ok && Self.int(all, "total") == 3 && Self.ids(all).count == 3, "\(all.json)")
            let first = try await world.call(.get, "/v1/provider/payee-accounts?page=1&pageSize=2", token: provider)
            let second = try await world.call(.get, "/v1/provider/payee-accounts?page=2&pageSize=2", token: provider)
            let past = try await world.call(.get, "/v1/provider/payee-accounts?page=3&pageSize=2", token: provider)
            #expect(Self.ids(first).count == 2 && Self.ids(second).count == 1 && Self.ids(past).isEmpty)
            #expect(Self.ids(first) + Self.ids(second) == Self.ids(all))
            for page in [first, second, past] {
                #expect(Self.int(page, "total") == 3 && Self.int(page, "pageSize") == 2, "\(page.json)")
            }
            #expect(Self.int(second, "page") == 2)
            for query in ["pageSize=0", "pageSize=101", "page=0"] {
                let refused = try await world.call(.get, "/v1/provider/payee-accounts?\(query)", token: provider)
                #expect(refused.status == .badRequest && refused.code == "page_invalid", "\(query): \(refused.json)")
            }
        }
    }
}
