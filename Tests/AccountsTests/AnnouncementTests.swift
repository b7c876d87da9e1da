import Foundation
import HTTPTypes
import PostgresNIO
import TestSupport
import Testing
import VoucherServices

/// Announcements (issue 15, item 3; guide §1.4.1, §2.4.1, §2.3.1 fig 2-2) over HTTP against real
/// PostgreSQL: operators write, the portal reads without a token, the workbench reads for the
/// reader's audience with read/unread per user. Time moves only with the test's clock.
@Suite("Announcements")
struct AnnouncementTests {
    static func draft(
        _ title: String, category: String = "notice", audience: String = "all", pinned: Bool? = nil
    ) -> [String: Any] {
        var body: [String: Any] = ["title": title, "content": "\(title)的正文。", "category": category, "audience": audience]
        if let pinned { body["pinned"] = pinned }
        return body
    }

    /// Drafts and publishes now; answers the id.
    static func published(_ world: AccountsWorld, _ token: String, _ body: [String: Any]) async throws -> String {
        let created = try await world.call(.post, "/v1/platform/announcements", json: body, token: token)
        #expect(created.status == .created, "\(created.json)")
        let id = created.string("id") ?? ""
        let published = try await world.call(.post, "/v1/platform/announcements/\(id)/publish", token: token)
        #expect(published.status == .ok, "\(published.json)")
        #expect(published.string("state") == "published")
        return id
    }

    static func rowCount(_ world: AccountsWorld) async throws -> String {
        let rows = try await world.postgres.query(
            "SELECT coalesce(md5(string_agg(a::text, '|' ORDER BY a::text)), '') FROM announcements a")
        var digest = ""
        for try await value in rows.decode(String.self) { digest = value }
        let reads = try await world.postgres.query("SELECT count(*)::int FROM announcement_reads")
        for try await count in reads.decode(Int.self) { digest += "/\(count)" }
        return digest
    }

