import Foundation
import Logging
import PostgresNIO
import VoucherCore

/// The expiry job: what is still available on a voucher whose validity has ended moves to
/// `expired`, with an `expire` ledger entry. Held amounts stay held (their order decides them);
/// a later release or refund onto an expired voucher is expired by the next run or at once.
public struct VoucherExpiry: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Expires in batches of locked rows (id order, skipping rows an order holds right now);
    /// returns the number of vouchers expired.
    public func run(now: Date) async throws -> Int {
        var expired = 0
        for _ in 0..<OrdersLimits.expiryBatchesPerRunMax {
            let batch = try await client.transaction(logger: logger) { tx in
                let rows = try await tx.query(
                    """
                    SELECT id, available_fen FROM vouchers WHERE valid_until < \(now) AND available_fen > 0
                    ORDER BY id LIMIT \(OrdersLimits.expiryBatchCountMax) FOR UPDATE SKIP LOCKED
                    """, logger: logger)
                var due: [(String, Int64)] = []
                for try await row in rows.decode((String, Int64).self) { due.append(row) }
                for (id, amountFen) in due {
                    try await VoucherMove.expire.apply(voucherID: id, amountFen: amountFen, orderID: nil, on: tx, logger: logger)
                }
                return due.count
            }
            expired += batch
            if batch < OrdersLimits.expiryBatchCountMax { break }
        }
        if expired > 0 { logger.info("vouchers.expired", metadata: ["vouchers.count": "\(expired)"]) }
        return expired
    }
}
