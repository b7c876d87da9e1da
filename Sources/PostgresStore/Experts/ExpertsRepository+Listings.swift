import Foundation
import Logging
import PostgresNIO
import VoucherCore

extension ExpertsRepository {
    /// Makes `expertIDs` (in display order) the experts product `productID` of `orgID` shows,
    /// replacing the ones before. Nil when the organisation has no such product; an id that is
    /// not one of its experts throws `ExpertError.attachUnknown` and changes nothing.
    public func attach(productID: String, orgID: String, expertIDs: [String]) async throws -> [ExpertRecord]? {
        try await client.transaction(logger: logger) { connection -> [ExpertRecord]? in
            let products = try await connection.query(
                "SELECT id FROM products WHERE id = \(productID) AND org_id = \(orgID) FOR UPDATE", logger: logger)
            var found = false
            for try await _ in products.decode(String.self) { found = true }
            guard found else { return nil }
            let owned = try await connection.query(
                "SELECT id FROM experts WHERE org_id = \(orgID) AND id = ANY(\(expertIDs)) FOR SHARE", logger: logger)
            var ownedIDs: Set<String> = []
            for try await id in owned.decode(String.self) { ownedIDs.insert(id) }
            if let unknown = expertIDs.first(where: { !ownedIDs.contains($0) }) { throw ExpertError.attachUnknown(unknown) }
            try await connection.query("DELETE FROM product_experts WHERE product_id = \(productID)", logger: logger)
            try await connection.query(
                """
                INSERT INTO product_experts (product_id, expert_id, org_id, position)
                SELECT \(productID), t.expert_id, \(orgID), t.position FROM unnest(\(expertIDs)::text[]) WITH ORDINALITY AS t (expert_id, position)
                """, logger: logger)
            return try await Self.records(
                try await connection.query(
                    """
                    SELECT \(unescaped: Self.columns) FROM product_experts pe JOIN experts e ON e.id = pe.expert_id
                    JOIN organisations o ON o.id = e.org_id WHERE pe.product_id = \(productID) ORDER BY pe.position
                    """, logger: logger))
        }
    }

    /// The experts product `productID` shows, in display order (the catalogue's detail).
    public func attached(productID: String) async throws -> [ExpertRecord] {
        try await Self.records(
            try await client.query(
                """
                SELECT \(unescaped: Self.columns) FROM product_experts pe JOIN experts e ON e.id = pe.expert_id
                JOIN organisations o ON o.id = e.org_id WHERE pe.product_id = \(productID) ORDER BY pe.position
                """, logger: logger))
    }
}
