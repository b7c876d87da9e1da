import Foundation
import Logging
import PostgresNIO
import TestSupport
import Testing

@testable import PostgresStore

/// Migration 0014 on a database holding registrations saved before it (issue 15, item 4).
@Suite struct EnterpriseGroupsMigrationTests {
    /// Proves migration 0014 moves the groups that registrations kept in `details.extra` under
    /// their Chinese names into `details.groups` by code, keeps other `extra` fields and a group
    /// already in `groups`, removes an emptied `extra`, and leaves drafts without `extra` as they were.
    @Test func oldExtraGroupsMoveIntoTypedGroups() async throws {
        try await TestDatabase.with(migrated: false) { client, _ in
            let all = try Migrator.bundled()
            try await Migrator(client: client, logger: TestEnvironment.logger, migrations: all.filter { $0.version < 14 }).apply()
            let rows: [(String, String)] = [
                ("org_old1", #"{"name": "甲", "extra": {"运营": {"营业收入": "5000万"}, "人员": {"研发人员": 20}}}"#),
                ("org_old2", #"{"name": "乙", "extra": {"上市板块": "创业板", "创新研发": {"专利数": 3}, "生产": "不适用"}}"#),
                ("org_old3", #"{"name": "丙", "groups": {"operations": {"keptCount": 1}}, "extra": {"运营": {"营业收入": "1亿"}}}"#),
                ("org_old4", #"{"name": "丁", "industry": "制造业"}"#),
            ]
            for (id, details) in rows {
                try await client.query("INSERT INTO organisations (id, kind, name, certification) VALUES (\(id), 'enterprise', \(id), 'draft')")
                try await client.query("INSERT INTO organisation_profiles (org_id, details) VALUES (\(id), \(details)::jsonb)")
            }
            // Up to 0014 only: 0020 goes on to type the 企业背景 labels left in `extra` (its own test).
            let applied = try await Migrator(client: client, logger: TestEnvironment.logger, migrations: all.filter { $0.version <= 14 }).apply()
            #expect(applied.map(\.version) == [14])

            var after: [String: [String: Any]] = [:]
            for try await (id, text) in try await client.query("SELECT org_id, details::text FROM organisation_profiles").decode(
                (String, String).self)
            {
                after[id] = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
            }
            let first = try #require(after["org_old1"])
            #expect(first["extra"] == nil)
            let firstGroups = try #require(first["groups"] as? [String: [String: Any]])
            #expect(firstGroups["operations"]?["营业收入"] as? String == "5000万")
            #expect(firstGroups["personnel"]?["研发人员"] as? Int == 20)
            #expect(first["name"] as? String == "甲")

            let second = try #require(after["org_old2"])
            #expect((second["groups"] as? [String: [String: Any]])?["innovation"]?["专利数"] as? Int == 3)
            let secondExtra = try #require(second["extra"] as? [String: Any])
            #expect(secondExtra["上市板块"] as? String == "创业板")
            #expect(secondExtra["生产"] as? String == "不适用", "a group that is not an object stays in extra")
            #expect(secondExtra["创新研发"] == nil)

            let third = try #require(after["org_old3"])
            #expect((third["groups"] as? [String: [String: Any]])?["operations"]?["keptCount"] as? Int == 1)
            #expect(third["extra"] == nil)

            let fourth = try #require(after["org_old4"])
            #expect(fourth.count == 2 && fourth["groups"] == nil && fourth["extra"] == nil)
        }
    }
}
