import VoucherCore

/// Why a redemption request was refused; the API maps each case to a problem response.
public enum RedemptionError: DomainErrorConvertible, Equatable {
    case bankNotAllowed
    case accountNameMismatch
    case accountNumberInvalid
    case accountDuplicate
    case accountNotFound
    case usagesEmpty
    case usagesTooMany
    case usageNotFound(id: String)
    case usageNotRedeemable(id: String)
    case usageTaken(id: String)
    case batchNotFound
    case invalidState(current: String, action: String)
    /// The key was used before with a different request: 422 (well formed, but cannot be processed).
    case idempotencyKeyReused
    case transferInvalid(String)
    /// The provider's details differ from the recorded transfer (or it from the batch total);
    /// which part, so the detail can say so. The code stays `transfer_mismatch`.
    case transferMismatch(TransferDifference)
    case reasonMissing
    /// A materials archive (`archive`) or a general-voucher material file larger than 10 MB.
    case materialsTooLarge(archive: Bool)
    /// Materials whose content is not an accepted format: ZIP or RAR for an archive, else JPG, PNG, PDF or DOCX.
    case materialsUnsupportedFormat(archive: Bool)
    case orderNotFound
    /// A general-voucher redemption of an order that is not placed, or has ended (§1.4.7.2).
    case orderNotRedeemable(id: String, state: String)
    /// A transfer for a batch paying a deduction that is not captured yet, or is being refunded.
    case orderNotPaid(id: String)
    /// A refund of an order whose voucher deductions have been paid out (a transfer is recorded).
    case orderPaidOut(id: String)
    case invalidInput(String)

    public var code: String {
        switch self {
        case .bankNotAllowed: "payee_bank_not_allowed"
        case .accountNameMismatch: "payee_name_mismatch"
        case .accountNumberInvalid: "payee_number_invalid"
        case .accountDuplicate: "payee_account_exists"
        case .accountNotFound: "payee_account_not_found"
        case .usagesEmpty: "usages_empty"
        case .usagesTooMany: "usages_too_many"
        case .usageNotFound: "usage_not_found"
        case .usageNotRedeemable: "usage_not_redeemable"
        case .usageTaken: "usage_in_batch"
        case .batchNotFound: "batch_not_found"
        case .invalidState: "batch_state_conflict"
        case .idempotencyKeyReused: "idempotency_key_reused"
        case .transferInvalid: "transfer_invalid"
        case .transferMismatch: "transfer_mismatch"
        case .reasonMissing: "reason_missing"
        case .materialsTooLarge: "materials_too_large"
        case .materialsUnsupportedFormat: "materials_unsupported_format"
        case .orderNotFound: "order_not_found"
        case .orderNotRedeemable: "order_state_conflict"
        case .orderNotPaid: "order_not_paid"
        case .orderPaidOut: "order_redeemed"
        case .invalidInput: "redemption_invalid"
        }
    }

    public var kind: DomainError.Kind {
        switch self {
        case .accountNotFound, .usageNotFound, .batchNotFound, .orderNotFound: .notFound
        case .accountDuplicate, .usageTaken, .invalidState, .transferMismatch, .orderNotRedeemable, .orderNotPaid, .orderPaidOut: .conflict
        case .materialsTooLarge: .tooLarge
        case .materialsUnsupportedFormat: .unsupportedFormat
        case .bankNotAllowed, .accountNameMismatch, .accountNumberInvalid, .usagesEmpty, .usagesTooMany, .usageNotRedeemable,
            .transferInvalid, .reasonMissing, .invalidInput:
            .invalidInput
        case .idempotencyKeyReused: .unprocessable
        }
    }

