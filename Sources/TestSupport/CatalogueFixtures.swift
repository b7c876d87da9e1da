import Foundation
import PostgresNIO
import PostgresStore
import VoucherCore

/// Listed products for catalogue tests. The listing chain is not on every branch, so tests put
/// products in the catalogue the way it does: a `products` row, then `CatalogueRepository.upsert`.
public enum CatalogueFixtures {
    /// A provider organisation `org` (certified) with the given registered name.
    public static func provider(_ postgres: PostgresClient, org: String, name: String) async throws {
        try await postgres.query("INSERT INTO organisations (id, kind, name, certification) VALUES (\(org), 'provider', \(name), 'certified')")
    }

    /// A listed `products` row with one spec per price, as the chain leaves it, and its specs for the detail.
    public static func product(
        _ postgres: PostgresClient, id: String, org: String, name: String, category: ProductCategory, pricesFen: [Int64], listedAt: Date
    ) async throws -> [CatalogueDetail.Spec] {
        // A product and its live revision (migration 0011) refer to each other, so both go in one transaction.
        let revisionID = "rev_\(id.dropFirst(4))"
        try await postgres.transaction(logger: TestEnvironment.logger) { tx in
            try await tx.query(
                """
                INSERT INTO products (id, org_id, name, category, status, created_at, updated_at, listed_at, live_revision_id, working_revision_id)
                VALUES (\(id), \(org), \(name), \(category.rawValue), 'listed', \(listedAt), \(listedAt), \(listedAt), \(revisionID), \(revisionID))
                """, logger: TestEnvironment.logger)
            try await tx.query(
                """
                INSERT INTO product_revisions (id, product_id, number, state, name, category, created_at, updated_at)
                VALUES (\(revisionID), \(id), 1, 'approved', \(name), \(category.rawValue), \(listedAt), \(listedAt))
                """, logger: TestEnvironment.logger)
        }
        var specs: [CatalogueDetail.Spec] = []
        for (position, price) in pricesFen.enumerated() {
            let specID = "spc_\(id.dropFirst(4))_\(position)"
            let pricing = price == 0 ? Pricing.free : .simple
            try await postgres.query(
                """
                INSERT INTO product_specs (id, product_id, revision_id, position, name, purchase_mode, pricing, unit_price_fen)
                VALUES (\(specID), \(id), \(revisionID), \(position), \("规格\(position + 1)"), 'quantity', \(pricing.rawValue), \(price))
                """)
            specs.append(.init(id: specID, name: "规格\(position + 1)", purchaseMode: .quantity, pricing: pricing, unitPriceFen: price))
        }
        return specs
    }

    /// A whole public detail around `specs`, with one case study and a module of each media kind.
    public static func detail(specs: [CatalogueDetail.Spec]) -> CatalogueDetail {
        CatalogueDetail(
            introPage: .init(
                bannerFileId: "file_banner", highlights: ["七天上线", "专家驻场"], description: "面向中小企业的一站式方案。",
                modules: [
                    .init(title: "产品功能", text: "订单、库存与财务一体化。", media: [.init(kind: .image, fileId: "file_img1")]),
                    .init(title: "演示视频", text: "三分钟了解。", media: [.init(kind: .video, fileId: "file_vid1")]),
                ], afterSales: "一年免费维护，7×24 小时热线。"),
            specs: specs,
            caseStudies: [
                .init(
                    customerName: "杭州某机械有限公司", annualOutputFen: 1_234_560_000, annualSalesFen: 987_650_000, deliveryMonths: 3,
                    introDocumentFileId: "file_case1")
            ],
            contact: .init(name: "王经理", phone: "13800000000", email: "sales@example.com"))
    }

    /// Lists a product in the catalogue: its `products` row and specs, then the catalogue entry.
    @discardableResult
    public static func list(
        _ postgres: PostgresClient, id: String, org: String, providerName: String, name: String, productNames: [String] = [],
        category: ProductCategory = .cloud, tags: [String] = [], industries: [String] = [], pricesFen: [Int64] = [100_000],
        listedAt: Date = Date(timeIntervalSince1970: 1_790_000_000)
    ) async throws -> CatalogueEntry {
        let specs = try await product(postgres, id: id, org: org, name: name, category: category, pricesFen: pricesFen, listedAt: listedAt)
        let entry = CatalogueEntry(
            productID: id, providerOrgID: org, providerName: providerName, name: name, productNames: productNames, category: category,
            tags: tags, solutionClasses: ["管理提升"], industries: industries, priceLowFen: pricesFen.min() ?? 0,
            priceHighFen: pricesFen.max() ?? 0, deliveryDays: 30, personDays: 12, imageFileID: "file_cover", listedAt: listedAt,
            detail: detail(specs: specs))
        try await CatalogueRepository(client: postgres, logger: TestEnvironment.logger).upsert(entry)
        return entry
    }
}
