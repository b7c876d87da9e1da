import API
import Foundation
import HTTPTypes
import PostgresStore
import TestSupport
import Testing
import VoucherServices

/// The workbench summary (工作台, guide §1.4.1 / §2.4.1) over HTTP against real PostgreSQL.
@Suite("Workbench")
struct WorkbenchTests {
    /// Proves the workbench answers each reader their role, account and the organisation's
    /// certification, the 待办 counts of their own inbox (the provider's pending batch under 我的申请,
    /// the auditor's stage under 待我审批) and the latest announcements of their audience with the
    /// unread count (a providers-only one reaches no enterprise); without a token it is 401.
    @Test func workbenchSummarisesRoleInboxAndAnnouncements() async throws {
        try await RedemptionWorld.run { world in
            let usages = try await world.completedUsages(pricesFen: [1_000_000])
            let filed = try await world.submit(usages, payee: try await world.payeeAccount())
            #expect(filed.status == .created, "\(filed.json)")
            let op = try await world.platformToken(.operator)
            let created = try await world.call(
                .post, "/v1/platform/announcements", token: op,
                json: ["title": "兑付材料要求", "content": "请打包上传。", "category": "notice", "audience": "providers"])
            let announcement = try #require(created.string("id"), "\(created.json)")
            #expect(try await world.call(.post, "/v1/platform/announcements/\(announcement)/publish", token: op, json: [:]).status == .ok)

            let provider = try await world.call(.get, "/v1/workbench", token: try await world.providerToken())
            #expect(provider.status == .ok, "\(provider.json)")
            #expect(provider.string("role") == "provider")
            #expect(provider.json["mainAccount"] as? Bool == true)
            let organisation = try #require(provider.json["organisation"] as? [String: Any])
            #expect(organisation["name"] as? String == RedemptionWorld.providerName)
            #expect(organisation["certification"] as? String == "certified")
            let inbox = try #require(provider.json["inbox"] as? [String: Any])
            #expect(inbox["minePending"] as? Int == 1)
            #expect(inbox["waiting"] as? Int == 0)
            let news = try #require(provider.json["announcements"] as? [String: Any])
            #expect(news["unread"] as? Int == 1)
            #expect((news["latest"] as? [[String: Any]])?.first?["id"] as? String == announcement)

            let auditor = try await world.call(.get, "/v1/workbench", token: try await world.platformToken(.auditor))
            #expect((auditor.json["inbox"] as? [String: Any])?["waiting"] as? Int == 1, "\(auditor.json)")
            #expect((auditor.json["organisation"] as? [String: Any])?["kind"] as? String == "platform")

            let enterprise = try await world.call(.get, "/v1/workbench", token: try await world.token("ent_x"))
            #expect(enterprise.string("role") == "enterprise")
            let enterpriseNews = try #require(enterprise.json["announcements"] as? [String: Any])
            #expect(enterpriseNews["unread"] as? Int == 0)
            #expect((enterpriseNews["latest"] as? [Any])?.isEmpty == true)

            let anonymous = try await world.call(.get, "/v1/workbench", token: nil)
            #expect(anonymous.status == .unauthorized)
        }
    }
}
