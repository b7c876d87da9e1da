import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import TestSupport
import Testing
import VoucherServices

/// The bytes one organisation keeps stored are bounded by `data.orgStoredBytesMax` (issue 20,
/// item 10), counted from what the database refers to, and checked before anything is written.
@Suite struct StorageQuotaTests {
    /// A PNG (by its signature) of `count` bytes; `tag` makes its content its own.
    static func png(_ count: Int, tag: UInt8) -> [UInt8] { Array(Files.png.prefix(8)) + [UInt8](repeating: tag, count: count - 8) }

    /// Proves the configured bound through the whole application: with 1000 bytes, a material
    /// that would pass it is 413 storage_quota_exceeded with a sentence naming the bytes kept, and
    /// neither the disk nor the database gains anything; bytes already kept cost nothing again;
    /// a new licence counts in place of the one it replaces (which leaves the disk), and a licence
    /// too large for what is left is refused while the current one stays.
    @Test func uploadsPastTheBoundAreRefusedAndWriteNothing() async throws {
        let folder = TestEnvironment.stateDirectory + "/quota-files-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await RushWorld.with(overrides: ["data.orgStoredBytesMax": "1000", "data.dir": folder]) { world in
            let org = "org_quota"
            try await world.postgres.query(
                "INSERT INTO organisations (id, kind, name, certification) VALUES (\(org), 'provider', '存储服务商', 'draft')")
            try await world.postgres.query(
                """
                INSERT INTO users (id, org_id, username, password_hash, role, is_main)
                VALUES ('usr_org_quota', \(org), 'quota_provider', 'x', 'provider', true)
                """)
            let token = try await world.token(org: org, role: .provider, certified: false)
            let files = LocalDiskFileStore(root: folder)
            @Sendable func materials() async throws -> Int {
                let rows = try await world.postgres.query("SELECT count(*)::int FROM redemption_files WHERE org_id = \(org)")
                for try await count in rows.decode(Int.self) { return count }
                return -1
            }
            try await (try await world.app()).test(.router) { client in
                let licence = Self.png(600, tag: 1)
                let first = try await client.call(.put, "/v1/registrations/me/licence", token: token, raw: licence)
                #expect(first.status == .ok, "\(first.json)")
                let material = Self.png(300, tag: 2)
                #expect(try await client.call(.post, "/v1/redemption/materials", token: token, raw: material).status == .created)

                let over = Self.png(300, tag: 3)
                let refused = try await client.call(.post, "/v1/redemption/materials", token: token, raw: over)
                #expect(refused.status == .contentTooLarge)
                #expect(refused.headers[.contentType] == "application/problem+json")
                #expect(refused.code == "storage_quota_exceeded")
                let detail = refused.string("detail") ?? ""
                #expect(detail.contains("900 bytes") && detail.contains("1000 bytes") && detail.contains("withdraw"), "\(detail)")
                #expect(try await files.read(sha256: Secrets.sha256Hex(over)) == nil, "a refused upload writes nothing to disk")
                #expect(try await materials() == 1, "nor to the database")

                let again = try await client.call(.post, "/v1/redemption/materials", token: token, raw: material)
                #expect(again.status == .created, "bytes already kept cost nothing: \(again.json)")

                let replacement = Self.png(650, tag: 4)
                let replaced = try await client.call(.put, "/v1/registrations/me/licence", token: token, raw: replacement)
                #expect(replaced.status == .ok, "300 + 650 fit once the old licence is not counted: \(replaced.json)")
                #expect(try await files.read(sha256: Secrets.sha256Hex(licence)) == nil, "the replaced licence left the disk")

                let larger = Self.png(800, tag: 5)
                let tooLarge = try await client.call(.put, "/v1/registrations/me/licence", token: token, raw: larger)
                #expect(tooLarge.status == .contentTooLarge)
                #expect(tooLarge.code == "storage_quota_exceeded")
                #expect(try await files.read(sha256: Secrets.sha256Hex(larger)) == nil)
                #expect(try await files.read(sha256: Secrets.sha256Hex(replacement)) != nil, "the current licence stays")
                let current = try await client.call(.get, "/v1/registrations/me", token: token)
                #expect("\(current.json)".contains(Secrets.sha256Hex(replacement)), "\(current.json)")
            }
        }
    }

    /// Proves listing uploads, streamed, count against the same bound: with 1000 bytes a 600-byte
    /// display image is stored, a second distinct one is 413 storage_quota_exceeded and left
    /// neither on disk nor in product_files, and the first one sent again costs nothing.
    @Test func listingUploadsCountAgainstTheBound() async throws {
        let folder = TestEnvironment.stateDirectory + "/quota-files-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await RushWorld.with(overrides: ["data.orgStoredBytesMax": "1000", "data.dir": folder]) { world in
            let org = "org_quota_listing"
            try await world.postgres.query(
                "INSERT INTO organisations (id, kind, name, certification) VALUES (\(org), 'provider', '方案服务商', 'certified')")
            try await world.postgres.query(
                """
                INSERT INTO users (id, org_id, username, password_hash, role, is_main)
                VALUES ('usr_org_quota_listing', \(org), 'quota_listing', 'x', 'provider', true)
                """)
            let token = try await world.token(org: org, role: .provider)
            let files = LocalDiskFileStore(root: folder)
            @Sendable func listingFiles() async throws -> Int {
                let rows = try await world.postgres.query("SELECT count(*)::int FROM product_files WHERE org_id = \(org)")
                for try await count in rows.decode(Int.self) { return count }
                return -1
            }
            try await (try await world.app()).test(.router) { client in
                let path = "/v1/provider/product-files?kind=image"
                let first = Self.png(600, tag: 1)
                let stored = try await client.call(.post, path, token: token, raw: first)
                #expect(stored.status == .created, "\(stored.json)")
                let second = Self.png(600, tag: 2)
                let refused = try await client.call(.post, path, token: token, raw: second)
                #expect(refused.status == .contentTooLarge && refused.code == "storage_quota_exceeded", "\(refused.json)")
                #expect(try await files.read(sha256: Secrets.sha256Hex(second)) == nil, "a refused upload leaves nothing on disk")
                #expect(try await listingFiles() == 1, "nor in the database")
                #expect(try await client.call(.post, path, token: token, raw: first).status == .created, "bytes already kept cost nothing")
            }
        }
    }
}