    public var detail: String {
        switch self {
        case .bankNotAllowed: "Payee accounts must be at the Agricultural Bank of China (农业银行); send bank \"ABC\"."
        case .accountNameMismatch: "The account name must equal your organisation's registered name exactly."
        case .accountNumberInvalid:
            "The account number must be \(RedemptionLimits.accountDigitsMin) to \(RedemptionLimits.accountDigitsMax) digits, nothing else."
        case .accountDuplicate: "This account number is already one of your active payee accounts."
        case .accountNotFound: "No active payee account of your organisation has this id. Choose from GET /v1/provider/payee-accounts."
        case .usagesEmpty: "Select at least one pending usage."
        case .usagesTooMany: "A batch takes at most \(RedemptionLimits.usagesPerBatchMax) usages; split the selection."
        case .usageNotFound(let id): "Usage \(id) is not one of your organisation's usages. Choose from GET /v1/provider/usages."
        case .usageNotRedeemable(let id):
            "Usage \(id) is not a pending diagnostic-voucher usage of a completed order; only those can be redeemed in a batch."
        case .usageTaken(let id): "Usage \(id) is already in a live redemption batch."
        case .batchNotFound: "No redemption batch you may see has this id. Check the id."
        case .idempotencyKeyReused: "This Idempotency-Key was used for a different batch; use a new key for a new batch."
        case .invalidState(let current, let action): "The batch is \(current); it cannot be \(action) now."
        case .transferInvalid(let why), .invalidInput(let why): why
        case .transferMismatch(.amount):
            "The amount differs from the recorded transfer; check the receipt, or dispute it with a reason instead."
        case .transferMismatch(.nameOrAccount):
            "The amount is right but the payer name or payer account differs from the recorded transfer; check the receipt, or dispute it with "
                + "a reason instead."
        case .transferMismatch(.total):
            "The recorded transfer is not the batch total; dispute it with a reason so the operator records the full amount."
        case .orderNotFound: "No order of your products has this number. Check the orderId."
        case .orderNotRedeemable(let id, let state):
            "Order \(id) is \(state); a general-voucher redemption needs an order that is placed and not cancelled, refunded or under "
                + "refund review."
        case .orderNotPaid(let id):
            "Order \(id) is not paid (its voucher deduction is only held, or a refund is under review); record the transfer once the "
                + "order's payment is approved and no refund is pending."
        case .orderPaidOut(let id):
            "The voucher deduction of order \(id) has been paid out to the provider (a transfer is recorded); the order can no longer be "
                + "refunded. Settle it with the provider offline."
        case .reasonMissing: "Give a reason of 1 to \(RedemptionLimits.reasonLengthMax) characters."
        case .materialsTooLarge(archive: true): "The materials archive may be at most 10 MB; send a smaller file."
        case .materialsTooLarge(archive: false): "A material file may be at most 10 MB; send a smaller file."
        case .materialsUnsupportedFormat(archive: true): "The materials are not a ZIP or RAR archive by their content. Pack them as .zip or .rar."
        case .materialsUnsupportedFormat(archive: false): "The file is not JPG, PNG, PDF or DOCX by its content. Send it in one of these formats."
        }
    }
}

/// Which part of a receipt confirmation differs, as `ReceiptComparison` finds it.
public enum TransferDifference: String, Sendable, Equatable {
    /// The amount the provider received is not the recorded transfer's.
    case amount
    /// The amount is right; the payer name or account is not.
    case nameOrAccount = "name_or_account"
    /// The recorded transfer does not pay the batch total (the provider cannot confirm a partial payout).
    case total
}

/// Bounds of redemption, named in one place.
public enum RedemptionLimits {
    /// ABC corporate account numbers: 15 to 19 digits (older 15-digit and current 19-digit forms).
    public static let accountDigitsMin = 15
    public static let accountDigitsMax = 19
    /// A materials archive or file: 10 MB.
    public static let materialBytesMax = 10 * 1024 * 1024
    /// Usages one batch may take.
    public static let usagesPerBatchMax = 200
    /// Reasons of rejections and disputes, in characters.
    public static let reasonLengthMax = 500
    /// Payer names, payer accounts and bank serials, in characters.
    public static let transferFieldLengthMax = 100
    /// Materials files of one general-voucher redemption.
    public static let generalFilesMax = 10
    /// Payee accounts an organisation may have active.
    public static let payeeAccountsMax = 20
}
