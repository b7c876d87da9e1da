import Foundation
import Logging
import PostgresNIO
import VoucherCore

/// `voucherctl ledger verify`: the invariants of SPEC §2 over the whole database, in one
/// REPEATABLE READ snapshot so that concurrent orders cannot show a half-written state.
///
/// 1. every voucher: face = available + held + captured + expired;
/// 2. every voucher: the balances derived from its ledger (signs in `VoucherMove`) equal the
///    stored ones, and its grant equals its face value;
/// 3. every voucher: held = the sum of its `held` order lines, captured = the sum of `captured` ones;
/// 4. every order: deduction = the sum of its lines, and the lines' state fits the order's state;
/// 5. every order line: its ledger holds for that order equal its amount;
/// 6. every usage: its `redeem` entries total its amount when redeemed and nothing otherwise, and
///    only captured money is redeemed; no `redeem` entry lacks a usage. `redeem` does not change a
///    voucher's balances (checks 1–3 ignore it): it marks captured money as paid out to the provider.
public struct LedgerVerifier: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// What the check found.
    public struct Report: Sendable {
        public var vouchersChecked = 0
        public var ordersChecked = 0
        public var breaches: [String] = []
        public var isConsistent: Bool { breaches.isEmpty }
    }

    static let voucherBreaches = """
        WITH l AS (
            SELECT voucher_id,
                sum(amount_fen) FILTER (WHERE entry = 'grant') AS g, sum(amount_fen) FILTER (WHERE entry = 'hold') AS h,
                sum(amount_fen) FILTER (WHERE entry = 'release') AS r, sum(amount_fen) FILTER (WHERE entry = 'capture') AS c,
                sum(amount_fen) FILTER (WHERE entry = 'refund') AS f, sum(amount_fen) FILTER (WHERE entry = 'expire') AS x
            FROM voucher_ledger GROUP BY voucher_id),
        ov AS (
            SELECT voucher_id, sum(amount_fen) FILTER (WHERE state = 'held') AS held, sum(amount_fen) FILTER (WHERE state = 'captured') AS captured
            FROM order_vouchers GROUP BY voucher_id),
        d AS (
            SELECT v.id, v.face_value_fen AS face, v.available_fen AS a, v.held_fen AS h, v.captured_fen AS c, v.expired_fen AS x,
                coalesce(l.g, 0) AS lg,
                coalesce(l.g, 0) - coalesce(l.h, 0) + coalesce(l.r, 0) + coalesce(l.f, 0) - coalesce(l.x, 0) AS la,
                coalesce(l.h, 0) - coalesce(l.r, 0) - coalesce(l.c, 0) AS lh,
                coalesce(l.c, 0) - coalesce(l.f, 0) AS lc, coalesce(l.x, 0) AS lx,
                coalesce(ov.held, 0) AS oh, coalesce(ov.captured, 0) AS oc
            FROM vouchers v LEFT JOIN l ON l.voucher_id = v.id LEFT JOIN ov ON ov.voucher_id = v.id)
        SELECT id, face::bigint, a::bigint, h::bigint, c::bigint, x::bigint, lg::bigint, la::bigint, lh::bigint, lc::bigint, lx::bigint,
            oh::bigint, oc::bigint
        FROM d
        WHERE face <> a + h + c + x OR lg <> face OR la <> a OR lh <> h OR lc <> c OR lx <> x OR oh <> h OR oc <> c
        ORDER BY id
        """

    static let orderBreaches = """
        SELECT o.id, o.state, o.deduction_fen, coalesce(sum(ov.amount_fen), 0)::bigint,
            coalesce(string_agg(DISTINCT ov.state, ','), '')
        FROM orders o LEFT JOIN order_vouchers ov ON ov.order_id = o.id
        GROUP BY o.id
        HAVING o.deduction_fen <> coalesce(sum(ov.amount_fen), 0)
            OR (count(ov.voucher_id) > 0 AND string_agg(DISTINCT ov.state, ',') <> CASE
                WHEN o.state IN ('pending_payment', 'payment_review') THEN 'held'
                WHEN o.state IN ('paid', 'delivered', 'completed', 'refund_review') THEN 'captured'
                WHEN o.state = 'cancelled' THEN 'released'
                ELSE 'refunded' END)
        ORDER BY o.id
        """

    static let lineBreaches = """
        SELECT ov.order_id, ov.voucher_id, ov.amount_fen,
            coalesce((SELECT sum(l.amount_fen) FROM voucher_ledger l
                      WHERE l.voucher_id = ov.voucher_id AND l.order_id = ov.order_id AND l.entry = 'hold'), 0)::bigint AS held
        FROM order_vouchers ov
        WHERE ov.amount_fen <> coalesce((SELECT sum(l.amount_fen) FROM voucher_ledger l
                      WHERE l.voucher_id = ov.voucher_id AND l.order_id = ov.order_id AND l.entry = 'hold'), 0)
        ORDER BY ov.order_id, ov.voucher_id
        """

    static let redeemBreaches = """
        SELECT u.id, u.state, u.amount_fen, coalesce(sum(l.amount_fen), 0)::bigint, coalesce(ov.state, '')
        FROM usages u
        LEFT JOIN voucher_ledger l ON l.voucher_id = u.voucher_id AND l.order_id = u.order_id AND l.entry = 'redeem'
        LEFT JOIN order_vouchers ov ON ov.order_id = u.order_id AND ov.voucher_id = u.voucher_id
        GROUP BY u.id, u.state, u.amount_fen, ov.state
        HAVING coalesce(sum(l.amount_fen), 0) <> CASE WHEN u.state = 'redeemed' THEN u.amount_fen ELSE 0 END
            OR (coalesce(sum(l.amount_fen), 0) > 0 AND ov.state IS DISTINCT FROM 'captured')
        UNION ALL
        SELECT 'ledger entry ' || l.id::text, 'no usage', 0::bigint, l.amount_fen, ''
        FROM voucher_ledger l
        WHERE l.entry = 'redeem' AND NOT EXISTS (SELECT 1 FROM usages u WHERE u.voucher_id = l.voucher_id AND u.order_id = l.order_id)
        ORDER BY 1
        """

    /// Runs every check and lists each breach (up to `OrdersLimits.verifyBreachesListedMax`).
    public func verify() async throws -> Report {
        try await client.transaction(logger: logger) { tx in
            try await tx.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: logger)
            var report = Report()
            for try await count in try await tx.query("SELECT count(*)::int FROM vouchers", logger: logger).decode(Int.self) {
                report.vouchersChecked = count
            }
            for try await count in try await tx.query("SELECT count(*)::int FROM orders", logger: logger).decode(Int.self) {
                report.ordersChecked = count
            }
            let vouchers = try await tx.query(PostgresQuery(unsafeSQL: Self.voucherBreaches), logger: logger)
            for try await (id, face, a, h, c, x, lg, la, lh, lc, lx, oh, oc) in vouchers.decode(
                (String, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64).self)
            {
                report.add(
                    "voucher \(id): face \(face), balances available \(a) held \(h) captured \(c) expired \(x); "
                        + "ledger grant \(lg) available \(la) held \(lh) captured \(lc) expired \(lx); order lines held \(oh) captured \(oc)")
            }
            let orders = try await tx.query(PostgresQuery(unsafeSQL: Self.orderBreaches), logger: logger)
            for try await (id, state, deduction, lines, lineStates) in orders.decode((String, String, Int64, Int64, String).self) {
                report.add("order \(id) (\(state)): deduction \(deduction), lines sum \(lines), line states [\(lineStates)]")
            }
            let lines = try await tx.query(PostgresQuery(unsafeSQL: Self.lineBreaches), logger: logger)
            for try await (order, voucher, amount, held) in lines.decode((String, String, Int64, Int64).self) {
                report.add("order \(order) voucher \(voucher): line \(amount), ledger holds \(held)")
            }
            let redeemed = try await tx.query(PostgresQuery(unsafeSQL: Self.redeemBreaches), logger: logger)
            for try await (usage, state, amount, redeemFen, lineState) in redeemed.decode((String, String, Int64, Int64, String).self) {
                report.add("usage \(usage) (\(state)): amount \(amount), redeem entries \(redeemFen), order line [\(lineState)]")
            }
            return report
        }
    }
}

extension LedgerVerifier.Report {
    mutating func add(_ breach: String) {
        if breaches.count < OrdersLimits.verifyBreachesListedMax { breaches.append(breach) }
    }
}
