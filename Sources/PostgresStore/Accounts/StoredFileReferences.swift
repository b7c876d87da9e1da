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

    /// True while a licence, a payment proof, a redemption file, or a batch that is not rejected
    /// refers to `sha256`.
    public func isReferenced(_ sha256: String) async throws -> Bool {
        let rows = try await client.query(
            """
            SELECT EXISTS (SELECT 1 FROM organisation_profiles WHERE licence_sha256 = \(sha256))
                OR EXISTS (SELECT 1 FROM payment_proofs WHERE sha256 = \(sha256))
                OR EXISTS (SELECT 1 FROM redemption_files WHERE sha256 = \(sha256))
                OR EXISTS (SELECT 1 FROM redemption_batches WHERE material_sha256 = \(sha256) AND state <> 'rejected')
                OR EXISTS (SELECT 1 FROM batch_files f JOIN redemption_batches b ON b.id = f.batch_id
                           WHERE f.sha256 = \(sha256) AND b.state <> 'rejected')
            """, logger: logger)
        for try await referenced in rows.decode(Bool.self) { return referenced }
        return false
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
