import Foundation
import Logging
import PostgresNIO
import VoucherCore

/// A product as the operators' list shows it: today's columns only (the listing content and its
/// review chain are being reworked elsewhere; this query stays small and on its own).
public struct PlatformProductRecord: Sendable, Equatable {
    public let id: String
    public let name: String
    public let category: String
    public let status: String
    public let providerOrgID: String
    public let providerName: String
    public let createdAt: Date
    public let listedAt: Date?
}

/// The operators' product list across providers.
public struct PlatformProductsQuery: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// One page of products (`status` filters), newest first, and the total.
    public func products(status: String?, page: Int, pageSize: Int) async throws -> (items: [PlatformProductRecord], total: Int) {
        var total = 0
        for try await value in try await client.query(
            "SELECT count(*)::int FROM products WHERE \(status)::text IS NULL OR status = \(status)", logger: logger
        ).decode(Int.self) {
            total = value
        }
        let rows = try await client.query(
            """
            SELECT p.id, p.name, p.category, p.status, p.org_id, o.name, p.created_at, p.listed_at
            FROM products p JOIN organisations o ON o.id = p.org_id
            WHERE \(status)::text IS NULL OR p.status = \(status)
            ORDER BY p.created_at DESC, p.id DESC LIMIT \(pageSize) OFFSET \((page - 1) * pageSize)
            """, logger: logger)
        var items: [PlatformProductRecord] = []
        for try await (id, name, category, status, org, provider, created, listed) in rows.decode(
            (String, String, String, String, String, String, Date, Date?).self)
        {
            items.append(
                PlatformProductRecord(
                    id: id, name: name, category: category, status: status, providerOrgID: org, providerName: provider, createdAt: created,
                    listedAt: listed))
        }
        return (items, total)
    }
}
