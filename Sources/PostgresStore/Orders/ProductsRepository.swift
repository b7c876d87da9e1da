import Foundation
import Logging
import PostgresNIO
import VoucherCore

/// A spec as the provider sends it.
public struct NewSpec: Sendable {
    public let name: String
    public let purchaseMode: PurchaseMode
    public let pricing: Pricing
    public let unitPriceFen: Int64

    public init(name: String, purchaseMode: PurchaseMode, pricing: Pricing, unitPriceFen: Int64) {
        self.name = name
        self.purchaseMode = purchaseMode
        self.pricing = pricing
        self.unitPriceFen = unitPriceFen
    }
}

/// A product with its specs, as stored.
public struct ProductRecord: Sendable {
    public let id: String
    public let orgID: String
    public let name: String
    public let category: ProductCategory
    public let status: String
    public let specs: [SpecRecord]
}

/// One spec of a product.
public struct SpecRecord: Sendable {
    public let id: String
    public let name: String
    public let purchaseMode: PurchaseMode
    public let pricing: Pricing
    public let unitPriceFen: Int64
}

/// Products and specs — just enough to buy; the listing review chain is a later issue.
public struct ProductsRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    public static let productPrefix = "prd"
    public static let specPrefix = "spc"

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Checks a product's fields; the provider can fix every failure.
    public static func validate(name: String, specs: [NewSpec]) throws(OrdersError) {
        guard (1...100).contains(name.count) else { throw .invalidProduct("The product name must have 1 to 100 characters.") }
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

    /// Creates a draft product of a provider.
    public func create(orgID: String, name: String, category: ProductCategory, specs: [NewSpec], now: Date) async throws -> ProductRecord {
        try Self.validate(name: name, specs: specs)
        let id = OpaqueID.make(prefix: Self.productPrefix)
        let specIDs = specs.map { _ in OpaqueID.make(prefix: Self.specPrefix) }
        try await client.transaction(logger: logger) { tx in
            try await tx.query(
                """
                INSERT INTO products (id, org_id, name, category, created_at) VALUES (\(id), \(orgID), \(name), \(category.rawValue), \(now))
                """, logger: logger)
            for (position, spec) in specs.enumerated() {
                try await tx.query(
                    """
                    INSERT INTO product_specs (id, product_id, position, name, purchase_mode, pricing, unit_price_fen)
                    VALUES (\(specIDs[position]), \(id), \(position), \(spec.name), \(spec.purchaseMode.rawValue), \(spec.pricing.rawValue),
                        \(spec.unitPriceFen))
                    """, logger: logger)
            }
        }
        guard let product = try await product(id: id) else { throw OrdersError.productNotFound }
        return product
    }

    /// An operator lists a product (上架), which makes it purchasable.
    public func list(id: String, now: Date) async throws -> ProductRecord {
        let rows = try await client.query(
            """
            UPDATE products SET status = 'listed', listed_at = \(now) WHERE id = \(id) RETURNING id
            """, logger: logger)
        var found = false
        for try await _ in rows.decode(String.self) { found = true }
        guard found, let product = try await product(id: id) else { throw OrdersError.productNotFound }
        return product
    }

    /// The product and its specs in position order.
    public func product(id: String) async throws -> ProductRecord? {
        let rows = try await client.query("SELECT id, org_id, name, category, status FROM products WHERE id = \(id)", logger: logger)
        var head: (String, String, String, String, String)?
        for try await row in rows.decode((String, String, String, String, String).self) { head = row }
        guard let head else { return nil }
        let category = try StoredValue.decode(ProductCategory.self, head.3, column: "products.category")
        let specRows = try await client.query(
            """
            SELECT id, name, purchase_mode, pricing, unit_price_fen FROM product_specs WHERE product_id = \(id) ORDER BY position
            """, logger: logger)
        var specs: [SpecRecord] = []
        for try await (specID, name, mode, pricing, price) in specRows.decode((String, String, String, String, Int64).self) {
            specs.append(
                SpecRecord(
                    id: specID, name: name, purchaseMode: try StoredValue.decode(PurchaseMode.self, mode, column: "product_specs.purchase_mode"),
                    pricing: try StoredValue.decode(Pricing.self, pricing, column: "product_specs.pricing"), unitPriceFen: price))
        }
        return ProductRecord(id: head.0, orgID: head.1, name: head.2, category: category, status: head.4, specs: specs)
    }
}
