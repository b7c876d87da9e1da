/// Where an order stands (SPEC §4): pending payment → payment under review → paid → delivered
/// → completed, or cancelled; a paid or delivered order may go through a refund review.
public enum OrderState: String, Sendable, Codable, CaseIterable {
    case pendingPayment = "pending_payment"
    case paymentReview = "payment_review"
    case paid
    case delivered
    case completed
    case cancelled
    case refundReview = "refund_review"
    case refunded

    /// The state after `event`, or an error naming the state that refused it. This is the one
    /// transition table of orders; the store checks it under the order's row lock.
    public func after(_ event: OrderEvent) throws(OrderStateError) -> OrderState {
        switch (self, event) {
        case (.pendingPayment, .cancel): return .cancelled
        case (.pendingPayment, .attachProofs): return .pendingPayment
        case (.pendingPayment, .submitPayment): return .paymentReview
        case (.paymentReview, .approvePayment): return .paid
        case (.paymentReview, .rejectPayment): return .pendingPayment
        case (.paid, .deliver): return .delivered
        case (.delivered, .accept): return .completed
        case (.paid, .requestRefund), (.delivered, .requestRefund): return .refundReview
        case (.refundReview, .approveRefund): return .refunded
        case (.refundReview, .rejectRefund(let back)) where back == .paid || back == .delivered: return back
        default: throw OrderStateError(current: self, event: event)
        }
    }

    /// True when no event moves the order any more.
    public var isFinal: Bool { self == .completed || self == .cancelled || self == .refunded }
}

/// What happens to an order.
public enum OrderEvent: Sendable, Equatable, Hashable {
    case cancel, attachProofs, submitPayment, approvePayment, rejectPayment, deliver, accept
    case requestRefund, approveRefund
    /// A refused refund returns the order to where it was before the request.
    case rejectRefund(backTo: OrderState)

    /// Every event, for exhaustive tables (`rejectRefund` with each state it could return to).
    public static let all: [OrderEvent] =
        [.cancel, .attachProofs, .submitPayment, .approvePayment, .rejectPayment, .deliver, .accept, .requestRefund, .approveRefund]
        + OrderState.allCases.map { .rejectRefund(backTo: $0) }

    /// The past participle the refusal sentence uses ("an order in state paid cannot be cancelled").
    public var action: String {
        switch self {
        case .cancel: "cancelled"
        case .attachProofs: "given payment proofs"
        case .submitPayment: "submitted for payment"
        case .approvePayment, .rejectPayment: "decided for payment"
        case .deliver: "delivered"
        case .accept: "accepted"
        case .requestRefund: "refunded"
        case .approveRefund, .rejectRefund: "decided for refund"
        }
    }
}

/// An order event its state refuses; the store maps it to `OrdersError.invalidState` (409).
public struct OrderStateError: Error, Sendable, Equatable {
    public let current: OrderState
    public let event: OrderEvent

    public init(current: OrderState, event: OrderEvent) {
        self.current = current
        self.event = event
    }
}
