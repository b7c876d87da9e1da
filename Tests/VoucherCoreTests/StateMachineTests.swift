import PropertyBased
import Testing
import VoucherCore

/// The transition tables of campaigns, orders and batches, written out once more here as the
/// expected pairs, so any change to a table shows up as a failing row rather than passing silently.
@Suite("State machines")
struct StateMachineTests {
    /// Proves a campaign moves only draft → published → ended, never back or skipping a step.
    @Test func campaignTable() {
        let allowed: Set<[CampaignStatus]> = [[.draft, .published], [.published, .ended]]
        for from in CampaignStatus.allCases {
            for to in CampaignStatus.allCases {
                #expect(from.canMove(to: to) == allowed.contains([from, to]), "\(from) → \(to)")
            }
        }
        #expect(CampaignStatus.allCases.filter(\.isVisible) == [.published, .ended])
    }

    static let orderTable: [OrderState: [OrderEvent: OrderState]] = [
        .pendingPayment: [.cancel: .cancelled, .attachProofs: .pendingPayment, .submitPayment: .paymentReview],
        .paymentReview: [.approvePayment: .paid, .rejectPayment: .pendingPayment],
        .paid: [.deliver: .delivered, .requestRefund: .refundReview],
        .delivered: [.accept: .completed, .requestRefund: .refundReview],
        .refundReview: [.approveRefund: .refunded, .rejectRefund(backTo: .paid): .paid, .rejectRefund(backTo: .delivered): .delivered],
    ]

    /// Proves every (order state, event) pair against the table: allowed pairs lead where the table says,
    /// every other pair is refused with an error naming that state and event.
    @Test(arguments: OrderState.allCases)
    func orderTable(from state: OrderState) throws {
        for event in OrderEvent.all {
            if let expected = Self.orderTable[state]?[event] {
                #expect(try state.after(event) == expected, "\(state) + \(event)")
            } else {
                #expect(throws: OrderStateError(current: state, event: event)) { try state.after(event) }
            }
        }
        #expect(state.isFinal == (Self.orderTable[state] == nil))
    }

    static let batchTable: [BatchState: [BatchEvent: BatchState]] = [
        .inReview: [.approvalsPassed: .awaitingTransfer, .approvalsRejected: .rejected],
        .awaitingTransfer: [.recordTransfer: .awaitingConfirmation, .reject: .rejected],
        .awaitingConfirmation: [.confirm: .redeemed, .dispute: .disputed, .reject: .rejected],
        .disputed: [.recordTransfer: .awaitingConfirmation, .reject: .rejected],
    ]

    /// Proves every (batch state, event) pair against the table, refusals included.
    @Test(arguments: BatchState.allCases)
    func batchTable(from state: BatchState) throws {
        for event in BatchEvent.allCases {
            if let expected = Self.batchTable[state]?[event] {
                #expect(try state.after(event) == expected, "\(state) + \(event)")
            } else {
                #expect(throws: BatchStateError(current: state, event: event)) { try state.after(event) }
            }
        }
        #expect(state.isFinal == (Self.batchTable[state] == nil))
    }

    /// Proves a final order stays final whatever sequence of events is tried, and a sequence of accepted
    /// events never leaves the set of states (no event is accepted out of a final state).
    @Test func ordersNeverLeaveAFinalState() async {
        await propertyCheck(count: 500, input: Gen.element(of: OrderEvent.all).array(of: 0...20)) { events in
            var state = OrderState.pendingPayment
            var finalSeen = false
            for event in events.compactMap({ $0 }) {
                guard let next = try? state.after(event) else { continue }
                #expect(!finalSeen, "moved out of a final state with \(event)")
                state = next
                finalSeen = state.isFinal
            }
        }
    }

    /// Proves only a pending application is open.
    @Test func approvalStatus() {
        #expect(ApprovalStatus.allCases.filter(\.isOpen) == [.pending])
    }
}

/// The voucher ledger's signs (SPEC §2): whatever sequence of moves the balances allow, the face value
/// stays `available + held + captured + expired`, and a move that would go below zero is refused.
@Suite("Voucher moves")
struct VoucherMoveTests {
    /// Proves every move's signs sum to zero (a move only shifts fen between balances).
    @Test(arguments: VoucherMove.allCases)
    func signsSumToZero(move: VoucherMove) {
        let signs = move.signs
        #expect(signs.available + signs.held + signs.captured + signs.expired == 0)
    }

    /// Proves the face value is kept through generated sequences of moves, no balance goes negative,
    /// and a refused move is exactly one that would take some balance below zero.
    @Test func faceValueIsKept() async {
        let steps = zip(Gen.element(of: VoucherMove.allCases), Gen.int64(in: 1...5_000)).array(of: 0...40)
        await propertyCheck(count: 500, input: Gen.int64(in: 1...10_000), steps) { faceFen, steps in
            var balances = VoucherBalances(availableFen: faceFen)
            for (move, amountFen) in steps {
                guard let move else { continue }
                if let next = balances.applying(move, amountFen: amountFen) {
                    balances = next
                } else {
                    let signs = move.signs
                    let fromBalance =
                        signs.available < 0
                        ? balances.availableFen
                        : signs.held < 0 ? balances.heldFen : signs.captured < 0 ? balances.capturedFen : balances.expiredFen
                    #expect(fromBalance < amountFen, "\(move) of \(amountFen) refused with \(fromBalance) to take from")
                }
                #expect(balances.totalFen == faceFen)
                #expect(min(balances.availableFen, balances.heldFen, balances.capturedFen, balances.expiredFen) >= 0)
            }
        }
    }
}