    /// Proves an operator drafts, schedules, publishes, pins and withdraws: a draft and a
    /// scheduled announcement are invisible to the portal and the workbench (404 by id) until
    /// the injected clock reaches publishAt, with no job running; pinned ones come first; a
    /// withdrawn one disappears from every reader's list and detail.
    @Test func operatorSchedulesPublishesPinsAndWithdraws() async throws {
        try await AccountsWorld.run { world in
            let op = try await world.makePlatformUser(.operator, "ann_operator", phone: "13700000031")
            let enterprise = try await world.register("enterprise", "ann_reader", phone: "13800000631")
            let created = try await world.call(.post, "/v1/platform/announcements", json: Self.draft("申报通知"), token: op)
            #expect(created.status == .created, "\(created.json)")
            #expect(created.string("state") == "draft")
            #expect(created.string("categoryLabel") == "通知")
            let id = created.string("id") ?? ""
            #expect(try await world.call(.get, "/v1/public/announcements").json["total"] as? Int == 0)
            #expect(try await world.call(.get, "/v1/public/announcements/\(id)").status == .notFound)

            let edited = try await world.call(
                .put, "/v1/platform/announcements/\(id)", json: Self.draft("申报通知（修订）", category: "policy"), token: op)
            #expect(edited.status == .ok, "\(edited.json)")
            #expect(edited.string("title") == "申报通知（修订）" && edited.string("categoryLabel") == "政策")

            let later = world.clock.now().addingTimeInterval(3600)
            let scheduled = try await world.call(
                .post, "/v1/platform/announcements/\(id)/publish", json: ["publishAt": RFC3339.format(later)], token: op)
            #expect(scheduled.status == .ok, "\(scheduled.json)")
            #expect(scheduled.string("state") == "scheduled")
            #expect(try await world.call(.get, "/v1/public/announcements").json["total"] as? Int == 0)
            #expect(try await world.call(.get, "/v1/announcements/\(id)", token: enterprise).code == "announcement_not_found")
            let waiting = try await world.call(.get, "/v1/platform/announcements?state=scheduled", token: op)
            #expect(waiting.items.map { $0["id"] as? String } == [id])

            world.clock.advance(seconds: 3599)
            #expect(try await world.call(.get, "/v1/public/announcements").json["total"] as? Int == 0)
            // publishAt travels as RFC 3339 with milliseconds (rounded), so step past it by a second.
            world.clock.advance(seconds: 2)
            let visible = try await world.call(.get, "/v1/public/announcements")
            #expect(visible.items.map { $0["id"] as? String } == [id], "\(visible.json)")
            #expect(try await world.call(.get, "/v1/platform/announcements/\(id)", token: op).string("state") == "published")

            world.clock.advance(seconds: 1)
            let second = try await Self.published(world, op, Self.draft("资讯一则", category: "news"))
            world.clock.advance(seconds: 60)
            let third = try await Self.published(world, op, Self.draft("公告一则", category: "bulletin"))
            let newestFirst = try await world.call(.get, "/v1/public/announcements")
            #expect(newestFirst.items.map { $0["id"] as? String } == [third, second, id])
            let pinned = try await world.call(.post, "/v1/platform/announcements/\(id)/pin", json: ["pinned": true], token: op)
            #expect(pinned.status == .ok && pinned.json["pinned"] as? Bool == true, "\(pinned.json)")
            let pinnedFirst = try await world.call(.get, "/v1/public/announcements")
            #expect(pinnedFirst.items.map { $0["id"] as? String } == [id, third, second])
            let workbench = try await world.call(.get, "/v1/announcements", token: enterprise)
            #expect(workbench.items.map { $0["id"] as? String } == [id, third, second])

            let withdrawn = try await world.call(.post, "/v1/platform/announcements/\(id)/withdraw", token: op)
            #expect(withdrawn.status == .ok && withdrawn.string("state") == "withdrawn", "\(withdrawn.json)")
            #expect(try await world.call(.get, "/v1/public/announcements").items.map { $0["id"] as? String } == [third, second])
            #expect(try await world.call(.get, "/v1/public/announcements/\(id)").code == "announcement_not_found")
            #expect(try await world.call(.get, "/v1/announcements/\(id)", token: enterprise).status == .notFound)
            #expect(try await world.call(.get, "/v1/platform/announcements?state=withdrawn", token: op).json["total"] as? Int == 1)
        }
    }

    /// Proves the portal's list and detail answer without a token, hold only published
    /// announcements for audience `all`, filter by category, page, and show nothing private:
    /// exactly id, title, content, category, its label, pinned and publishedAt.
    @Test func publicRoutesAnswerWithoutATokenAndLeakNothing() async throws {
        try await AccountsWorld.run { world in
            let op = try await world.makePlatformUser(.operator, "ann_portal", phone: "13700000032")
            var everyone: [String] = []
            for (index, category) in ["notice", "bulletin", "policy", "news", "policy"].enumerated() {
                world.clock.advance(seconds: 1)
                everyone.append(try await Self.published(world, op, Self.draft("公开\(index)", category: category)))
            }
            _ = try await Self.published(world, op, Self.draft("仅企业", audience: "enterprises"))
            _ = try await Self.published(world, op, Self.draft("仅服务商", audience: "providers"))
            _ = try await world.call(.post, "/v1/platform/announcements", json: Self.draft("草稿"), token: op)

            let all = try await world.call(.get, "/v1/public/announcements")
            #expect(all.status == .ok)
            #expect(all.json["total"] as? Int == 5)
            #expect(all.items.map { $0["id"] as? String } == everyone.reversed())
            for item in all.items {
                #expect(Set(item.keys) == ["id", "title", "content", "category", "categoryLabel", "pinned", "publishedAt"], "\(item)")
            }
            let policy = try await world.call(.get, "/v1/public/announcements?category=policy")
            #expect(policy.items.map { $0["id"] as? String } == [everyone[4], everyone[2]])
            #expect(Set(policy.items.compactMap { $0["categoryLabel"] as? String }) == ["政策"])
            let paged = try await world.call(.get, "/v1/public/announcements?page=2&pageSize=2")
            #expect(paged.items.map { $0["id"] as? String } == [everyone[2], everyone[1]])
            #expect(paged.json["total"] as? Int == 5)
            let one = try await world.call(.get, "/v1/public/announcements/\(everyone[0])")
            #expect(one.status == .ok && one.string("title") == "公开0", "\(one.json)")
            #expect(Set(one.json.keys) == ["id", "title", "content", "category", "categoryLabel", "pinned", "publishedAt"])

            for path in ["/v1/public/announcements?category=tax", "/v1/public/announcements?page=0"] {
                let refused = try await world.call(.get, path)
                #expect(refused.status == .badRequest, "\(path): \(refused.json)")
            }
            #expect(try await world.call(.get, "/v1/public/announcements?category=tax").code == "filter_invalid")
            #expect(try await world.call(.get, "/v1/public/announcements/ann_00000000000000000000000000").code == "announcement_not_found")
        }
    }

