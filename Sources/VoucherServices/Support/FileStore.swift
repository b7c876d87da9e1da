import Crypto
import Foundation
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

/// A stored file's identity: its content hash, which is also its name.
public struct StoredFile: Sendable, Equatable, Codable {
    public let sha256: String
    public let mediaType: String
    public let sizeBytes: Int

    /// True for a lower-case hex SHA-256, the only shape of a stored file's name (and of a file
    /// id in the API): anything else names no file.
    public static func isSHA256(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}

/// Keeps uploaded bytes by content hash. A protocol so the disk can become object storage later
/// without touching the routes; storing the same bytes twice stores them once.
public protocol FileStore: Sendable {
    func store(_ bytes: [UInt8], mediaType: String) async throws -> StoredFile
    func read(sha256: String) async throws -> [UInt8]?
    /// Removes the bytes (nothing when they are not there).
    func delete(sha256: String) async throws
    /// Stores a body as it arrives, never holding it whole: see `LocalDiskFileStore`.
    func storeStreaming<Chunks: AsyncSequence>(_ chunks: Chunks, bytesMax: Int, sniff: ([UInt8]) -> String?) async throws -> StoredFile
    where Chunks.Element == [UInt8]
    /// Where the bytes lie on this machine, so a route can stream them out in chunks (a 100 MB
    /// case document is never read whole); nil when they are not there.
    func localPath(sha256: String) async throws -> String?
}

/// Why a streamed upload was refused; nothing of it is kept.
public enum StreamedUploadError: Error, Sendable, Equatable {
    /// More than `bytesMax` bytes arrived (the rest is not read).
    case tooLarge
    case empty
    /// `sniff` did not recognise the first bytes.
    case unrecognised
}

/// Files under a folder, as `<root>/<first two hex>/<sha256>`, written to a temporary name and
/// renamed so a reader never sees half a file. File I/O runs on the thread pool, off the event loop.
public struct LocalDiskFileStore: FileStore {
    package let root: URL

    public init(root: String) {
        self.root = URL(fileURLWithPath: root, isDirectory: true)
    }

    package func url(for sha256: String) -> URL {
        root.appendingPathComponent(String(sha256.prefix(2)), isDirectory: true).appendingPathComponent(sha256)
    }

    public func store(_ bytes: [UInt8], mediaType: String) async throws -> StoredFile {
        let sha = Secrets.sha256Hex(bytes)
        let target = url(for: sha)
        try await NIOThreadPool.singleton.runIfActive {
            let manager = FileManager.default
            if manager.fileExists(atPath: target.path) { return }
            try manager.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            let temporary = target.deletingLastPathComponent().appendingPathComponent(".\(sha).\(UUID().uuidString).tmp")
            try Data(bytes).write(to: temporary)
            do {
                try manager.moveItem(at: temporary, to: target)
            } catch  where manager.fileExists(atPath: target.path) {
                // Another request stored the same content first; the bytes are identical.
                try? manager.removeItem(at: temporary)
            }
        }
        return StoredFile(sha256: sha, mediaType: mediaType, sizeBytes: bytes.count)
    }

    public func delete(sha256: String) async throws {
        guard StoredFile.isSHA256(sha256) else { return }
        let target = url(for: sha256)
        try await NIOThreadPool.singleton.runIfActive {
            if FileManager.default.fileExists(atPath: target.path) { try FileManager.default.removeItem(at: target) }
        }
    }

    public func localPath(sha256: String) async throws -> String? {
        guard StoredFile.isSHA256(sha256) else { return nil }
        let target = url(for: sha256)
        return try await NIOThreadPool.singleton.runIfActive { FileManager.default.fileExists(atPath: target.path) ? target.path : nil }
    }

