import Foundation

/// A throwaway PostgreSQL cluster of one test (through `ops/pg-instance`), for fault tests that
/// stop "the database" without disturbing the shared test stores.
public struct PostgresServerProcess: Sendable {
    public let directory: String
    public let port: Int
    public let password: String

    /// Initialises and starts a new cluster on a free port.
    public static func start() async throws -> PostgresServerProcess {
        let directory = TestEnvironment.stateDirectory + "/instances/pg-" + UUID().uuidString.prefix(8).lowercased()
        let server = PostgresServerProcess(directory: directory, port: try FreePort.next(), password: TestEnvironment.postgresPassword ?? "test")
        try await server.start()
        return server
    }

    /// Starts the cluster again (after `stop`), on the same port.
    public func start() async throws {
        try await Shell.run(TestEnvironment.rootDirectory + "/ops/pg-instance", ["start", directory, String(port), password])
    }

    /// Stops the cluster (fast shutdown: clients are disconnected).
    public func stop() async throws {
        try await Shell.run(TestEnvironment.rootDirectory + "/ops/pg-instance", ["stop", directory])
    }

    /// Stops the cluster and deletes its folder.
    public func destroy() async {
        try? await stop()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// Runs a helper script and fails with its output when it fails.
public enum Shell {
    /// Bound on how long a helper script may run.
    public static let timeout: Duration = .seconds(120)

    /// Spawns with posix_spawn and reaps with waitpid itself: Foundation's `Process` was seen
    /// never noticing the exit of a script that left a server running in the background. Output
    /// goes to a file, not a pipe, which such a server would keep open.
    public static func run(_ executable: String, _ arguments: [String]) async throws {
        let logPath = FileManager.default.temporaryDirectory.appendingPathComponent("vr-shell-\(UUID().uuidString).log").path
        defer { try? FileManager.default.removeItem(atPath: logPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else { throw TestSetupError("cannot start \(executable): errno \(spawned)") }
        var status: Int32 = 0
        let deadline = ContinuousClock.now + timeout
        while waitpid(pid, &status, WNOHANG) == 0 {
            guard ContinuousClock.now < deadline else {
                kill(pid, SIGKILL)
                throw TestSetupError("\(executable) did not finish within \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        let exitCode = (status >> 8) & 0xff
        guard status & 0x7f == 0, exitCode == 0 else {
            let output = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            throw TestSetupError("\(executable) \(arguments.joined(separator: " ")) failed (status \(status)): \(output)")
        }
    }
}

/// A TCP port on 127.0.0.1 that nothing listens on right now (the kernel picks it).
public enum FreePort {
    public static func next() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestSetupError("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw TestSetupError("bind() failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw TestSetupError("getsockname() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
