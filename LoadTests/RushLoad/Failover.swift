import ArgumentParser
import Foundation
import NIOCore

/// `rush-load failover`: grabs with an `Idempotency-Key` each, spread over several servers, for a
/// bounded time while ops/failover-test kills a Redis master under them. Unlike `run` it retries:
/// an answer that leaves the grab's fate open (503 `grab_unconfirmed` or `unavailable`, a timeout,
/// a closed connection) is sent again with the same key, on the next server, a bounded number of
/// times, so that a voucher kept by the cluster is acknowledged on the retry (200 with its id)
/// and a lost one is decided afresh. Every voucher acknowledged (201, or 200 on a retry) is
/// written down and checked against PostgreSQL afterwards (`Verifier`), with `voucherctl
/// campaign verify`; the refusals are counted by kind with the first and last of them on the
/// generator's clock, which says how long grabs were refused around the kill.
struct Failover: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Grab with Idempotency-Keys on several servers through a Redis failover, retry open answers, verify.")

    /// Bounds of a failover run (house habit 5).
    enum Bounds {
        static let serversMax = 8
        static let clientsMax = 512
        static let retriesMax = 20
        static let retryPauseMillisMax = 5_000
    }

    @Option(name: .customLong("server-port"), help: "A server's port on 127.0.0.1 (repeat for each server; grabs go round-robin).")
    var serverPorts: [Int] = []

    @Option(help: "Campaign id.")
    var campaign: String

    @Option(help: "Lot id.")
    var lot: String

    @Option(help: "Token file, `orgID token` per line; each client grabs for its own share of them.")
    var tokensFile: String

    @Option(help: "Concurrent clients, each with one request in flight.")
    var clients = 32

    @Option(help: "Seconds during which clients start new grabs (retries of open grabs may go on for a bounded grace).")
    var durationS = 15

    @Option(help: "Sends of one grab after the first, with the same key, while its answer leaves its fate open.")
    var retriesMax = 6

    @Option(help: "Pause before a retry, in ms (the server says Retry-After: 1; a test may be quicker).")
    var retryPauseMs = 300

    @Option(help: "A request unanswered after this many ms is given up (and retried like a 503).")
    var timeoutMs = 5_000

    @Option(help: "Output prefix: writes PREFIX.json and PREFIX.acked.tsv.")
    var out = "LoadTests/out/failover"

    @Option(help: "Operator token file (the verifier reads the campaign's remaining stock with it).")
    var operatorTokenFile: String

    @Option(help: "voucherctl binary for `campaign verify` (its configuration comes from the environment).")
    var voucherctl: String?

    @Option(help: "PostgreSQL database name (port and password from VOUCHER_POSTGRES_PORT and VOUCHER_DB_PASSWORD).")
    var database = "voucherrush"

    @Option(help: "Seconds to wait for the claim sink to drain.")
    var drainWaitS = 60

    func validate() throws {
        guard (1...Bounds.serversMax).contains(serverPorts.count), serverPorts.allSatisfy({ (1...65_535).contains($0) }) else {
            throw ValidationError("give 1 to \(Bounds.serversMax) --server-port values, each 1 to 65535")
        }
        guard Verifier.isSafeID(campaign), Verifier.isSafeID(lot) else { throw ValidationError("--campaign and --lot as the API returned them") }
        guard (1...Bounds.clientsMax).contains(clients) else { throw ValidationError("--clients must be 1 to \(Bounds.clientsMax)") }
        guard (1...Limits.durationSecondsMax).contains(durationS) else {
            throw ValidationError("--duration-s must be 1 to \(Limits.durationSecondsMax)")
        }
        guard (0...Bounds.retriesMax).contains(retriesMax) else { throw ValidationError("--retries-max must be 0 to \(Bounds.retriesMax)") }
        guard (0...Bounds.retryPauseMillisMax).contains(retryPauseMs) else {
            throw ValidationError("--retry-pause-ms must be 0 to \(Bounds.retryPauseMillisMax)")
        }
        guard (1...60_000).contains(timeoutMs) else { throw ValidationError("--timeout-ms must be 1 to 60000") }
        guard (1...Limits.drainWaitSecondsMax).contains(drainWaitS) else {
            throw ValidationError("--drain-wait-s must be 1 to \(Limits.drainWaitSecondsMax)")
        }
    }

    func run() async throws {
        let tokens = try TokenFile.read(tokensFile)
        guard tokens.count >= clients else { throw ValidationError("\(tokensFile) has \(tokens.count) tokens, fewer than --clients \(clients)") }
        let plan = FailoverClient.Plan(
            ports: serverPorts, path: "/v1/campaigns/\(campaign)/lots/\(lot)/grab", tokens: tokens, clients: clients,
            endNs: Clock.nowNs() + UInt64(durationS) * 1_000_000_000, retriesMax: retriesMax,
            retryPause: .milliseconds(retryPauseMs), timeout: .milliseconds(Int64(timeoutMs)))
        let startedAtMs = FailoverClient.unixMs()
        let log = await withTaskGroup(of: FailoverLog.self) { group in
            for index in 0..<clients { group.addTask { await FailoverClient(plan: plan, index: index).run() } }
            var merged = FailoverLog()
            for await one in group { merged.merge(one) }
            return merged
        }
        let endedAtMs = FailoverClient.unixMs()
        var report = FailoverReport(log: log, startedAtUnixMs: startedAtMs, endedAtUnixMs: endedAtMs)
        try write(log.acks.map { "\($0.voucherID)\t\($0.orgID)\t\($0.key)\t\($0.onRetry ? 1 : 0)\n" }.joined(), to: out + ".acked.tsv")
        let verifier = Verifier(
            port: serverPorts[0], operatorToken: try TokenFile.operatorToken(operatorTokenFile), campaignID: campaign,
            psql: PSQL(database: database), voucherctl: voucherctl, drainWaitSeconds: drainWaitS)
        let wins = log.acks.map { (voucherID: $0.voucherID, orgID: $0.orgID) }
        report.verification = try await verifier.verify(wins: wins, duplicateWins: report.duplicateAcks, loadEndedUnixMs: endedAtMs)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try write(String(decoding: try encoder.encode(report), as: UTF8.self) + "\n", to: out + ".json")
        for line in report.summaryLines { print(line) }
        print("   reports: \(out).json \(out).acked.tsv")
        if !(report.verification?.passed ?? false) || report.duplicateAcks > 0 { throw ExitCode(1) }
    }

    private func write(_ text: String, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }
}

