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
    public static func run(_ executable: String, _ arguments: [String]) async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestSetupError("\(executable) \(arguments.joined(separator: " ")) failed (\(process.terminationStatus)): \(String(decoding: data, as: UTF8.self))")
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
