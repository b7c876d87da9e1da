import Foundation
import Logging
import PostgresNIO
import TestSupport
import Testing
import VoucherCore

@testable import PostgresStore

/// Migration 0017 on a database holding data from before it (issue 15, item 5).
@Suite struct SmallPagesMigrationTests {
    /// Proves migration 0017 gives a voucher application still pending its inbox item (an id of the
    /// OpaqueID shape, the campaign's name in the title, the applicant's name, one operator stage)
    /// and none to a decided one, and starts existing payee accounts at version 1 with no history.
    @Test func pendingApplicationsGetInboxItemsAndAccountsStartAtVersionOne() async throws {
        try await TestDatabase.with(migrated: false) { client, _ in
            let all = try Migrator.bundled()
            try await Migrator(client: client, logger: TestEnvironment.logger, migrations: all.filter { $0.version < 17 }).apply()
            try await client.query(
                """
                INSERT INTO organisations (id, kind, name, certification) VALUES
                    ('org_plat', 'platform', 'Platform', 'certified'), ('org_ent', 'enterprise', '甲企业', 'certified'),
                    ('org_prov', 'provider', '乙服务商', 'certified')
                """)
            try await client.query(
                """
                INSERT INTO users (id, org_id, username, password_hash, role, is_main) VALUES
                    ('usr_op', 'org_plat', 'operator', 'x', 'operator', true), ('usr_ent', 'org_ent', 'ent_main', 'x', 'enterprise', true)
                """)
            try await client.query(
                """
                INSERT INTO campaigns (id, name, starts_at, ends_at, status, created_by)
                VALUES ('cmp_old', '诊断服务券', now() - interval '1 day', now() + interval '30 days', 'published', 'usr_op')
                """)
            for lot in ["lot_a", "lot_b"] {
                try await client.query(
                    """
                    INSERT INTO lots (id, campaign_id, position, kind, direction, face_value_fen, stock, per_enterprise_limit, mode, validity_days)
                    VALUES (\(lot), 'cmp_old', (SELECT count(*)::int FROM lots), 'diagnostic', NULL, 100000, 10, 1, 'apply', 90)
                    """)
            }
            try await client.query(
                """
                INSERT INTO voucher_applications (id, lot_id, org_id, applicant, status, reason) VALUES
                    ('vap_pending', 'lot_a', 'org_ent', 'usr_ent', 'pending', NULL),
                    ('vap_rejected', 'lot_b', 'org_ent', 'usr_ent', 'rejected', '不符合')
                """)
            try await client.query(
                """
                INSERT INTO payee_accounts (id, org_id, bank, account_name, account_number, created_at)
                VALUES ('pay_old', 'org_prov', 'ABC', '乙服务商', '6228480402564890018', now())
                """)

            let applied = try await Migrator(client: client, logger: TestEnvironment.logger, migrations: all).apply()
            #expect(applied.map(\.version).contains(17))

            var items: [(String, String, String, String, String, [String])] = []
            for try await row in try await client.query(
                """
                SELECT id, type, title, applicant_name, subject_id, stage_roles FROM approval_applications WHERE status = 'pending'
                """
            ).decode((String, String, String, String, String, [String]).self) {
                items.append(row)
            }
            #expect(items.count == 1)
            let (id, type, title, applicant, subject, stages) = try #require(items.first)
            #expect(OpaqueID.isWellFormed(id, prefix: ApprovalsRepository.idPrefix), "\(id)")
            #expect(type == VoucherApplicationEffect.type && subject == "vap_pending" && stages == ["operator"])
            #expect(title.contains("诊断服务券") && applicant == "ent_main")
            for try await (version, history) in try await client.query(
                "SELECT version, (SELECT count(*)::int FROM payee_account_history) FROM payee_accounts WHERE id = 'pay_old'"
            ).decode((Int, Int).self) {
                #expect(version == 1 && history == 0)
            }
        }
    }
}
