import Synchronization
import Testing
import VoucherCore

/// An operation that ignores cancellation, as a postgres-nio query lost with its server does,
/// until the test releases it.
private final class Stuck: Sendable {
    private let released = Atomic<Bool>(false)
    func release() { released.store(true, ordering: .relaxed) }
    func wait() async -> Int {
        while !released.load(ordering: .relaxed) { try? await Task.sleep(for: .milliseconds(5)) }
        return 1
    }
}

@Suite struct DeadlineTests {
    @Test func theAnswerWinsWhenItComesFirst() async throws {
        // Proves an operation that answers is returned as is, and its error is rethrown as is.
        #expect(try await withDeadline(.seconds(3600)) { 42 } == 42)
        struct Refused: Error {}
        await #expect(throws: Refused.self) { try await withDeadline(.seconds(3600)) { () async throws -> Int in throw Refused() } }
    }

    @Test func theDeadlineWinsOverAnOperationThatIgnoresCancellation() async throws {
        // Proves the caller is answered at the deadline even when the operation never ends on
        // cancellation (it is left behind, released here only after the caller was answered).
        let stuck = Stuck()
        await #expect(throws: DeadlineExceeded.self) { try await withDeadline(.milliseconds(20)) { await stuck.wait() } }
        stuck.release()
    }

    @Test func cancellingTheCallerAnswersAtOnce() async throws {
        // Proves a cancelled caller (a service in graceful shutdown) is not held for the whole
        // deadline by an operation that ignores cancellation.
        let stuck = Stuck()
        let caller = Task { try await withDeadline(.seconds(3600)) { await stuck.wait() } }
        caller.cancel()
        await #expect(throws: CancellationError.self) { try await caller.value }
        stuck.release()
    }
}