/// What the clients saw, merged.
struct FailoverLog: Sendable {
    /// One acknowledged voucher: its id, the enterprise, the Idempotency-Key, and whether it came
    /// on a retry (200 with the voucher the first send had won, or 201 of a fresh decision).
    struct Ack: Sendable {
        var voucherID: String
        var orgID: String
        var key: String
        var onRetry: Bool
    }

    /// Answers by kind (`FailoverClient.Kind` keys), every send counted once.
    var counts: [String: Int] = [:]
    var acks: [Ack] = []
    /// Grabs whose every send left the fate open (their retries spent): the client does not know.
    var gaveUp = 0
    /// The first and last refusal (a 503, a timeout or a closed connection), Unix ms.
    var firstRefusalUnixMs: Int64?
    var lastRefusalUnixMs: Int64?
    /// Every millisecond in which a refusal came: ops/failover-test counts the refused window
    /// from its kill, which the generator does not know (a refusal before the kill, e.g. a
    /// timeout at the opening, is not the failover's). Distinct milliseconds, so at most one
    /// entry per millisecond of the run however many clients were refused.
    var refusalUnixMs: Set<Int64> = []
    var sends = 0
    var grabs = 0

    mutating func merge(_ other: FailoverLog) {
        counts.merge(other.counts, uniquingKeysWith: +)
        acks += other.acks
        gaveUp += other.gaveUp
        sends += other.sends
        grabs += other.grabs
        if let first = other.firstRefusalUnixMs { firstRefusalUnixMs = min(firstRefusalUnixMs ?? first, first) }
        if let last = other.lastRefusalUnixMs { lastRefusalUnixMs = max(lastRefusalUnixMs ?? last, last) }
        refusalUnixMs.formUnion(other.refusalUnixMs)
    }

