import Foundation
import Synchronization

/// The local Redis Cluster of the tests (3 masters + 3 replicas, `ops/cluster`): on
/// `VOUCHER_TEST_CLUSTER_PORT` and the five ports after it (ops/test sets it; 17001 otherwise).
/// `ensureRunning()` runs `ops/cluster start` once per test process — idempotent and quick when
/// ops/test already started it — so a test binary run on its own finds its cluster too.
public enum TestCluster {
    /// Bound on `ops/cluster start` (creating a cluster on a loaded 2-core machine takes seconds).
    public static let startTimeout: Duration = .seconds(120)

    /// The first node's port.
    public static var port: Int { TestEnvironment.environment["VOUCHER_TEST_CLUSTER_PORT"].flatMap(Int.init) ?? 17001 }

    /// The six nodes' ports.
    public static var ports: [Int] { Array(port..<(port + 6)) }

    /// Where the nodes keep their data.
    static var directory: String { TestEnvironment.environment["VOUCHER_TEST_CLUSTER_DIR"] ?? TestEnvironment.stateDirectory + "/cluster" }

    /// The PID of the node on `port` (from its pid file), for tests that stop it for a moment.
    public static func pid(ofNodeOnPort port: Int) throws -> Int32 {
        let path = "\(directory)/\(port)/redis.pid"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
            let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
        else { throw TestSetupError("no PID in \(path)") }
        return pid
    }

    private static let started = Mutex<Task<Void, any Error>?>(nil)

    /// Starts the cluster unless it runs; throws with the script's output when it cannot.
    public static func ensureRunning() async throws {
        let task = started.withLock { task in
            if let task { return task }
            let made = Task { try await start() }
            task = made
            return made
        }
        try await task.value
    }

    private static func start() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestEnvironment.rootDirectory + "/ops/cluster")
        process.arguments = ["start"]
        var environment = ProcessInfo.processInfo.environment
        environment["VOUCHER_CLUSTER_PORT"] = String(port)
        environment["VOUCHER_CLUSTER_DIR"] = directory
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let deadline = ContinuousClock.now + startTimeout
        while process.isRunning {
            if ContinuousClock.now > deadline {
                process.terminate()
                throw TestSetupError("ops/cluster start did not finish within \(startTimeout)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw TestSetupError("ops/cluster start failed (exit \(process.terminationStatus)): \(text)")
        }
    }
}
