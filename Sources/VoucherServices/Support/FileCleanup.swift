import Foundation
import Logging
import PostgresStore
import VoucherCore

/// Deletes from disk what an upload replaced (a re-uploaded licence) or a refusal left behind
/// (the archive of a rejected or withdrawn redemption batch), once nothing refers to it. Runs
/// after the change committed; a failure is logged and leaves the file, it never fails the request.
package struct FileCleanup: Sendable {
    package let files: any FileStore
    package let references: StoredFileReferences
    package let logger: Logger

    package init(files: any FileStore, references: StoredFileReferences, logger: Logger) {
        self.files = files
        self.references = references
        self.logger = logger
    }

    package func deleteIfUnreferenced(_ sha256: String?) async {
        guard let sha256 else { return }
        do {
            if try await !references.isReferenced(sha256) { try await files.delete(sha256: sha256) }
        } catch {
            logger.warning("files.cleanup_failed", metadata: ["file.sha256": "\(sha256)", "error": "\(String(reflecting: error))"])
        }
    }

    /// After a batch ended refused: its archive, unless another live batch holds the same bytes.
    package func batchEnded(_ batchID: String) async {
        await deleteIfUnreferenced(try? await references.batchArchive(batchID: batchID))
    }
}
