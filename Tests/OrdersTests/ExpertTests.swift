import Foundation
import HTTPTypes
import PostgresNIO
import PostgresStore
import TestSupport
import Testing
import VoucherCore

/// 专家管理 (guide §1.4.8 表1-3) and the portal's 专家团队 over HTTP against real PostgreSQL.
@Suite struct ExpertTests {
    static let otherProvider = "org_prov_other"

    /// A complete expert body naming `photo`, with `changes` applied.
    static func body(photo: String, _ changes: [String: Any] = [:]) -> [String: Any] {
        var body: [String: Any] = [
            "name": "王建国", "age": 48, "gender": "male", "industrialInternetFields": ["工业互联网平台", "智能制造"],
            "industryFields": ["装备制造", "汽车"], "industrialOperationFields": ["生产管理"], "industrialInternetServiceYears": 12,
            "industryServiceYears": 20, "experience": "主持十余家制造企业的数字化改造。", "title": "首席专家", "education": "博士",
            "photoFileId": photo, "introduction": "长期从事工业互联网平台建设与智能制造咨询。", "phone": "13800138000", "phonePublic": false,
        ]
        for (key, value) in changes { body[key] = value }
        return body
    }

    /// Uploads `bytes` as an expert photo and answers its file id.
    static func photo(_ world: OrdersWorld, token: String, _ bytes: [UInt8] = Proofs.png) async throws -> String {
        let uploaded = try await world.call(.post, "/v1/provider/expert-photos", token: token, raw: bytes)
        #expect(uploaded.status == .created, "\(uploaded.json)")
        return try #require(uploaded.string("fileId"))
    }

    /// Creates an expert and answers its id.
    static func expert(_ world: OrdersWorld, token: String, _ changes: [String: Any] = [:]) async throws -> String {
        let photo = try await photo(world, token: token)
        let created = try await world.call(.post, "/v1/provider/experts", token: token, json: body(photo: photo, changes))
        #expect(created.status == .created, "\(created.json)")
        return try #require(created.string("id"))
    }

    /// Every stored expert, photo and listing place, as text: equal before and after a refused request.
    static func snapshot(_ world: OrdersWorld) async throws -> String {
        let rows = try await world.postgres.query(
            """
            SELECT coalesce((SELECT string_agg(e::text, '|' ORDER BY e.id) FROM experts e), '')
                || '#' || coalesce((SELECT string_agg(p::text, '|' ORDER BY p.org_id, p.sha256) FROM expert_photos p), '')
                || '#' || coalesce((SELECT string_agg(x::text, '|' ORDER BY x.product_id, x.position) FROM product_experts x), '')
            """)
        for try await text in rows.decode(String.self) { return text }
        return ""
    }

    static func otherProviderToken(_ world: OrdersWorld) async throws -> String {
        try await world.postgres.query(
            "INSERT INTO organisations (id, kind, name, certification) VALUES (\(otherProvider), 'provider', '另一服务商', 'certified')")
        try await world.postgres.query(
            """
            INSERT INTO users (id, org_id, username, password_hash, role, is_main)
            VALUES (\("usr_" + otherProvider), \(otherProvider), 'other_provider', 'x', 'provider', true)
            """)
        return try await world.token(otherProvider, role: .provider)
    }

