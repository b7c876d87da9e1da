import Synchronization
import VoucherServices

/// Thrown when an operation did not finish within its deadline.
public struct DeadlineExceeded: Error, CustomStringConvertible {
    public let seconds: Double
    public var description: String { "no answer within \(seconds) s" }
}

/// The first of `operation`'s answer and `duration` passing, without waiting for the loser:
/// postgres-nio may not end a query on cancellation while it waits for a connection to a server
/// that is down, and neither a grab nor `/ready` may wait for it (a task group would, for its
/// child: `/ready` once hung a whole test run that way). The loser is cancelled and left to end
/// by itself; it holds at most a pending lease, which the pool fails when it reconnects or shuts down.
public func withDeadline<T: Sendable>(
    _ duration: Duration, _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    let once = ResumeOnce<T>()
    return try await withCheckedThrowingContinuation { continuation in
        once.set(continuation)
        let work = Task {
            do { _ = once.finish(.success(try await operation())) } catch { _ = once.finish(.failure(error)) }
        }
        Task {
            try? await Task.sleep(for: duration)
            let (seconds, attoseconds) = duration.components
            if once.finish(.failure(DeadlineExceeded(seconds: Double(seconds) + Double(attoseconds) / 1e18))) { work.cancel() }
        }
    }
}

/// A continuation resumed by whichever caller comes first.
final class ResumeOnce<T: Sendable>: Sendable {
    private let slot = Mutex<CheckedContinuation<T, any Error>?>(nil)

    func set(_ continuation: CheckedContinuation<T, any Error>) { slot.withLock { $0 = continuation } }

    /// Resumes with `result` unless another caller did; true when this one did.
    func finish(_ result: Result<T, any Error>) -> Bool {
        let taken = slot.withLock { slot -> CheckedContinuation<T, any Error>? in
            defer { slot = nil }
            return slot
        }
        guard let taken else { return false }
        taken.resume(with: result)
        return true
    }
}
