import Synchronization

/// Thrown when an operation did not finish within its deadline.
public struct DeadlineExceeded: Error, CustomStringConvertible {
    public let seconds: Double
    public var description: String { "no answer within \(seconds) s" }
}

/// The first of `operation`'s answer, `duration` passing and the caller's cancellation, without
/// waiting for the loser: postgres-nio 1.33.2 may never end a query that was in flight when its
/// server stopped, nor a lease while it waits for a server that is down, and neither a grab,
/// `/ready`, the claim sink nor a graceful shutdown may wait for it (a task group would, for its
/// child: `/ready` once hung a whole test run that way, and the sink once stopped for good). The
/// loser is cancelled and left to end by itself; it holds at most a pending lease, which the pool
/// fails when it reconnects or shuts down.
public func withDeadline<T: Sendable>(
    _ duration: Duration, _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    let once = ResumeOnce<T>()
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { continuation in
            let work = Task {
                do { once.finish(.success(try await operation())) } catch { once.finish(.failure(error)) }
            }
            let timer = Task {
                guard (try? await Task.sleep(for: duration)) != nil else { return }
                let (seconds, attoseconds) = duration.components
                once.finish(.failure(DeadlineExceeded(seconds: Double(seconds) + Double(attoseconds) / 1e18)))
            }
            once.set(continuation, losers: [work, timer])
        }
    } onCancel: {
        once.finish(.failure(CancellationError()))
    }
}

/// A continuation resumed by whichever caller comes first; a result that arrives before the
/// continuation is kept and delivered when it is set.
final class ResumeOnce<T: Sendable>: Sendable {
    private enum State {
        case waiting
        case suspended(CheckedContinuation<T, any Error>, [Task<Void, Never>])
        case early(Result<T, any Error>)
        case done
    }

    private let state = Mutex<State>(.waiting)

    func set(_ continuation: CheckedContinuation<T, any Error>, losers: [Task<Void, Never>]) {
        let early = state.withLock { state -> Result<T, any Error>? in
            switch state {
            case .early(let result):
                state = .done
                return result
            default:
                state = .suspended(continuation, losers)
                return nil
            }
        }
        if let early {
            for task in losers { task.cancel() }
            continuation.resume(with: early)
        }
    }

    /// Resumes with `result` unless another caller did; true when this one did (or, before the
    /// continuation is set, when this result is the one it will get). The other tasks are cancelled.
    @discardableResult
    func finish(_ result: Result<T, any Error>) -> Bool {
        let (won, taken) = state.withLock { state -> (Bool, (CheckedContinuation<T, any Error>, [Task<Void, Never>])?) in
            switch state {
            case .waiting:
                state = .early(result)
                return (true, nil)
            case .suspended(let continuation, let losers):
                state = .done
                return (true, (continuation, losers))
            case .early, .done:
                return (false, nil)
            }
        }
        if let (continuation, losers) = taken {
            for task in losers { task.cancel() }
            continuation.resume(with: result)
        }
        return won
    }
}