    mutating func refused(atUnixMs now: Int64) {
        firstRefusalUnixMs = firstRefusalUnixMs ?? now
        lastRefusalUnixMs = now
        refusalUnixMs.insert(now)
    }
}

/// One client: grabs for its share of the tokens, one at a time, each with a fresh key, on the
/// servers in turn; retries an open answer with the same key on the next server.
struct FailoverClient: Sendable {
    /// What every client shares.
    struct Plan: Sendable {
        var ports: [Int]
        var path: String
        var tokens: [(orgID: String, token: String)]
        var clients: Int
        /// No new grab starts after this monotonic instant; retries of an open one still may.
        var endNs: UInt64
        var retriesMax: Int
        var retryPause: Duration
        var timeout: TimeAmount
    }

    /// How an answer is counted.
    enum Kind: String, CaseIterable {
        case won = "won_201"
        case wonOnRetry = "won_on_retry_201"
        case keptOnRetry = "kept_on_retry_200"
        case again = "again_200"
        case unconfirmed = "grab_unconfirmed_503"
        case unavailable = "unavailable_503"
        case otherUnavailable = "other_503"
        case soldOut = "sold_out"
        case limitReached = "limit_reached"
        case rateLimited = "rate_limited"
        case other = "other_answer"
        case noAnswer = "timeout_or_closed"
    }

    /// Answers that hand the client its voucher.
    static let acknowledging: Set<Kind> = [.won, .wonOnRetry, .keptOnRetry]
    /// Answers that leave the grab's fate open: retried with the same key.
    static let fateOpen: Set<Kind> = [.unconfirmed, .unavailable, .otherUnavailable, .noAnswer]

    let plan: Plan
    let index: Int

    static func unixMs() -> Int64 { Int64(Date().timeIntervalSince1970 * 1_000) }

    func run() async -> FailoverLog {
        var log = FailoverLog()
        var connections: [Int: KeepAliveConnection] = [:]
        defer { for connection in connections.values { connection.close() } }
        let mine = stride(from: index, to: plan.tokens.count, by: plan.clients).map { $0 }
        var grab = 0
        while Clock.nowNs() < plan.endNs, !Task.isCancelled {
            let tokenIndex = mine[grab % mine.count]
            let key = "fo-\(index)-\(grab)"
            let request = Self.request(path: plan.path, token: plan.tokens[tokenIndex].token, key: key)
            log.grabs += 1
            var attempt = 0
            while true {
                let portIndex = (grab + attempt) % plan.ports.count
                let answer = await send(request, portIndex: portIndex, connections: &connections)
                log.sends += 1
                let kind = Self.kind(answer, attempt: attempt)
                log.counts[kind.rawValue, default: 0] += 1
                if let voucherID = answer?.voucherID, Self.acknowledging.contains(kind) {
                    log.acks.append(.init(voucherID: voucherID, orgID: plan.tokens[tokenIndex].orgID, key: key, onRetry: attempt > 0))
                }
                guard Self.fateOpen.contains(kind) else { break }
                log.refused(atUnixMs: Self.unixMs())
                guard attempt < plan.retriesMax else {
                    log.gaveUp += 1
                    break
                }
                attempt += 1
                try? await Task.sleep(for: plan.retryPause)
            }
            grab += 1
        }
        return log
    }

    /// The answer, or nil when none came (connect failure, timeout, closed connection).
    private func send(_ request: ByteBuffer, portIndex: Int, connections: inout [Int: KeepAliveConnection]) async -> ParsedResponse? {
        do {
            let connection: KeepAliveConnection
            if let open = connections[portIndex] {
                connection = open
            } else {
                connection = try await KeepAliveConnection.connect(port: plan.ports[portIndex], connectTimeout: plan.timeout)
                connections[portIndex] = connection
            }
            let answer = try await connection.send(request, timeout: plan.timeout)
            if answer.closeAfter { connections[portIndex] = nil }
            return answer
        } catch {
            connections[portIndex]?.close()
            connections[portIndex] = nil
            return nil
        }
    }

