import Foundation
import PostgresStore
import TestSupport
import Testing
import VoucherCore

/// The public catalogue over HTTP against real PostgreSQL. Products are put in the catalogue
/// through `CatalogueRepository` (`CatalogueFixtures`), as the listing chain's final approval does.
@Suite struct CatalogueTests {
    /// Five listed products of the world's provider, an hour apart (A oldest), and their ids.
    struct Shelf {
        let a: String  // 企业数字化转型诊断 — diagnostic, 5,000,000 fen
        let b: String  // 云上进销存ERP — cloud, from 300,000 fen
        let c: String  // DCMM数据管理贯标咨询 — dcmm, 2,000,000 fen
        let d: String  // 智能制造平台 — software (no voucher), 800,000 fen
        let e: String  // 数据中台建设 — cloud, 1,500,000 fen, rated
        var all: [String] { [a, b, c, d, e] }
    }

    static let start = Date(timeIntervalSince1970: 1_790_000_000)

    static func stock(_ world: OrdersWorld) async throws -> Shelf {
        let ids = (0..<5).map { _ in OpaqueID.make(prefix: ProductsRepository.productPrefix) }
        let provider = OrdersWorld.provider
        func at(_ hours: Double) -> Date { start.addingTimeInterval(hours * 3_600) }
        try await CatalogueFixtures.list(
            world.postgres, id: ids[0], org: provider, providerName: "数字服务商", name: "企业数字化转型诊断", category: .diagnosticConsulting,
            tags: ["诊断", "数字化"], industries: ["制造业"], pricesFen: [5_000_000], listedAt: at(0))
        try await CatalogueFixtures.list(
            world.postgres, id: ids[1], org: provider, providerName: "数字服务商", name: "云上进销存ERP", productNames: ["进销存SaaS"],
            category: .cloud, tags: ["上云", "ERP"], industries: ["零售业", "制造业"], pricesFen: [1_200_000, 300_000], listedAt: at(1))
        try await CatalogueFixtures.list(
            world.postgres, id: ids[2], org: provider, providerName: "数字服务商", name: "DCMM数据管理贯标咨询", category: .dcmm,
            tags: ["数据管理"], industries: ["软件业"], pricesFen: [2_000_000], listedAt: at(2))
        try await CatalogueFixtures.list(
            world.postgres, id: ids[3], org: provider, providerName: "数字服务商", name: "智能制造平台", productNames: ["MES系统"],
            category: .softwareApplication, tags: ["智能制造", "工业互联网"], industries: ["制造业"], pricesFen: [800_000], listedAt: at(3))
        try await CatalogueFixtures.list(
            world.postgres, id: ids[4], org: provider, providerName: "数字服务商", name: "数据中台建设", category: .cloud, tags: ["数据"],
            pricesFen: [1_500_000], listedAt: at(4))
        try await world.postgres.query("UPDATE catalogue_entries SET rating_count = 3, rating_sum = 14 WHERE product_id = \(ids[4])")
        return Shelf(a: ids[0], b: ids[1], c: ids[2], d: ids[3], e: ids[4])
    }

    /// `GET /v1/catalogue` with the parameters percent-encoded, with no token unless one is given.
    static func list(_ world: OrdersWorld, _ parameters: KeyValuePairs<String, String> = [:], token: String? = nil) async throws -> Answer {
        var components = URLComponents()
        components.path = "/v1/catalogue"
        if !parameters.isEmpty { components.queryItems = parameters.map { URLQueryItem(name: $0.key, value: $0.value) } }
        let uri = try #require(components.percentEncodedQuery.map { "/v1/catalogue?" + $0 } ?? Optional("/v1/catalogue"))
        return try await world.call(.get, uri, token: token)
    }

    static func ids(_ answer: Answer) -> [String] { answer.items.compactMap { $0["productId"] as? String } }

    @Test func chineseSubstringsOfOneTwoAndMoreCharactersHitAndMiss() async throws {
        // Proves the text search finds any substring of the name, product names and tags — one character (云, 数), two (数据), three
        // and more (数字化转型, 进销存 in a product name, 工业互联网 in a tag), Latin in any case — and misses what no product holds,
        // including a term whose bigrams are all present but not in a row (云上云: 云上 in a name, 上云 in a tag).
        try await OrdersWorld.run { world in
            let shelf = try await Self.stock(world)
            let expectations: [(String, Set<String>)] = [
                ("云", [shelf.b]), ("数", [shelf.a, shelf.c, shelf.e]), ("数据", [shelf.c, shelf.e]), ("数字化转型", [shelf.a]),
                ("进销存", [shelf.b]), ("工业互联网", [shelf.d]), ("erp", [shelf.b]), ("Mes系统", [shelf.d]), ("数据 中台", [shelf.e]),
                ("鱼", []), ("数云", []), ("区块链", []), ("云上云", []), ("数据 诊断", []), ("", Set(shelf.all)),
            ]
            for (q, want) in expectations {
                let answer = try await Self.list(world, ["q": q])
                #expect(answer.status == .ok, "\(q): \(answer.json)")
                #expect(Set(Self.ids(answer)) == want, "q=\(q)")
                #expect(answer.json["total"] as? Int == want.count && answer.json["totalExact"] as? Bool == true, "q=\(q)")
            }
        }
    }

