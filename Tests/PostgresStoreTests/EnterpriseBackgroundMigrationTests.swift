import Foundation
import Logging
import PostgresNIO
import TestSupport
import Testing

@testable import PostgresStore

/// Migration 0020 on a database holding registrations saved before it (issue 15, item 4).
@Suite struct EnterpriseBackgroundMigrationTests {
    /// Proves migration 0020 turns the 企业背景 fields that drafts kept in `details.extra` under
    /// their Chinese labels into typed fields (choices as codes, 是/否 as booleans, digits as whole
    /// numbers, dates kept), keeps a typed field already set, leaves values that do not convert in
    /// `extra`, turns a free-text registrationType label into its code and moves one that is no
    /// choice into `extra`, and leaves a draft without any of these as it was.
    @Test func oldExtraBackgroundFieldsBecomeTypedFields() async throws {
        try await TestDatabase.with(migrated: false) { client, _ in
            let all = try Migrator.bundled()
            try await Migrator(client: client, logger: TestEnvironment.logger, migrations: all.filter { $0.version < 20 }).apply()
            let rows: [(String, String)] = [
                (
                    "org_bg1",
                    #"{"name": "甲", "registrationType": "有限责任公司", "extra": {"上市板块": "创业板", "是否有上市计划": "否", "#
                        + #""3年内有交易的企业客户数量": "40", "通过高新技术企业认定时间": "2021-11-30", "是否为高新技术企业": true, "#
                        + #""近三年获取政策补助的级别范围": "市级", "备注": "保留"}}"#
                ),
                (
                    "org_bg2",
                    #"{"name": "乙", "registrationType": "合伙企业", "taxCreditRating": "A", "coreProduct": "已填", "#
                        + #""extra": {"核心产品名称": "旧值", "上市板块": "纳斯达克", "计划上市时间": "2019-02-30", "员工总数(人)": 12.5}}"#
                ),
                ("org_bg3", #"{"name": "丙", "industry": "制造业"}"#),
            ]
            for (id, details) in rows {
                try await client.query("INSERT INTO organisations (id, kind, name, certification) VALUES (\(id), 'enterprise', \(id), 'draft')")
                try await client.query("INSERT INTO organisation_profiles (org_id, details) VALUES (\(id), \(details)::jsonb)")
            }
            let applied = try await Migrator(client: client, logger: TestEnvironment.logger, migrations: all).apply()
            #expect(applied.map(\.version).contains(20))

            var after: [String: [String: Any]] = [:]
            for try await (id, text) in try await client.query("SELECT org_id, details::text FROM organisation_profiles").decode(
                (String, String).self)
            {
                after[id] = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
            }
            let first = try #require(after["org_bg1"])
            #expect(first["registrationType"] as? String == "limited_liability")
            #expect(first["listingBoard"] as? String == "chinext")
            #expect(first["listingPlanned"] as? Bool == false)
            #expect(first["enterpriseCustomersIn3Years"] as? Int == 40)
            #expect(first["highTechCertifiedOn"] as? String == "2021-11-30")
            #expect(first["highTech"] as? Bool == true)
            #expect(first["subsidyLevel"] as? String == "municipal")
            #expect(first["extra"] as? [String: String] == ["备注": "保留"])

            let second = try #require(after["org_bg2"])
            #expect(second["registrationType"] == nil)
            #expect(second["taxCreditRating"] as? String == "A")
            #expect(second["coreProduct"] as? String == "已填", "a typed field already set is kept")
            let extra = try #require(second["extra"] as? [String: Any])
            #expect(extra["企业登记注册类型"] as? String == "合伙企业")
            #expect(extra["上市板块"] as? String == "纳斯达克")
            #expect(extra["计划上市时间"] as? String == "2019-02-30")
            #expect(extra["员工总数(人)"] as? Double == 12.5)
            #expect(extra["核心产品名称"] == nil)
            #expect(second["listingBoard"] == nil && second["plannedListingOn"] == nil && second["employeeCount"] == nil)

            let third = try #require(after["org_bg3"])
            #expect(third.count == 2 && third["extra"] == nil)
        }
    }
}
