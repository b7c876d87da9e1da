import Foundation
import Logging
import PostgresNIO
import VoucherCore

/// One numbered SQL file of `Sources/PostgresStore/Migrations` (`0001_name.sql`).
public struct Migration: Sendable, Equatable {
    public let version: Int
    public let name: String
    public let sql: String
    /// FNV-1a of the file, so that editing an applied migration is caught instead of ignored.
    public let checksum: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
        self.checksum = Migration.fnv1a64(sql)
    }

    static func fnv1a64(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}

/// Whether each known migration has been applied, for `voucherctl migrate --status`.
public struct MigrationStatus: Sendable, Equatable {
    public let version: Int
    public let name: String
    public let appliedAt: Date?
}

/// Why migrating stopped; each says what to do.
public enum MigrationError: Error, CustomStringConvertible {
    case badFileName(String)
    case duplicateVersion(Int)
    case checksumChanged(version: Int, name: String)
    case unknownAppliedVersion(Int)
    case missingBundle

    public var description: String {
        switch self {
        case .badFileName(let name):
            return "migration file \(name) must be named NNNN_description.sql"
        case .duplicateVersion(let version):
            return "two migration files share the version \(version); renumber one"
        case .checksumChanged(let version, let name):
            return "migration \(version) (\(name)) was edited after it was applied; add a new migration instead"
        case .unknownAppliedVersion(let version):
            return "the database has migration \(version) applied, which this build does not know; run a newer build"
        case .missingBundle:
            return "the migrations folder is missing from the PostgresStore resource bundle"
        }
    }
}

/// Applies the numbered SQL migrations in order, each in its own transaction, recorded in
/// `schema_migrations`. An advisory lock keeps two servers starting at once from racing.
public struct Migrator: Sendable {
    /// Arbitrary constant naming our advisory lock.
    static let advisoryLockKey: Int64 = 0x766f_7563_6865_72  // "voucher"

    let client: PostgresClient
    let logger: Logger
    public let migrations: [Migration]

    public init(client: PostgresClient, logger: Logger, migrations: [Migration]? = nil) throws {
        self.client = client
        self.logger = logger
        self.migrations = try migrations ?? Migrator.bundled()
    }

    /// The migrations shipped in this build, sorted by version.
    public static func bundled() throws -> [Migration] {
        guard let folder = Bundle.module.url(forResource: "Migrations", withExtension: nil) else {
            throw MigrationError.missingBundle
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".sql") }
        var result: [Migration] = []
        for name in names {
            guard let underscore = name.firstIndex(of: "_"), let version = Int(name[..<underscore]) else {
                throw MigrationError.badFileName(name)
            }
            let sql = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            result.append(Migration(version: version, name: String(name.dropLast(4)), sql: sql))
        }
        result.sort { $0.version < $1.version }
        for (a, b) in zip(result, result.dropFirst()) where a.version == b.version {
            throw MigrationError.duplicateVersion(a.version)
        }
        return result
    }

    /// Applies what is pending and returns it; applying twice changes nothing the second time.
    @discardableResult
    public func apply() async throws -> [Migration] {
        try await client.withConnection { connection in
            try await connection.query("SELECT pg_advisory_lock(\(Migrator.advisoryLockKey))", logger: logger)
            do {
                let applied = try await prepare(connection)
                var done: [Migration] = []
                for migration in migrations where applied[migration.version] == nil {
                    try await connection.withTransaction(logger: logger) { tx in
                        for statement in SQLScript.statements(migration.sql) {
                            try await tx.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                        }
                        try await tx.query(
                            """
                            INSERT INTO schema_migrations (version, name, checksum)
                            VALUES (\(migration.version), \(migration.name), \(migration.checksum))
                            """,
                            logger: logger)
                    }
                    logger.info("migration.applied", metadata: ["migration.version": "\(migration.version)", "migration.name": "\(migration.name)"])
                    done.append(migration)
                }
                try await connection.query("SELECT pg_advisory_unlock(\(Migrator.advisoryLockKey))", logger: logger)
                return done
            } catch {
                _ = try? await connection.query("SELECT pg_advisory_unlock(\(Migrator.advisoryLockKey))", logger: logger)
                throw error
            }
        }
    }

    /// Every known migration with the time it was applied, or nil while pending.
    public func status() async throws -> [MigrationStatus] {
        try await client.withConnection { connection in
            let applied = try await prepare(connection)
            return migrations.map { MigrationStatus(version: $0.version, name: $0.name, appliedAt: applied[$0.version]?.appliedAt) }
        }
    }

    /// Creates the bookkeeping table if needed, reads it, and checks it against this build.
    private func prepare(_ connection: PostgresConnection) async throws -> [Int: (checksum: String, appliedAt: Date)] {
        try await connection.query(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    integer PRIMARY KEY,
                name       text NOT NULL,
                checksum   text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """, logger: logger)
        var applied: [Int: (checksum: String, appliedAt: Date)] = [:]
        let rows = try await connection.query("SELECT version, checksum, applied_at FROM schema_migrations", logger: logger)
        for try await (version, checksum, appliedAt) in rows.decode((Int, String, Date).self) {
            applied[version] = (checksum, appliedAt)
        }
        let known = Dictionary(uniqueKeysWithValues: migrations.map { ($0.version, $0) })
        for (version, record) in applied {
            guard let migration = known[version] else { throw MigrationError.unknownAppliedVersion(version) }
            guard migration.checksum == record.checksum else {
                throw MigrationError.checksumChanged(version: version, name: migration.name)
            }
        }
        return applied
    }
}
