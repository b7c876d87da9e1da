import Foundation
import Logging
import PostgresNIO
import VoucherCore

/// Reads what an application decides, as it is now, for the people who decide it (the
/// approvals detail). Reads only: who may see an application is the caller's check.
public struct ApprovalSubjectsRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// The snapshot of `application`'s subject; `.generic` for a type without a snapshot or a
    /// subject no longer found.
    public func snapshot(of application: ApprovalRecord) async throws -> ApprovalSnapshot {
        let found: ApprovalSnapshot? =
            switch ApprovalSubject(approvalType: application.type) {
            case .organisation: try await organisation(application.subjectID).map { .organisation($0) }
            case .order: try await order(application.subjectID).map { .order($0) }
            case .redemptionBatch: try await batch(application.subjectID).map { .redemptionBatch($0) }
            case .product: try await listing(application).map { .product($0) }
            case .other: nil
            }
        return found ?? .generic(type: application.type, subjectID: application.subjectID)
    }

    func organisation(_ orgID: String) async throws -> OrganisationSnapshot? {
        let rows = try await client.query(
            "SELECT id, kind, name, uscc, certification FROM organisations WHERE id = \(orgID)", logger: logger)
        for try await (id, kind, name, uscc, certification) in rows.decode((String, String, String, String?, String).self) {
            let profile = try await RegistrationRepository(client: client, logger: logger).profile(orgID: id)
            var licence: SubjectFile?
            if let sha = profile?.licenceSHA256 {
                for try await (media, size) in try await client.query(
                    "SELECT media_type, size_bytes FROM stored_files WHERE sha256 = \(sha)", logger: logger
                ).decode((String, Int64).self) {
                    licence = SubjectFile(purpose: "licence", sha256: sha, mediaType: media, sizeBytes: Int(size), attempt: nil)
                }
            }
            return OrganisationSnapshot(
                orgID: id, kind: kind, name: name, uscc: uscc, certification: certification, profile: profile, licence: licence)
        }
        return nil
    }

    func order(_ orderID: String) async throws -> OrderSnapshot? {
        let rows = try await client.query(
            """
            SELECT \(unescaped: OrdersRepository.orderColumns) FROM \(unescaped: OrdersRepository.orderFrom) WHERE o.id = \(orderID)
            """, logger: logger)
        guard var order = try await OrdersRepository.decodeOrders(rows).first else { return nil }
        for try await (voucherID, amountFen, state) in try await client.query(
            "SELECT voucher_id, amount_fen, state FROM order_vouchers WHERE order_id = \(orderID) ORDER BY position", logger: logger
        ).decode((String, Int64, String).self) {
            order.vouchers.append(OrderVoucherLine(voucherID: voucherID, amountFen: amountFen, state: state))
        }
        var proofs: [SubjectFile] = []
        for try await (attempt, sha, media, size) in try await client.query(
            """
            SELECT attempt, sha256, media_type, size_bytes FROM payment_proofs WHERE order_id = \(orderID) ORDER BY attempt, created_at, id
            """, logger: logger
        ).decode((Int, String, String, Int).self) {
            proofs.append(SubjectFile(purpose: "proof", sha256: sha, mediaType: media, sizeBytes: size, attempt: attempt))
        }
        return OrderSnapshot(order: order, proofs: proofs)
    }

    func batch(_ batchID: String) async throws -> BatchSnapshot? {
        try await client.withConnection { connection in
            guard let batch = try await RedemptionRepository.batch(id: batchID, viewer: .platform, on: connection, logger: logger) else {
                return nil
            }
            var files: [SubjectFile] = []
            for try await (sha, media, size) in try await connection.query(
                """
                SELECT material_sha256, material_media_type, material_size_bytes FROM redemption_batches
                WHERE id = \(batchID) AND material_sha256 IS NOT NULL
                """, logger: logger
            ).decode((String, String, Int).self) {
                files.append(SubjectFile(purpose: "archive", sha256: sha, mediaType: media, sizeBytes: size, attempt: nil))
            }
            files += batch.files.map {
                SubjectFile(purpose: "material", sha256: $0.sha256, mediaType: $0.mediaType, sizeBytes: $0.sizeBytes, attempt: nil)
            }
            var usages: [UsageRecord] = []
            for try await (id, voucherID, voucherName, amount, enterprise, product, orderID, state, usedAt) in try await connection.query(
                """
                SELECT u.id, u.voucher_id, c.name, b.amount_fen, e.name, p.name, u.order_id, u.state, u.used_at
                FROM batch_usages b JOIN usages u ON u.id = b.usage_id JOIN vouchers v ON v.id = u.voucher_id
                    JOIN campaigns c ON c.id = v.campaign_id JOIN organisations e ON e.id = u.org_id
                    JOIN orders o ON o.id = u.order_id JOIN products p ON p.id = o.product_id
                WHERE b.batch_id = \(batchID) ORDER BY u.id
                """, logger: logger
            ).decode((String, String, String, Int64, String, String, String, String, Date).self) {
                usages.append(
                    UsageRecord(
                        id: id, voucherID: voucherID, voucherName: voucherName, amountFen: amount, enterpriseName: enterprise,
                        productName: product, orderID: orderID, state: state, usedAt: usedAt))
            }
            return BatchSnapshot(batch: batch, usages: usages, files: files)
        }
    }

    /// The revision the listing application submitted, and the files its content names, once per
    /// kind they were uploaded as (`image` or `document`).
    func listing(_ application: ApprovalRecord) async throws -> ProductListingSnapshot? {
        guard let listing = try await ProductsRepository(client: client, logger: logger).listingSnapshot(approval: application) else {
            return nil
        }
        let references = listing.revision.content?.fileReferences.map(\.fileID) ?? []
        var files: [SubjectFile] = []
        for try await (sha, kind, media, size) in try await client.query(
            """
            SELECT sha256, kind, media_type, size_bytes FROM product_files
            WHERE org_id = \(listing.orgID) AND sha256 = ANY(\(references)) ORDER BY sha256, kind
            """, logger: logger
        ).decode((String, String, String, Int64).self) {
            files.append(SubjectFile(purpose: kind, sha256: sha, mediaType: media, sizeBytes: Int(size), attempt: nil))
        }
        return ProductListingSnapshot(listing: listing, files: files)
    }
}
