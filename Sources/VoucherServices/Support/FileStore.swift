import Foundation
import NIOPosix

/// A stored file's identity: its content hash, which is also its name.
public struct StoredFile: Sendable, Equatable, Codable {
    public let sha256: String
    public let mediaType: String
    public let sizeBytes: Int
}

/// Keeps uploaded bytes by content hash. A protocol so the disk can become object storage later
/// without touching the routes; storing the same bytes twice stores them once.
public protocol FileStore: Sendable {
    func store(_ bytes: [UInt8], mediaType: String) async throws -> StoredFile
    func read(sha256: String) async throws -> [UInt8]?
    /// Removes the bytes (nothing when they are not there).
    func delete(sha256: String) async throws
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
        guard sha256.utf8.count == 64, sha256.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else { return }
        let target = url(for: sha256)
        try await NIOThreadPool.singleton.runIfActive {
            if FileManager.default.fileExists(atPath: target.path) { try FileManager.default.removeItem(at: target) }
        }
    }

    public func read(sha256: String) async throws -> [UInt8]? {
        guard sha256.utf8.count == 64, sha256.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else { return nil }
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
