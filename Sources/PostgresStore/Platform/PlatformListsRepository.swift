import Foundation
import Logging
import PostgresNIO
import VoucherCore

/// An organisation as the platform's lists show it, with its certification state.
public struct OrganisationListRecord: Sendable, Equatable {
    public let id: String
    public let kind: String
    public let name: String
    public let uscc: String?
    public let certification: String
    public let contactName: String?
    public let createdAt: Date
    public let updatedAt: Date
}

/// The filters of the platform's organisation list; nil filters nothing.
public struct OrganisationListFilter: Sendable, Equatable {
    public var kind: String?
    public var certification: String?
    /// Part of the name, case-insensitive.
    public var name: String?

    public init(kind: String? = nil, certification: String? = nil, name: String? = nil) {
        self.kind = kind
        self.certification = certification
        self.name = name
    }
}

/// What a provider may learn of an enterprise that ordered from it (企业信息查询, guide §1.4.6):
/// its name and how to reach it, nothing else.
public struct EnterpriseContactRecord: Sendable, Equatable {
    public let id: String
    public let name: String
    public let contactName: String?
    public let contactPhone: String?
}

/// The operators' lists across organisations (organisations, orders) and the provider's
/// enterprise lookup. Reads only.
public struct PlatformListsRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// One page of organisations (the platform's own left out), newest first, and the total.
    public func organisations(
        _ filter: OrganisationListFilter, page: Int, pageSize: Int
    ) async throws -> (
        items: [OrganisationListRecord], total: Int
    ) {
        let condition: PostgresQuery = """
            o.kind <> 'platform' AND (\(filter.kind)::text IS NULL OR o.kind = \(filter.kind))
            AND (\(filter.certification)::text IS NULL OR o.certification = \(filter.certification))
            AND (\(filter.name)::text IS NULL OR strpos(lower(o.name), lower(\(filter.name))) > 0)
            """
        let total = try await count(
            PostgresQuery(unsafeSQL: "SELECT count(*)::int FROM organisations o WHERE " + condition.sql, binds: condition.binds))
        var binds = condition.binds
        binds.append(pageSize)
        binds.append((page - 1) * pageSize)
        let sql = """
            SELECT o.id, o.kind, o.name, o.uscc, o.certification, p.contact_name, o.created_at, o.updated_at
            FROM organisations o LEFT JOIN organisation_profiles p ON p.org_id = o.id
            WHERE \(condition.sql) ORDER BY o.created_at DESC, o.id LIMIT $\(binds.count - 1) OFFSET $\(binds.count)
            """
        var items: [OrganisationListRecord] = []
        for try await (id, kind, name, uscc, certification, contact, created, updated) in try await client.query(
            PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger
        ).decode((String, String, String, String?, String, String?, Date, Date).self) {
            items.append(
                OrganisationListRecord(
                    id: id, kind: kind, name: name, uscc: uscc, certification: certification, contactName: contact, createdAt: created,
                    updatedAt: updated))
        }
        return (items, total)
    }

    /// One page of every organisation's orders (`state` filters), newest first, and the total.
    public func orders(state: OrderState?, page: Int, pageSize: Int) async throws -> (items: [OrderRecord], total: Int) {
        let stateText = state?.rawValue
        let total = try await count("SELECT count(*)::int FROM orders o WHERE \(stateText)::text IS NULL OR o.state = \(stateText)")
        let rows = try await client.query(
            """
            SELECT \(unescaped: OrdersRepository.orderColumns) FROM \(unescaped: OrdersRepository.orderFrom)
            WHERE \(stateText)::text IS NULL OR o.state = \(stateText)
            ORDER BY o.created_at DESC, o.id DESC LIMIT \(pageSize) OFFSET \((page - 1) * pageSize)
            """, logger: logger)
        return (try await OrdersRepository.decodeOrders(rows), total)
    }

    /// The enterprise's name and contact, if it ordered from `providerOrgID`; otherwise nil (not yours).
    public func enterpriseContact(id: String, providerOrgID: String) async throws -> EnterpriseContactRecord? {
        let rows = try await client.query(
            """
            SELECT o.id, o.name, p.contact_name, p.contact_phone
            FROM organisations o LEFT JOIN organisation_profiles p ON p.org_id = o.id
            WHERE o.id = \(id) AND o.kind = 'enterprise'
                AND EXISTS (SELECT 1 FROM orders r WHERE r.org_id = o.id AND r.provider_org_id = \(providerOrgID))
            """, logger: logger)
        for try await (id, name, contact, phone) in rows.decode((String, String, String?, String?).self) {
            return EnterpriseContactRecord(id: id, name: name, contactName: contact, contactPhone: phone)
        }
        return nil
    }

    func count(_ query: PostgresQuery) async throws -> Int {
        var total = 0
        for try await value in try await client.query(query, logger: logger).decode(Int.self) { total = value }
        return total
    }
}
