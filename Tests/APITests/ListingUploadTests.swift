import Foundation
import PostgresNIO
import TestSupport
import Testing
import VoucherServices

/// Listing uploads on the production server (`VoucherApp.buildApplication`, a real socket): a
/// 100 MB case document is streamed to disk, never held whole in memory; one byte more is refused.
/// The 100 MB test moves 200 MB through the loopback and the disk, which would load the shared
/// 2-core CI machine under every other test, so it runs when asked (`ops/measure-upload-rss`, which
/// runs it alone with `VOUCHER_RSS_STRICT=1`); the streaming store's bound is tested below on small
/// bodies in every run.
@Suite struct ListingUploadTests {
    static let documentBytes = 100 * 1024 * 1024
    /// The bound on the server's memory growth while it takes a 100 MB document, measured with the
    /// test alone in its process (it measured 2–7 MB): inside the whole suite the other tests run in
    /// the same process at the same time and move its resident size by far more (80 MB seen).
    static let rssGrowthBytesMax = 20 * 1024 * 1024
    static let rssStrict = ProcessInfo.processInfo.environment["VOUCHER_RSS_STRICT"] == "1"

    /// The process's resident set (VmRSS), in bytes.
    static func residentBytes() -> Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) * 1024
    }

    static func upload(port: Int, token: String, kind: String, totalBytes: Int, head: [UInt8]) async throws -> String {
        let connection = try await RawHTTPConnection.open(port: port)
        defer { connection.close() }
        try await connection.send(
            "POST /v1/provider/product-files?kind=\(kind) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\n"
                + "Content-Type: application/pdf\r\nContent-Length: \(totalBytes)\r\n\r\n")
        try await connection.sendBody(head: head, totalBytes: totalBytes)
        return try await connection.readResponse()
    }

    /// Proves a 100 MB document uploads (201, its size recorded) with the process's resident
    /// memory growing by less than 20 MB while the body streams in, and that a body one
    /// byte over the bound, sent without a Content-Length the server could refuse up front, is
    /// refused with 413 document_too_large and leaves nothing recorded.
    @Test(.enabled(if: rssStrict, "run by ops/measure-upload-rss")) func aHundredMegabyteDocumentStreamsToDisk() async throws {
        try await EdgeHardeningTests.live { _, port, postgres, config in
            try await postgres.query(
                "INSERT INTO organisations (id, kind, name, certification) VALUES ('org_up', 'provider', '上传服务商', 'certified')")
            try await postgres.query(
                """
                INSERT INTO users (id, org_id, username, password_hash, role, is_main) VALUES ('usr_up', 'org_up', 'uploader', 'x', 'provider', true)
                """)
            let tokens = await TokenService(config: config.jwt)
            let token = try await tokens.issueAccessToken(
                for: Identity(userID: "usr_up", orgID: "org_up", role: .provider, certified: true, permissions: ["*"]))
            let pdf = Array("%PDF-1.7\n".utf8)
            // Warm up the route, the pools and the allocator with a small document first.
            let small = try await Self.upload(port: port, token: token, kind: "document", totalBytes: 4096, head: pdf)
            #expect(small.hasPrefix("HTTP/1.1 201"), "\(small.prefix(300))")

            let before = Self.residentBytes()
            let peak = Peak(before)
            let sampler = Task {
                while !Task.isCancelled {
                    await peak.see(Self.residentBytes())
                    try? await Task.sleep(for: .milliseconds(20))
                }
            }
            let answer = try await Self.upload(port: port, token: token, kind: "document", totalBytes: Self.documentBytes, head: pdf)
            sampler.cancel()
            _ = await sampler.result
            let after = Self.residentBytes()
            let highest = max(await peak.value, after)
            let growth = highest - before
            print("listing upload: 100 MB document, VmRSS before \(before >> 10) KiB, peak \(highest >> 10) KiB, growth \(growth >> 10) KiB")
            #expect(answer.hasPrefix("HTTP/1.1 201"), "\(answer.prefix(300))")
            #expect(answer.contains("\"sizeBytes\":\(Self.documentBytes)"), "\(answer.suffix(300))")
            #expect(growth < Self.rssGrowthBytesMax, "resident memory grew by \(growth) bytes")

            let connection = try await RawHTTPConnection.open(port: port)
            defer { connection.close() }
            try await connection.send(
                "POST /v1/provider/product-files?kind=document HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n")
            // One chunk a mebibyte, 101 of them: the bound passes during the last.
            let mebibyte = 1 << 20
            var chunk = Array(String(mebibyte, radix: 16).utf8) + Array("\r\n".utf8) + [UInt8](repeating: 0x20, count: mebibyte) + Array("\r\n".utf8)
            let headOffset = chunk.count - mebibyte - 2
            chunk.replaceSubrange(headOffset..<(headOffset + pdf.count), with: pdf)
            for index in 0...(Self.documentBytes / mebibyte) {
                try await connection.sendRaw(chunk)
                if index == 0 { chunk.replaceSubrange(headOffset..<(headOffset + pdf.count), with: [UInt8](repeating: 0x20, count: pdf.count)) }
            }
            try await connection.send("0\r\n\r\n")
            let refused = try await connection.readResponse()
            #expect(refused.hasPrefix("HTTP/1.1 413") && refused.contains("document_too_large"), "\(refused.prefix(400))")
            var recorded = 0
            for try await count in try await postgres.query("SELECT count(*) FROM product_files WHERE org_id = 'org_up'").decode(Int.self) {
                recorded = count
            }
            #expect(recorded == 2, "the small and the 100 MB document; the refused one left nothing")
        }
    }
}

