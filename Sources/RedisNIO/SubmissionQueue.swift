import Logging
import NIOCore
import Synchronization

/// Hands commands from any thread to one connection's event loop, batching them.
///
/// Callers encode their command straight into a shared outgoing buffer under `state`'s mutex;
/// the first caller of a batch schedules one drain on the event loop, which writes and flushes
/// the whole batch at once. So N concurrent callers cost one write, one flush and one event-loop
/// task, not N. Sendable because all mutable state is behind the `state` mutex or atomic.
final class SubmissionQueue: Sendable {
    private struct State {
        var outgoing: ByteBuffer
        var replies: [PendingReply]
        var drainScheduled = false
        var closedError: RedisClientError?
    }

    /// What the caller must do after `enqueue`.
    enum EnqueueOutcome {
        /// First command of a batch: schedule a drain on the event loop.
        case scheduleDrain
        /// A drain is already scheduled and will pick this command up.
        case batched
    }

    private let state: Mutex<State>
    /// Commands accepted and not yet answered or failed (queued here or pending in the handler).
    private let inFlight = Atomic<Int>(0)
    private let allocator: ByteBufferAllocator
    /// The backpressure bound of this connection.
    let pendingCommandsMax: Int

    init(allocator: ByteBufferAllocator, pendingCommandsMax: Int) {
        self.allocator = allocator
        self.pendingCommandsMax = pendingCommandsMax
        self.state = Mutex(State(outgoing: allocator.buffer(capacity: RedisLimits.outgoingBufferCapacity), replies: []))
    }

    /// Reserves a pending slot, encodes `command` into the batch and records who waits for the reply.
    /// On a thrown error nothing was recorded: the caller still owns `waiter`.
    func enqueue(
        _ command: RESPCommand,
        waiter: PendingReply.Waiter,
        deadline: NIODeadline
    ) throws(RedisClientError) -> EnqueueOutcome {
        let previous = inFlight.wrappingAdd(1, ordering: .relaxed).oldValue
        if previous >= pendingCommandsMax {
            inFlight.wrappingSubtract(1, ordering: .relaxed)
            throw .backpressure(pendingCommandsMax: pendingCommandsMax)
        }
        let outcome = state.withLock { state -> Result<EnqueueOutcome, RedisClientError> in
            if let error = state.closedError { return .failure(error) }
            state.outgoing.writeRESPCommand(command)
            state.replies.append(PendingReply(waiter: waiter, deadline: deadline))
            if state.drainScheduled { return .success(.batched) }
            state.drainScheduled = true
            return .success(.scheduleDrain)
        }
        switch outcome {
        case .success(let outcome):
            return outcome
        case .failure(let error):
            inFlight.wrappingSubtract(1, ordering: .relaxed)
            throw error
        }
    }

    /// Enqueues `commands` back to back in one batch, nothing of another caller between them (what
    /// `ASKING` before a command, or `WAIT` after a script, needs), one waiter each in order. On a
    /// thrown error nothing was recorded.
    func enqueue(
        _ commands: [RESPCommand],
        waiters: [PendingReply.Waiter],
        deadline: NIODeadline
    ) throws(RedisClientError) -> EnqueueOutcome {
        precondition(commands.count == waiters.count && !commands.isEmpty, "one waiter per command")
        let previous = inFlight.wrappingAdd(commands.count, ordering: .relaxed).oldValue
        if previous + commands.count > pendingCommandsMax {
            inFlight.wrappingSubtract(commands.count, ordering: .relaxed)
            throw .backpressure(pendingCommandsMax: pendingCommandsMax)
        }
        let outcome = state.withLock { state -> Result<EnqueueOutcome, RedisClientError> in
            if let error = state.closedError { return .failure(error) }
            for (command, waiter) in zip(commands, waiters) {
                state.outgoing.writeRESPCommand(command)
                state.replies.append(PendingReply(waiter: waiter, deadline: deadline))
            }
            if state.drainScheduled { return .success(.batched) }
            state.drainScheduled = true
            return .success(.scheduleDrain)
        }
        switch outcome {
        case .success(let outcome):
            return outcome
        case .failure(let error):
            inFlight.wrappingSubtract(commands.count, ordering: .relaxed)
            throw error
        }
    }

    /// Takes the current batch (bytes and promises, in the same order); `nil` when empty.
    func takeBatch() -> (bytes: ByteBuffer, replies: [PendingReply])? {
        let fresh = allocator.buffer(capacity: RedisLimits.outgoingBufferCapacity)
        return state.withLock { state in
            state.drainScheduled = false
            guard !state.replies.isEmpty else { return nil }
            var bytes = fresh
            swap(&bytes, &state.outgoing)
            var replies: [PendingReply] = []
            replies.reserveCapacity(state.replies.count)
            swap(&replies, &state.replies)
            return (bytes, replies)
        }
    }

    /// Refuses every later command with `error` and returns the queued ones for the caller to fail.
    func close(with error: RedisClientError) -> [PendingReply] {
        state.withLock { state in
            if state.closedError == nil { state.closedError = error }
            state.outgoing.clear()
            var replies: [PendingReply] = []
            swap(&replies, &state.replies)
            return replies
        }
    }

    /// Gives back `count` pending slots once their replies were delivered or failed.
    func release(_ count: Int) {
        guard count > 0 else { return }
        inFlight.wrappingSubtract(count, ordering: .relaxed)
    }

    /// Commands in flight, for tests and metrics.
    var inFlightCount: Int { inFlight.load(ordering: .relaxed) }
}
