import Foundation
import Logging
import PostgresNIO
import VoucherCore

extension ProductsRepository {
    /// Submits the working revision (提交申请): it files an approvals application of type
    /// `listing` (operator → expert → authority) in the same transaction. A product never listed
    /// shows 待审核; a listed one stays on sale while its edit is reviewed.
    public func submit(id: String, orgID: String, applicantUserID: String, now: Date) async throws -> (ProductRecord, approvalID: String) {
        let approvalID = try await client.transaction(logger: logger) { tx in
            let head = try await Self.lockOwned(id, orgID: orgID, on: tx, logger: logger)
            switch head.workingState {
            case "in_review": throw ListingError.stateConflict(current: "in review", action: "submitted again")
            case "approved": throw ListingError.stateConflict(current: head.status.rawValue, action: "submitted unchanged; edit it first")
            default: break
            }
            // A product made before listings had content (migration 0011) is edited before it is submitted.
            for try await hasContent in try await tx.query(
                "SELECT content ? 'caseStudies' FROM product_revisions WHERE id = \(head.workingID)", logger: logger
            ).decode(Bool.self) where !hasContent {
                throw ListingError.invalid(field: "The listing", rule: "has no content yet; send it with PUT /v1/provider/products/\(id) first")
            }
            var applicantName = applicantUserID
            for try await name in try await tx.query("SELECT username FROM users WHERE id = \(applicantUserID)", logger: logger).decode(String.self) {
                applicantName = name
            }
            let payload = #"{"productId":"\#(id)","revisionId":"\#(head.workingID)"}"#
            let approvalID = try await ApprovalsRepository.file(
                NewApproval(
                    type: ListingEffect.type, title: String("商品上架 " + head.workingName).prefix(100).description, applicantUserID: applicantUserID,
                    applicantName: applicantName, orgID: orgID, subjectID: id, stageRoles: ListingEffect.stageRoles, payloadJSON: payload),
                now: now, on: tx, logger: logger)
            try await tx.query(
                """
                UPDATE product_revisions SET state = 'in_review', approval_id = \(approvalID), submitted_at = \(now), reject_reason = NULL,
                    updated_at = \(now)
                WHERE id = \(head.workingID)
                """, logger: logger)
            try await tx.query(
                """
                UPDATE products SET updated_at = \(now), status = CASE WHEN status IN ('listed', 'delisted') THEN status ELSE 'in_review' END
                WHERE id = \(id)
                """, logger: logger)
            return approvalID
        }
        guard let product = try await product(id: id) else { throw OrdersError.productNotFound }
        return (product, approvalID)
    }

    /// The pending `listing` application of the product, if its owner asks (to withdraw it).
    public func pendingApproval(productID: String, orgID: String) async throws -> String? {
        let rows = try await client.query(
            """
            SELECT a.id FROM approval_applications a JOIN products p ON p.id = a.subject_id
            WHERE a.type = \(ListingEffect.type) AND a.subject_id = \(productID) AND a.status = 'pending' AND p.org_id = \(orgID)
            """, logger: logger)
        for try await id in rows.decode(String.self) { return id }
        return nil
    }

    /// Takes a listed product off sale (下架), by its provider (`orgID`) or an operator (nil).
    /// Orders already placed keep their spec (and so their name and price) and go on.
    public func delist(id: String, orgID: String?, now: Date) async throws -> ProductRecord {
        try await client.transaction(logger: logger) { tx in
            guard let head = try await Self.lock(id, on: tx, logger: logger), orgID == nil || head.orgID == orgID else {
                throw OrdersError.productNotFound
            }
            guard head.status == .listed else { throw ListingError.stateConflict(current: head.status.rawValue, action: "delisted") }
            try await tx.query(
                "UPDATE products SET status = 'delisted', delisted_at = \(now), updated_at = \(now) WHERE id = \(id)", logger: logger)
            try await CatalogueRepository(client: client, logger: logger).remove(productID: id, on: tx)
        }
        guard let product = try await product(id: id) else { throw OrdersError.productNotFound }
        return product
    }

