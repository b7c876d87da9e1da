import Foundation
import Histogram

extension Run {
    /// Turns the merged recording and the CPU snapshots into the report.
    func makeReport(
        _ merged: Recorder, tokens: [(orgID: String, token: String)], startedAtUnixMs: Int64,
        cpuPerSecond: [Usage.PerSecond], before: Usage, after: Usage
    ) -> RunReport {
        let hasAnswers = merged.lastAnswerNs > 0 && merged.firstSendNs != .max && merged.lastAnswerNs > merged.firstSendNs
        let elapsed = hasAnswers ? Double(merged.lastAnswerNs - merged.firstSendNs) / 1e9 : 0
        let answered = merged.counts.answered
        let corrected: Histogram<UInt64>
        let correction: String
        switch model {
        case .open:
            corrected = merged.latency
            correction = "from the intended send time"
        case .closed:
            // Each connection's expected interval between sends, had the server never stalled.
            let perConnection = answered > 0 ? elapsed * 1e6 * Double(connections * pipeline) / Double(answered) : 0
            let interval = UInt64(max(1, perConnection.rounded(.up)))
            corrected = merged.service.correctedForCoordinatedOmission(expectedInterval: interval)
            correction = "closed model, corrected after the fact with an expected interval of \(interval) µs"
        }
        let wall = Double(after.wallNs - before.wallNs) / 1e9
        let selfCPU = after.selfCPUSeconds - before.selfCPUSeconds
        var server: RunReport.ServerUse?
        if let pid = serverPid, let start = before.serverCPUSeconds, let end = after.serverCPUSeconds {
            let resident = after.serverResident ?? (0, 0)
            server = .init(
                cpu: .init(name: "server", pid: pid, cpuSeconds: end - start, cores: wall > 0 ? (end - start) / wall : 0),
                rssMb: Double(resident.now) / 1_048_576, rssPeakMb: Double(resident.peak) / 1_048_576)
        }
        let watched: [RunReport.CPUUse] = zip(before.watched, after.watched).compactMap { start, end in
            guard let first = start.cpuSeconds, let last = end.cpuSeconds else { return nil }
            return .init(name: start.name, pid: start.pid, cpuSeconds: last - first, cores: wall > 0 ? (last - first) / wall : 0)
        }
        let (duplicates, mismatches) = Self.duplicates(merged)
        let endNs = max(merged.lastAnswerNs, merged.firstSendNs == .max ? 0 : merged.firstSendNs)
        let firstNs = merged.firstSendNs == .max ? endNs : merged.firstSendNs
        return RunReport(
            label: label, target: target.rawValue, model: model.rawValue, connections: connections, pipelineDepth: pipeline,
            threads: threads, durationSecondsPlanned: durationS, ratePerSecond: rate, spikeRatePerSecond: spikeRate,
            startedAtUnixMs: startedAtUnixMs,
            endedAtUnixMs: startedAtUnixMs + Int64(endNs > firstNs ? (endNs - firstNs) / 1_000_000 : 0),
            elapsedSeconds: elapsed, sent: merged.sent, answered: answered, outcomes: merged.counts.dictionary,
            problems: merged.problems, answersPerSecond: elapsed > 0 ? Double(answered) / elapsed : 0,
            wonPerSecond: elapsed > 0 ? Double(merged.counts[.won]) / elapsed : 0,
            latencyMs: .init(corrected), latencyUncorrectedMs: .init(merged.service), latencyCorrection: correction,
            duplicateWins: duplicates, retryMismatches: mismatches, connectFailures: 0,
            generator: .init(
                name: "rush-load", pid: getpid(), cpuSeconds: selfCPU, cores: wall > 0 ? selfCPU / wall : 0,
                cpuMicrosPerRequest: merged.sent > 0 ? selfCPU * 1e6 / Double(merged.sent) : nil),
            server: server, watched: watched,
            machineBusyCores: before.machineBusySeconds.flatMap { start in
                after.machineBusySeconds.map { end in wall > 0 ? (end - start) / wall : 0 }
            },
            machineCores: ProcessStats.cores, timeline: timeline(merged, cpuPerSecond), winsFile: nil, verification: nil)
    }

    /// 201s naming a voucher already acknowledged with 201; 200s naming another token's voucher.
    static func duplicates(_ merged: Recorder) -> (Int, Int) {
        var owner: [String: Int32] = [:]
        owner.reserveCapacity(merged.wins.count)
        var duplicates = 0
        for win in merged.wins {
            if owner.updateValue(win.tokenIndex, forKey: win.voucherID) != nil { duplicates += 1 }
        }
        let mismatches = merged.retries.filter { retry in owner[retry.voucherID].map { $0 != retry.tokenIndex } ?? false }.count
        return (duplicates, mismatches)
    }

    private func timeline(_ merged: Recorder, _ cpu: [Usage.PerSecond]) -> [RunReport.Second] {
        let lastUsed = merged.timeline.lastIndex { $0.counts.total > 0 } ?? -1
        guard lastUsed >= 0 else { return [] }
        return (0...lastUsed).map { index in
            let bucket = merged.timeline[index]
            func ms(_ percentile: Double) -> Double {
                bucket.latency.totalCount == 0 ? 0 : Double(bucket.latency.valueAtPercentile(percentile)) / 1_000
            }
            return RunReport.Second(
                second: index, answered: bucket.counts.answered, outcomes: bucket.counts.dictionary,
                p50Ms: ms(50), p99Ms: ms(99), p999Ms: ms(99.9),
                serverCores: index < cpu.count ? cpu[index].serverCores : nil,
                generatorCores: index < cpu.count ? cpu[index].generatorCores : nil)
        }
    }
}
