/// Where a redemption batch stands (SPEC §5): in review through the approvals chain, then
/// awaiting the operator's transfer, then the provider's confirmation (or a dispute), then
/// redeemed; a rejection at any step after review ends it and frees its usages.
public enum BatchState: String, Sendable, Codable, CaseIterable {
    case inReview = "in_review"
    case awaitingTransfer = "awaiting_transfer"
    case awaitingConfirmation = "awaiting_confirmation"
    case disputed, redeemed, rejected

    /// The state after `event`, or an error naming the state that refused it: the one
    /// transition table of batches, checked by the store under the batch's row lock.
    public func after(_ event: BatchEvent) throws(BatchStateError) -> BatchState {
        switch (self, event) {
        case (.inReview, .approvalsPassed): return .awaitingTransfer
        case (.inReview, .approvalsRejected): return .rejected
        case (.awaitingTransfer, .recordTransfer), (.disputed, .recordTransfer): return .awaitingConfirmation
        case (.awaitingConfirmation, .confirm): return .redeemed
        case (.awaitingConfirmation, .dispute): return .disputed
        case (.awaitingTransfer, .reject), (.awaitingConfirmation, .reject), (.disputed, .reject): return .rejected
        default: throw BatchStateError(current: self, event: event)
        }
    }

    /// True when no event moves the batch any more.
    public var isFinal: Bool { self == .redeemed || self == .rejected }
}

/// What happens to a redemption batch.
public enum BatchEvent: String, Sendable, CaseIterable {
    /// The approvals chain (auditor, settlement, payment) approved the batch.
    case approvalsPassed
    /// A stage of the approvals chain rejected it, or the provider withdrew it.
    case approvalsRejected
    /// The operator recorded the offline transfer (again, after a dispute).
    case recordTransfer
    /// The provider confirmed receipt.
    case confirm
    /// The provider disputed the recorded transfer.
    case dispute
    /// The operator ended the batch after the approvals chain.
    case reject

    /// The past participle the refusal sentence uses.
    public var action: String {
        switch self {
        case .approvalsPassed, .approvalsRejected: "decided in review"
        case .recordTransfer: "given a transfer"
        case .confirm: "confirmed"
        case .dispute: "disputed"
        case .reject: "rejected"
        }
    }
}

/// A batch event its state refuses; the store maps it to `RedemptionError.invalidState` (409).
public struct BatchStateError: Error, Sendable, Equatable {
    public let current: BatchState
    public let event: BatchEvent

    public init(current: BatchState, event: BatchEvent) {
        self.current = current
        self.event = event
    }
}
