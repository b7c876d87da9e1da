import VoucherCore

/// Every bound of the orders path in one place (house habit 5).
public enum OrdersLimits {
    /// The largest quantity of one order line: years, months or units. Anything above is a typo.
    public static let quantityMax = 10_000
    /// The largest order total, ¥1,000,000,000.00; larger totals are refused, never wrapped.
    public static let orderTotalFenMax: Int64 = 100_000_000_000
    /// The largest unit price of a spec (the same bound as the table's CHECK).
    public static let unitPriceFenMax: Int64 = 100_000_000_000
    /// Specs per product.
    public static let specsPerProductMax = 20
    /// Proof files per payment attempt (SPEC §4: 1–3).
    public static let proofsPerAttemptMax = 3
    /// The largest proof file (SPEC §4: 10 MB).
    public static let proofBytesMax = 10 * 1024 * 1024
    /// Vouchers expired per transaction by the expiry job, so one run never holds many locks.
    public static let expiryBatchCountMax = 500
    /// Transactions per expiry run; a run that hits it leaves the rest to the next run.
    public static let expiryBatchesPerRunMax = 1_000
    /// Breaches `ledger verify` prints before it stops listing (it still counts them all).
    public static let verifyBreachesListedMax = 1_000
}
