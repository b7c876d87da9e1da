import Foundation
import Logging
import PostgresNIO
import VoucherCore

/// Products, their revisions and specs. Content is edited in the working revision; the live one
/// is what enterprises buy. The review chain is in `ProductsRepository+Chain.swift`, the
/// approval's effect in `ListingEffect.swift`.
///
/// Lock order: the approval application (when an effect runs), then the product row.
public struct ProductsRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    public static let productPrefix = "prd"
    public static let revisionPrefix = "rev"
    public static let specPrefix = "spc"

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Checks the specs; the provider can fix every failure.
    public static func validate(specs: [NewSpec]) throws(OrdersError) {
        guard (1...OrdersLimits.specsPerProductMax).contains(specs.count) else {
            throw .invalidProduct("A product needs 1 to \(OrdersLimits.specsPerProductMax) specs.")
        }
        for spec in specs {
            guard (1...100).contains(spec.name.count) else { throw .invalidProduct("A spec name must have 1 to 100 characters.") }
            switch spec.pricing {
            case .free where spec.unitPriceFen != 0:
                throw .invalidProduct("A free spec has unitPriceFen 0; send 0 or pricing simple.")
            case .simple where !(1...OrdersLimits.unitPriceFenMax).contains(spec.unitPriceFen):
                throw .invalidProduct("A simple spec's unitPriceFen must be from 1 to \(OrdersLimits.unitPriceFenMax).")
            default: break
            }
        }
    }

    /// Creates a draft product of a provider with its first revision.
    public func create(orgID: String, content: ListingContent, specs: [NewSpec], now: Date) async throws -> ProductRecord {
        try content.validate()
        try Self.validate(specs: specs)
        let id = OpaqueID.make(prefix: Self.productPrefix)
        let revisionID = OpaqueID.make(prefix: Self.revisionPrefix)
        try await client.transaction(logger: logger) { tx in
            try await Self.checkFiles(content, orgID: orgID, on: tx, logger: logger)
            // The product and its revision refer to each other; the product's reference is checked at commit.
            try await tx.query(
                """
                INSERT INTO products (id, org_id, name, category, created_at, updated_at, working_revision_id)
                VALUES (\(id), \(orgID), \(content.name), \(content.category.rawValue), \(now), \(now), \(revisionID))
                """, logger: logger)
            try await Self.insertRevision(revisionID, productID: id, number: 1, content: content, specs: specs, now: now, on: tx, logger: logger)
        }
        guard let product = try await product(id: id) else { throw OrdersError.productNotFound }
        return product
    }

    /// Replaces the working revision's content and specs. A draft, rejected or withdrawn revision
    /// is edited in place; a listed (or delisted) product without an edit under way gets a new
    /// working revision, so the live one stays on sale until the edit is approved. A revision in
    /// review cannot change (withdraw it first).
    public func update(id: String, orgID: String, content: ListingContent, specs: [NewSpec], now: Date) async throws -> ProductRecord {
        try content.validate()
        try Self.validate(specs: specs)
        try await client.transaction(logger: logger) { tx in
            let head = try await Self.lockOwned(id, orgID: orgID, on: tx, logger: logger)
            try await Self.checkFiles(content, orgID: orgID, on: tx, logger: logger)
            switch head.workingState {
            case "in_review":
                throw ListingError.stateConflict(current: "in review", action: "edited; withdraw it first")
            case "approved":
                let revisionID = OpaqueID.make(prefix: Self.revisionPrefix)
                try await Self.insertRevision(
                    revisionID, productID: id, number: head.workingNumber + 1, content: content, specs: specs, now: now, on: tx, logger: logger)
                try await tx.query(
                    "UPDATE products SET working_revision_id = \(revisionID), updated_at = \(now) WHERE id = \(id)", logger: logger)
            default:
                try await tx.query("DELETE FROM product_specs WHERE revision_id = \(head.workingID)", logger: logger)
                try await tx.query(
                    """
                    UPDATE product_revisions SET name = \(content.name), category = \(content.category.rawValue),
                        solution_classes = \(content.solutionClasses), industries = \(content.industries), tags = \(content.tags),
                        product_names = \(content.productNames), price_low_fen = \(content.priceLowFen), price_high_fen = \(content.priceHighFen),
                        content = \(try Self.json(content))::jsonb, updated_at = \(now)
                    WHERE id = \(head.workingID)
                    """, logger: logger)
                try await Self.insertSpecs(specs, productID: id, revisionID: head.workingID, on: tx, logger: logger)
                let neverListed = head.status != .listed && head.status != .delisted
                try await tx.query(
                    """
                    UPDATE products SET updated_at = \(now),
                        name = CASE WHEN \(neverListed) THEN \(content.name) ELSE name END,
                        category = CASE WHEN \(neverListed) THEN \(content.category.rawValue) ELSE category END
                    WHERE id = \(id)
                    """, logger: logger)
            }
        }
        guard let product = try await product(id: id) else { throw OrdersError.productNotFound }
        return product
    }

    /// The product with its revisions and their specs.
    public func product(id: String) async throws -> ProductRecord? {
        let rows = try await client.query(
            """
            SELECT id, org_id, status, name, category, live_revision_id, working_revision_id, created_at, updated_at, listed_at
            FROM products WHERE id = \(id)
            """, logger: logger)
        for try await (id, org, status, name, category, liveID, workingID, created, updated, listed) in rows.decode(
            (String, String, String, String, String, String?, String, Date, Date, Date?).self)
        {
            guard let working = try await revision(id: workingID) else { return nil }
            var live: RevisionRecord?
            if let liveID { live = try await revision(id: liveID) }
            return ProductRecord(
                id: id, orgID: org, status: try StoredValue.decode(ListingState.self, status, column: "products.status"), name: name,
                category: try StoredValue.decode(ProductCategory.self, category, column: "products.category"), live: live, working: working,
                createdAt: created, updatedAt: updated, listedAt: listed)
        }
        return nil
    }

    /// One revision with its specs in position order.
    public func revision(id: String) async throws -> RevisionRecord? {
        try await client.withConnection { connection in try await Self.revision(id: id, on: connection, logger: logger) }
    }

    static func revision(id: String, on connection: PostgresConnection, logger: Logger) async throws -> RevisionRecord? {
        let rows = try await connection.query(
            """
            SELECT number, state, content::text, reject_reason, approval_id, submitted_at, updated_at FROM product_revisions WHERE id = \(id)
            """, logger: logger)
        var head: (Int, String, String, String?, String?, Date?, Date)?
        for try await row in rows.decode((Int, String, String, String?, String?, Date?, Date).self) { head = row }
        guard let head else { return nil }
        let specRows = try await connection.query(
            """
            SELECT id, name, purchase_mode, pricing, unit_price_fen FROM product_specs WHERE revision_id = \(id) ORDER BY position
            """, logger: logger)
        var specs: [SpecRecord] = []
        for try await (specID, name, mode, pricing, price) in specRows.decode((String, String, String, String, Int64).self) {
            specs.append(
                SpecRecord(
                    id: specID, name: name, purchaseMode: try StoredValue.decode(PurchaseMode.self, mode, column: "product_specs.purchase_mode"),
                    pricing: try StoredValue.decode(Pricing.self, pricing, column: "product_specs.pricing"), unitPriceFen: price))
        }
        let content = try? JSONDecoder().decode(ListingContent.self, from: Data(head.2.utf8))
        return RevisionRecord(
            id: id, number: head.0, state: head.1, content: content, specs: specs, rejectReason: head.3, approvalID: head.4,
            submittedAt: head.5, updatedAt: head.6)
    }

    // MARK: Writing

    static func json(_ content: ListingContent) throws -> String {
        String(decoding: try JSONEncoder().encode(content), as: UTF8.self)
    }

    static func insertRevision(
        _ id: String, productID: String, number: Int, content: ListingContent, specs: [NewSpec], now: Date, on tx: PostgresConnection,
        logger: Logger
    ) async throws {
        try await tx.query(
            """
            INSERT INTO product_revisions (id, product_id, number, state, name, category, solution_classes, industries, tags, product_names,
                price_low_fen, price_high_fen, content, created_at, updated_at)
            VALUES (\(id), \(productID), \(number), 'draft', \(content.name), \(content.category.rawValue), \(content.solutionClasses),
                \(content.industries), \(content.tags), \(content.productNames), \(content.priceLowFen), \(content.priceHighFen),
                \(try json(content))::jsonb, \(now), \(now))
            """, logger: logger)
        try await insertSpecs(specs, productID: productID, revisionID: id, on: tx, logger: logger)
    }

    static func insertSpecs(_ specs: [NewSpec], productID: String, revisionID: String, on tx: PostgresConnection, logger: Logger) async throws {
        for (position, spec) in specs.enumerated() {
            try await tx.query(
                """
                INSERT INTO product_specs (id, product_id, revision_id, position, name, purchase_mode, pricing, unit_price_fen)
                VALUES (\(OpaqueID.make(prefix: specPrefix)), \(productID), \(revisionID), \(position), \(spec.name),
                    \(spec.purchaseMode.rawValue), \(spec.pricing.rawValue), \(spec.unitPriceFen))
                """, logger: logger)
        }
    }

    /// Every file the content names must be an upload of this organisation of the right kind.
    static func checkFiles(_ content: ListingContent, orgID: String, on tx: PostgresConnection, logger: Logger) async throws {
        let references = content.fileReferences
        let rows = try await tx.query(
            "SELECT sha256, kind FROM product_files WHERE org_id = \(orgID) AND sha256 = ANY(\(references.map(\.fileID)))", logger: logger)
        var uploaded: [String: Set<ListingFileKind>] = [:]
        for try await (sha, kind) in rows.decode((String, String).self) {
            if let kind = ListingFileKind(rawValue: kind) { uploaded[sha, default: []].insert(kind) }
        }
        for (fileID, kinds) in references where uploaded[fileID]?.isDisjoint(with: kinds) ?? true {
            throw ListingError.fileUnknown(fileID)
        }
    }

    /// The product's row locked, if `orgID` owns it (nil `orgID`: the platform, any product).
    struct LockedProduct {
        let status: ListingState
        let orgID: String
        let liveID: String?
        let workingID: String
        let workingState: String
        let workingNumber: Int
        let workingName: String
    }

    static func lock(_ id: String, on tx: PostgresConnection, logger: Logger) async throws -> LockedProduct? {
        let rows = try await tx.query(
            """
            SELECT p.status, p.org_id, p.live_revision_id, r.id, r.state, r.number, r.name
            FROM products p JOIN product_revisions r ON r.id = p.working_revision_id WHERE p.id = \(id) FOR UPDATE OF p
            """, logger: logger)
        for try await (status, org, live, working, state, number, name) in rows.decode((String, String, String?, String, String, Int, String).self) {
            return LockedProduct(
                status: try StoredValue.decode(ListingState.self, status, column: "products.status"), orgID: org, liveID: live, workingID: working,
                workingState: state, workingNumber: number, workingName: name)
        }
        return nil
    }

    static func lockOwned(_ id: String, orgID: String, on tx: PostgresConnection, logger: Logger) async throws -> LockedProduct {
        guard let head = try await lock(id, on: tx, logger: logger), head.orgID == orgID else { throw OrdersError.productNotFound }
        return head
    }
}
