import NIOCore

/// A command that was written (or is about to be) and waits for its reply, in FIFO order.
struct PendingReply {
    /// Who waits for the reply: an async caller (resumed directly from the event loop, which
    /// saves the promise, future and callback a `futureResult.get()` would allocate per call),
    /// or internal future-based code such as the connection handshake.
    enum Waiter {
        case continuation(UnsafeContinuation<RESPValue, any Error>)
        case promise(EventLoopPromise<RESPValue>)
    }

    /// Completed exactly once: with the reply, the deadline error, or the connection error.
    let waiter: Waiter
    /// When the caller stops waiting.
    let deadline: NIODeadline
    /// Set once the deadline failed the waiter; the slot stays so that the late reply, when it
    /// comes, is matched to it and dropped instead of shifting every later reply.
    var expired = false

    /// Hands the reply to the waiter.
    func succeed(_ reply: RESPValue) {
        switch waiter {
        case .continuation(let continuation): continuation.resume(returning: reply)
        case .promise(let promise): promise.succeed(reply)
        }
    }

    /// Hands an error to the waiter.
    func fail(_ error: RedisClientError) {
        switch waiter {
        case .continuation(let continuation): continuation.resume(throwing: error)
        case .promise(let promise): promise.fail(error)
        }
    }
}
