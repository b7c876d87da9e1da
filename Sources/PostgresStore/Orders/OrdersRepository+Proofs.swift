import Foundation
import Logging
import PostgresNIO

extension OrdersRepository {
    /// How many payment proofs the current attempt of the organisation's order has (the order
    /// page shows it next to 上传支付凭证; `addProof` enforces the bound of 3); 0 for another
    /// organisation's order.
    public func currentProofCount(orderID: String, orgID: String) async throws -> Int {
        let rows = try await client.query(
            """
            SELECT count(p.id)::int FROM orders o
            JOIN payment_proofs p ON p.order_id = o.id AND p.attempt = o.payment_attempt
            WHERE o.id = \(orderID) AND o.org_id = \(orgID)
            """, logger: logger)
        var count = 0
        for try await value in rows.decode(Int.self) { count = value }
        return count
    }
}
