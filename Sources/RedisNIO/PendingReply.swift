import NIOCore

/// A command that was written (or is about to be) and waits for its reply, in FIFO order.
struct PendingReply {
    /// Completed on the connection's event loop with the reply, or failed.
    let promise: EventLoopPromise<RESPValue>
    /// When the caller stops waiting.
    let deadline: NIODeadline
    /// Set once the deadline failed the promise; the slot stays so that the late reply, when it
    /// comes, is matched to it and dropped instead of shifting every later reply.
    var expired = false
}
