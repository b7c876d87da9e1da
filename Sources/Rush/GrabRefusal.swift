import VoucherCore

/// Why a grab issued no voucher, as the domain says it (SPEC §3: before the window, after it,
/// sold out, at the limit), plus the refusals before the script runs. The API adds the extras
/// a client needs (the window's times, the count held, Retry-After) in its problem mapping.
public enum GrabRefusal: DomainErrorConvertible, Equatable {
    /// Only certified enterprises take part.
    case notCertified
    /// The lot is issued by application.
    case notGrabbable
    case soldOut
    case notOpen(startMs: Int64, endMs: Int64)
    case ended(startMs: Int64, endMs: Int64)
    case limitReached(held: Int64)
    /// Redis does not know the lot yet (being published, or its keys were lost).
    case lotNotLoaded

    /// The refusal a script outcome means, or nil when the outcome issued a voucher.
    public init?(_ outcome: GrabOutcome) {
        switch outcome {
        case .won, .again: return nil
        case .soldOut: self = .soldOut
        case .notOpen(let start, let end): self = .notOpen(startMs: start, endMs: end)
        case .ended(let start, let end): self = .ended(startMs: start, endMs: end)
        case .limitReached(let held): self = .limitReached(held: held)
        case .unknownLot: self = .lotNotLoaded
        }
    }

    public var code: String {
        switch self {
        case .notCertified: "not_certified"
        case .notGrabbable: "lot_not_grabbable"
        case .soldOut: "sold_out"
        case .notOpen: "not_open"
        case .ended: "ended"
        case .limitReached: "limit_reached"
        case .lotNotLoaded: "lot_not_loaded"
        }
    }

    public var kind: DomainError.Kind {
        switch self {
        case .notCertified: .forbidden
        case .notGrabbable, .soldOut, .notOpen, .ended, .limitReached: .conflict
        case .lotNotLoaded: .unavailable
        }
    }

    public var detail: String {
        switch self {
        case .notCertified:
            "Only certified enterprises may grab vouchers. Finish certification first; its status is on your organisation."
        case .notGrabbable: "This lot is issued by application, not by grabbing. Apply for it instead."
        case .soldOut: "This lot is sold out. Vouchers you already hold are listed among your vouchers."
        case .notOpen: "The campaign has not opened yet. Grab again from opensAt."
        case .ended: "The campaign has ended; no more vouchers are issued."
        case .limitReached(let held): "Your organisation holds \(held) vouchers of this lot, its limit."
        case .lotNotLoaded: "The lot is not ready for grabbing yet. Retry in a moment."
        }
    }
}
