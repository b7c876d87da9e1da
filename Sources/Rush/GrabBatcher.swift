import NIOCore
import RedisNIO
import Synchronization

/// Group commit of the grab path: the grabs of one lot that arrive while the lot's script calls
/// are at Redis wait here and go together in the next call, in the order they arrived, as one
/// `grab.lua` call that decides them one after the other atomically. With `appendfsync always`
/// Redis fsyncs once per event-loop turn for what it read in that turn, so a batch of N grabs
/// costs one script call, one reply, one AOF write and a share of one fsync instead of N; an
/// uncontended grab goes at once in a batch of one.
///
/// First come, first served per server: a batch is taken from the head of the lot's queue, and a
/// lot has at most `callsInFlight` calls at Redis. On one Redis server they are pipelined: each
/// batch is put on the lot's connection in the same critical section that takes it from the
/// queue, so the calls run at Redis in the order their grabs arrived while the next batch forms
/// during the previous call's fsync. In cluster mode (redirects, `WAIT` after each call) a lot
/// has one call at a time. Limits and idempotency stay exact because the script decides every
/// grab of a batch in order on what the ones before it (in this call and the earlier ones) wrote.
final class GrabBatcher: Sendable {
    /// Grabs decided by one script call at most (its arguments stay well under Lua's stack bound).
    static let batchSizeMax = 256

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

    /// A batch taken from a lot's queue, and its call if it was put on the connection.
    private struct Started {
        let batch: [Waiter]
        let call: Result<EventLoopFuture<RESPValue>, any Error>?
    }

    private let redis: RedisClient
    /// When set, each script call is followed by `WAIT` on its connection (see `GrabReplication`).
    private let replication: GrabReplication?
    /// Calls of one lot at Redis at a time (1 in cluster mode or with replication).
    private let callsInFlight: Int
    /// Lot key → its queue. Guarded by the mutex; an idle lot is removed.
    private let lots = Mutex<[String: Lot]>([:])

    init(redis: RedisClient, replication: GrabReplication? = nil, callsInFlight: Int) {
        precondition(callsInFlight > 0, "a lot needs at least one call in flight")
        self.redis = redis
        self.replication = replication
        self.callsInFlight = redis.isCluster || replication != nil ? 1 : callsInFlight
    }

    /// Decides one grab, together with the others of the lot in flight.
    func grab(_ keys: LotKeys, orgID: String, idempotencyKey: String) async throws -> GrabOutcome {
        try await withCheckedThrowingContinuation { continuation in
            let waiter = Waiter(orgID: orgID, idempotencyKey: idempotencyKey, continuation: continuation)
            let started = lots.withLock { lots -> Started? in
                var lot = lots[keys.meta] ?? Lot()
                lot.waiting.append(waiter)
                defer { lots[keys.meta] = lot }
                guard lot.callsInFlight < callsInFlight else { return nil }
                lot.callsInFlight += 1
                return start(keys, &lot)
            }
            if let started { follow(keys, started) }
        }
    }

    /// Takes the next batch off the lot's queue and, on one Redis server, puts its call on the
    /// connection; called with the lots' lock held, which is what orders the calls.
    private func start(_ keys: LotKeys, _ lot: inout Lot) -> Started {
        let count = min(lot.waiting.count, Self.batchSizeMax)
        let batch = Array(lot.waiting.prefix(count))
        lot.waiting.removeFirst(count)
        guard replication == nil else { return Started(batch: batch, call: nil) }
        do {
            let command = RESPCommand.evalsha(GrabScript.script, keys: keys.grabKeys, arguments: arguments(keys, batch))
            guard let future = try redis.enqueue(command, orderingKey: keys.meta) else {
                return Started(batch: batch, call: nil)
            }
            return Started(batch: batch, call: .success(future))
        } catch {
            return Started(batch: batch, call: .failure(error))
        }
    }

    /// Answers a started batch when its call comes back, then starts the lot's next batch, if any.
    private func follow(_ keys: LotKeys, _ started: Started) {
        switch started.call {
        case .success(let future):
            future.whenComplete { result in
                switch result {
                case .success(let reply):
                    if reply.isNoScriptError {
                        // Redis lost its scripts (restart, SCRIPT FLUSH): this batch loads the script
                        // and goes again; one of another batch in flight may now run before it.
                        self.sendThenNext(keys, started.batch)
                        return
                    }
                    self.deliver(started.batch, Result { try reply.checked() }, unconfirmed: false)
                case .failure(let error):
                    self.deliver(started.batch, .failure(error), unconfirmed: false)
                }
                self.next(keys)
            }
        case .failure(let error):
            deliver(started.batch, .failure(error), unconfirmed: false)
            next(keys)
        case nil:
            sendThenNext(keys, started.batch)
        }
    }

    /// The batch through the client's `evalsha` (cluster mode, replication, a NOSCRIPT reload),
    /// then the lot's next batch.
    private func sendThenNext(_ keys: LotKeys, _ batch: [Waiter]) {
        Task {
            await send(keys, batch)
            next(keys)
        }
    }

    /// One call of the lot came back: its slot goes to the next batch, or the lot idles.
    private func next(_ keys: LotKeys) {
        let started = lots.withLock { lots -> Started? in
            guard var lot = lots[keys.meta] else { return nil }
            if lot.waiting.isEmpty {
                lot.callsInFlight -= 1
                lots[keys.meta] = lot.callsInFlight == 0 ? nil : lot
                return nil
            }
            defer { lots[keys.meta] = lot }
            return start(keys, &lot)
        }
        if let started { follow(keys, started) }
    }

    /// The script's arguments for `batch`: the lot, then each grab's enterprise and idempotency key.
    private func arguments(_ keys: LotKeys, _ batch: [Waiter]) -> [String] {
        var arguments = [keys.lotID]
        arguments.reserveCapacity(1 + 2 * batch.count)
        for waiter in batch { arguments += [waiter.orgID, waiter.idempotencyKey] }
        return arguments
    }

    /// Every waiter of the batch gets its own outcome from the call's reply, or the call's error.
    private func deliver(_ batch: [Waiter], _ reply: Result<RESPValue, any Error>, unconfirmed: Bool) {
        let replies: [RESPValue]
        do {
            let reply = try reply.get()
            guard let array = reply.array, array.count == batch.count else { throw RedisClientError.unexpectedReply(reply) }
            replies = array
        } catch {
            for waiter in batch { waiter.continuation.resume(throwing: error) }
            return
        }
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
    }

    /// One script call for the batch through the client's `evalsha` (NOSCRIPT reloads, cluster
    /// redirects, `WAIT` with replication); every waiter gets its own outcome, or the call's error.
    private func send(_ keys: LotKeys, _ batch: [Waiter]) async {
        let arguments = arguments(keys, batch)
        do {
            if let replication {
                let answer = try await redis.evalsha(
                    GrabScript.script, keys: keys.grabKeys, arguments: arguments, thenWaitForReplicas: replication.replicas,
                    timeoutMilliseconds: replication.timeoutMilliseconds)
                deliver(batch, .success(answer.reply), unconfirmed: answer.acknowledged < replication.replicas)
            } else {
                deliver(batch, .success(try await redis.evalsha(GrabScript.script, keys: keys.grabKeys, arguments: arguments)), unconfirmed: false)
            }
        } catch {
            deliver(batch, .failure(error), unconfirmed: false)
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