    /// Proves the workbench lists the latest published announcements for the reader's audience
    /// (enterprises: all and enterprises; providers: all and providers), another audience's by
    /// id is 404 announcement_not_found, and read/unread is per user: opening one or POST …/read
    /// marks it read for that user only, `unread` counts the rest and `unread=true` lists them.
    @Test func workbenchShowsTheReadersAudienceWithReadStatePerUser() async throws {
        try await AccountsWorld.run { world in
            let op = try await world.makePlatformUser(.operator, "ann_bench", phone: "13700000033")
            let alice = try await world.register("enterprise", "ann_alice", phone: "13800000632")
            let bob = try await world.register("enterprise", "ann_bob", phone: "13800000633")
            let provider = try await world.register("provider", "ann_provider", phone: "13800000634")
            let forAll = try await Self.published(world, op, Self.draft("全体通知"))
            world.clock.advance(seconds: 1)
            let forEnterprises = try await Self.published(world, op, Self.draft("企业通知", audience: "enterprises"))
            world.clock.advance(seconds: 1)
            let forProviders = try await Self.published(world, op, Self.draft("服务商通知", audience: "providers"))

            let aliceList = try await world.call(.get, "/v1/announcements", token: alice)
            #expect(aliceList.status == .ok, "\(aliceList.json)")
            #expect(aliceList.items.map { $0["id"] as? String } == [forEnterprises, forAll])
            #expect(aliceList.json["unread"] as? Int == 2)
            #expect(aliceList.items.allSatisfy { $0["read"] as? Bool == false })
            let providerList = try await world.call(.get, "/v1/announcements", token: provider)
            #expect(providerList.items.map { $0["id"] as? String } == [forProviders, forAll])
            let other = try await world.call(.get, "/v1/announcements/\(forProviders)", token: alice)
            #expect(other.status == .notFound && other.code == "announcement_not_found", "\(other.json)")
            #expect(try await world.call(.post, "/v1/announcements/\(forProviders)/read", token: alice).status == .notFound)

            let opened = try await world.call(.get, "/v1/announcements/\(forEnterprises)", token: alice)
            #expect(opened.status == .ok && opened.json["read"] as? Bool == true, "\(opened.json)")
            #expect(try await world.call(.post, "/v1/announcements/\(forAll)/read", token: alice).status == .noContent)
            #expect(try await world.call(.post, "/v1/announcements/\(forAll)/read", token: alice).status == .noContent)
            let aliceAfter = try await world.call(.get, "/v1/announcements", token: alice)
            #expect(aliceAfter.json["unread"] as? Int == 0)
            #expect(aliceAfter.items.allSatisfy { $0["read"] as? Bool == true })
            let bobList = try await world.call(.get, "/v1/announcements?unread=true", token: bob)
            #expect(bobList.json["unread"] as? Int == 2)
            #expect(bobList.items.map { $0["id"] as? String } == [forEnterprises, forAll])
            #expect(try await world.call(.get, "/v1/announcements?unread=true", token: alice).json["total"] as? Int == 0)
            #expect(try await world.call(.get, "/v1/announcements?unread=maybe", token: alice).code == "filter_invalid")
            #expect(try await world.call(.get, "/v1/announcements").code == "unauthenticated")
        }
    }

