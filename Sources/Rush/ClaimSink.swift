import Foundation
import Logging
import Metrics
import PostgresStore
import RedisNIO
import ServiceLifecycle
import VoucherCore

/// Drains the campaigns' claim streams into PostgreSQL: reads with a consumer group in bounded
/// batches, stores vouchers and their ledger grants in one transaction (idempotent), and XACKs
/// only after the commit. Entries a dead consumer left pending are taken over (XAUTOCLAIM); an
/// entry that fails `deliveriesMax` times goes to the campaign's dead-letter stream with an error
/// log and a metric, so a poison message never loops forever.
public struct ClaimSink: Service {
    /// The consumer group every sink instance shares.
    public static let group = "sink"
    /// Entries read per XREADGROUP.
    public static let batchSizeMax = 512
    /// Failed store attempts of one entry before it is dead-lettered.
    public static let deliveriesMax = 5
    /// How long an entry must sit with a consumer before another takes it over.
    public static let reclaimIdleDefault: Duration = .seconds(30)
    /// How often the list of drained campaigns and the reclaim pass are refreshed.
    public static let housekeepingIntervalDefault: Duration = .seconds(2)
    /// Pause when a pass found nothing to do.
    public static let idlePause: Duration = .milliseconds(20)
    /// Bounds of the retry pause while PostgreSQL or Redis fails.
    public static let backoffMin: Duration = .milliseconds(100)
    public static let backoffMax: Duration = .seconds(2)
    /// Entries whose failures are counted at most (a bound, not a tuning knob).
    static let failuresTrackedMax = 100_000
    /// How long one PostgreSQL call of a pass may take before the pass gives it up and retries.
    /// postgres-nio 1.33.2 was seen never answering a query that was in flight when its server
    /// stopped: without a bound the sink stopped draining for good, and the server's graceful
    /// shutdown waited for it. A given-up store that commits later is harmless: the entries stay
    /// pending until acknowledged, and storing them again inserts nothing.
    public static let storeCallDeadline: Duration = .seconds(30)
    /// Ended campaigns keep being drained this long.
    public static let drainAfterEnd: Duration = .seconds(7 * 86_400)

    let redis: RedisClient
    let claims: ClaimsRepository
    let campaigns: CampaignsRepository
    let consumer: String
    let logger: Logger
    let metrics: SinkMetrics
    let reclaimIdle: Duration
    let housekeepingInterval: Duration
    /// Cluster mode: a claim is stored only once this many replicas hold it (see `confirmed`).
    let replication: GrabReplication?
    /// Test hook: called after a batch committed and before its XACK (to simulate a crash there).
    let afterCommit: @Sendable ([Claim]) async throws -> Void