    /// 我的商品: the provider's products with the filters, newest first, and the total.
    public func mine(orgID: String, filter: ProductFilter) async throws -> (items: [ProductSummary], total: Int) {
        let state = filter.state?.rawValue
        let category = filter.category?.rawValue
        let name = filter.name
        let from = """
            products p JOIN product_revisions w ON w.id = p.working_revision_id
            WHERE p.org_id = $1
              AND ($2::text IS NULL OR p.status = $2 OR (p.live_revision_id IS DISTINCT FROM w.id AND w.state = $2))
              AND ($3::text IS NULL OR strpos(lower(w.name), lower($3)) > 0 OR strpos(lower(p.name), lower($3)) > 0)
              AND ($4::text IS NULL OR w.category = $4 OR p.category = $4)
            """
        var binds = PostgresBindings()
        binds.append(orgID)
        binds.append(state)
        binds.append(name)
        binds.append(category)
        var total = 0
        for try await count in try await client.query(PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(from)", binds: binds), logger: logger)
            .decode(Int.self)
        {
            total = count
        }
        binds.append(filter.pageSize)
        binds.append((filter.page - 1) * filter.pageSize)
        let sql = """
            SELECT p.id, w.name, w.category, p.status, CASE WHEN p.live_revision_id IS DISTINCT FROM w.id AND p.live_revision_id IS NOT NULL
                THEN w.state END, w.reject_reason, p.created_at, p.updated_at, p.listed_at
            FROM \(from) ORDER BY p.created_at DESC, p.id LIMIT $5 OFFSET $6
            """
        var items: [ProductSummary] = []
        for try await (id, name, category, status, edit, reason, created, updated, listed) in try await client.query(
            PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger
        ).decode((String, String, String, String, String?, String?, Date, Date, Date?).self) {
            items.append(
                ProductSummary(
                    id: id, name: name, category: try StoredValue.decode(ProductCategory.self, category, column: "product_revisions.category"),
                    status: try StoredValue.decode(ListingState.self, status, column: "products.status"), editState: edit, rejectReason: reason,
                    createdAt: created, updatedAt: updated, listedAt: listed))
        }
        return (items, total)
    }

    /// Records an upload of the organisation for its listings (the bytes are already stored).
    public func recordFile(orgID: String, kind: ListingFileKind, sha256: String, mediaType: String, sizeBytes: Int, now: Date) async throws {
        try await client.query(
            """
            INSERT INTO product_files (org_id, sha256, kind, media_type, size_bytes, created_at)
            VALUES (\(orgID), \(sha256), \(kind.rawValue), \(mediaType), \(Int64(sizeBytes)), \(now))
            ON CONFLICT (org_id, sha256, kind) DO NOTHING
            """, logger: logger)
    }

    /// What a `listing` application decides, for its detail (the approvals inbox): the product,
    /// the submitted revision's whole content and specs, and the live revision's id when it is an
    /// edit. Nil when the application is not a listing or its product is gone.
    public func listingSnapshot(approval: ApprovalRecord) async throws -> ListingSnapshot? {
        guard approval.type == ListingEffect.type, let revisionID = ListingEffect.revisionID(approval.payloadJSON) else { return nil }
        return try await listingSnapshot(revisionID: revisionID)
    }

    /// The snapshot of one revision (see `listingSnapshot(approval:)`).
    public func listingSnapshot(revisionID: String) async throws -> ListingSnapshot? {
        let rows = try await client.query(
            """
            SELECT p.id, p.org_id, o.name, p.status, p.live_revision_id
            FROM product_revisions r JOIN products p ON p.id = r.product_id JOIN organisations o ON o.id = p.org_id WHERE r.id = \(revisionID)
            """, logger: logger)
        for try await (productID, org, orgName, status, live) in rows.decode((String, String, String, String, String?).self) {
            guard let revision = try await revision(id: revisionID) else { return nil }
            return ListingSnapshot(
                productID: productID, orgID: org, organisationName: orgName,
                productStatus: try StoredValue.decode(ListingState.self, status, column: "products.status"), revision: revision,
                liveRevisionID: live == revisionID ? nil : live)
        }
        return nil
    }
}

extension ProductsRepository {
    /// A user's username, as the approvals module records who decided or withdrew.
    public func username(userID: String) async throws -> String? {
        for try await name in try await client.query("SELECT username FROM users WHERE id = \(userID)", logger: logger).decode(String.self) {
            return name
        }
        return nil
    }
}
