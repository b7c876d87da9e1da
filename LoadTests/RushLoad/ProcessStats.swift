import Foundation

/// CPU and memory of this process and of the processes it measures, so a reader can tell
/// whether the generator, the server or a store was the limit. Reads procfs (Linux only); a
/// process that cannot be read yields nil, never a made-up zero.
enum ProcessStats {
    /// Clock ticks per second of /proc/PID/stat's times.
    private static let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))

    /// User plus system CPU seconds this process has used so far.
    static func selfCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1_000_000 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// Fields of /proc/PID/stat after the command name (which may contain spaces).
    private static func statFields(_ pid: Int32) -> [Substring]? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        return text[text.index(after: close)...].split(separator: " ")
    }

    /// utime + stime of `pid` (fields 14 and 15; index 11 and 12 after the name), plus the times of
    /// its children that have exited and been waited for (cutime, cstime) if `withExited`.
    static func cpuSeconds(_ pid: Int32, withExited: Bool = false) -> Double? {
        guard let fields = statFields(pid), fields.count > 14,
            let user = Double(fields[11]), let system = Double(fields[12])
        else { return nil }
        var ticks = user + system
        if withExited, let childUser = Double(fields[13]), let childSystem = Double(fields[14]) {
            ticks += childUser + childSystem
        }
        return ticks / ticksPerSecond
    }

    /// CPU of `pid` and its live children (PostgreSQL's backends are children of the postmaster).
    static func treeCPUSeconds(_ pid: Int32) -> Double? {
        guard var total = cpuSeconds(pid, withExited: true) else { return nil }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in entries {
            guard let child = Int32(entry), child != pid, let fields = statFields(child), fields.count > 1,
                Int32(fields[1]) == pid, let seconds = cpuSeconds(child)
            else { continue }
            total += seconds
        }
        return total
    }

    /// Seconds of CPU the whole machine has spent busy (all cores, from /proc/stat's `cpu` line:
    /// everything but idle and iowait), so a report can show what other processes took.
    static func machineBusySeconds() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
            let line = text.split(separator: "\n").first, line.hasPrefix("cpu ")
        else { return nil }
        let values = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard values.count >= 5 else { return nil }
        let total = values.prefix(8).reduce(0, +)
        return (total - values[3] - values[4]) / ticksPerSecond
    }

    /// Online cores, for "busy out of".
    static var cores: Int { Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) }

    /// Resident memory now and at its peak (VmRSS, VmHWM), in bytes.
    static func residentBytes(_ pid: Int32) -> (now: Int, peak: Int)? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        func kilobytes(_ key: String) -> Int? {
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(key) }) else { return nil }
            return line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap { Int($0) }
        }
        guard let now = kilobytes("VmRSS:"), let peak = kilobytes("VmHWM:") else { return nil }
        return (now * 1024, peak * 1024)
    }
}