/// The highest resident size seen by the sampler.
actor Peak {
    private(set) var value: Int

    init(_ value: Int) { self.value = value }

    func see(_ bytes: Int) { value = max(value, bytes) }
}

/// The streaming store on small bounds, in every run.
@Suite struct StreamingFileStoreTests {
    struct Chunks: AsyncSequence, Sendable {
        let chunks: [[UInt8]]
        func makeAsyncIterator() -> AsyncStream<[UInt8]>.Iterator {
            AsyncStream { continuation in
                for chunk in chunks { continuation.yield(chunk) }
                continuation.finish()
            }.makeAsyncIterator()
        }
    }

    static func sniffPDF(_ head: [UInt8]) -> String? { head.starts(with: Array("%PDF-".utf8)) ? "application/pdf" : nil }

    /// Files in the folder, temporary ones included.
    static func files(_ folder: String) -> [String] {
        (FileManager.default.enumerator(atPath: folder)?.allObjects as? [String] ?? []).filter { !$0.hasSuffix("/") }
            .filter {
                var isDirectory: ObjCBool = false
                return FileManager.default.fileExists(atPath: folder + "/" + $0, isDirectory: &isDirectory) && !isDirectory.boolValue
            }
    }

    @Test func theBoundHoldsWhileStreamingAndARefusalLeavesNoFile() async throws {
        // Proves storeStreaming keeps a body at its bound under its content hash (the same hash
        // `store` gives the bytes), and refuses one byte more, an empty body and unrecognised
        // content — each leaving no file, not even a temporary one.
        let folder = TestEnvironment.stateDirectory + "/streaming-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = LocalDiskFileStore(root: folder)
        let head = Array("%PDF-1.7\n".utf8)
        let body = head + [UInt8](repeating: 0x20, count: 3 * 4096 - head.count)
        let pieces = stride(from: 0, to: body.count, by: 1000).map { Array(body[$0..<min(body.count, $0 + 1000)]) }
        let stored = try await store.storeStreaming(Chunks(chunks: pieces), bytesMax: body.count, sniff: Self.sniffPDF)
        #expect(stored.sizeBytes == body.count && stored.mediaType == "application/pdf")
        #expect(try await store.read(sha256: stored.sha256) == body)
        #expect(Self.files(folder).count == 1)
        for (chunks, error) in [
            (pieces + [[0x20]], StreamedUploadError.tooLarge), ([], .empty), ([Array("GIF89a".utf8)], .unrecognised),
        ] {
            await #expect(throws: error) { try await store.storeStreaming(Chunks(chunks: chunks), bytesMax: body.count, sniff: Self.sniffPDF) }
        }
        #expect(Self.files(folder).count == 1, "nothing left by the refusals")
    }
}
