#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Planning the voucher deduction of one order (SPEC §2).
public enum Deduction {
    /// The most vouchers one plan accepts; checkout offers an enterprise's matching vouchers,
    /// and a bound keeps one request from planning over an unbounded list.
    public static let vouchersPerPlanMax = 64

    /// Splits an order between vouchers and the enterprise.
    ///
    /// The vouchers pay `min(sum of their available balances, 30 % of the total rounded down)`,
    /// drawn from the voucher that expires first (ties by id, so the plan is deterministic), each
    /// giving at most its balance; whatever a voucher does not give stays on it (carry-over).
    /// The sum of balances is never formed, so no overflow is possible however large they are.
    ///
    /// - Parameters:
    ///   - orderTotal: The order total; must be positive.
    ///   - vouchers: The vouchers the enterprise chose; ids unique, each valid at `instant`.
    ///   - instant: "Now", passed in so the function stays pure and testable.
    public static func plan(
        orderTotal: Money, vouchers: [VoucherBalance], at instant: Date
    ) throws(DeductionError) -> DeductionPlan {
        try validate(orderTotal: orderTotal, vouchers: vouchers, at: instant)
        let cap = DeductionRule.cap(orderTotal: orderTotal)
        let ordered = vouchers.sorted(by: VoucherBalance.drawsBefore)
        return DeductionPlan(orderTotal: orderTotal, cap: cap, draws: draws(from: ordered, upTo: cap))
    }

    /// Rejects what a caller could have sent wrong: a non-positive total, too many, duplicate or
    /// expired vouchers. Checks run in that order, so the first problem is reported.
    static func validate(orderTotal: Money, vouchers: [VoucherBalance], at instant: Date) throws(DeductionError) {
        guard orderTotal.isPositive else { throw .orderTotalNotPositive(orderTotal) }
        guard vouchers.count <= vouchersPerPlanMax else { throw .tooManyVouchers(count: vouchers.count) }
        var seen = Set<String>()
        for voucher in vouchers {
            guard seen.insert(voucher.id).inserted else { throw .duplicateVoucher(id: voucher.id) }
        }
        if let expired = vouchers.first(where: { !$0.isValid(at: instant) }) {
            throw .voucherExpired(id: expired.id, validUntil: expired.validUntil)
        }
    }

    /// Takes greedily from already-ordered vouchers until `cap` is used up.
    static func draws(from ordered: [VoucherBalance], upTo cap: Money) -> [VoucherDraw] {
        var remainingFen = cap.fen
        return ordered.map { voucher in
            let takenFen = Swift.min(voucher.available.fen, remainingFen)
            remainingFen -= takenFen
            return VoucherDraw(
                voucherID: voucher.id,
                validUntil: voucher.validUntil,
                availableBefore: voucher.available,
                taken: Money(fen: takenFen),
                kept: Money(fen: voucher.available.fen - takenFen)
            )
        }
    }
}

/// Why an order's deduction could not be planned.
public enum DeductionError: DomainErrorConvertible, Hashable {
    /// The order total is zero or negative; free products need no voucher.
    case orderTotalNotPositive(Money)
    /// The same voucher was offered twice.
    case duplicateVoucher(id: String)
    /// A voucher is past its validity at the time of the plan.
    case voucherExpired(id: String, validUntil: Date)
    /// More than `Deduction.vouchersPerPlanMax` vouchers were offered.
    case tooManyVouchers(count: Int)

    /// The stable code of each case.
    public var code: String {
        switch self {
        case .orderTotalNotPositive: ErrorCode.orderTotalNotPositive
        case .duplicateVoucher: ErrorCode.voucherDuplicate
        case .voucherExpired: ErrorCode.voucherExpired
        case .tooManyVouchers: ErrorCode.vouchersTooMany
        }
    }

    /// An expired voucher clashes with the state of the world (it may have been valid when it was
    /// offered); the others are input the caller can correct.
    public var kind: DomainError.Kind {
        switch self {
        case .orderTotalNotPositive, .duplicateVoucher, .tooManyVouchers: .invalidInput
        case .voucherExpired: .conflict
        }
    }

    /// What to fix.
    public var detail: String {
        switch self {
        case .orderTotalNotPositive(let total):
            "The order total \(total.formatted) is not positive; vouchers apply only to orders that cost money."
        case .duplicateVoucher(let id):
            "Voucher \(id) was chosen more than once; choose each voucher once."
        case .voucherExpired(let id, _):
            "Voucher \(id) has expired; choose vouchers that are still valid."
        case .tooManyVouchers(let count):
            "\(count) vouchers were chosen; choose at most \(Deduction.vouchersPerPlanMax)."
        }
    }
}
