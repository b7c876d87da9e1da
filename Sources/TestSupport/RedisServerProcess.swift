import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A throwaway `redis-server` on a free 127.0.0.1 port with its own temp directory, for tests that
/// must own their server: tests that kill it (`kill -9`), restart it on the same port, or run it
/// with TLS. It only ever signals the PID it started.
///
/// Sendable: the running process and PID live behind the `state` mutex.
public final class RedisServerProcess: Sendable {
    /// Files for a TLS server, made by `openssl req -x509` in the server's directory.
    public struct TLSFiles: Sendable, Hashable {
        /// Self-signed certificate (CN=localhost, SAN DNS:localhost, IP:127.0.0.1); also the CA to trust.
        public let certificatePath: String
        /// Its private key.
        public let keyPath: String
    }

    /// Bounds of the helper, named in one place.
    public enum Limits {
        /// How long to wait for the server to accept connections after starting it.
        public static let startTimeout: Duration = .seconds(60)
        /// How long `stop()` waits for SIGTERM before it sends SIGKILL.
        public static let stopTimeout: Duration = .seconds(5)
        /// Attempts to find a free port that redis-server can bind.
        public static let portAttemptsMax = 5
        /// Poll interval while waiting for start or exit.
        static let pollInterval: Duration = .milliseconds(20)
    }

    private struct State {
        var process: Process?
    }

    /// The port the server listens on (TLS port when `tls` is set; plain TCP is then disabled).
    public let port: Int
    /// The server's own temp directory (data, log, TLS files); removed by `stop()`.
    public let directory: String
    /// The TLS files when started with `tls: true`.
    public let tls: TLSFiles?
    private let state: Mutex<State>

    /// The PID of the running server, or `nil` after it was killed or stopped.
    public var pid: Int32? {
        state.withLock { state in
            guard let process = state.process, process.isRunning else { return nil }
            return process.processIdentifier
        }
    }

    /// Extra redis-server arguments (e.g. `--appendonly yes`); they come last, so they win.
    public let extraArguments: [String]

    private init(port: Int, directory: String, tls: TLSFiles?, extraArguments: [String]) {
        self.port = port
        self.directory = directory
        self.tls = tls
        self.extraArguments = extraArguments
        self.state = Mutex(State())
    }

    /// Starts a server on a fresh free port and waits until it accepts TCP connections.
    public static func start(tls: Bool = false, arguments: [String] = []) async throws -> RedisServerProcess {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("redis-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let tlsFiles = tls ? try makeCertificate(in: directory) : nil
        var lastError: (any Error)?
        for _ in 0..<Limits.portAttemptsMax {
            let server = RedisServerProcess(port: try FreePort.next(), directory: directory, tls: tlsFiles, extraArguments: arguments)
            do {
                try await server.launch()
                return server
            } catch {
                lastError = error
                server.kill9()
            }
        }
        try? FileManager.default.removeItem(atPath: directory)
        throw lastError ?? RedisServerProcessError.startFailed("no free port")
    }

    /// Starts the server again on the same port and directory (after `kill9()` or `stop()`).
    public func restart() async throws {
        try await launch()
    }

    /// Sends SIGKILL to the server's PID: a crash, with no chance to close connections politely.
    public func kill9() {
        let process = state.withLock { state -> Process? in
            defer { state.process = nil }
            return state.process
        }
        guard let process, process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Stops the server (SIGTERM, SIGKILL after `Limits.stopTimeout`) and removes its directory.
    public func stop() async {
        let process = state.withLock { state -> Process? in
            defer { state.process = nil }
            return state.process
        }
        if let process, process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            let deadline = ContinuousClock.now + Limits.stopTimeout
            while process.isRunning && ContinuousClock.now < deadline {
                try? await Task.sleep(for: Limits.pollInterval)
            }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    deinit {
        // A test that forgot stop() must not leave a server behind.
        if let process = state.withLock({ $0.process }), process.isRunning {
            kill(process.processIdentifier, SIGKILL)
        }
    }

    private func launch() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Self.redisServerPath())
        var arguments = [
            "--bind", "127.0.0.1", "--dir", directory, "--save", "", "--appendonly", "no",
            "--daemonize", "no", "--logfile", "\(directory)/redis.log", "--enable-debug-command", "yes",
        ]
        if let tls {
            arguments += [
                "--port", "0", "--tls-port", "\(port)", "--tls-cert-file", tls.certificatePath,
                "--tls-key-file", tls.keyPath, "--tls-ca-cert-file", tls.certificatePath, "--tls-auth-clients", "no",
            ]
        } else {
            arguments += ["--port", "\(port)"]
        }
        process.arguments = arguments + extraArguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        state.withLock { $0.process = process }
        let deadline = ContinuousClock.now + Limits.startTimeout
        while ContinuousClock.now < deadline {
            guard process.isRunning else {
                throw RedisServerProcessError.startFailed("redis-server exited; see \(directory)/redis.log")
            }
            if Self.canConnect(port: port) { return }
            try await Task.sleep(for: Limits.pollInterval)
        }
        throw RedisServerProcessError.startFailed("redis-server did not listen on \(port) in time")
    }

    private static func redisServerPath() throws -> String {
        for candidate in ["/usr/bin/redis-server", "/usr/local/bin/redis-server", "/opt/homebrew/bin/redis-server"]
        where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        throw RedisServerProcessError.startFailed("redis-server not found")
    }

    /// Generates a self-signed certificate valid for localhost and 127.0.0.1.
    private static func makeCertificate(in directory: String) throws -> TLSFiles {
        let files = TLSFiles(certificatePath: "\(directory)/redis.crt", keyPath: "\(directory)/redis.key")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-keyout", files.keyPath, "-out", files.certificatePath,
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw RedisServerProcessError.startFailed("openssl req failed") }
        return files
    }

    private static func canConnect(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = loopback(port: port)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return result == 0
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}

/// Why a test server could not be started.
public enum RedisServerProcessError: Error, Sendable, Hashable {
    /// Start failed, with the reason.
    case startFailed(String)
}
