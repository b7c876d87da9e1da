import Logging
import PostgresNIO
import TestSupport
import Testing

@testable import PostgresStore

@Suite struct MigratorTests {
    @Test func applyingTwiceChangesNothing() async throws {
        // Proves migrations are idempotent: the second run applies nothing and the schema is unchanged.
        try await TestDatabase.with(migrated: false) { client, _ in
            let migrator = try Migrator(client: client, logger: TestEnvironment.logger)
            let first = try await migrator.apply()
            #expect(first.count == migrator.migrations.count)
            let schemaBefore = try await schemaFingerprint(client)
            let second = try await migrator.apply()
            #expect(second.isEmpty)
            #expect(try await schemaFingerprint(client) == schemaBefore)
            let status = try await migrator.status()
            #expect(status.allSatisfy { $0.appliedAt != nil })
        }
    }

    @Test func statusListsPendingBeforeApplying() async throws {
        // Proves --status reports pending migrations without applying them.
        try await TestDatabase.with(migrated: false) { client, _ in
            let migrator = try Migrator(client: client, logger: TestEnvironment.logger)
            let status = try await migrator.status()
            #expect(status.count == migrator.migrations.count)
            #expect(status.allSatisfy { $0.appliedAt == nil })
        }
    }

    @Test func anEditedAppliedMigrationIsRefused() async throws {
        // Proves a migration changed after it was applied stops the migrator instead of being skipped.
        try await TestDatabase.with(migrated: false) { client, _ in
            let original = Migration(version: 9001, name: "9001_probe", sql: "CREATE TABLE probe (x int)")
            try await Migrator(client: client, logger: TestEnvironment.logger, migrations: [original]).apply()
            let edited = Migration(version: 9001, name: "9001_probe", sql: "CREATE TABLE probe (x bigint)")
            await #expect(throws: MigrationError.self) {
                try await Migrator(client: client, logger: TestEnvironment.logger, migrations: [edited]).apply()
            }
        }
    }

    @Test func aFailingMigrationLeavesNothingBehind() async throws {
        // Proves each migration runs in one transaction: a failure midway applies none of it.
        try await TestDatabase.with(migrated: false) { client, _ in
            let broken = Migration(version: 9002, name: "9002_broken", sql: "CREATE TABLE half (x int); SELECT no_such_column FROM half;")
            await #expect(throws: (any Error).self) {
                try await Migrator(client: client, logger: TestEnvironment.logger, migrations: [broken]).apply()
            }
            let rows = try await client.query("SELECT count(*)::int FROM pg_tables WHERE tablename = 'half'")
            var count = -1
            for try await (value) in rows.decode(Int.self) { count = value }
            #expect(count == 0)
        }
    }
}

/// Tables, columns and types of the public schema, as one comparable string.
private func schemaFingerprint(_ client: PostgresClient) async throws -> String {
    let rows = try await client.query(
        """
        SELECT table_name || '.' || column_name || ':' || data_type
        FROM information_schema.columns WHERE table_schema = 'public'
        ORDER BY table_name, ordinal_position
        """)
    var parts: [String] = []
    for try await (part) in rows.decode(String.self) { parts.append(part) }
    return parts.joined(separator: "\n")
}
