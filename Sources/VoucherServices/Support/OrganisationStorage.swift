import Foundation
import Logging
import PostgresStore
import VoucherCore

/// Where an organisation's uploads are stored, within the bytes one organisation may keep
/// (`data.orgStoredBytesMax`, issue 20 item 10): the bound is checked against what the database
/// refers to before anything is written, so a refused upload changes nothing. Replaced and refused
/// files leave the disk through `FileCleanup`, which frees their bytes for the next upload.
///
/// The check is not a reservation: two uploads of one organisation at the same moment may both
/// pass it, so the bound can be passed by at most the files in flight (10 MB each; a listing
/// document, streamed, up to 100 MB).
public struct OrganisationStorage: Sendable {
    /// 200 MiB: twenty full-size uploads, far above what one organisation's licence, proofs and
    /// redemption files take, and small enough that a runaway client cannot fill the disk alone.
    public static let bytesMaxDefault = 200 << 20

    public let files: any FileStore
    package let references: StoredFileReferences
    public let bytesMax: Int

    public init(files: any FileStore, references: StoredFileReferences, bytesMax: Int) {
        precondition(bytesMax > 0, "the stored-bytes bound is positive")
        self.files = files
        self.references = references
        self.bytesMax = bytesMax
    }

    /// Stores `bytes` for `orgID` (by content, as `FileStore.store`) unless the organisation's
    /// stored files would then pass `bytesMax`: throws `StorageQuotaExceeded` and writes nothing.
    /// Bytes the organisation keeps already cost nothing again; `replacingLicence` leaves its
    /// current licence out of the count, since the upload takes its place.
    public func store(_ bytes: [UInt8], mediaType: String, orgID: String, replacingLicence: Bool = false) async throws -> StoredFile {
        let sha256 = Secrets.sha256Hex(bytes)
        if let refusal = try await refusal(orgID: orgID, sha256: sha256, sizeBytes: bytes.count, withoutLicence: replacingLicence) {
            throw refusal
        }
        return try await files.store(bytes, mediaType: mediaType)
    }

    /// Bounds a streamed upload, which cannot be counted before it arrives (its content decides
    /// whether it costs anything): once stored, a file that would take the organisation past
    /// `bytesMax` is deleted again (unless something else refers to it) and `StorageQuotaExceeded`
    /// thrown before anything refers to it. The disk holds it at most for that moment, within its
    /// kind's bound.
    public func admitStreamed(_ file: StoredFile, orgID: String) async throws {
        guard let refusal = try await refusal(orgID: orgID, sha256: file.sha256, sizeBytes: file.sizeBytes, withoutLicence: false) else {
            return
        }
        if try await !references.isReferenced(file.sha256) { try await files.delete(sha256: file.sha256) }
        throw refusal
    }

    /// The refusal of a file of `sizeBytes` with content `sha256` for `orgID`, or nil when it fits
    /// (or the organisation keeps those bytes already, so they cost nothing again).
    private func refusal(orgID: String, sha256: String, sizeBytes: Int, withoutLicence: Bool) async throws -> StorageQuotaExceeded? {
        let stored = try await references.stored(orgID: orgID, sha256: sha256, withoutLicence: withoutLicence)
        guard !stored.holds, stored.bytes + Int64(sizeBytes) > Int64(bytesMax) else { return nil }
        return StorageQuotaExceeded(usedBytes: stored.bytes, incomingBytes: sizeBytes, bytesMax: bytesMax)
    }
}

/// An upload refused because the organisation would keep more than its bound of stored files.
public struct StorageQuotaExceeded: DomainErrorConvertible, Equatable {
    /// Bytes the organisation keeps now (counted as `OrganisationStorage.store` counts them).
    public let usedBytes: Int64
    /// Bytes of the refused upload.
    public let incomingBytes: Int
    /// The configured bound.
    public let bytesMax: Int

    public var code: String { "storage_quota_exceeded" }
    public var kind: DomainError.Kind { .tooLarge }
    public var detail: String {
        "Your organisation keeps \(Self.size(usedBytes)) of uploaded files and this \(Self.size(Int64(incomingBytes))) file would take it "
            + "past its bound of \(Self.size(Int64(bytesMax))); withdraw a pending redemption batch you no longer need (its archive is "
            + "deleted) or ask the platform operator to raise the bound, then upload again."
    }

    /// `812 bytes` below a mebibyte, `12.5 MB` from there (tenths, rounded down; integers only).
    static func size(_ bytes: Int64) -> String {
        guard bytes >= 1 << 20 else { return "\(bytes) bytes" }
        let tenths = bytes * 10 / (1 << 20)
        return "\(tenths / 10).\(tenths % 10) MB"
    }
}
