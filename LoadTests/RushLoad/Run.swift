import ArgumentParser
import Foundation
import NIOCore
import NIOPosix

/// `rush-load run`: one bounded load against 127.0.0.1, then (optionally) verification of the
/// campaign, then a human summary on stdout and the JSON, HTML and wins files.
struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Drive grabs (or GET /health, or the campaign page) in a closed or open model and report.")

    enum Target: String, ExpressibleByArgument, CaseIterable { case grab, health, page }
    enum Model: String, ExpressibleByArgument, CaseIterable { case closed, open }

    @OptionGroup var server: ServerOptions

    @Option(help: "A name for this run in the reports.")
    var label = "run"

    @Option(
        help: "grab (POST …/grab with the tokens), health (GET /health, the trivial endpoint) or page (GET /campaigns/<campaign>, anonymous).")
    var target: Target = .grab

    @Option(help: "Campaign id (grab).")
    var campaign: String?

    @Option(help: "Lot id (grab).")
    var lot: String?

    @Option(help: "Token file, `orgID token` per line (grab).")
    var tokensFile: String?

    @Option(help: "closed: each connection sends when answered; open: arrivals at --rate whatever the server does.")
    var model: Model = .closed

    @Option(help: "Keep-alive connections.")
    var connections = 64

    @Option(help: "Requests in flight per connection (HTTP/1.1 pipelining; 1 = none).")
    var pipeline = 1

    @Option(help: "Event-loop threads of the generator.")
    var threads = 1

    @Option(help: "Seconds of load (the run stops sending then, and waits a bounded grace for answers).")
    var durationS = 10

    @Option(help: "At most this many requests (or arrivals) in total.")
    var requestsMax = 2_000_000

    @Option(help: "Open model: arrivals per second.")
    var rate: Double?

    @Option(help: "Open model spike: arrivals per second during the spike.")
    var spikeRate: Double?

    @Option(help: "Spike start, seconds after the run starts.")
    var spikeAtS: Double = 0

    @Option(help: "Spike length in seconds.")
    var spikeDurationS: Double = 1

    @Option(help: "Start the load at this wall-clock instant (Unix ms), e.g. a second before the campaign opens.")
    var startAtUnixMs: Int64?

    @Option(help: "A request unanswered after this many ms is a timeout.")
    var timeoutMs = 2_000

    @Option(help: "The server's PID: its CPU and memory go into the report.")
    var serverPid: Int32?

    @Option(name: .customLong("watch-pid"), help: "name=PID of another process to report CPU for (with its children), e.g. redis=123 (repeatable).")
    var watchPids: [String] = []

    @Option(help: "Output prefix: writes PREFIX.json, PREFIX.html and PREFIX.wins.tsv.")
    var out = "LoadTests/out/run"

    @Flag(help: "After the load, wait for the claim sink and verify the campaign (needs psql, VOUCHER_POSTGRES_PORT, VOUCHER_DB_PASSWORD).")
    var verify = false

    @Option(help: "Operator token file (verification reads the campaign's remaining stock with it).")
    var operatorTokenFile: String?

    @Option(help: "voucherctl binary for `campaign verify` (skipped if absent).")
    var voucherctl: String?

    @Option(help: "PostgreSQL database name.")
    var database = "voucherrush"

    @Option(help: "Seconds to wait for the claim sink to drain.")
    var drainWaitS = 120

    func validate() throws {
        guard (1...Limits.connectionsMax).contains(connections) else { throw ValidationError("--connections must be 1 to \(Limits.connectionsMax)") }
        guard (1...Limits.pipelineDepthMax).contains(pipeline) else { throw ValidationError("--pipeline must be 1 to \(Limits.pipelineDepthMax)") }
        guard (1...Limits.threadsMax).contains(threads), threads <= connections else {
            throw ValidationError("--threads must be 1 to \(Limits.threadsMax) and at most --connections")
        }
        guard (1...Limits.durationSecondsMax).contains(durationS) else {
            throw ValidationError("--duration-s must be 1 to \(Limits.durationSecondsMax)")
        }
        guard (1...Limits.requestsMax).contains(requestsMax) else { throw ValidationError("--requests-max must be 1 to \(Limits.requestsMax)") }
        guard (1...60_000).contains(timeoutMs) else { throw ValidationError("--timeout-ms must be 1 to 60000") }
        guard (1...Limits.drainWaitSecondsMax).contains(drainWaitS) else {
            throw ValidationError("--drain-wait-s must be 1 to \(Limits.drainWaitSecondsMax)")
        }
        if model == .open {
            guard let rate, rate > 0, rate <= Double(Limits.rateMax) else {
                throw ValidationError("the open model needs --rate from 1 to \(Limits.rateMax)")
            }
            if let spikeRate {
                guard spikeRate > 0, spikeRate <= Double(Limits.rateMax) else { throw ValidationError("--spike-rate must be 1 to \(Limits.rateMax)") }
            }
        }
        if target == .page {
            guard let campaign, Verifier.isSafeID(campaign) else { throw ValidationError("page needs --campaign (the id the API returned)") }
        }
        if target == .grab {
            guard let campaign, let lot, tokensFile != nil, Verifier.isSafeID(campaign), Verifier.isSafeID(lot) else {
                throw ValidationError("grab needs --campaign, --lot (ids as the API returned them) and --tokens-file")
            }
        }
        if verify {
            guard target == .grab, operatorTokenFile != nil else { throw ValidationError("--verify needs the grab target and --operator-token-file") }
        }
        for entry in watchPids { guard Self.parseWatch(entry) != nil else { throw ValidationError("--watch-pid takes name=PID, got \(entry)") } }
    }

    static func parseWatch(_ entry: String) -> (String, Int32)? {
        let parts = entry.split(separator: "=", maxSplits: 1)
        guard parts.count == 2, let pid = Int32(parts[1]), pid > 0 else { return nil }
        return (String(parts[0]), pid)
    }

    func run() async throws {
        let tokens = target == .grab ? try TokenFile.read(tokensFile ?? "") : []
        let requests = buildRequests(tokens)
        let timelineSeconds = durationS + Limits.drainGraceSeconds + 2
        let startUptimeNs = startInstant()
        let startedAtUnixMs = Int64(Date().timeIntervalSince1970 * 1_000) + (Int64(startUptimeNs) - Int64(Clock.nowNs())) / 1_000_000

        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        let loops = Array(group.makeIterator())
        let drivers = loops.enumerated().map { index, loop in
            Driver(loop: loop, plan: plan(index: index, requests: requests, startUptimeNs: startUptimeNs, timelineSeconds: timelineSeconds))
        }
        let watched = watchPids.compactMap(Self.parseWatch)
        let before = Usage.sample(serverPID: serverPid, watched: watched)
        let (merged, cpuSeconds) = try await Self.drive(drivers, startUptimeNs: startUptimeNs, seconds: timelineSeconds, serverPID: serverPid)
        let after = Usage.sample(serverPID: serverPid, watched: watched)
        try await group.shutdownGracefully()

        var report = makeReport(merged, tokens: tokens, startedAtUnixMs: startedAtUnixMs, cpuPerSecond: cpuSeconds, before: before, after: after)
        report.connectFailures = drivers.reduce(0) { $0 + $1.connectFailures }
        let wins = merged.wins.map { (voucherID: $0.voucherID, orgID: tokens.isEmpty ? "" : tokens[Int($0.tokenIndex)].orgID) }
        if target == .grab {
            report.winsFile = out + ".wins.tsv"
            try write(wins.map { "\($0.voucherID)\t\($0.orgID)\n" }.joined(), to: out + ".wins.tsv")
        }
        if verify, let campaign, let operatorTokenFile {
            let verifier = Verifier(
                port: server.port, operatorToken: try TokenFile.operatorToken(operatorTokenFile), campaignID: campaign,
                psql: PSQL(database: database), voucherctl: voucherctl, drainWaitSeconds: drainWaitS)
            report.verification = try await verifier.verify(wins: wins, duplicateWins: report.duplicateWins, loadEndedUnixMs: report.endedAtUnixMs)
        }
        try write(String(decoding: try RunReport.encoder.encode(report), as: UTF8.self) + "\n", to: out + ".json")
        try write(HTMLReport.page([report]), to: out + ".html")
        print(report.summary)
        print("   reports: \(out).json \(out).html")
        if let verification = report.verification, !verification.passed { throw ExitCode(1) }
    }

    private func buildRequests(_ tokens: [(orgID: String, token: String)]) -> [ByteBuffer] {
        switch target {
        case .health:
            return [HTTPWire.request(method: "GET", path: "/health", port: server.port, bearer: nil)]
        case .page:
            return [HTTPWire.request(method: "GET", path: "/campaigns/\(campaign ?? "")", port: server.port, bearer: nil)]
        case .grab:
            let path = "/v1/campaigns/\(campaign ?? "")/lots/\(lot ?? "")/grab"
            return tokens.map { HTTPWire.request(method: "POST", path: path, port: server.port, bearer: $0.token) }
        }
    }

    /// The monotonic instant the load starts: `--start-at-unix-ms` mapped onto the monotonic
    /// clock, or shortly from now so the connections are up when the clock starts.
    private func startInstant() -> UInt64 {
        let now = Clock.nowNs()
        let earliest = now + UInt64(Limits.startDelayMillis) * 1_000_000
        guard let startAtUnixMs else { return earliest }
        let wallNowMs = Int64(Date().timeIntervalSince1970 * 1_000)
        let aheadMs = startAtUnixMs - wallNowMs
        return aheadMs > Limits.startDelayMillis ? now + UInt64(aheadMs) * 1_000_000 : earliest
    }

    /// This loop's share: connections, rate and count split evenly (the first loops take the remainder).
    private func plan(index: Int, requests: [ByteBuffer], startUptimeNs: UInt64, timelineSeconds: Int) -> DriverPlan {
        func share(_ total: Int) -> Int { total / threads + (index < total % threads ? 1 : 0) }
        let loadModel: LoadModel
        switch model {
        case .closed:
            loadModel = .closed
        case .open:
            loadModel = .open(
                ArrivalSchedule(
                    ratePerSecond: (rate ?? 1) / Double(threads), spikeRatePerSecond: spikeRate.map { $0 / Double(threads) },
                    spikeStartNs: UInt64(max(0, spikeAtS) * 1e9), spikeDurationNs: UInt64(max(0, spikeDurationS) * 1e9)))
        }
        return DriverPlan(
            model: loadModel, port: server.port, connections: share(connections), pipelineDepth: pipeline,
            startUptimeNs: startUptimeNs, durationNs: UInt64(durationS) * 1_000_000_000, requestsMax: max(1, share(requestsMax)),
            timeoutNs: UInt64(timeoutMs) * 1_000_000, isGrab: target == .grab, requests: requests,
            tokenStart: index, tokenStride: threads, timelineSeconds: timelineSeconds)
    }

    private enum Piece: Sendable {
        case recorder(Recorder)
        case samples([Usage.PerSecond])
    }

    /// Runs every driver and a once-a-second CPU sampler; the sampler stops when the drivers do.
    private static func drive(
        _ drivers: [Driver], startUptimeNs: UInt64, seconds: Int, serverPID: Int32?
    ) async throws -> (Recorder, [Usage.PerSecond]) {
        try await withThrowingTaskGroup(of: Piece.self) { group in
            group.addTask { .samples(await Usage.perSecond(startUptimeNs: startUptimeNs, seconds: seconds, serverPID: serverPID)) }
            for driver in drivers { group.addTask { .recorder(try await driver.run()) } }
            var merged = Recorder(seconds: seconds)
            var samples: [Usage.PerSecond] = []
            var running = drivers.count
            while let piece = try await group.next() {
                switch piece {
                case .recorder(let recorder):
                    merged.merge(recorder)
                    running -= 1
                    if running == 0 { group.cancelAll() }
                case .samples(let perSecond):
                    samples = perSecond
                }
            }
            return (merged, samples)
        }
    }

    private func write(_ text: String, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }
}
