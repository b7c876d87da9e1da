import ArgumentParser
import Foundation

/// `rush-load summarize`: the one JSON line `ops/loadtest` ends with, from the run reports of the
/// same invocation, plus an HTML page with all of them. Invariant counts are summed over every
/// verified run; the rates come from the runs named for them.
struct Summarize: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Combine the reports of an ops/loadtest run into one JSON line and one page.")

    /// The targets, so the line says which were met (2 cores shared by everything).
    enum Targets {
        static let grabsPerSecondMin = 25_000.0
        static let ratioVsTrivialMin = 0.6
        static let p99MsMax = 10.0
        static let soldOutRatioVsTrivialMin = 0.9
        static let serverRSSMbMax = 150.0
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

    @Option(help: "Redis appendfsync setting of the run, for the record.")
    var appendfsync = "always"

    @Option(help: "Write an HTML page with every report here.")
    var html: String?

    func run() async throws {
        let grabReport = try Self.load(grab)
        let trivialReport = try Self.load(trivial)
        let soldOutReport = try soldOut.map(Self.load)
        let otherReports = try others.map(Self.load)
        let all = [grabReport] + (soldOutReport.map { [$0] } ?? []) + otherReports + [trivialReport]
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
