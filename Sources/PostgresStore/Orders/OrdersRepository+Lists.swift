import Foundation
import Logging
import PostgresNIO
import VoucherCore

extension OrdersRepository {
    static let orderColumns = """
        o.id, o.org_id, e.name, o.provider_org_id, o.product_id, r.name, o.spec_id, s.name, o.order_type, o.quantity,
        o.unit_price_fen, o.total_fen, o.cap_fen, o.deduction_fen, o.payable_fen, o.state, o.payment_attempt, o.created_at, o.updated_at
        """
    static let orderFrom = """
        orders o JOIN organisations e ON e.id = o.org_id JOIN product_specs s ON s.id = o.spec_id
            JOIN product_revisions r ON r.id = s.revision_id
        """

    static func viewerCondition(_ viewer: OrderViewer) -> (column: String, orgID: String) {
        switch viewer {
        case .enterprise(let org): ("o.org_id", org)
        case .provider(let org): ("o.provider_org_id", org)
        }
    }

    static func decodeOrders(_ rows: PostgresRowSequence) async throws -> [OrderRecord] {
        var result: [OrderRecord] = []
        for try await (
            id, org, enterprise, provider, productID, product, specID, spec, type, quantity, unit, total, cap, deduction, payable,
            state, attempt, created, updated
        ) in rows.decode(
            (
                String, String, String, String, String, String, String, String, String, Int, Int64, Int64, Int64, Int64, Int64,
                String, Int, Date, Date
            ).self)
        {
            let state = try StoredValue.decode(OrderState.self, state, column: "orders.state")
            result.append(
                OrderRecord(
                    id: id, orgID: org, enterpriseName: enterprise, providerOrgID: provider, productID: productID, productName: product,
                    specID: specID, specName: spec, orderType: type, quantity: quantity, unitPriceFen: unit, totalFen: total, capFen: cap,
                    deductionFen: deduction, payableFen: payable, state: state, paymentAttempt: attempt, createdAt: created, updatedAt: updated,
                    vouchers: []))
        }
        return result
    }

    /// One order with its voucher lines, if the viewer's organisation is on it.
    public func order(id: String, viewer: OrderViewer) async throws -> OrderRecord? {
        let (column, orgID) = Self.viewerCondition(viewer)
        let rows = try await client.query(
            """
            SELECT \(unescaped: Self.orderColumns) FROM \(unescaped: Self.orderFrom) WHERE o.id = \(id) AND \(unescaped: column) = \(orgID)
            """, logger: logger)
        guard var order = try await Self.decodeOrders(rows).first else { return nil }
        let lines = try await client.query(
            """
            SELECT voucher_id, amount_fen, state FROM order_vouchers WHERE order_id = \(id) ORDER BY position
            """, logger: logger)
        for try await (voucherID, amountFen, state) in lines.decode((String, Int64, String).self) {
            order.vouchers.append(OrderVoucherLine(voucherID: voucherID, amountFen: amountFen, state: state))
        }
        return order
    }

    /// One page of the viewer's orders, newest first, and the total count.
    public func orders(viewer: OrderViewer, page: Int, pageSize: Int) async throws -> (items: [OrderRecord], total: Int) {
        let (column, orgID) = Self.viewerCondition(viewer)
        let total = try await count("SELECT count(*)::int FROM orders o WHERE \(unescaped: column) = \(orgID)")
        let rows = try await client.query(
            """
            SELECT \(unescaped: Self.orderColumns) FROM \(unescaped: Self.orderFrom) WHERE \(unescaped: column) = \(orgID)
            ORDER BY o.created_at DESC, o.id DESC LIMIT \(pageSize) OFFSET \((page - 1) * pageSize)
            """, logger: logger)
        return (try await Self.decodeOrders(rows), total)
    }

    /// One page of the enterprise's vouchers, newest grant first.
    public func vouchers(orgID: String, page: Int, pageSize: Int) async throws -> (items: [VoucherRecord], total: Int) {
        let total = try await count("SELECT count(*)::int FROM vouchers WHERE org_id = \(orgID)")
        let rows = try await client.query(
            """
            SELECT v.id, c.name, v.kind, v.direction, v.face_value_fen, v.available_fen, v.held_fen, v.captured_fen, v.expired_fen,
                v.valid_until, v.granted_at
            FROM vouchers v JOIN campaigns c ON c.id = v.campaign_id WHERE v.org_id = \(orgID)
            ORDER BY v.granted_at DESC, v.id DESC LIMIT \(pageSize) OFFSET \((page - 1) * pageSize)
            """, logger: logger)
        var items: [VoucherRecord] = []
        for try await (id, name, kind, direction, face, available, held, captured, expired, until, granted) in rows.decode(
            (String, String, String, String?, Int64, Int64, Int64, Int64, Int64, Date, Date).self)
        {
            items.append(
                VoucherRecord(
                    id: id, name: name, kind: kind, direction: direction, faceValueFen: face, availableFen: available, heldFen: held,
                    capturedFen: captured, expiredFen: expired, validUntil: until, grantedAt: granted))
        }
        return (items, total)
    }

    /// One page of the provider's usages, newest first. `state` keeps one state; `query` keeps
    /// usages whose order number, product name or enterprise name contains it, case-insensitive
    /// (fig 1-27: 全部状态 and the search box).
    public func usages(
        providerOrgID: String, state: String? = nil, query: String? = nil, page: Int, pageSize: Int
    ) async throws -> (items: [UsageRecord], total: Int) {
        let from = """
            usages u JOIN vouchers v ON v.id = u.voucher_id JOIN campaigns c ON c.id = v.campaign_id
                JOIN organisations e ON e.id = u.org_id JOIN orders o ON o.id = u.order_id JOIN products p ON p.id = o.product_id
            """
        let filter: PostgresQuery = """
            u.provider_org_id = \(providerOrgID) AND (\(state)::text IS NULL OR u.state = \(state))
              AND (\(query)::text IS NULL OR strpos(lower(u.order_id), lower(\(query))) > 0 OR strpos(lower(p.name), lower(\(query))) > 0
                   OR strpos(lower(e.name), lower(\(query))) > 0)
            """
        let total = try await count(PostgresQuery(unsafeSQL: "SELECT count(*)::int FROM \(from) WHERE \(filter.sql)", binds: filter.binds))
        var binds = filter.binds
        binds.append(pageSize)
        binds.append((page - 1) * pageSize)
        let rows = try await client.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT u.id, u.voucher_id, c.name, u.amount_fen, e.name, p.name, u.order_id, u.state, u.used_at
                    FROM \(from) WHERE \(filter.sql)
                    ORDER BY u.used_at DESC, u.id DESC LIMIT $\(binds.count - 1) OFFSET $\(binds.count)
                    """, binds: binds), logger: logger)
        var items: [UsageRecord] = []
        for try await (id, voucherID, voucherName, amount, enterprise, product, orderID, state, usedAt) in rows.decode(
            (String, String, String, Int64, String, String, String, String, Date).self)
        {
            items.append(
                UsageRecord(
                    id: id, voucherID: voucherID, voucherName: voucherName, amountFen: amount, enterpriseName: enterprise,
                    productName: product, orderID: orderID, state: state, usedAt: usedAt))
        }
        return (items, total)
    }

    func count(_ query: PostgresQuery) async throws -> Int {
        var total = 0
        for try await value in try await client.query(query, logger: logger).decode(Int.self) { total = value }
        return total
    }
}
