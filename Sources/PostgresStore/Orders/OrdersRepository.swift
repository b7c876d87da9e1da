import Foundation
import Logging
import PostgresNIO
import VoucherCore

/// Orders in PostgreSQL: quotes, placing with holds, the payment and refund workflows, lists.
///
/// Lock order, everywhere, so that no two transactions wait on each other in a cycle: the
/// approval application (if any), then the order, then its vouchers in id order.
public struct OrdersRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    public static let orderPrefix = "ord"
    public static let proofPrefix = "prf"
    public static let usagePrefix = "use"

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// The quote of SPEC §2 without writing anything.
    public func quote(_ request: OrderRequest, now: Date) async throws -> OrderQuote {
        try await client.transaction(logger: logger) { tx in
            try await Self.compute(request, lock: false, now: now, on: tx, logger: logger)
        }
    }

    /// Prices the request and plans the deduction; with `lock` the chosen vouchers' rows stay
    /// locked (in id order) until the transaction ends, so the plan cannot go stale.
    static func compute(_ request: OrderRequest, lock: Bool, now: Date, on tx: PostgresConnection, logger: Logger) async throws -> OrderQuote {
        guard (1...OrdersLimits.quantityMax).contains(request.quantity) else { throw OrdersError.quantityOutOfRange(request.quantity) }
        let product = try await listedProduct(request, on: tx, logger: logger)
        let (totalFen, overflow) = product.unitPriceFen.multipliedReportingOverflow(by: Int64(request.quantity))
        guard !overflow, totalFen <= OrdersLimits.orderTotalFenMax else { throw OrdersError.orderTotalTooLarge }
        let eligible = try await eligibleVouchers(orgID: request.orgID, category: product.category, now: now, on: tx, logger: logger)
        var chosenIDs = request.voucherIDs ?? eligible.map(\.id)
        try checkChoice(chosenIDs)
        if totalFen == 0 {
            if request.voucherIDs?.isEmpty == false { throw OrdersError.vouchersOnFreeOrder }
            chosenIDs = []
        }
        let balances = try await chosenBalances(chosenIDs, request: request, category: product.category, lock: lock, on: tx, logger: logger)
        let capFen = DeductionRule.cap(orderTotal: Money(fen: totalFen)).fen
        var deductionFen: Int64 = 0
        var draws: [VoucherDraw] = []
        if totalFen > 0 {
            let plan = try Deduction.plan(orderTotal: Money(fen: totalFen), vouchers: balances, at: now)
            deductionFen = plan.deduction.fen
            draws = plan.draws
        }
        precondition(deductionFen <= capFen && capFen <= totalFen, "deduction beyond the cap")
        return OrderQuote(
            productID: product.id, productName: product.name, providerOrgID: product.orgID, specID: product.specID, specName: product.specName,
            quantity: request.quantity, unitPriceFen: product.unitPriceFen, totalFen: totalFen, capFen: capFen, deductionFen: deductionFen,
            payableFen: totalFen - deductionFen, eligible: eligible, draws: draws)
    }

    /// Duplicates and count are refused before any row is read.
    static func checkChoice(_ ids: [String]) throws {
        guard ids.count <= Deduction.vouchersPerPlanMax else { throw DeductionError.tooManyVouchers(count: ids.count) }
        var seen = Set<String>()
        for id in ids where !seen.insert(id).inserted { throw DeductionError.duplicateVoucher(id: id) }
    }

    struct PricedSpec {
        let id: String, name: String, orgID: String, category: ProductCategory
        let specID: String, specName: String, unitPriceFen: Int64
    }

    static func listedProduct(_ request: OrderRequest, on tx: PostgresConnection, logger: Logger) async throws -> PricedSpec {
        let rows = try await tx.query(
            """
            SELECT p.id, p.name, p.org_id, p.category, s.id, s.name, s.unit_price_fen
            FROM products p LEFT JOIN product_specs s ON s.revision_id = p.live_revision_id AND s.id = \(request.specID)
            WHERE p.id = \(request.productID) AND p.status = 'listed'
            """, logger: logger)
        for try await (id, name, org, category, specID, specName, price) in rows.decode(
            (String, String, String, String, String?, String?, Int64?).self)
        {
            let category = try StoredValue.decode(ProductCategory.self, category, column: "products.category")
            guard let specID, let specName, let price else { throw OrdersError.specNotFound }
            return PricedSpec(id: id, name: name, orgID: org, category: category, specID: specID, specName: specName, unitPriceFen: price)
        }
        throw OrdersError.productNotFound
    }

    /// The organisation's vouchers that may pay for the category, valid and with a balance,
    /// earliest expiry first, at most one plan's worth.
    static func eligibleVouchers(
        orgID: String, category: ProductCategory, now: Date, on tx: PostgresConnection, logger: Logger
    ) async throws -> [EligibleVoucher] {
        guard let match = category.voucherMatch else { return [] }
        let rows = try await tx.query(
            """
            SELECT v.id, c.name, v.kind, v.direction, v.face_value_fen, v.available_fen, v.valid_until
            FROM vouchers v JOIN campaigns c ON c.id = v.campaign_id
            WHERE v.org_id = \(orgID) AND v.kind = \(match.kind.rawValue) AND v.direction IS NOT DISTINCT FROM \(match.direction?.rawValue)
              AND v.available_fen > 0 AND v.valid_until >= \(now)
            ORDER BY v.valid_until, v.id LIMIT \(Deduction.vouchersPerPlanMax)
            """, logger: logger)
        var result: [EligibleVoucher] = []
        for try await (id, name, kind, direction, face, available, until) in rows.decode(
            (String, String, String, String?, Int64, Int64, Date).self)
        {
            result.append(
                EligibleVoucher(
                    id: id, name: name, kind: kind, direction: direction, faceValueFen: face, availableFen: available, validUntil: until))
        }
        return result
    }

    /// Reads (and with `lock`, locks in id order) the chosen vouchers; a voucher of another
    /// organisation is reported exactly like a missing one.
    static func chosenBalances(
        _ ids: [String], request: OrderRequest, category: ProductCategory, lock: Bool, on tx: PostgresConnection, logger: Logger
    ) async throws -> [VoucherBalance] {
        guard !ids.isEmpty else { return [] }
        let rows = try await tx.query(
            """
            SELECT id, org_id, kind, direction, available_fen, valid_until FROM vouchers WHERE id = ANY(\(ids)) ORDER BY id
                \(unescaped: lock ? "FOR UPDATE" : "")
            """, logger: logger)
        var found: [String: VoucherBalance] = [:]
        for try await (id, org, kind, direction, available, until) in rows.decode((String, String, String, String?, Int64, Date).self) {
            guard org == request.orgID else { throw OrdersError.voucherNotFound(id: id) }
            let kind = try StoredValue.decode(VoucherKind.self, kind, column: "vouchers.kind")
            let direction = try StoredValue.decodeOptional(VoucherDirection.self, direction, column: "vouchers.direction")
            guard category.accepts(kind: kind, direction: direction) else { throw OrdersError.voucherNotApplicable(id: id) }
            found[id] = VoucherBalance(id: id, available: Money(fen: available), validUntil: until)
        }
        return try ids.map { id in
            guard let balance = found[id] else { throw OrdersError.voucherNotFound(id: id) }
            return balance
        }
    }
}