    static func kind(_ answer: ParsedResponse?, attempt: Int) -> Kind {
        guard let answer else { return .noAnswer }
        switch answer.status {
        case 201: return attempt == 0 ? .won : .wonOnRetry
        case 200: return attempt == 0 ? .again : .keptOnRetry
        case 503:
            switch answer.problemCode {
            case "grab_unconfirmed": return .unconfirmed
            case "unavailable": return .unavailable
            default: return .otherUnavailable
            }
        default:
            switch answer.outcome {
            case .soldOut: return .soldOut
            case .limitReached: return .limitReached
            case .rateLimited: return .rateLimited
            default: return .other
            }
        }
    }

    static func request(path: String, token: String, key: String) -> ByteBuffer {
        ByteBuffer(
            string: "POST \(path) HTTP/1.1\r\nHost: \(Limits.host)\r\nAuthorization: Bearer \(token)\r\n"
                + "Idempotency-Key: \(key)\r\nContent-Length: 0\r\n\r\n")
    }
}

/// The failover run's report: counts, the refusal window, and the verification.
struct FailoverReport: Codable, Sendable {
    var counts: [String: Int]
    var grabs: Int
    var sends: Int
    /// Distinct voucher ids acknowledged (201 or 200 on a retry).
    var acknowledged: Int
    var acknowledgedOnRetry: Int
    /// Voucher ids acknowledged to two different keys: must be 0.
    var duplicateAcks: Int
    var gaveUp: Int
    var startedAtUnixMs: Int64
    var endedAtUnixMs: Int64
    var firstRefusalUnixMs: Int64?
    var lastRefusalUnixMs: Int64?
    /// The distinct milliseconds of every refusal, ascending (`FailoverLog.refusalUnixMs`).
    var refusalUnixMs: [Int64]
    var verification: Verification?

    init(log: FailoverLog, startedAtUnixMs: Int64, endedAtUnixMs: Int64) {
        var counts = Dictionary(uniqueKeysWithValues: FailoverClient.Kind.allCases.map { ($0.rawValue, 0) })
        counts.merge(log.counts, uniquingKeysWith: +)
        self.counts = counts
        grabs = log.grabs
        sends = log.sends
        var keysByVoucher: [String: Set<String>] = [:]
        for ack in log.acks { keysByVoucher[ack.voucherID, default: []].insert(ack.key) }
        acknowledged = keysByVoucher.count
        acknowledgedOnRetry = Set(log.acks.filter(\.onRetry).map(\.voucherID)).count
        duplicateAcks = keysByVoucher.values.filter { $0.count > 1 }.count
        gaveUp = log.gaveUp
        self.startedAtUnixMs = startedAtUnixMs
        self.endedAtUnixMs = endedAtUnixMs
        firstRefusalUnixMs = log.firstRefusalUnixMs
        lastRefusalUnixMs = log.lastRefusalUnixMs
        refusalUnixMs = log.refusalUnixMs.sorted()
    }

    /// Milliseconds from the first refusal to the last (0 when nothing was refused).
    var refusedMs: Int64 { (lastRefusalUnixMs ?? 0) - (firstRefusalUnixMs ?? 0) }

    var summaryLines: [String] {
        let answered503 = [FailoverClient.Kind.unconfirmed, .unavailable, .otherUnavailable].reduce(0) { $0 + counts[$1.rawValue, default: 0] }
        let refusal =
            firstRefusalUnixMs.map { first in
                "grabs refused from +\(first - startedAtUnixMs) ms to +\((lastRefusalUnixMs ?? first) - startedAtUnixMs) ms (\(refusedMs) ms)"
            } ?? "no grab refused"
        return [
            "failover: \(grabs) grabs in \(sends) sends; acknowledged \(acknowledged) (\(acknowledgedOnRetry) on a retry), "
                + "503 answers \(answered503), duplicate acknowledgements \(duplicateAcks), given up \(gaveUp)",
            "   answers: " + counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "),
            "   \(refusal)",
        ] + (verification?.summaryLines ?? [])
    }
}
