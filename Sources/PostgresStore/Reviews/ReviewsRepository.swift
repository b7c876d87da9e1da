import Foundation
import Logging
import PostgresNIO
import VoucherCore

/// Reviews in PostgreSQL (migration 0015): written, edited and hidden with the catalogue's rating
/// in the same transaction, and the lists of 我的评价, 客户评价, the operators and the portal.
///
/// Lock order, everywhere: the order (writing) or the review (editing, hiding), then the product's
/// row (FOR SHARE). The listing chain takes the product's row FOR UPDATE before it puts a product
/// back in the catalogue, so a rating change and a (re)listing never interleave: the catalogue's
/// `rating_count` and `rating_sum` always equal the product's visible reviews.
public struct ReviewsRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    public static let reviewPrefix = "rev"
    public static let auditPrefix = "rva"

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Writes the enterprise's review of its order: the order must be `orgID`'s (else
    /// `OrdersError.orderNotFound`), completed, and not reviewed yet. The product's rating
    /// counts it at once.
    public func create(orderID: String, orgID: String, userID: String, content: ReviewContent, now: Date) async throws -> ReviewRecord {
        let id = OpaqueID.make(prefix: Self.reviewPrefix)
        do {
            try await client.transaction(logger: logger) { tx in
                var locked: (state: String, provider: String, product: String)?
                for try await row in try await tx.query(
                    "SELECT state, provider_org_id, product_id FROM orders WHERE id = \(orderID) AND org_id = \(orgID) FOR UPDATE", logger: logger
                ).decode((String, String, String).self) {
                    locked = row
                }
                guard let order = locked else { throw OrdersError.orderNotFound }
                if let existing = try await Self.reviewID(orderID: orderID, on: tx, logger: logger) {
                    throw ReviewError.reviewExists(reviewID: existing)
                }
                guard order.state == OrderState.completed.rawValue else { throw ReviewError.orderNotAccepted(state: order.state) }
                try await Self.lockProduct(order.product, on: tx, logger: logger)
                try await tx.query(
                    """
                    INSERT INTO reviews (id, order_id, org_id, provider_org_id, product_id, created_by, stars, body, created_at, updated_at)
                    VALUES (\(id), \(orderID), \(orgID), \(order.provider), \(order.product), \(userID), \(content.stars), \(content.text),
                        \(now), \(now))
                    """, logger: logger)
                try await Self.audit(id, action: "create", actor: userID, content: content, reason: nil, now: now, on: tx, logger: logger)
                try await Self.rate(product: order.product, countBy: 1, sumBy: Int64(content.stars), on: tx, logger: logger)
            }
        } catch let error as PSQLError where error.violatedUniqueConstraint == "reviews_order_id_key" {
            // The order's row lock makes this unreachable; the constraint is the last word if it ever is not.
            throw ReviewError.reviewExists(reviewID: try await Self.reviewID(orderID: orderID, client: client, logger: logger) ?? "?")
        }
        return try await found(id)
    }

    /// The author's edit within the window: new stars and text; a visible review's change of
    /// stars moves the product's rating sum by the difference.
    public func edit(id: String, orgID: String, userID: String, content: ReviewContent, now: Date) async throws -> ReviewRecord {
        try await client.transaction(logger: logger) { tx in
            let review = try await Self.lockReview(id, orgID: orgID, on: tx, logger: logger)
            guard review.hiddenAt == nil else { throw ReviewError.hidden }
            guard ReviewRules.isEditable(createdAt: review.createdAt, now: now) else {
                throw ReviewError.editWindowClosed(until: ReviewRules.editableUntil(createdAt: review.createdAt))
            }
            try await Self.lockProduct(review.productID, on: tx, logger: logger)
            try await tx.query(
                "UPDATE reviews SET stars = \(content.stars), body = \(content.text), updated_at = \(max(now, review.createdAt)) WHERE id = \(id)",
                logger: logger)
            try await Self.audit(id, action: "edit", actor: userID, content: content, reason: nil, now: now, on: tx, logger: logger)
            try await Self.rate(product: review.productID, countBy: 0, sumBy: Int64(content.stars - review.stars), on: tx, logger: logger)
        }
        return try await found(id)
    }

    /// An operator hides a review with a reason: it leaves the product's rating and the public
    /// list, and the audit records who, when and why. A hidden review is hidden for good.
    public func hide(id: String, operatorID: String, reason: String, now: Date) async throws -> ReviewRecord {
        try await client.transaction(logger: logger) { tx in
            let review = try await Self.lockReview(id, orgID: nil, on: tx, logger: logger)
            guard review.hiddenAt == nil else { throw ReviewError.hidden }
            try await Self.lockProduct(review.productID, on: tx, logger: logger)
            try await tx.query(
                "UPDATE reviews SET hidden_at = \(now), hidden_by = \(operatorID), hidden_reason = \(reason) WHERE id = \(id)", logger: logger)
            try await Self.audit(id, action: "hide", actor: operatorID, content: nil, reason: reason, now: now, on: tx, logger: logger)
            try await Self.rate(product: review.productID, countBy: -1, sumBy: -Int64(review.stars), on: tx, logger: logger)
        }
        return try await found(id)
    }

    /// One review: the enterprise's own (`orgID`), or any for operators (nil).
    public func review(id: String, orgID: String?) async throws -> ReviewRecord? {
        let rows = try await client.query(
            """
            SELECT \(unescaped: Self.columns) FROM \(unescaped: Self.from) WHERE r.id = \(id) AND (\(orgID)::text IS NULL OR r.org_id = \(orgID))
            """, logger: logger)
        return try await Self.decode(rows).first
    }

    /// 我的评价: the enterprise's completed orders, newest order first, each with its review.
    public func mine(orgID: String, page: Int, pageSize: Int) async throws -> (items: [ReviewableOrder], total: Int) {
        let total = try await count("SELECT count(*)::int FROM orders WHERE org_id = \(orgID) AND state = 'completed'")
        let rows = try await client.query(
            """
            SELECT o.id, o.product_id, p.name, p.status, o.created_at, r.id
            FROM orders o JOIN products p ON p.id = o.product_id LEFT JOIN reviews r ON r.order_id = o.id
            WHERE o.org_id = \(orgID) AND o.state = 'completed'
            ORDER BY o.created_at DESC, o.id DESC LIMIT \(pageSize) OFFSET \((page - 1) * pageSize)
            """, logger: logger)
        var lines: [(String, String, String, String, Date, String?)] = []
        for try await line in rows.decode((String, String, String, String, Date, String?).self) { lines.append(line) }
        let reviewIDs = lines.compactMap(\.5)
        var reviews: [String: ReviewRecord] = [:]
        if !reviewIDs.isEmpty {
            let found = try await client.query(
                "SELECT \(unescaped: Self.columns) FROM \(unescaped: Self.from) WHERE r.id = ANY(\(reviewIDs))", logger: logger)
            for review in try await Self.decode(found) { reviews[review.id] = review }
        }
        let items = lines.map { orderID, productID, name, state, orderedAt, reviewID in
            ReviewableOrder(
                orderID: orderID, productID: productID, productName: name, productState: state, orderedAt: orderedAt,
                review: reviewID.flatMap { reviews[$0] })
        }
        return (items, total)
    }

    /// 客户评价 (with `providerOrgID`) and the operators' list: newest first, filtered.
    public func list(_ filter: ReviewFilter, page: Int, pageSize: Int) async throws -> (items: [ReviewRecord], total: Int) {
        let condition: PostgresQuery = """
            (\(filter.providerOrgID)::text IS NULL OR r.provider_org_id = \(filter.providerOrgID))
            AND (\(filter.productID)::text IS NULL OR r.product_id = \(filter.productID))
            AND (\(filter.stars)::int IS NULL OR r.stars = \(filter.stars))
            AND (\(filter.from)::timestamptz IS NULL OR r.created_at >= \(filter.from))
            AND (\(filter.to)::timestamptz IS NULL OR r.created_at < \(filter.to))
            AND (\(filter.visibility.rawValue) = 'all' OR (r.hidden_at IS NULL) = (\(filter.visibility.rawValue) = 'visible'))
            """
        let total = try await count(PostgresQuery(unsafeSQL: "SELECT count(*)::int FROM reviews r WHERE " + condition.sql, binds: condition.binds))
        var binds = condition.binds
        binds.append(pageSize)
        binds.append((page - 1) * pageSize)
        let sql = """
            SELECT \(Self.columns) FROM \(Self.from) WHERE \(condition.sql)
            ORDER BY r.created_at DESC, r.id DESC LIMIT $\(binds.count - 1) OFFSET $\(binds.count)
            """
        let rows = try await client.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
        return (try await Self.decode(rows), total)
    }

    /// The portal's list of a product's visible reviews, newest first.
    public func visible(productID: String, page: Int, pageSize: Int) async throws -> (items: [ReviewRecord], total: Int) {
        try await list(ReviewFilter(productID: productID, visibility: .visible), page: page, pageSize: pageSize)
    }

    /// The audit of a review, oldest first.
    public func audit(reviewID: String) async throws -> [ReviewAuditEntry] {
        let rows = try await client.query(
            "SELECT action, actor, stars, body, reason, created_at FROM review_audit WHERE review_id = \(reviewID) ORDER BY seq",
            logger: logger)
        var entries: [ReviewAuditEntry] = []
        for try await (action, actor, stars, text, reason, at) in rows.decode((String, String, Int?, String?, String?, Date).self) {
            entries.append(ReviewAuditEntry(action: action, actor: actor, stars: stars, text: text, reason: reason, at: at))
        }
        return entries
    }

    // MARK: Parts

    static let columns = """
        r.id, r.order_id, r.org_id, e.name, r.provider_org_id, r.product_id, p.name, r.stars, r.body, r.created_at, r.updated_at,
        r.hidden_at, r.hidden_by, r.hidden_reason
        """
    static let from = "reviews r JOIN organisations e ON e.id = r.org_id JOIN products p ON p.id = r.product_id"

    static func decode(_ rows: PostgresRowSequence) async throws -> [ReviewRecord] {
        var records: [ReviewRecord] = []
        for try await (id, order, org, enterprise, provider, product, productName, stars, text, created, updated, hiddenAt, hiddenBy, reason)
            in rows.decode((String, String, String, String, String, String, String, Int, String, Date, Date, Date?, String?, String?).self)
        {
            records.append(
                ReviewRecord(
                    id: id, orderID: order, orgID: org, enterpriseName: enterprise, providerOrgID: provider, productID: product,
                    productName: productName, stars: stars, text: text, createdAt: created, updatedAt: updated, hiddenAt: hiddenAt,
                    hiddenBy: hiddenBy, hiddenReason: reason))
        }
        return records
    }

    /// The review just written; it exists (the transaction committed).
    private func found(_ id: String) async throws -> ReviewRecord {
        guard let review = try await review(id: id, orgID: nil) else { throw ReviewError.notFound }
        return review
    }

    private func count(_ query: PostgresQuery) async throws -> Int {
        var total = 0
        for try await value in try await client.query(query, logger: logger).decode(Int.self) { total = value }
        return total
    }

    /// What an edit or a hide needs of the locked review.
    struct LockedReview {
        let productID: String
        let stars: Int
        let createdAt: Date
        let hiddenAt: Date?
    }

    /// Locks the review (the enterprise's own when `orgID` is given) or throws `ReviewError.notFound`.
    static func lockReview(_ id: String, orgID: String?, on tx: PostgresConnection, logger: Logger) async throws -> LockedReview {
        let rows = try await tx.query(
            """
            SELECT product_id, stars, created_at, hidden_at FROM reviews
            WHERE id = \(id) AND (\(orgID)::text IS NULL OR org_id = \(orgID)) FOR UPDATE
            """, logger: logger)
        for try await (product, stars, created, hidden) in rows.decode((String, Int, Date, Date?).self) {
            return LockedReview(productID: product, stars: stars, createdAt: created, hiddenAt: hidden)
        }
        throw ReviewError.notFound
    }

    /// Holds the product's row until the transaction ends, so that the listing chain cannot put it
    /// in (or take it out of) the catalogue between this rating change and the commit.
    static func lockProduct(_ productID: String, on tx: PostgresConnection, logger: Logger) async throws {
        for try await _ in try await tx.query("SELECT 1 FROM products WHERE id = \(productID) FOR SHARE", logger: logger).decode(Int.self) {}
    }

    /// Moves the catalogue's rating of a listed product; a product not in the catalogue has none
    /// to move (it starts from its visible reviews when listed again).
    static func rate(product: String, countBy: Int, sumBy: Int64, on tx: PostgresConnection, logger: Logger) async throws {
        guard countBy != 0 || sumBy != 0 else { return }
        try await tx.query(
            """
            UPDATE catalogue_entries SET rating_count = rating_count + \(countBy), rating_sum = rating_sum + \(sumBy)
            WHERE product_id = \(product)
            """, logger: logger)
    }

    static func audit(
        _ reviewID: String, action: String, actor: String, content: ReviewContent?, reason: String?, now: Date, on tx: PostgresConnection,
        logger: Logger
    ) async throws {
        try await tx.query(
            """
            INSERT INTO review_audit (id, review_id, action, actor, stars, body, reason, created_at)
            VALUES (\(OpaqueID.make(prefix: auditPrefix)), \(reviewID), \(action), \(actor), \(content?.stars), \(content?.text), \(reason), \(now))
            """, logger: logger)
    }

    static func reviewID(orderID: String, on tx: PostgresConnection, logger: Logger) async throws -> String? {
        for try await id in try await tx.query("SELECT id FROM reviews WHERE order_id = \(orderID)", logger: logger).decode(String.self) {
            return id
        }
        return nil
    }

    static func reviewID(orderID: String, client: PostgresClient, logger: Logger) async throws -> String? {
        for try await id in try await client.query("SELECT id FROM reviews WHERE order_id = \(orderID)", logger: logger).decode(String.self) {
            return id
        }
        return nil
    }
}

/// One entry of a review's audit: what was done, by whom (a user id), when; the stars and text an
/// author wrote, or the reason an operator hid it.
public struct ReviewAuditEntry: Sendable, Equatable {
    public let action: String
    public let actor: String
    public let stars: Int?
    public let text: String?
    public let reason: String?
    public let at: Date
}