    public init(
        redis: RedisClient, claims: ClaimsRepository, campaigns: CampaignsRepository,
        consumer: String = "sink-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))",
        logger: Logger,
        reclaimIdle: Duration = ClaimSink.reclaimIdleDefault,
        housekeepingInterval: Duration = ClaimSink.housekeepingIntervalDefault,
        replication: GrabReplication? = nil,
        afterCommit: @escaping @Sendable ([Claim]) async throws -> Void = { _ in }
    ) {
        self.replication = replication
        self.reclaimIdle = reclaimIdle
        self.housekeepingInterval = housekeepingInterval
        self.redis = redis
        self.claims = claims
        self.campaigns = campaigns
        self.consumer = consumer
        self.logger = logger
        self.metrics = SinkMetrics()
        self.afterCommit = afterCommit
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await loop()
        }
    }

    /// The drain loop; returns when the task is cancelled.
    func loop() async {
        var streams: [String] = []
        var lastHousekeeping: ContinuousClock.Instant?
        var failures: [String: Int] = [:]
        var backoff = Self.backoffMin
        while !Task.isCancelled {
            do {
                if lastHousekeeping.map({ .now - $0 >= housekeepingInterval }) ?? true {
                    streams = try await refreshStreams(current: streams)
                    for stream in streams { try await reclaim(stream, failures: &failures) }
                    lastHousekeeping = .now
                }
                var moved = 0
                for stream in streams {
                    moved += try await drain(stream, id: "0", failures: &failures)
                    moved += try await drain(stream, id: ">", failures: &failures)
                }
                backoff = Self.backoffMin
                if moved == 0 { try await Task.sleep(for: Self.idlePause) }
            } catch is CancellationError {
                return
            } catch {
                if Task.isCancelled { return }
                // A stream archived under us (`campaign archive` deleted it with its group): list
                // the campaigns again after the pause, which leaves it out, rather than wait for
                // the housekeeping interval.
                if case RedisClientError.server(let message) = error, message.hasPrefix("NOGROUP") { lastHousekeeping = nil }
                logger.warning(
                    "sink.pass_failed",
                    metadata: [
                        "error": "\(String(reflecting: error))",
                        "sink.backoff_ms": "\(backoff.components.seconds * 1000 + backoff.components.attoseconds / 1_000_000_000_000_000)",
                    ])
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, Self.backoffMax)
            }
        }
    }

    /// The streams of campaigns that may hold claims; on a PostgreSQL failure the old list stays.
    func refreshStreams(current: [String]) async throws -> [String] {
        do {
            let campaigns = self.campaigns
            let ids = try await withDeadline(Self.storeCallDeadline) {
                try await campaigns.drainableCampaignIDs(endedWithin: Self.drainAfterEnd)
            }
            let streams = ids.map { CampaignKeys(campaignID: $0).stream }
            for stream in streams where !current.contains(stream) {
                _ = try await redis.xgroupCreate(stream, group: Self.group, startID: "0")
            }
            return streams
        } catch {
            if current.isEmpty || error is CancellationError { throw error }
            return current
        }
    }

    /// Reads one batch (`0`: this consumer's pending entries; `>`: new ones) and stores it.
    /// Returns how many entries were acknowledged or dead-lettered.
    func drain(_ stream: String, id: String, failures: inout [String: Int]) async throws -> Int {
        let entries = try await redis.xreadgroup(group: Self.group, consumer: consumer, stream: stream, count: Self.batchSizeMax, id: id)
        guard !entries.isEmpty else { return 0 }
        return try await process(entries, stream: stream, failures: &failures)
    }

    /// Takes over entries idle with another (dead) consumer and processes them here.
    func reclaim(_ stream: String, failures: inout [String: Int]) async throws {
        let idle = reclaimIdle.components.seconds * 1000 + reclaimIdle.components.attoseconds / 1_000_000_000_000_000
        let claimed = try await redis.xautoclaim(stream, group: Self.group, consumer: consumer, minIdleMilliseconds: idle, count: Self.batchSizeMax)
        if !claimed.entries.isEmpty {
            logger.notice("sink.reclaimed", metadata: ["sink.stream": "\(stream)", "sink.entries": "\(claimed.entries.count)"])
            metrics.reclaimed.increment(by: Int64(claimed.entries.count))
            _ = try await process(claimed.entries, stream: stream, failures: &failures)
        }
        let summary = try await redis.xpending(stream, group: Self.group)
        let length = try await redis.xlen(stream)
        metrics.pending.record(summary.count)
        metrics.streamLength.record(length)
    }

    /// Stores a batch and acknowledges what is stored; a malformed or unstorable entry counts a
    /// failure, and at `deliveriesMax` moves to the dead-letter stream.
    func process(_ entries: [RedisStreamEntry], stream: String, failures: inout [String: Int]) async throws -> Int {
        let entries = try await confirmed(entries, stream: stream)
        guard !entries.isEmpty else { return 0 }
        var parsed: [Claim] = []
        var malformed: [RedisStreamEntry] = []
        for entry in entries {
            if let claim = Claim(entryID: entry.id, fields: entry.fields) { parsed.append(claim) } else { malformed.append(entry) }
        }
        metrics.batchSize.record(entries.count)
        let started = ContinuousClock.now
        let (claims, batch) = (self.claims, parsed)
        let stored = try await withDeadline(Self.storeCallDeadline) { try await claims.store(batch) }
        metrics.insertLatency.recordInterval(since: started)
        let done = parsed.filter { stored.contains($0.voucherID) }
        try await afterCommit(done)
        if !done.isEmpty {
            try await redis.xack(stream, group: Self.group, ids: done.map(\.entryID))
            for claim in done { failures.removeValue(forKey: claim.entryID) }
        }
        // Malformed entries go to the dead letters at once; unstorable ones after `deliveriesMax` tries.
        var dead = 0
        let unstorable = Set(parsed.filter { !stored.contains($0.voucherID) }.map(\.entryID))
        let failed = malformed.map { ($0, true) } + entries.filter { unstorable.contains($0.id) }.map { ($0, false) }
        for (entry, isMalformed) in failed {
            let count = (failures[entry.id] ?? 0) + 1
            failures[entry.id] = count
            guard isMalformed || count >= Self.deliveriesMax else { continue }
            let reason = isMalformed ? "malformed entry" : "not storable (unknown lot or organisation, over the limit, or a conflicting voucher)"
            try await deadLetter(entry, stream: stream, reason: reason)
            failures.removeValue(forKey: entry.id)
            dead += 1
        }
        if failures.count > Self.failuresTrackedMax { failures.removeAll() }
        return done.count + dead
    }

    /// Cluster mode: the entries a replica holds too. A claim read from a master may not be on its
    /// replica yet (the master answers the sink and feeds the replica in the same instant); stored
    /// in PostgreSQL and then lost with the master, it would be a voucher the new master does not
    /// know and issues again. So the sink claims its entries again with `WAIT` after it on the same
    /// connection (`xclaimJustID`) and keeps only those still pending there once enough replicas
    /// confirm; the others stay pending and are read again (`0`) on a later pass.
    func confirmed(_ entries: [RedisStreamEntry], stream: String) async throws -> [RedisStreamEntry] {
        guard let replication, !entries.isEmpty else { return entries }
        let (ids, acknowledged) = try await redis.xclaimJustID(
            stream, group: Self.group, consumer: consumer, ids: entries.map(\.id), thenWaitForReplicas: replication.replicas,
            timeoutMilliseconds: replication.timeoutMilliseconds)
        guard acknowledged >= replication.replicas else {
            metrics.unconfirmed.increment(by: Int64(entries.count))
            logger.debug("sink.unconfirmed", metadata: ["sink.stream": "\(stream)", "sink.entries": "\(entries.count)"])
            return []
        }
        let kept = Set(ids)
        return entries.filter { kept.contains($0.id) }
    }

    private func deadLetter(_ entry: RedisStreamEntry, stream: String, reason: String) async throws {
        guard let deadStream = CampaignKeys(stream: stream)?.deadLetters else {
            preconditionFailure("the sink drains only campaign claim streams, not \(stream)")
        }
        var fields = entry.fields.map { (field: $0.key, value: $0.value) }.sorted { $0.field < $1.field }
        fields.append((field: "source_id", value: entry.id))
        fields.append((field: "reason", value: reason))
        try await redis.xadd(deadStream, fields: fields)
        try await redis.xack(stream, group: Self.group, ids: [entry.id])
        metrics.deadLetters.increment()
        logger.error("sink.dead_lettered", metadata: ["sink.stream": "\(stream)", "sink.entry": "\(entry.id)", "sink.reason": "\(reason)"])
    }
}

/// The sink's metrics: lag (pending and stream length), batch size, insert latency, dead letters.
struct SinkMetrics: Sendable {
    let pending = Gauge(label: "voucher_sink_pending_entries")
    let streamLength = Gauge(label: "voucher_sink_stream_length")
    let batchSize = Recorder(label: "voucher_sink_batch_size")
    let insertLatency = Metrics.Timer(label: "voucher_sink_insert_seconds")
    let deadLetters = Counter(label: "voucher_sink_dead_letters_total")
    let reclaimed = Counter(label: "voucher_sink_reclaimed_total")
    /// Entries read but not stored yet because no replica confirmed them (cluster mode).
    let unconfirmed = Counter(label: "voucher_sink_unconfirmed_total")
}

extension Metrics.Timer {
    /// Records the time elapsed since `start` (one clock reading, whole nanoseconds).
    func recordInterval(since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
    }
}
