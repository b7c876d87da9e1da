import Foundation
import Logging
import PostgresNIO

/// Which stored files (kept by content hash) something still points at, so that replaced and
/// refused uploads can be deleted from disk (issue 20, item 10). The same bytes may be uploaded
/// by two organisations, so a file goes only when nothing at all refers to it.
public struct StoredFileReferences: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// True while a licence, a payment proof, a redemption file, a listing upload, an expert photo, or a batch that is not rejected
    /// refers to `sha256`.
    public func isReferenced(_ sha256: String) async throws -> Bool {
        let rows = try await client.query(
            """
            SELECT EXISTS (SELECT 1 FROM organisation_profiles WHERE licence_sha256 = \(sha256))
                OR EXISTS (SELECT 1 FROM payment_proofs WHERE sha256 = \(sha256))
                OR EXISTS (SELECT 1 FROM redemption_files WHERE sha256 = \(sha256))
                OR EXISTS (SELECT 1 FROM product_files WHERE sha256 = \(sha256))
                OR EXISTS (SELECT 1 FROM expert_photos WHERE sha256 = \(sha256))
                OR EXISTS (SELECT 1 FROM redemption_batches WHERE material_sha256 = \(sha256) AND state <> 'rejected')
                OR EXISTS (SELECT 1 FROM batch_files f JOIN redemption_batches b ON b.id = f.batch_id
                           WHERE f.sha256 = \(sha256) AND b.state <> 'rejected')
            """, logger: logger)
        for try await referenced in rows.decode(Bool.self) { return referenced }
        return false
    }

    /// What `orgID` keeps stored: the bytes of the distinct files its rows refer to (its licence,
    /// its orders' payment proofs, the archives and cited materials of its batches that are not
    /// rejected, its uploaded redemption materials), and whether `sha256` is one of them (storing
    /// those bytes again costs nothing). `withoutLicence` leaves the licence out, for an upload
    /// that replaces it. Each file counts once however many rows refer to it.
    public func stored(orgID: String, sha256: String, withoutLicence: Bool) async throws -> (bytes: Int64, holds: Bool) {
        let rows = try await client.query(
            """
            WITH held (sha256, size_bytes) AS (
                SELECT f.sha256, f.size_bytes FROM organisation_profiles p JOIN stored_files f ON f.sha256 = p.licence_sha256
                WHERE p.org_id = \(orgID) AND NOT \(withoutLicence)
                UNION ALL
                SELECT pp.sha256, pp.size_bytes FROM payment_proofs pp JOIN orders o ON o.id = pp.order_id WHERE o.org_id = \(orgID)
                UNION ALL
                SELECT material_sha256, material_size_bytes FROM redemption_batches
                WHERE org_id = \(orgID) AND material_sha256 IS NOT NULL AND state <> 'rejected'
                UNION ALL
                SELECT sha256, size_bytes FROM redemption_files WHERE org_id = \(orgID)
                UNION ALL
                SELECT f.sha256, f.size_bytes FROM batch_files f JOIN redemption_batches b ON b.id = f.batch_id
                WHERE b.org_id = \(orgID) AND b.state <> 'rejected'
                UNION ALL
                SELECT sha256, size_bytes FROM product_files WHERE org_id = \(orgID)
                UNION ALL
                SELECT sha256, size_bytes FROM expert_photos WHERE org_id = \(orgID)
            ), files AS (
                SELECT sha256, max(size_bytes)::int8 AS size_bytes FROM held GROUP BY sha256
            )
            SELECT coalesce(sum(size_bytes), 0)::int8, coalesce(bool_or(sha256 = \(sha256)), false) FROM files
            """, logger: logger)
        for try await (bytes, holds) in rows.decode((Int64, Bool).self) { return (bytes, holds) }
        return (0, false)
    }

    /// The licence an organisation holds now, if any.
    public func licence(orgID: String) async throws -> String? {
        let rows = try await client.query("SELECT licence_sha256 FROM organisation_profiles WHERE org_id = \(orgID)", logger: logger)
        for try await sha in rows.decode(String?.self) { return sha }
        return nil
    }

    /// The materials archive of a diagnostic batch (nil for general batches).
    public func batchArchive(batchID: String) async throws -> String? {
        let rows = try await client.query("SELECT material_sha256 FROM redemption_batches WHERE id = \(batchID)", logger: logger)
        for try await sha in rows.decode(String?.self) { return sha }
        return nil
    }
}
