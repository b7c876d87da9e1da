import Foundation
import Hummingbird
import PostgresStore
import VoucherCore
import VoucherServices

/// The provider's side of orders (products and their listing: `ProductsController`):
///
/// - `GET /v1/provider/orders` (provider) orders of its products, newest first
/// - `POST /v1/provider/orders/{id}/deliver` (provider) a paid order is delivered
/// - `GET /v1/provider/usages` (provider) deductions of completed orders (and of placed orders a general redemption took),
///   pending redemption (待兑换) and on; `state` and `q` (part of the order number, product or enterprise name) filter them
struct ProviderOrdersController {
    let env: OrdersEnvironment

    /// The states a usage filter takes (SPEC §3, and `voided` for a usage whose order ended unpaid).
    static let usageStates = ["pending_redemption", "in_redemption", "redeemed", "voided"]

    var endpoints: RouteCollection<AppRequestContext> {
        RouteCollection(context: AppRequestContext.self)
            .get("provider/orders", use: orders)
            .post("provider/orders/:id/deliver", use: deliver)
            .get("provider/usages", use: usages)
    }

    func orders(_ request: Request, _ context: AppRequestContext) async throws -> Page<OrderDTO> {
        let identity = try context.requireIdentity(.provider)
        let page = try PageRequest(PageRequest.query(request))
        let result = try await env.orders.orders(viewer: .provider(orgID: identity.orgID), page: page.page, pageSize: page.pageSize)
        return Page(items: result.items.map(OrderDTO.init), page: page.page, pageSize: page.pageSize, total: result.total)
    }

    func deliver(_ request: Request, _ context: AppRequestContext) async throws -> OrderDTO {
        let identity = try context.requireIdentity(.provider)
        return OrderDTO(try await env.orders.deliver(id: try OrdersController.orderID(context), providerOrgID: identity.orgID))
    }

    func usages(_ request: Request, _ context: AppRequestContext) async throws -> Page<UsageDTO> {
        let identity = try context.requireIdentity(.provider)
        let query = PageRequest.query(request)
        let page = try PageRequest(query)
        let state = try PlatformController.oneOf(query["state"], Self.usageStates, "state")
        let text = try PlatformController.text(query["q"], "q")
        let result = try await env.orders.usages(
            providerOrgID: identity.orgID, state: state, query: text, page: page.page, pageSize: page.pageSize)
        return Page(items: result.items.map(UsageDTO.init), page: page.page, pageSize: page.pageSize, total: result.total)
    }
}