    @Test func eachFilterNarrowsTheList() async throws {
        // Proves category, tag, industry, voucher kind (and direction) and the price range each keep only the matching products,
        // and that filters combine with the text search.
        try await OrdersWorld.run { world in
            let shelf = try await Self.stock(world)
            let cases: [(KeyValuePairs<String, String>, Set<String>)] = [
                (["category": "cloud"], [shelf.b, shelf.e]),
                (["tag": "ERP"], [shelf.b]),
                (["tag": "数据"], [shelf.e]),
                (["industry": "制造业"], [shelf.a, shelf.b, shelf.d]),
                (["voucherKind": "diagnostic"], [shelf.a]),
                (["voucherKind": "general"], [shelf.b, shelf.c, shelf.e]),
                (["voucherKind": "general", "voucherDirection": "dcmm"], [shelf.c]),
                (["voucherKind": "general", "category": "diagnostic_consulting"], []),
                (["priceMinFen": "1000000", "priceMaxFen": "2000000"], [shelf.c, shelf.e]),
                (["priceMaxFen": "300000"], [shelf.b]),
                (["priceMinFen": "5000000"], [shelf.a]),
                (["q": "数", "category": "cloud"], [shelf.e]),
                (["q": "制造", "industry": "制造业", "voucherKind": "general"], []),
            ]
            for (parameters, want) in cases {
                let answer = try await Self.list(world, parameters)
                #expect(answer.status == .ok, "\(parameters): \(answer.json)")
                #expect(Set(Self.ids(answer)) == want, "\(parameters)")
            }
        }
    }

    @Test func sortsAndPagesAreStable() async throws {
        // Proves newest (the default), price ascending and descending (by the cheapest spec) and rating (rated first) order
        // the list, and pages of two walk it without gaps or repeats, with the total on every page.
        try await OrdersWorld.run { world in
            let shelf = try await Self.stock(world)
            #expect(Self.ids(try await Self.list(world)) == [shelf.e, shelf.d, shelf.c, shelf.b, shelf.a])
            #expect(Self.ids(try await Self.list(world, ["sort": "newest"])) == [shelf.e, shelf.d, shelf.c, shelf.b, shelf.a])
            #expect(Self.ids(try await Self.list(world, ["sort": "price_asc"])) == [shelf.b, shelf.d, shelf.e, shelf.c, shelf.a])
            #expect(Self.ids(try await Self.list(world, ["sort": "price_desc"])) == [shelf.a, shelf.c, shelf.e, shelf.d, shelf.b])
            let rated = Self.ids(try await Self.list(world, ["sort": "rating"]))
            #expect(rated.first == shelf.e && Set(rated) == Set(shelf.all))
            var walked: [String] = []
            for page in 1...3 {
                let answer = try await Self.list(world, ["pageSize": "2", "page": "\(page)"])
                #expect(answer.json["total"] as? Int == 5 && answer.json["page"] as? Int == page && answer.json["pageSize"] as? Int == 2)
                walked += Self.ids(answer)
            }
            #expect(walked == [shelf.e, shelf.d, shelf.c, shelf.b, shelf.a])
            #expect(Self.ids(try await Self.list(world, ["pageSize": "2", "page": "4"])).isEmpty)
            let card = try #require(try await Self.list(world, ["q": "数据中台"]).items.first)
            #expect(card["lowestSpecPriceFen"] as? Int == 1_500_000 && card["voucherKind"] as? String == "general")
            #expect((card["rating"] as? [String: Any])?["count"] as? Int == 3 && (card["rating"] as? [String: Any])?["sum"] as? Int == 14)
            #expect((card["provider"] as? [String: Any])?["name"] as? String == "数字服务商")
        }
    }

