import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A plain TCP connection to the server under test, for requests no HTTP client would send
/// (broken framing, CONNECT, a head that never ends). Blocking socket calls run on a thread of
/// their own, never on the tests' cooperative pool; every read is bounded by `readTimeout`, an
/// upper limit only (no test asserts that anything happens before some time).
final class RawHTTPConnection: @unchecked Sendable {
    /// Only touched from the one thread that runs each blocking call.
    private let fd: Int32

    /// A generous bound on waiting for the server (to answer or to close), for busy CI machines.
    static let readTimeout: TimeInterval = 60

    enum Failure: Error, CustomStringConvertible {
        case connect(Int32)
        case timedOut(received: String)

        var description: String {
            switch self {
            case .connect(let code): "connect failed: errno \(code)"
            case .timedOut(let received): "the server neither answered nor closed in time; received: \(received.prefix(300))"
            }
        }
    }

    private init(fd: Int32) { self.fd = fd }

    static func open(port: Int) async throws -> RawHTTPConnection {
        try await onThread {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw Failure.connect(errno) }
            var timeout = timeval(tv_sec: Int(readTimeout), tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = UInt16(port).bigEndian
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else {
                let code = errno
                _ = Glibc.close(fd)
                throw Failure.connect(code)
            }
            return RawHTTPConnection(fd: fd)
        }
    }

    func send(_ text: String) async throws {
        try await sendRaw(Array(text.utf8))
    }

    /// Sends bytes as they are (stops quietly when the server no longer reads).
    func sendRaw(_ bytes: [UInt8]) async throws {
        try await Self.onThread { [fd] in
            var sent = 0
            while sent < bytes.count {
                let count = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                guard count > 0 else { return }
                sent += count
            }
        }
    }

    /// Sends `head` and then filler bytes up to `totalBytes`, `chunkBytes` at a time from one
    /// reused buffer, so the client never holds the body (a large upload's memory is the server's).
    /// Stops early, without failing, when the server stops reading or closes.
    func sendBody(head: [UInt8], totalBytes: Int, chunkBytes: Int = 1 << 20) async throws {
        try await Self.onThread { [fd] in
            var chunk = [UInt8](repeating: 0x20, count: chunkBytes)
            chunk.replaceSubrange(0..<head.count, with: head)
            var sent = 0
            var first = true
            while sent < totalBytes {
                let length = min(chunkBytes, totalBytes - sent)
                var offset = 0
                while offset < length {
                    let count = chunk.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, length - offset, Int32(MSG_NOSIGNAL)) }
                    guard count > 0 else { return }
                    offset += count
                }
                sent += length
                if first {
                    chunk.replaceSubrange(0..<head.count, with: [UInt8](repeating: 0x20, count: head.count))
                    first = false
                }
            }
        }
    }

    /// Everything the server sends until it closes the connection (EOF or reset); throws
    /// `timedOut` when it does neither within `readTimeout`.
    func readUntilClosed() async throws -> String {
        try await Self.onThread { [fd] in
            var received: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if count > 0 {
                    received += buffer[0..<count]
                } else if count == 0 || errno == ECONNRESET {
                    return String(decoding: received, as: UTF8.self)
                } else {
                    throw Failure.timedOut(received: String(decoding: received, as: UTF8.self))
                }
            }
        }
    }

    /// One response: the head, then as many body bytes as its Content-Length says (or until the
    /// server closes).
    func readResponse() async throws -> String {
        try await Self.onThread { [fd] in
            var received: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let text = String(decoding: received, as: UTF8.self)
                if let end = text.range(of: "\r\n\r\n") {
                    let head = text[..<end.lowerBound].lowercased()
                    let length =
                        head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                        .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
                    if received.count - text[..<end.upperBound].utf8.count >= length { return text }
                }
                let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if count > 0 {
                    received += buffer[0..<count]
                } else if count == 0 || errno == ECONNRESET {
                    return String(decoding: received, as: UTF8.self)
                } else {
                    throw Failure.timedOut(received: String(decoding: received, as: UTF8.self))
                }
            }
        }
    }

    func close() {
        _ = Glibc.close(fd)
    }

    /// Runs a blocking call on a new thread and resumes with its result.
    private static func onThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try work() }) }
            thread.start()
        }
    }
}
