import Foundation
import Histogram

/// The JSON report of one run: what was asked, what came back, and what it cost whom.
/// Keys are the property names (no key strategy: it would also rewrite the outcome keys).
struct RunReport: Codable, Sendable {
    var label: String
    var target: String
    var model: String
    var connections: Int
    var pipelineDepth: Int
    var threads: Int
    var durationSecondsPlanned: Int
    var ratePerSecond: Double?
    var spikeRatePerSecond: Double?
    var startedAtUnixMs: Int64
    var endedAtUnixMs: Int64
    /// First send to last answer.
    var elapsedSeconds: Double
    var sent: Int
    var answered: Int
    var outcomes: [String: Int]
    /// `status code` → count for every answer other than a win or a retry.
    var problems: [String: Int]
    var answersPerSecond: Double
    var wonPerSecond: Double
    /// Corrected for coordinated omission (see `latencyCorrection`).
    var latencyMs: Percentiles
    var latencyUncorrectedMs: Percentiles
    var latencyCorrection: String
    /// 201s whose voucher id had been acknowledged with 201 before (must be 0).
    var duplicateWins: Int
    /// 200 retries naming a voucher that another token won (must be 0).
    var retryMismatches: Int
    var connectFailures: Int
    var generator: CPUUse
    var server: ServerUse?
    var watched: [CPUUse]
    /// The whole machine: cores busy on average and cores present. Busy minus generator, server
    /// and watched processes is what everything else (other builds, the kernel) took.
    var machineBusyCores: Double?
    var machineCores: Int
    var timeline: [Second]
    var winsFile: String?
    var verification: Verification?

    /// Latency percentiles in milliseconds.
    struct Percentiles: Codable, Sendable {
        var p50: Double
        var p90: Double
        var p99: Double
        var p999: Double
        var max: Double
        var mean: Double

        init(_ histogram: Histogram<UInt64>) {
            func ms(_ micros: UInt64) -> Double { (Double(micros) / 1_000 * 1_000).rounded() / 1_000 }
            p50 = ms(histogram.valueAtPercentile(50))
            p90 = ms(histogram.valueAtPercentile(90))
            p99 = ms(histogram.valueAtPercentile(99))
            p999 = ms(histogram.valueAtPercentile(99.9))
            max = ms(histogram.max)
            mean = (histogram.mean / 1_000 * 1_000).rounded() / 1_000
        }
    }

    /// CPU a process used during the run; `cores` is CPU seconds per wall second.
    struct CPUUse: Codable, Sendable {
        var name: String
        var pid: Int32
        var cpuSeconds: Double
        var cores: Double
        /// Generator only: CPU microseconds per request sent.
        var cpuMicrosPerRequest: Double?
    }

    /// The server's CPU and memory.
    struct ServerUse: Codable, Sendable {
        var cpu: CPUUse
        var rssMb: Double
        var rssPeakMb: Double
    }

    /// One second of the run by completion time.
    struct Second: Codable, Sendable {
        var second: Int
        var answered: Int
        var outcomes: [String: Int]
        var p50Ms: Double
        var p99Ms: Double
        var p999Ms: Double
        var serverCores: Double?
        var generatorCores: Double?
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        return encoder
    }()

    static let decoder = JSONDecoder()

    /// The few lines a person reads first.
    var summary: String {
        func rate(_ value: Double) -> String { String(format: "%.0f", value) }
        func ms(_ value: Double) -> String { String(format: "%.2f", value) }
        var lines = [
            "== \(label): \(target), \(model) model, \(connections) connections x \(pipelineDepth) deep, \(threads) thread(s)",
            "   sent \(sent), answered \(answered) in \(String(format: "%.2f", elapsedSeconds)) s: \(rate(answersPerSecond)) answers/s, "
                + "\(rate(wonPerSecond)) wins/s",
            "   latency ms (\(latencyCorrection)): p50 \(ms(latencyMs.p50))  p90 \(ms(latencyMs.p90))  p99 \(ms(latencyMs.p99))  p99.9 "
                + "\(ms(latencyMs.p999))  max \(ms(latencyMs.max))",
            "   uncorrected ms: p50 \(ms(latencyUncorrectedMs.p50))  p99 \(ms(latencyUncorrectedMs.p99))  p99.9 \(ms(latencyUncorrectedMs.p999))",
            "   outcomes: " + Outcome.allCases.map { "\($0.key) \(outcomes[$0.key] ?? 0)" }.joined(separator: ", "),
        ]
        if !problems.isEmpty {
            lines.append("   problems: " + problems.sorted { $0.value > $1.value }.map { "\($0.key) x\($0.value)" }.joined(separator: ", "))
        }
        lines.append(
            "   generator: \(String(format: "%.2f", generator.cpuSeconds)) CPU s = \(String(format: "%.2f", generator.cores)) cores, "
                + "\(String(format: "%.1f", generator.cpuMicrosPerRequest ?? 0)) µs CPU per request"
        )
        if let server {
            lines.append(
                "   server pid \(server.cpu.pid): \(String(format: "%.2f", server.cpu.cores)) cores, RSS "
                    + "\(String(format: "%.1f", server.rssMb)) MB (peak \(String(format: "%.1f", server.rssPeakMb)) MB)"
            )
        }
        for use in watched {
            lines.append("   \(use.name) pid \(use.pid): \(String(format: "%.2f", use.cores)) cores")
        }
        if let busy = machineBusyCores {
            let ours = generator.cores + (server?.cpu.cores ?? 0) + watched.reduce(0) { $0 + $1.cores }
            lines.append(
                "   machine: \(String(format: "%.2f", busy)) of \(machineCores) cores busy; \(String(format: "%.2f", max(0, busy - ours))) by "
                    + "other processes"
            )
        }
        lines.append("   duplicate wins \(duplicateWins), retry mismatches \(retryMismatches), connect failures \(connectFailures)")
        if let verification { lines.append(contentsOf: verification.summaryLines) }
        return lines.joined(separator: "\n")
    }
}