    @Test func aProviderAddsEditsAndRemovesItsExpertsWithEveryField() async throws {
        // Proves the whole record of 表1-3 (and the phone with its flag) goes in with one POST and comes back as sent (texts
        // trimmed), 专家管理 lists and finds it by name or title, one PUT replaces every field, and DELETE removes it: 204, then
        // 404 expert_not_found and no row left.
        try await OrdersWorld.run { world in
            let token = try await world.providerToken()
            let photo = try await Self.photo(world, token: token, Proofs.jpeg)
            let created = try await world.call(
                .post, "/v1/provider/experts", token: token, json: Self.body(photo: photo, ["name": "  王建国 "]))
            #expect(created.status == .created, "\(created.json)")
            let id = try #require(created.string("id"))
            #expect(created.string("name") == "王建国")
            #expect(created.json["age"] as? Int == 48 && created.string("gender") == "male")
            #expect(created.json["industrialInternetFields"] as? [String] == ["工业互联网平台", "智能制造"])
            #expect(created.json["industryFields"] as? [String] == ["装备制造", "汽车"])
            #expect(created.json["industrialOperationFields"] as? [String] == ["生产管理"])
            #expect(created.json["industrialInternetServiceYears"] as? Int == 12 && created.json["industryServiceYears"] as? Int == 20)
            #expect(created.string("title") == "首席专家" && created.string("education") == "博士")
            #expect(created.string("photoFileId") == photo && created.string("photoUrl") == "/v1/public/experts/\(id)/photo")
            #expect(created.string("phone") == "13800138000" && created.json["phonePublic"] as? Bool == false)

            let second = try await Self.expert(world, token: token, ["name": "李敏", "title": "数据治理顾问", "gender": "female"])
            let all = try await world.call(.get, "/v1/provider/experts", token: token)
            #expect(all.json["total"] as? Int == 2)
            #expect(all.items.compactMap { $0["id"] as? String } == [second, id], "newest first")
            let byTitle = try await world.call(.get, "/v1/provider/experts?q=%E6%B2%BB%E7%90%86", token: token)
            #expect(byTitle.items.compactMap { $0["id"] as? String } == [second], "q=治理 finds the title")

            let edited = try await world.call(
                .put, "/v1/provider/experts/\(id)", token: token,
                json: Self.body(photo: photo, ["age": 50, "experience": "新的业绩", "title": NSNull(), "phonePublic": true]))
            #expect(edited.status == .ok, "\(edited.json)")
            #expect(edited.json["age"] as? Int == 50 && edited.string("experience") == "新的业绩")
            #expect(edited.json["title"] == nil && edited.json["phonePublic"] as? Bool == true)
            #expect(try await world.call(.get, "/v1/provider/experts/\(id)", token: token).json["age"] as? Int == 50)

            let removed = try await world.call(.delete, "/v1/provider/experts/\(id)", token: token)
            #expect(removed.status == .noContent)
            let gone = try await world.call(.get, "/v1/provider/experts/\(id)", token: token)
            #expect(gone.status == .notFound && gone.code == "expert_not_found", "\(gone.json)")
            #expect(try await world.call(.delete, "/v1/provider/experts/\(id)", token: token).code == "expert_not_found")
            let rows = try await world.postgres.query("SELECT count(*)::int FROM experts")
            for try await count in rows.decode(Int.self) { #expect(count == 1) }
        }
    }

    @Test func badInputsAreRefusedWithStableCodesAndChangeNothing() async throws {
        // Proves a name of 31 characters (400 expert_name_too_long), experience of 201 (400 expert_experience_too_long), a
        // wrong gender or a service longer than the age (400 expert_invalid), a photo id that is not the provider's (400
        // expert_photo_unknown), a text file sent as a photo (415 expert_photo_unsupported_format) and a photo of exactly
        // 2048 KB (413 expert_photo_too_large) change no row, on creation and on edit; 30 and 200 characters and a photo one
        // byte under 2048 KB pass.
        try await OrdersWorld.run { world in
            let token = try await world.providerToken()
            let photo = try await Self.photo(world, token: token)
            let id = try await Self.expert(world, token: token)
            let other = try await Self.photo(world, token: try await Self.otherProviderToken(world), Proofs.jpeg)
            let before = try await Self.snapshot(world)
            let bad: [([String: Any], Int, String)] = [
                (["name": String(repeating: "名", count: 31)], 400, "expert_name_too_long"),
                (["experience": String(repeating: "绩", count: 201)], 400, "expert_experience_too_long"),
                (["gender": "unknown"], 400, "expert_invalid"),
                (["industryServiceYears": 49], 400, "expert_invalid"),
                (["industryFields": []], 400, "expert_invalid"),
                (["phone": "12345"], 400, "expert_invalid"),
                (["photoFileId": other], 400, "expert_photo_unknown"),
                (["photoFileId": "photo.jpg"], 400, "expert_photo_unknown"),
            ]
            for (changes, status, code) in bad {
                for (method, path) in [(HTTPRequest.Method.post, "/v1/provider/experts"), (.put, "/v1/provider/experts/\(id)")] {
                    let answer = try await world.call(method, path, token: token, json: Self.body(photo: photo, changes))
                    #expect(answer.status.code == status && answer.code == code, "\(method) \(changes.keys): \(answer.json)")
                    #expect(answer.headers[.contentType] == "application/problem+json")
                }
            }
            let text = Array("name=王建国\nthis is a text file renamed photo.jpg\n".utf8)
            let notImage = try await world.call(.post, "/v1/provider/expert-photos", token: token, raw: text)
            #expect(notImage.status == .unsupportedMediaType && notImage.code == "expert_photo_unsupported_format", "\(notImage.json)")
            let exactly2048KB = Proofs.png + [UInt8](repeating: 0, count: 2048 * 1024 - Proofs.png.count)
            let tooLarge = try await world.call(.post, "/v1/provider/expert-photos", token: token, raw: exactly2048KB)
            #expect(tooLarge.status == .contentTooLarge && tooLarge.code == "expert_photo_too_large", "\(tooLarge.json)")
            #expect(try await Self.snapshot(world) == before, "refused requests changed nothing")

            let justUnder = try await world.call(.post, "/v1/provider/expert-photos", token: token, raw: Array(exactly2048KB.dropLast()))
            #expect(justUnder.status == .created && justUnder.json["sizeBytes"] as? Int == 2048 * 1024 - 1, "\(justUnder.json)")
            let longest = Self.body(
                photo: photo, ["name": String(repeating: "名", count: 30), "experience": String(repeating: "绩", count: 200)])
            #expect(try await world.call(.put, "/v1/provider/experts/\(id)", token: token, json: longest).status == .ok)
        }
    }

    @Test func anotherProvidersExpertIsNotFoundAndCannotBeAttached() async throws {
        // Proves one provider cannot read, edit or remove another's expert (404 expert_not_found, as for a missing one) nor show
        // it on its own listing (400 listing_expert_unknown), nor set the experts of another's product (404 product_not_found);
        // the stored experts and listing places stay as they were.
        try await OrdersWorld.run { world in
            let token = try await world.providerToken()
            let otherToken = try await Self.otherProviderToken(world)
            let theirs = try await Self.expert(world, token: otherToken, ["name": "赵强"])
            let mine = try await Self.expert(world, token: token)
            let product = OpaqueID.make(prefix: ProductsRepository.productPrefix)
            try await CatalogueFixtures.list(
                world.postgres, id: product, org: OrdersWorld.provider, providerName: "数字服务商", name: "智能制造诊断",
                category: .diagnosticConsulting, pricesFen: [1_000_000], listedAt: Date(timeIntervalSince1970: 1_790_000_000))
            let attached = try await world.call(.put, "/v1/provider/products/\(product)/experts", token: token, json: ["expertIds": [mine]])
            #expect(attached.status == .ok, "\(attached.json)")
            let before = try await Self.snapshot(world)

            let photo = try await Self.photo(world, token: token)
            for answer in [
                try await world.call(.get, "/v1/provider/experts/\(theirs)", token: token),
                try await world.call(.put, "/v1/provider/experts/\(theirs)", token: token, json: Self.body(photo: photo)),
                try await world.call(.delete, "/v1/provider/experts/\(theirs)", token: token),
            ] {
                #expect(answer.status == .notFound && answer.code == "expert_not_found", "\(answer.json)")
            }
            let foreign = try await world.call(
                .put, "/v1/provider/products/\(product)/experts", token: token, json: ["expertIds": [mine, theirs]])
            #expect(foreign.status == .badRequest && foreign.code == "listing_expert_unknown", "\(foreign.json)")
            let twice = try await world.call(.put, "/v1/provider/products/\(product)/experts", token: token, json: ["expertIds": [mine, mine]])
            #expect(twice.status == .badRequest && twice.code == "listing_invalid", "\(twice.json)")
            let notTheirs = try await world.call(
                .put, "/v1/provider/products/\(product)/experts", token: otherToken, json: ["expertIds": [theirs]])
            #expect(notTheirs.status == .notFound && notTheirs.code == "product_not_found", "\(notTheirs.json)")
            let after = try await Self.snapshot(world)
            #expect(after.components(separatedBy: "#")[0] == before.components(separatedBy: "#")[0], "no expert changed")
            #expect(after.components(separatedBy: "#")[2] == before.components(separatedBy: "#")[2], "no listing place changed")
        }
    }

    @Test func thePortalListsExpertsWithoutATokenAndLeaksNothingPrivate() async throws {
        // Proves 专家团队 answers without a token: experts of certified providers only, newest first, paged, filtered by an
        // entry of any 领域 list and by part of the name or title; each card and the detail carry the provider's name but no
        // organisation or product id, no photo file id, and a phone only when marked public; the photo is served by content type.
        try await OrdersWorld.run { world in
            let token = try await world.providerToken()
            let hidden = try await Self.expert(world, token: token, ["name": "王建国", "phone": "13800138001", "phonePublic": false])
            let shown = try await Self.expert(
                world, token: token,
                ["name": "李敏", "title": "数据治理顾问", "industryFields": ["电子信息"], "phone": "13800138002", "phonePublic": true])
            let uncertifiedID = OpaqueID.make(prefix: ExpertsRepository.expertPrefix)
            try await world.postgres.query(
                "INSERT INTO organisations (id, kind, name, certification) VALUES ('org_prov_draft', 'provider', '待认证', 'under_review')")
            try await world.postgres.query(
                """
                INSERT INTO expert_photos (org_id, sha256, media_type, size_bytes, created_at)
                SELECT 'org_prov_draft', sha256, media_type, size_bytes, now() FROM expert_photos LIMIT 1
                """)
            try await world.postgres.query(
                """
                INSERT INTO experts (id, org_id, name, age, gender, industrial_internet_fields, industry_fields, industrial_operation_fields,
                    industrial_internet_service_years, industry_service_years, experience, photo_sha256, introduction, created_at, updated_at)
                SELECT \(uncertifiedID), 'org_prov_draft', '未认证专家', 40, 'male', '{a}', '{b}', '{c}', 1, 1, 'x', sha256, 'y', now(), now()
                FROM expert_photos WHERE org_id = 'org_prov_draft'
                """)

            let page = try await world.call(.get, "/v1/public/experts", token: nil)
            #expect(page.status == .ok, "\(page.json)")
            #expect(page.items.compactMap { $0["id"] as? String } == [shown, hidden], "certified providers' experts, newest first")
            let allowed: Set<String> = [
                "id", "name", "age", "gender", "industrialInternetFields", "industryFields", "industrialOperationFields",
                "industrialInternetServiceYears", "industryServiceYears", "experience", "title", "education", "photoUrl", "introduction",
                "phone", "providerName",
            ]
            for item in page.items { #expect(Set(item.keys).isSubset(of: allowed), "\(item.keys)") }
            #expect(page.items[0]["phone"] as? String == "13800138002" && page.items[1]["phone"] == nil)
            #expect(page.items.allSatisfy { $0["providerName"] as? String == "数字服务商" })
            #expect(!String(decoding: page.body, as: UTF8.self).contains(OrdersWorld.provider), "no organisation id anywhere")

            let byField = try await world.call(.get, "/v1/public/experts?field=%E7%94%B5%E5%AD%90%E4%BF%A1%E6%81%AF", token: nil)
            #expect(byField.items.compactMap { $0["id"] as? String } == [shown], "field=电子信息")
            let byName = try await world.call(.get, "/v1/public/experts?q=%E5%BB%BA%E5%9B%BD", token: nil)
            #expect(byName.items.compactMap { $0["id"] as? String } == [hidden], "q=建国")
            let second = try await world.call(.get, "/v1/public/experts?page=2&pageSize=1", token: nil)
            #expect(second.json["total"] as? Int == 2 && second.items.compactMap { $0["id"] as? String } == [hidden])

            let detail = try await world.call(.get, "/v1/public/experts/\(hidden)", token: nil)
            #expect(detail.status == .ok && detail.json["phone"] == nil && Set(detail.json.keys).isSubset(of: allowed), "\(detail.json)")
            let uncertified = try await world.call(.get, "/v1/public/experts/\(uncertifiedID)", token: nil)
            #expect(uncertified.status == .notFound && uncertified.code == "expert_not_found", "\(uncertified.json)")
            let photo = try await world.call(.get, "/v1/public/experts/\(shown)/photo", token: nil)
            #expect(photo.status == .ok && photo.headers[.contentType] == "image/png" && photo.body == Proofs.png)
        }
    }

    @Test func aListingShowsItsExpertsInOrderUntilOneIsRemoved() async throws {
        // Proves a provider sets the experts its listing shows (in the order sent), the catalogue's detail shows their public
        // cards (no private phone), the expert lists the product among its productIds, and removing an expert takes it off the
        // listing at once; [] shows none.
        try await OrdersWorld.run { world in
            let token = try await world.providerToken()
            let first = try await Self.expert(world, token: token, ["name": "王建国"])
            let second = try await Self.expert(world, token: token, ["name": "李敏"])
            let product = OpaqueID.make(prefix: ProductsRepository.productPrefix)
            try await CatalogueFixtures.list(
                world.postgres, id: product, org: OrdersWorld.provider, providerName: "数字服务商", name: "智能制造诊断",
                category: .diagnosticConsulting, pricesFen: [1_000_000], listedAt: Date(timeIntervalSince1970: 1_790_000_000))
            let set = try await world.call(.put, "/v1/provider/products/\(product)/experts", token: token, json: ["expertIds": [second, first]])
            #expect(set.status == .ok, "\(set.json)")
            #expect((set.json["experts"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [second, first])

            let detail = try await world.call(.get, "/v1/catalogue/\(product)", token: nil)
            let cards = detail.json["experts"] as? [[String: Any]] ?? []
            #expect(cards.compactMap { $0["name"] as? String } == ["李敏", "王建国"], "\(detail.json)")
            #expect(cards.allSatisfy { $0["phone"] == nil && $0["productIds"] == nil })
            let mine = try await world.call(.get, "/v1/provider/experts/\(first)", token: token)
            #expect(mine.json["productIds"] as? [String] == [product])

            #expect(try await world.call(.delete, "/v1/provider/experts/\(second)", token: token).status == .noContent)
            let after = try await world.call(.get, "/v1/catalogue/\(product)", token: nil)
            #expect((after.json["experts"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [first])
            let none = try await world.call(.put, "/v1/provider/products/\(product)/experts", token: token, json: ["expertIds": []])
            #expect(none.status == .ok && (none.json["experts"] as? [Any])?.isEmpty == true)
            #expect(((try await world.call(.get, "/v1/catalogue/\(product)", token: nil)).json["experts"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func subAccountsNeedTheExpertsMenuAndUncertifiedProvidersCannotWrite() async throws {
        // Proves a provider sub-account without the experts menu is refused 403 permission_denied on 专家管理 and with it may
        // add an expert; an organisation not yet certified is refused 403 certification_required and stores nothing.
        try await OrdersWorld.run { world in
            let photo = try await Self.photo(world, token: try await world.providerToken())
            let without = try await world.subAccount("prov_no_experts", org: OrdersWorld.provider, role: .provider, permissions: ["products"])
            let refused = try await world.call(.post, "/v1/provider/experts", token: without, json: Self.body(photo: photo))
            #expect(refused.status == .forbidden && refused.code == "permission_denied", "\(refused.json)")
            #expect(try await world.call(.get, "/v1/provider/experts", token: without).code == "permission_denied")
            let with = try await world.subAccount("prov_experts", org: OrdersWorld.provider, role: .provider, permissions: ["experts"])
            #expect(try await world.call(.post, "/v1/provider/experts", token: with, json: Self.body(photo: photo)).status == .created)

            let before = try await Self.snapshot(world)
            try await world.postgres.query("UPDATE organisations SET certification = 'under_review' WHERE id = \(OrdersWorld.provider)")
            let token = try await world.providerToken()
            let create = try await world.call(.post, "/v1/provider/experts", token: token, json: Self.body(photo: photo))
            #expect(create.status == .forbidden && create.code == "certification_required", "\(create.json)")
            let upload = try await world.call(.post, "/v1/provider/expert-photos", token: token, raw: Proofs.jpeg)
            #expect(upload.status == .forbidden && upload.code == "certification_required", "\(upload.json)")
            #expect(try await Self.snapshot(world) == before)
        }
    }
}
