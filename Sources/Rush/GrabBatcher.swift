import RedisNIO
import Synchronization

/// Group commit of the grab path: the grabs of one lot that arrive while a script call for that
/// lot is at Redis wait here and go together in the next call, in the order they arrived, as one
/// `grab.lua` call that decides them one after the other atomically. With `appendfsync always`
/// Redis fsyncs once per event-loop turn for what it read in that turn, so a batch of N grabs
/// costs one script call, one reply, one AOF write and a share of one fsync instead of N; an
/// uncontended grab goes at once in a batch of one.
///
/// First come, first served per server: a batch is taken from the head of the lot's queue, and a
/// lot has at most `callsInFlightMax` calls at Redis, sent in order on one pipelined connection.
/// Limits and idempotency stay exact because the script decides every grab of a batch in order
/// on what the ones before it wrote.
final class GrabBatcher: Sendable {
    /// Grabs decided by one script call at most (its arguments stay well under Lua's stack bound).
    static let batchSizeMax = 256
    /// Script calls of one lot at Redis at a time.
    static let callsInFlightMax = 1

    /// One grab waiting for its answer.
    struct Waiter: Sendable {
        let orgID: String
        let idempotencyKey: String
        let continuation: CheckedContinuation<GrabOutcome, any Error>
    }

    private struct Lot {
        var waiting: [Waiter] = []
        var callsInFlight = 0
    }

    private let redis: RedisClient
    /// When set, each script call is followed by `WAIT` on its connection (see `GrabReplication`).
    private let replication: GrabReplication?
    /// Lot key → its queue. Guarded by the mutex; an idle lot is removed.
    private let lots = Mutex<[String: Lot]>([:])

    init(redis: RedisClient, replication: GrabReplication? = nil) {
        self.redis = redis
        self.replication = replication
    }

    /// Decides one grab, together with the others of the lot in flight.
    func grab(_ keys: LotKeys, orgID: String, idempotencyKey: String) async throws -> GrabOutcome {
        try await withCheckedThrowingContinuation { continuation in
            let waiter = Waiter(orgID: orgID, idempotencyKey: idempotencyKey, continuation: continuation)
            let batch = lots.withLock { lots -> [Waiter]? in
                var lot = lots[keys.meta] ?? Lot()
                lot.waiting.append(waiter)
                defer { lots[keys.meta] = lot }
                guard lot.callsInFlight < Self.callsInFlightMax else { return nil }
                lot.callsInFlight += 1
                return Self.takeBatch(&lot)
            }
            if let batch { Task { await self.run(keys, first: batch) } }
        }
    }

    /// Sends batches of the lot until its queue is empty.
    private func run(_ keys: LotKeys, first: [Waiter]) async {
        var batch = first
        while !batch.isEmpty {
            await send(keys, batch)
            batch = lots.withLock { lots -> [Waiter] in
                guard var lot = lots[keys.meta] else { return [] }
                if lot.waiting.isEmpty {
                    lot.callsInFlight -= 1
                    lots[keys.meta] = lot.callsInFlight == 0 ? nil : lot
                    return []
                }
                defer { lots[keys.meta] = lot }
                return Self.takeBatch(&lot)
            }
        }
    }

    private static func takeBatch(_ lot: inout Lot) -> [Waiter] {
        let count = min(lot.waiting.count, batchSizeMax)
        let batch = Array(lot.waiting.prefix(count))
        lot.waiting.removeFirst(count)
        return batch
    }

    /// One script call for the batch; every waiter gets its own outcome, or the call's error.
    private func send(_ keys: LotKeys, _ batch: [Waiter]) async {
        var arguments = [keys.lotID]
        arguments.reserveCapacity(1 + 2 * batch.count)
        for waiter in batch { arguments += [waiter.orgID, waiter.idempotencyKey] }
        do {
            let reply: RESPValue
            var unconfirmed = false
            if let replication {
                let answer = try await redis.evalsha(
                    GrabScript.script, keys: keys.grabKeys, arguments: arguments, thenWaitForReplicas: replication.replicas,
                    timeoutMilliseconds: replication.timeoutMilliseconds)
                reply = answer.reply
                unconfirmed = answer.acknowledged < replication.replicas
            } else {
                reply = try await redis.evalsha(GrabScript.script, keys: keys.grabKeys, arguments: arguments)
            }
            guard let replies = reply.array, replies.count == batch.count else { throw RedisClientError.unexpectedReply(reply) }
            for (waiter, reply) in zip(batch, replies) {
                let outcome = Result(catching: { try GrabOutcome(reply: reply) })
                // A voucher repeated to a retry (`again`) is acknowledged as much as a new one: only
                // once a replica holds it. The script writes on `again` so that WAIT covers it.
                if unconfirmed, case .success(let decided) = outcome, decided.grantsVoucher {
                    waiter.continuation.resume(throwing: GrabUnconfirmed())
                } else {
                    waiter.continuation.resume(with: outcome)
                }
            }
        } catch {
            for waiter in batch { waiter.continuation.resume(throwing: error) }
        }
    }
}

/// "Acknowledged means replicated" on a cluster: after each grab-script call the batcher sends
/// `WAIT replicas timeoutMilliseconds` on the same connection; a voucher won — or repeated to a
/// retry (`again`) — in a call that fewer replicas confirmed in time is answered
/// `GrabUnconfirmed` instead. A retry after a failover to a master without a replica is
/// therefore refused until a replica follows it again, rather than told of a voucher that lives
/// on one node only. (The script writes even on `again`, so the WAIT after it covers the repeated
/// claim though another server's connection wrote it.)
public struct GrabReplication: Sendable, Hashable {
    /// Replicas that must hold the claims before a win is announced (1 on the local cluster).
    public var replicas: Int
    /// How long the master waits for them.
    public var timeoutMilliseconds: Int64

    public init(replicas: Int, timeoutMilliseconds: Int64) {
        precondition(replicas > 0 && timeoutMilliseconds > 0, "WAIT needs a replica count and a timeout")
        self.replicas = replicas
        self.timeoutMilliseconds = timeoutMilliseconds
    }
}

/// The grab won a voucher on the master (its claim is in the master's AOF and stream) but no
/// replica confirmed it in time: a failover now could lose it. The client is told neither "won"
/// nor "lost" but "retry with the same Idempotency-Key": the retry answers the voucher if it was
/// kept, or decides afresh if a failover lost it. So no client believes it lost a voucher it
/// holds, and none holds one it was told it lost.
public struct GrabUnconfirmed: Error, Sendable, Hashable {
    public init() {}
}
