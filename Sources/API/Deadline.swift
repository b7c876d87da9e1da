import VoucherServices

/// Thrown when an operation did not finish within its deadline.
public struct DeadlineExceeded: Error, CustomStringConvertible {
    public let seconds: Double
    public var description: String { "no answer within \(seconds) s" }
}

/// Runs `operation` and gives up after `duration`, cancelling it. The operation must honour
/// cancellation (postgres-nio's lease and our Redis client do) or the caller waits for it anyway.
public func withDeadline<T: Sendable>(
    _ duration: Duration, _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: duration)
            let (seconds, attoseconds) = duration.components
            throw DeadlineExceeded(seconds: Double(seconds) + Double(attoseconds) / 1e18)
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else { throw CancellationError() }
        return first
    }
}
