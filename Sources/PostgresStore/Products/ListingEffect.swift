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

    /// The public catalogue, written in the deciding transaction (migration 0012).
    let catalogue: CatalogueRepository

    public init(catalogue: CatalogueRepository) {
        self.catalogue = catalogue
    }

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
                    category = r.category, listed_at = coalesce(p.listed_at, \(now)), delisted_at = NULL, updated_at = \(now)
                FROM product_revisions r WHERE r.id = \(revisionID) AND p.id = \(productID)
                """, logger: logger)
            try await catalogue.upsert(try await Self.catalogueEntry(productID: productID, on: connection, logger: logger), on: connection)
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

    /// The catalogue entry of the product's live revision: public fields only (a case study's
    /// contact stays out), 万元 hundredths as fen (0.01 万元 = 10,000 fen), a module's media kind
    /// from its upload's media type.
    static func catalogueEntry(productID: String, on connection: PostgresConnection, logger: Logger) async throws -> CatalogueEntry {
        let rows = try await connection.query(
            """
            SELECT p.org_id, o.name, p.live_revision_id, p.listed_at FROM products p JOIN organisations o ON o.id = p.org_id
            WHERE p.id = \(productID)
            """, logger: logger)
        for try await (org, providerName, liveID, listedAt) in rows.decode((String, String, String?, Date?).self) {
            guard let liveID, let revision = try await ProductsRepository.revision(id: liveID, on: connection, logger: logger),
                let content = revision.content
            else { break }
            let videos = try await ProductsRepository.videoFileIDs(content, orgID: org, on: connection, logger: logger)
            let detail = Self.catalogueDetail(content, specs: revision.specs, videos: videos)
            return CatalogueEntry(
                productID: productID, providerOrgID: org, providerName: providerName, name: content.name, productNames: content.productNames,
                category: content.category, tags: content.tags, solutionClasses: content.solutionClasses, industries: content.industries,
                priceLowFen: content.priceLowFen, priceHighFen: content.priceHighFen, deliveryDays: content.deliveryCycleDays,
                personDays: content.personDays, imageFileID: content.imageFileId, listedAt: listedAt ?? Date(), detail: detail)
        }
        throw OrdersError.productNotFound
    }

    /// The public detail (商品详情) of a revision's content and specs: what the catalogue stores on
    /// approval and what 发布预览 and the reviewers' approval page render before it, so the three
    /// show the same page. `videos`: the module media whose upload is a video.
    public static func catalogueDetail(_ content: ListingContent, specs: [SpecRecord], videos: Set<String>) -> CatalogueDetail {
        let afterSales =
            [content.intro.afterSales.hours, content.intro.afterSales.scope, content.intro.afterSales.hotline]
            + [content.intro.afterSales.email].compactMap { $0 }
        return CatalogueDetail(
            introPage: .init(
                bannerFileId: content.intro.bannerImageFileId, highlights: content.intro.highlights, description: content.intro.description,
                modules: content.intro.modules.map { module in
                    .init(
                        title: module.title, text: module.text,
                        media: module.mediaFileIds.map { .init(kind: videos.contains($0) ? .video : .image, fileId: $0) })
                }, afterSales: afterSales.joined(separator: "；")),
            specs: specs.map {
                .init(id: $0.id, name: $0.name, purchaseMode: $0.purchaseMode, pricing: $0.pricing, unitPriceFen: $0.unitPriceFen)
            },
            caseStudies: (content.caseStudies ?? []).map {
                .init(
                    customerName: $0.customer, annualOutputFen: $0.annualOutputCentiWan * fenPerCentiWan,
                    annualSalesFen: $0.salesCentiWan * fenPerCentiWan, deliveryMonths: $0.deliveryMonths, introDocumentFileId: $0.documentFileId)
            },
            contact: .init(name: content.contact.name, phone: content.contact.phone, email: content.contact.email))
    }

    /// 0.01 万元 = 100 yuan = 10,000 fen (the bound on hundredths keeps the product far inside Int64).
    static let fenPerCentiWan: Int64 = 10_000
}