    @Test func badFiltersAre400ProblemsWithACode() async throws {
        // Proves every malformed filter is a 400 application/problem+json with its stable code and a sentence.
        try await OrdersWorld.run { world in
            _ = try await Self.stock(world)
            let cases: [(KeyValuePairs<String, String>, String)] = [
                (["sort": "cheapest"], "sort_invalid"),
                (["category": "food"], "category_invalid"),
                (["voucherKind": "gold"], "voucher_kind_invalid"),
                (["voucherDirection": "cloud"], "voucher_direction_invalid"),
                (["voucherKind": "diagnostic", "voucherDirection": "cloud"], "voucher_direction_invalid"),
                (["voucherKind": "general", "voucherDirection": "moon"], "voucher_direction_invalid"),
                (["priceMinFen": "-1"], "price_range_invalid"),
                (["priceMaxFen": "1.5"], "price_range_invalid"),
                (["priceMinFen": "500", "priceMaxFen": "100"], "price_range_invalid"),
                (["q": String(repeating: "云", count: 51)], "query_invalid"),
                (["q": "一 二 三 四 五 六"], "query_invalid"),
                (["tag": ""], "filter_invalid"),
                (["industry": String(repeating: "业", count: 51)], "filter_invalid"),
                (["pageSize": "0"], "page_invalid"),
                (["page": "101", "pageSize": "10"], "page_invalid"),
            ]
            for (parameters, code) in cases {
                let answer = try await Self.list(world, parameters)
                #expect(answer.status == .badRequest && answer.code == code, "\(parameters): \(answer.status) \(answer.json)")
                #expect(answer.headers[.contentType]?.hasPrefix("application/problem+json") == true)
                #expect((answer.json["detail"] as? String)?.isEmpty == false)
            }
            #expect(try await Self.list(world, ["page": "100", "pageSize": "10"]).status == .ok)
        }
    }

    @Test func detailIsPublicAndOnlyForListedProducts() async throws {
        // Proves the list and the detail need no token; the detail carries the whole public detail the chain wrote; a product
        // taken out of the catalogue (or never in it) is 404 product_not_found, and a garbage id 400 id_malformed.
        try await OrdersWorld.run { world in
            let shelf = try await Self.stock(world)
            #expect(try await Self.list(world).status == .ok)
            let answer = try await world.call(.get, "/v1/catalogue/\(shelf.b)", token: nil)
            #expect(answer.status == .ok, "\(answer.json)")
            #expect((answer.json["product"] as? [String: Any])?["name"] as? String == "云上进销存ERP")
            let detail = try #require(answer.json["detail"] as? [String: Any])
            let data = try JSONSerialization.data(withJSONObject: detail)
            let decoded = try JSONDecoder().decode(CatalogueDetail.self, from: data)
            let stored = try #require(try await CatalogueRepository(client: world.postgres, logger: TestEnvironment.logger).entry(productID: shelf.b))
            #expect(decoded == stored.detail)
            #expect(decoded.specs.map(\.unitPriceFen) == [1_200_000, 300_000])
            #expect((detail["caseStudies"] as? [[String: Any]])?.first?.keys.contains("contact") == false)

            _ = try await world.postgres.transaction(logger: TestEnvironment.logger) { tx in
                try await CatalogueRepository(client: world.postgres, logger: TestEnvironment.logger).remove(productID: shelf.b, on: tx)
            }
            let gone = try await world.call(.get, "/v1/catalogue/\(shelf.b)", token: nil)
            #expect(gone.status == .notFound && gone.code == "product_not_found")
            #expect(!Self.ids(try await Self.list(world)).contains(shelf.b))
            let never = try await world.call(.get, "/v1/catalogue/\(OpaqueID.make(prefix: "prd"))", token: nil)
            #expect(never.status == .notFound && never.code == "product_not_found")
            let garbage = try await world.call(.get, "/v1/catalogue/not-an-id", token: nil)
            #expect(garbage.status == .badRequest && garbage.code == "id_malformed")
        }
    }

    @Test func voucherIdShowsWhatThatVoucherPaysAndOnlyForItsOwner() async throws {
        // Proves 去使用: an enterprise's own voucher filters to the products it can pay (a dcmm general voucher → the DCMM
        // product; a diagnostic one → the diagnostic product), another enterprise's voucher is 404 voucher_not_found, no token is
        // 401, and a provider's token is 403.
        try await OrdersWorld.run { world in
            let shelf = try await Self.stock(world)
            try await world.enterprise("org_ent1")
            try await world.enterprise("org_ent2")
            let dcmm = try await world.voucher(org: "org_ent1", faceFen: 1_000_000, kind: "general", direction: "dcmm")
            let diagnostic = try await world.voucher(org: "org_ent1", faceFen: 1_000_000)
            let others = try await world.voucher(org: "org_ent2", faceFen: 1_000_000, kind: "general", direction: "cloud")
            let token = try await world.token("org_ent1")

            #expect(Self.ids(try await Self.list(world, ["voucherId": dcmm], token: token)) == [shelf.c])
            #expect(Self.ids(try await Self.list(world, ["voucherId": diagnostic], token: token)) == [shelf.a])
            #expect(Self.ids(try await Self.list(world, ["voucherId": diagnostic, "q": "云"], token: token)).isEmpty)
            let foreign = try await Self.list(world, ["voucherId": others], token: token)
            #expect(foreign.status == .notFound && foreign.code == "voucher_not_found")
            let anonymous = try await Self.list(world, ["voucherId": dcmm])
            #expect(anonymous.status == .unauthorized)
            let provider = try await Self.list(world, ["voucherId": dcmm], token: try await world.providerToken())
            #expect(provider.status == .forbidden)
            let garbage = try await Self.list(world, ["voucherId": "bad id!"], token: token)
            #expect(garbage.status == .badRequest && garbage.code == "id_malformed")
        }
    }
}
