import VoucherCore

/// Why an orders request was refused; the API maps each case to a problem response.
public enum OrdersError: DomainErrorConvertible, Equatable {
    case productNotFound
    case specNotFound
    case orderNotFound
    case voucherNotFound(id: String)
    case voucherNotApplicable(id: String)
    case vouchersOnFreeOrder
    case quantityOutOfRange(Int)
    case orderTotalTooLarge
    case invalidState(current: String, action: String)
    case proofsTooMany
    case proofsMissing
    /// A payment proof larger than `OrdersLimits.proofBytesMax`.
    case proofTooLarge
    /// A payment proof that is not PNG, JPG, BMP or PDF by its content.
    case proofUnsupportedFormat
    case idempotencyKeyMissing
    /// The key was used before with a different body: 422 (well formed, but cannot be processed).
    case idempotencyKeyReused
    case invalidProduct(String)

    public var code: String {
        switch self {
        case .productNotFound: "product_not_found"
        case .specNotFound: "spec_not_found"
        case .orderNotFound: "order_not_found"
        case .voucherNotFound: "voucher_not_found"
        case .voucherNotApplicable: "voucher_not_applicable"
        case .vouchersOnFreeOrder: "voucher_on_free_order"
        case .quantityOutOfRange: "quantity_out_of_range"
        case .orderTotalTooLarge: "order_total_too_large"
        case .invalidState: "order_state_conflict"
        case .proofsTooMany: "proofs_too_many"
        case .proofsMissing: "proofs_missing"
        case .proofTooLarge: "proof_too_large"
        case .proofUnsupportedFormat: "proof_unsupported_format"
        case .idempotencyKeyMissing: "idempotency_key_missing"
        case .idempotencyKeyReused: "idempotency_key_reused"
        case .invalidProduct: "product_invalid"
        }
    }

    public var kind: DomainError.Kind {
        switch self {
        case .productNotFound, .specNotFound, .orderNotFound, .voucherNotFound: .notFound
        case .invalidState, .proofsTooMany, .proofsMissing: .conflict
        case .proofTooLarge: .tooLarge
        case .proofUnsupportedFormat: .unsupportedFormat
        case .voucherNotApplicable, .vouchersOnFreeOrder, .quantityOutOfRange, .orderTotalTooLarge,
            .idempotencyKeyMissing, .invalidProduct:
            .invalidInput
        case .idempotencyKeyReused: .unprocessable
        }
    }

    public var detail: String {
        switch self {
        case .productNotFound: "No listed product has this id. Check the productId."
        case .specNotFound: "The product has no spec with this id. Check the specId."
        case .orderNotFound: "No order of your organisation has this id. Check the id."
        case .voucherNotFound(let id): "Voucher \(id) is not one of your organisation's vouchers. Choose from GET /v1/vouchers."
        case .voucherNotApplicable(let id):
            "Voucher \(id) does not apply to this product's category. Choose vouchers the quote lists as eligible."
        case .vouchersOnFreeOrder: "The order is free; vouchers pay only for orders that cost money. Send no voucherIds."
        case .quantityOutOfRange(let quantity):
            "The quantity \(quantity) is out of range; send a whole number from 1 to \(OrdersLimits.quantityMax)."
        case .orderTotalTooLarge: "The order total exceeds ¥1,000,000,000.00; order a smaller quantity."
        case .invalidState(let current, let action): "The order is \(current); it cannot be \(action) now."
        case .proofsTooMany: "This payment already has \(OrdersLimits.proofsPerAttemptMax) proofs; submit it or wait for the review."
        case .proofsMissing: "Upload at least one payment proof (PNG, JPG, BMP or PDF) before submitting the payment."
        case .proofTooLarge: "A payment proof may be at most 10 MB; send a smaller file."
        case .proofUnsupportedFormat: "The file is not PNG, JPG, BMP or PDF by its content. Send the proof in one of these formats."
        case .idempotencyKeyMissing: "Placing an order needs an Idempotency-Key header; send a unique key per order."
        case .idempotencyKeyReused: "This Idempotency-Key was used for a different order; use a new key for a new order."
        case .invalidProduct(let why): why
        }
    }
}