    public func read(sha256: String) async throws -> [UInt8]? {
        guard StoredFile.isSHA256(sha256) else { return nil }
        let target = url(for: sha256)
        return try await NIOThreadPool.singleton.runIfActive {
            guard FileManager.default.fileExists(atPath: target.path) else { return nil }
            return Array(try Data(contentsOf: target))
        }
    }
}

/// Recognises image formats by their first bytes (SPEC §8: content, not the file name).
public enum ImageFormat {
    /// PNG's eight-byte signature.
    package static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    /// JPEG's start-of-image marker followed by the next marker's 0xFF.
    package static let jpegSignature: [UInt8] = [0xFF, 0xD8, 0xFF]

    /// `image/png`, `image/jpeg`, or nil for anything else.
    public static func sniff(_ bytes: [UInt8]) -> String? {
        if bytes.starts(with: pngSignature) { return "image/png" }
        if bytes.starts(with: jpegSignature) { return "image/jpeg" }
        return nil
    }
}

extension LocalDiskFileStore {
    /// Writes the chunks to a temporary file in the store's folder as they arrive, recognises the
    /// format from the first `ListingLimits.sniffBytesMax` bytes (or all of a shorter body),
    /// refuses the body once it passes `bytesMax`, hashes as it goes, then fsyncs and renames the
    /// file to its content hash. Memory holds one chunk and the head, whatever the body's size;
    /// a refused or failed upload leaves no file.
    public func storeStreaming<Chunks: AsyncSequence>(_ chunks: Chunks, bytesMax: Int, sniff: ([UInt8]) -> String?) async throws -> StoredFile
    where Chunks.Element == [UInt8] {
        let sniffBytesMax = 64 * 1024
        let temporary = root.appendingPathComponent(".upload.\(UUID().uuidString).tmp")
        let descriptor = try await NIOThreadPool.singleton.runIfActive { [root] in
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else { throw POSIXFailure(operation: "open", code: errno) }
            return descriptor
        }
        var closed = false
        do {
            var hasher = SHA256()
            var head: [UInt8] = []
            var mediaType: String?
            var sizeBytes = 0
            for try await chunk in chunks where !chunk.isEmpty {
                sizeBytes += chunk.count
                guard sizeBytes <= bytesMax else { throw StreamedUploadError.tooLarge }
                if mediaType == nil {
                    head += chunk.prefix(sniffBytesMax - head.count)
                    if head.count >= sniffBytesMax {
                        guard let recognised = sniff(head) else { throw StreamedUploadError.unrecognised }
                        mediaType = recognised
                        head = []
                    }
                }
                hasher.update(data: chunk)
                try await NIOThreadPool.singleton.runIfActive { try Self.write(chunk, to: descriptor) }
            }
            guard sizeBytes > 0 else { throw StreamedUploadError.empty }
            if mediaType == nil {
                guard let recognised = sniff(head) else { throw StreamedUploadError.unrecognised }
                mediaType = recognised
            }
            let sha = hasher.finalize().map { $0 < 16 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
            let target = url(for: sha)
            closed = true
            try await NIOThreadPool.singleton.runIfActive {
                defer { close(descriptor) }
                guard fsync(descriptor) == 0 else { throw POSIXFailure(operation: "fsync", code: errno) }
                let manager = FileManager.default
                try manager.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                if manager.fileExists(atPath: target.path) {
                    try? manager.removeItem(at: temporary)
                } else {
                    guard rename(temporary.path, target.path) == 0 else { throw POSIXFailure(operation: "rename", code: errno) }
                }
            }
            return StoredFile(sha256: sha, mediaType: mediaType ?? "application/octet-stream", sizeBytes: sizeBytes)
        } catch {
            let stillOpen = !closed
            try? await NIOThreadPool.singleton.runIfActive {
                if stillOpen { close(descriptor) }
                unlink(temporary.path)
            }
            throw error
        }
    }

    /// Writes all of `bytes` (a write may take fewer).
    static func write(_ bytes: [UInt8], to descriptor: Int32) throws {
        try bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, base + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw POSIXFailure(operation: "write", code: errno)
                }
                offset += written
            }
        }
    }
}

/// A system call of the file store failed.
public struct POSIXFailure: Error, Sendable, CustomStringConvertible {
    public let operation: String
    public let code: Int32
    public var description: String { "\(operation) failed: errno \(code)" }
}
