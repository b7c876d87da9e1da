import ArgumentParser
import Foundation

/// `rush-load summarize`: the one JSON line `ops/loadtest` ends with, from the run reports of the
/// same invocation, plus an HTML page with all of them. Invariant counts are summed over every
/// verified run; the rates come from the runs named for them.
struct Summarize: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Combine the reports of an ops/loadtest run into one JSON line and one page.")

    /// The issue's targets, so the line says which were met (2 cores shared by everything).
    enum Targets {
        static let grabsPerSecondMin = 25_000.0
        static let ratioVsTrivialMin = 0.6
        static let p99MsMax = 10.0
        static let soldOutRatioVsTrivialMin = 0.9
        static let serverRSSMbMax = 150.0
        /// Issue 19: grab wins ≥ 0.7× redis-benchmark of the same script at the same connection count.
        static let ratioVsRedisBenchmarkMin = 0.7
        /// Issue 19: sold-out answers ≥ 0.95× the trivial endpoint.
        static let soldOutRatioVsTrivialIssue19Min = 0.95
        /// Issue 19: Redis CPU per grab ≤ 0.5× the script before it (26.6 µs per call in the issue).
        static let redisUsecPerGrabBefore = 26.6
    }

    @Option(help: "Report of the closed-model grab run (issuing).")
    var grab: String

    @Option(help: "Report of the closed-model sold-out run.")
    var soldOut: String?

    @Option(help: "Report of the closed-model GET /health run (the framework ceiling).")
    var trivial: String

    @Option(name: .customLong("other"), help: "Further reports (e.g. the open-model spike) whose verification counts too (repeatable).")
    var others: [String] = []

    @Option(help: "redis-benchmark EVALSHA of the grab script at the same concurrency, requests per second.")
    var redisBenchmarkRps: Double

    @Option(help: "Report of the closed-model grab run at 256 connections.")
    var grab256: String?

    @Option(help: "Report of the closed-model grab run at 1,024 connections.")
    var grab1024: String?

    @Option(help: "Report of the open-model grab run at half the measured maximum (latency from the intended send time).")
    var open: String?

    @Option(help: "redis-benchmark EVALSHA of the grab script at 256 connections, requests per second.")
    var redisBenchmarkRps256: Double?

    @Option(help: "Redis INFO commandstats of the 64-connection grab run: EVALSHA usec_per_call.")
    var redisUsecPerCall: Double?

    @Option(help: "Grabs decided per EVALSHA in the 64-connection grab run (wins / calls).")
    var grabsPerCall: Double?

    @Option(help: "Grabs (wins) per Redis fdatasync in the 64-connection grab run (perf stat), if measured.")
    var grabsPerFsync: Double?

    @Option(help: "Redis appendfsync setting of the run, for the record.")
    var appendfsync = "always"

    @Option(help: "Write an HTML page with every report here.")
    var html: String?

    func run() async throws {
        let grabReport = try Self.load(grab)
        let trivialReport = try Self.load(trivial)
        let soldOutReport = try soldOut.map(Self.load)
        let otherReports = try others.map(Self.load)
        let grab256Report = try grab256.map(Self.load)
        let grab1024Report = try grab1024.map(Self.load)
        let openReport = try open.map(Self.load)
        let extra = [grab256Report, grab1024Report, openReport].compactMap { $0 }
        let all = [grabReport] + extra + (soldOutReport.map { [$0] } ?? []) + otherReports + [trivialReport]
        let verifications = all.compactMap(\.verification)
        let grabsPerSecond = grabReport.wonPerSecond
        let trivialPerSecond = trivialReport.answersPerSecond
        let soldOutPerSecond = soldOutReport.map { Double($0.outcomes[Outcome.soldOut.key] ?? 0) / max($0.elapsedSeconds, 1e-9) }
        let rssPeak = all.compactMap { $0.server?.rssPeakMb }.max() ?? 0
        func ratio(_ a: Double, _ b: Double) -> Double { b > 0 ? (a / b * 1_000).rounded() / 1_000 : 0 }
        func round(_ value: Double, _ places: Double = 1) -> Double { (value * places).rounded() / places }
        let oversell = verifications.reduce(0) { $0 + $1.oversell }
        let lost = verifications.reduce(0) { $0 + $1.lost }
        let duplicates = verifications.reduce(0) { $0 + $1.duplicates + $1.overLimit + $1.misattributed }
        var line: [String: Any] = [
            "grabs_per_s": round(grabsPerSecond),
            "p50_ms": grabReport.latencyMs.p50, "p99_ms": grabReport.latencyMs.p99, "p999_ms": grabReport.latencyMs.p999,
            "oversell": oversell, "lost": lost, "duplicates": duplicates,
            "drain_s": round(verifications.map(\.drainSeconds).max() ?? -1, 100),
            "ratio_vs_trivial_endpoint": ratio(grabsPerSecond, trivialPerSecond),
            "ratio_vs_redis_benchmark": ratio(grabsPerSecond, redisBenchmarkRps),
            "trivial_per_s": round(trivialPerSecond), "redis_benchmark_per_s": round(redisBenchmarkRps),
            "server_rss_peak_mb": round(rssPeak), "appendfsync": appendfsync,
            "connections": grabReport.connections,
            "generator_cores": round(grabReport.generator.cores, 100),
            "server_cores": round(grabReport.server?.cpu.cores ?? -1, 100),
            "machine_busy_cores": round(grabReport.machineBusyCores ?? -1, 100),
            "other_processes_cores": round(Self.otherCores(grabReport), 100),
            "verified": !verifications.isEmpty && verifications.allSatisfy(\.passed),
        ]
        if let soldOutPerSecond {
            line["sold_out_per_s"] = round(soldOutPerSecond)
            line["sold_out_ratio_vs_trivial"] = ratio(soldOutPerSecond, trivialPerSecond)
        }
        // Issue 19's must-show list, each as a ratio of this one run.
        var issue19: [String: Bool] = [
            "ratio_vs_redis_benchmark_64": ratio(grabsPerSecond, redisBenchmarkRps) >= Targets.ratioVsRedisBenchmarkMin,
            "sold_out_ratio_vs_trivial": (soldOutPerSecond ?? 0) >= Targets.soldOutRatioVsTrivialIssue19Min * trivialPerSecond,
            "invariants": oversell == 0 && lost == 0 && duplicates == 0,
        ]
        if let grab256Report {
            line["grabs_per_s_256"] = round(grab256Report.wonPerSecond)
            line["p99_ms_256"] = grab256Report.latencyMs.p99
            if let redisBenchmarkRps256 {
                line["redis_benchmark_per_s_256"] = round(redisBenchmarkRps256)
                line["ratio_vs_redis_benchmark_256"] = ratio(grab256Report.wonPerSecond, redisBenchmarkRps256)
                issue19["ratio_vs_redis_benchmark_256"] = ratio(grab256Report.wonPerSecond, redisBenchmarkRps256) >= Targets.ratioVsRedisBenchmarkMin
            }
        }
        if let grab1024Report {
            line["grabs_per_s_1024"] = round(grab1024Report.wonPerSecond)
            line["p99_ms_1024"] = grab1024Report.latencyMs.p99
        }
        if let openReport {
            line["open_rate_per_s"] = round(openReport.ratePerSecond ?? 0)
            line["open_answers_per_s"] = round(openReport.answersPerSecond)
            line["open_p50_ms"] = openReport.latencyMs.p50
            line["open_p99_ms"] = openReport.latencyMs.p99
            issue19["open_p99"] = openReport.latencyMs.p99 <= Targets.p99MsMax
        }
        if let redisUsecPerCall {
            line["redis_usec_per_call"] = redisUsecPerCall
            let perGrab = redisUsecPerCall / max(grabsPerCall ?? 1, 1)
            line["redis_usec_per_grab"] = round(perGrab, 100)
            line["redis_usec_per_grab_vs_before"] = ratio(perGrab, Targets.redisUsecPerGrabBefore)
            issue19["redis_cpu_per_grab"] = perGrab <= 0.5 * Targets.redisUsecPerGrabBefore
        }
        if let grabsPerCall { line["grabs_per_call"] = round(grabsPerCall, 100) }
        if let grabsPerFsync { line["grabs_per_fsync"] = round(grabsPerFsync, 100) }
        line["targets_met_issue19"] = issue19
        line["targets_met"] = [
            "grabs_per_s": grabsPerSecond >= Targets.grabsPerSecondMin,
            "ratio_vs_trivial": grabsPerSecond >= Targets.ratioVsTrivialMin * trivialPerSecond,
            "p99": grabReport.latencyMs.p99 <= Targets.p99MsMax,
            "sold_out_ratio": (soldOutPerSecond ?? 0) >= Targets.soldOutRatioVsTrivialMin * trivialPerSecond,
            "rss": rssPeak > 0 && rssPeak <= Targets.serverRSSMbMax,
            "invariants": oversell == 0 && lost == 0 && duplicates == 0,
        ]
        if let html {
            try HTMLReport.page(all).write(to: URL(fileURLWithPath: html), atomically: true, encoding: .utf8)
        }
        let data = try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }

    /// Cores the rest of the machine took during a run (other builds, the kernel's own threads).
    static func otherCores(_ report: RunReport) -> Double {
        guard let busy = report.machineBusyCores else { return -1 }
        return max(0, busy - report.generator.cores - (report.server?.cpu.cores ?? 0) - report.watched.reduce(0) { $0 + $1.cores })
    }

    static func load(_ path: String) throws -> RunReport {
        try RunReport.decoder.decode(RunReport.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }
}
