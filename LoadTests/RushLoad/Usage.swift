import Foundation

/// A snapshot of CPU and memory of the generator, the server and watched processes.
struct Usage: Sendable {
    var wallNs: UInt64
    var selfCPUSeconds: Double
    var serverCPUSeconds: Double?
    var serverResident: (now: Int, peak: Int)?
    var watched: [(name: String, pid: Int32, cpuSeconds: Double?)]
    var machineBusySeconds: Double?

    static func sample(serverPID: Int32?, watched: [(String, Int32)]) -> Usage {
        Usage(
            wallNs: Clock.nowNs(), selfCPUSeconds: ProcessStats.selfCPUSeconds(),
            serverCPUSeconds: serverPID.flatMap { ProcessStats.cpuSeconds($0) },
            serverResident: serverPID.flatMap { ProcessStats.residentBytes($0) },
            watched: watched.map { (name: $0.0, pid: $0.1, cpuSeconds: ProcessStats.treeCPUSeconds($0.1)) },
            machineBusySeconds: ProcessStats.machineBusySeconds())
    }

    /// Cores busy during one second of the run.
    struct PerSecond: Sendable {
        var serverCores: Double?
        var generatorCores: Double
    }

    /// Samples once a second from the start of the run until cancelled or `seconds` have passed.
    /// procfs reads are tiny; they run on the concurrency pool, never on the drivers' loops.
    static func perSecond(startUptimeNs: UInt64, seconds: Int, serverPID: Int32?) async -> [PerSecond] {
        var samples: [PerSecond] = []
        let now = Clock.nowNs()
        if startUptimeNs > now {
            do { try await Task.sleep(nanoseconds: startUptimeNs - now) } catch { return samples }
        }
        var lastSelf = ProcessStats.selfCPUSeconds()
        var lastServer = serverPID.flatMap { ProcessStats.cpuSeconds($0) }
        for index in 1...max(1, seconds) {
            let target = startUptimeNs + UInt64(index) * 1_000_000_000
            let current = Clock.nowNs()
            if target > current {
                do { try await Task.sleep(nanoseconds: target - current) } catch { return samples }
            }
            let selfNow = ProcessStats.selfCPUSeconds()
            let serverNow = serverPID.flatMap { ProcessStats.cpuSeconds($0) }
            var serverCores: Double?
            if let serverNow, let lastServer { serverCores = serverNow - lastServer }
            samples.append(PerSecond(serverCores: serverCores, generatorCores: selfNow - lastSelf))
            lastSelf = selfNow
            lastServer = serverNow
        }
        return samples
    }
}