    /// Proves bad input is a 4xx problem with a stable code and changes nothing: an empty or
    /// over-long title, empty content, an unknown category or audience, a field of the wrong
    /// type, a bad publishAt, editing or publishing a published announcement, withdrawing a
    /// draft, an unknown id; writes by anyone but an operator are 403 and without a token 401.
    @Test func badInputIsRefusedAndChangesNothing() async throws {
        try await AccountsWorld.run { world in
            let op = try await world.makePlatformUser(.operator, "ann_strict", phone: "13700000034")
            let auditor = try await world.makePlatformUser(.auditor, "ann_auditor", phone: "13700000035")
            let enterprise = try await world.register("enterprise", "ann_writer", phone: "13800000635")
            let published = try await Self.published(world, op, Self.draft("已发布"))
            let draft = try await world.call(.post, "/v1/platform/announcements", json: Self.draft("草稿"), token: op).string("id") ?? ""
            let before = try await Self.rowCount(world)

            var wrongType = Self.draft("类型")
            wrongType["title"] = 5
            var missing = Self.draft("缺少")
            missing["audience"] = nil
            let bodies: [([String: Any], String)] = [
                (Self.draft("   "), "announcement_title_empty"),
                (Self.draft(String(repeating: "长", count: 101)), "announcement_title_too_long"),
                (["title": "t", "content": " ", "category": "notice", "audience": "all"], "announcement_content_empty"),
                (Self.draft("类别", category: "tax"), "announcement_category_invalid"),
                (Self.draft("受众", audience: "experts"), "announcement_audience_invalid"),
                (wrongType, "body_invalid"), (missing, "body_invalid"),
            ]
            for (body, code) in bodies {
                let created = try await world.call(.post, "/v1/platform/announcements", json: body, token: op)
                #expect(created.status == .badRequest && created.code == code, "\(code): \(created.json)")
                let edited = try await world.call(.put, "/v1/platform/announcements/\(draft)", json: body, token: op)
                #expect(edited.status == .badRequest && edited.code == code, "\(code): \(edited.json)")
                #expect(created.headers[.contentType] == "application/problem+json")
            }
            let conflicts: [(HTTPRequest.Method, String, [String: Any]?)] = [
                (.put, "/v1/platform/announcements/\(published)", Self.draft("改已发布")),
                (.post, "/v1/platform/announcements/\(published)/publish", [:]),
                (.post, "/v1/platform/announcements/\(draft)/withdraw", nil),
            ]
            for (method, path, body) in conflicts {
                let refused = try await world.call(method, path, json: body, token: op)
                #expect(refused.status == .conflict && refused.code == "announcement_state_conflict", "\(path): \(refused.json)")
            }
            let badTime = try await world.call(
                .post, "/v1/platform/announcements/\(draft)/publish", json: ["publishAt": "tomorrow"], token: op)
            #expect(badTime.status == .badRequest && badTime.code == "time_invalid", "\(badTime.json)")
            let unknown = try await world.call(.post, "/v1/platform/announcements/ann_00000000000000000000000000/withdraw", token: op)
            #expect(unknown.status == .notFound && unknown.code == "announcement_not_found")
            #expect(try await world.call(.get, "/v1/platform/announcements?state=gone", token: op).code == "filter_invalid")

            for token in [enterprise, auditor] {
                let refused = try await world.call(.post, "/v1/platform/announcements", json: Self.draft("越权"), token: token)
                #expect(refused.status == .forbidden && refused.code == "role_forbidden", "\(refused.json)")
                let withdraw = try await world.call(.post, "/v1/platform/announcements/\(published)/withdraw", token: token)
                #expect(withdraw.status == .forbidden)
                #expect(try await world.call(.get, "/v1/platform/announcements", token: token).status == .forbidden)
            }
            let anonymous = try await world.call(.post, "/v1/platform/announcements", json: Self.draft("匿名"))
            #expect(anonymous.status == .unauthorized)
            #expect(try await Self.rowCount(world) == before, "a refused request changed nothing")
        }
    }
}
