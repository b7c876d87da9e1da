import Foundation
import Logging
import PostgresNIO
import VoucherCore

/// Listing (商品上架) as an approvals workflow: 运营审核 → 专家评审 → 工信厅终审. Experts work as a
/// pool: the expert stage waits in every expert's inbox and the first expert who decides it
/// decides for the committee (the approvals module's `waiting(role:)`); the operator assigns no
/// one. The product follows its application in the deciding transaction:
///
/// - approved: the submitted revision goes live (the product is 已上架; an approved edit replaces
///   the live revision, whose specs stay for the orders that point at them);
/// - rejected: the revision is 已驳回 with the stage's reason, editable and resubmittable;
/// - withdrawn: 已撤销, editable and resubmittable.
///
/// A listed (or delisted) product keeps its state through an edit's review.
public struct ListingEffect: ApprovalEffect {
    /// The application type of a listing.
    public static let type = "listing"
    /// Who decides, in order.
    public static let stageRoles = ["operator", "expert", "authority"]

    public init() {}

    /// The revision an application's payload names.
    static func revisionID(_ payloadJSON: String) -> String? {
        let payload = try? JSONSerialization.jsonObject(with: Data(payloadJSON.utf8)) as? [String: Any]
        return payload?["revisionId"] as? String
    }

    public func closed(_ application: ApprovalRecord, as status: ApprovalStatus, on connection: PostgresConnection, logger: Logger) async throws {
        let productID = application.subjectID
        guard let revisionID = Self.revisionID(application.payloadJSON) else { throw OrdersError.productNotFound }
        guard try await ProductsRepository.lock(productID, on: connection, logger: logger) != nil else { throw OrdersError.productNotFound }
        let now = Date()
        switch status {
        case .approved:
            try await connection.query(
                "UPDATE product_revisions SET state = 'approved', updated_at = \(now) WHERE id = \(revisionID)", logger: logger)
            try await connection.query(
                """
                UPDATE products p SET live_revision_id = r.id, working_revision_id = r.id, status = 'listed', name = r.name,
                    category = r.category, listed_at = \(now), delisted_at = NULL, updated_at = \(now)
                FROM product_revisions r WHERE r.id = \(revisionID) AND p.id = \(productID)
                """, logger: logger)
            try await Self.catalogueUpsert(productID: productID, on: connection, logger: logger)
        case .rejected, .withdrawn:
            let state = status == .rejected ? "rejected" : "withdrawn"
            var reason: String?
            if status == .rejected {
                for try await text in try await connection.query(
                    "SELECT reason FROM approval_decisions WHERE application_id = \(application.id) ORDER BY id DESC LIMIT 1", logger: logger
                ).decode(String?.self) {
                    reason = text
                }
            }
            try await connection.query(
                """
                UPDATE product_revisions SET state = \(state), reject_reason = \(reason), updated_at = \(now) WHERE id = \(revisionID)
                """, logger: logger)
            try await connection.query(
                """
                UPDATE products SET updated_at = \(now), status = CASE WHEN status IN ('listed', 'delisted') THEN status ELSE \(state) END
                WHERE id = \(productID)
                """, logger: logger)
        case .pending: return
        }
    }

    /// The public catalogue gets the live revision (engineer C's `CatalogueRepository`, wired at merge).
    static func catalogueUpsert(productID: String, on connection: PostgresConnection, logger: Logger) async throws {}

    /// A delisted product leaves the public catalogue.
    static func catalogueRemove(productID: String, on connection: PostgresConnection, logger: Logger) async throws {}
}
