import Foundation
import Hummingbird
import PostgresStore
import VoucherCore
import VoucherServices

/// The operators' lists across organisations, and the provider's look at its own customers:
///
/// - `GET /v1/platform/organisations` (operator) `kind`, `certification`, `name` (part of it), `page`, `pageSize`
/// - `GET /v1/platform/orders` (operator) every organisation's orders, `state`, `page`, `pageSize`
/// - `GET /v1/platform/products` (operator) every provider's products, `status` (a listing state), `page`, `pageSize`
/// - `GET /v1/provider/orders/{id}` (provider) one order of its own products
/// - `GET /v1/provider/enterprises/{id}` (provider, 企业信息查询) the name and contact of an enterprise that ordered from it
///
/// Another organisation's order, or an enterprise that never ordered from the provider, is 404.
struct PlatformController {
    let env: PlatformEnvironment

    /// Longest text filter, as the inbox's.
    static let nameFilterLengthMax = 100
    static let kinds = ["enterprise", "provider"]
    static let certifications = ["draft", "under_review", "certified", "rejected"]

    var endpoints: RouteCollection<AppRequestContext> {
        RouteCollection(context: AppRequestContext.self)
            .get("platform/organisations", use: organisations)
            .get("platform/orders", use: orders)
            .get("platform/products", use: products)
            .get("provider/orders/:id", use: providerOrder)
            .get("provider/enterprises/:id", use: enterprise)
    }

    func organisations(_ request: Request, _ context: AppRequestContext) async throws -> Page<OrganisationListDTO> {
        _ = try context.requireIdentity(.operator)
        let query = PageRequest.query(request)
        let page = try PageRequest(query)
        let filter = OrganisationListFilter(
            kind: try Self.oneOf(query["kind"], Self.kinds, "kind"),
            certification: try Self.oneOf(query["certification"], Self.certifications, "certification"),
            name: try Self.text(query["name"], "name"))
        let result = try await env.lists.organisations(filter, page: page.page, pageSize: page.pageSize)
        return Page(items: result.items.map(OrganisationListDTO.init), page: page.page, pageSize: page.pageSize, total: result.total)
    }

    func orders(_ request: Request, _ context: AppRequestContext) async throws -> Page<OrderDTO> {
        _ = try context.requireIdentity(.operator)
        let query = PageRequest.query(request)
        let page = try PageRequest(query)
        let state = try Self.oneOf(query["state"], OrderState.allCases.map(\.rawValue), "state").flatMap(OrderState.init(rawValue:))
        let result = try await env.lists.orders(state: state, page: page.page, pageSize: page.pageSize)
        return Page(items: result.items.map(OrderDTO.init), page: page.page, pageSize: page.pageSize, total: result.total)
    }

    func products(_ request: Request, _ context: AppRequestContext) async throws -> Page<PlatformProductDTO> {
        _ = try context.requireIdentity(.operator)
        let query = PageRequest.query(request)
        let page = try PageRequest(query)
        let status = try Self.status(query["status"])
        let result = try await env.products.products(status: status, page: page.page, pageSize: page.pageSize)
        return Page(items: result.items.map(PlatformProductDTO.init), page: page.page, pageSize: page.pageSize, total: result.total)
    }

    func providerOrder(_ request: Request, _ context: AppRequestContext) async throws -> OrderDTO {
        let identity = try context.requireIdentity(.provider)
        guard let order = try await env.orders.order(id: try OrdersController.orderID(context), viewer: .provider(orgID: identity.orgID)) else {
            throw OrdersError.orderNotFound
        }
        return OrderDTO(order)
    }

    func enterprise(_ request: Request, _ context: AppRequestContext) async throws -> EnterpriseContactDTO {
        let identity = try context.requireIdentity(.provider)
        let id = try PathID.check(context.parameters.get("id") ?? "", "id")
        guard let found = try await env.lists.enterpriseContact(id: id, providerOrgID: identity.orgID) else { throw Self.enterpriseNotFound }
        return EnterpriseContactDTO(id: found.id, name: found.name, contactName: found.contactName, contactPhone: found.contactPhone)
    }

    static let enterpriseNotFound = DomainError(
        code: "enterprise_not_found", kind: .notFound,
        detail: "No enterprise with this id has ordered from you. Take the id from one of your orders (subscriberOrgId).")

    static func oneOf(_ text: String?, _ values: [String], _ name: String) throws -> String? {
        guard let text, !text.isEmpty else { return nil }
        guard values.contains(text) else {
            throw AccountsError.invalid("filter_invalid", "\(name) must be one of \(values.joined(separator: ", ")).")
        }
        return text
    }

    static func text(_ text: String?, _ name: String) throws -> String? {
        guard let text, !text.isEmpty else { return nil }
        guard text.count <= nameFilterLengthMax else {
            throw AccountsError.invalid("filter_invalid", "\(name) is longer than \(nameFilterLengthMax) characters; shorten it.")
        }
        return text
    }

    /// One of the six listing states (ListingState: draft, in_review, rejected, withdrawn, listed, delisted).
    static func status(_ text: String?) throws -> String? {
        guard let text, !text.isEmpty else { return nil }
        guard let state = ListingState(rawValue: text) else {
            let states = ListingState.allCases.map(\.rawValue).joined(separator: ", ")
            throw AccountsError.invalid("filter_invalid", "status must be one of \(states).")
        }
        return state.rawValue
    }
}

/// One organisation in the operators' list, with its certification state.
struct OrganisationListDTO: Encodable, Sendable {
    let id: String
    let kind: String
    let name: String
    let unifiedSocialCreditCode: String?
    let certification: String
    let contactName: String?
    let createdAt: Date
    let updatedAt: Date

    init(_ record: OrganisationListRecord) {
        id = record.id
        kind = record.kind
        name = record.name
        unifiedSocialCreditCode = record.uscc
        certification = record.certification
        contactName = record.contactName
        createdAt = record.createdAt
        updatedAt = record.updatedAt
    }
}

/// One product in the operators' list.
struct PlatformProductDTO: Encodable, Sendable {
    let id: String
    let name: String
    let category: String
    let status: String
    let providerOrgId: String
    let providerName: String
    let createdAt: Date
    let listedAt: Date?

    init(_ record: PlatformProductRecord) {
        id = record.id
        name = record.name
        category = record.category
        status = record.status
        providerOrgId = record.providerOrgID
        providerName = record.providerName
        createdAt = record.createdAt
        listedAt = record.listedAt
    }
}

/// 企业信息查询: what a provider may know of an enterprise that ordered from it.
struct EnterpriseContactDTO: ResponseEncodable, Sendable {
    let id: String
    let name: String
    let contactName: String?
    let contactPhone: String?
}
