import Foundation
import Hummingbird
import PostgresStore
import VoucherCore
import VoucherServices

/// The provider's and the operator's side:
///
/// - `POST /v1/provider/products` (provider) `{name, category, specs: [{name, purchaseMode, pricing, unitPriceFen}]}` a draft product
/// - `POST /v1/products/{id}/list` (operator) lists (上架) a product, which makes it purchasable
/// - `GET /v1/products/{id}` (any signed-in user) a listed product, or the provider's own
/// - `GET /v1/provider/orders` (provider) orders of its products, newest first
/// - `POST /v1/provider/orders/{id}/deliver` (provider) a paid order is delivered
/// - `GET /v1/provider/usages` (provider) deductions of completed orders, pending redemption (待兑换) and on
struct ProviderOrdersController {
    let env: OrdersEnvironment

    var endpoints: RouteCollection<AppRequestContext> {
        RouteCollection(context: AppRequestContext.self)
            .post("provider/products", use: createProduct)
            .post("products/:id/list", use: listProduct)
            .get("products/:id", use: product)
            .get("provider/orders", use: orders)
            .post("provider/orders/:id/deliver", use: deliver)
            .get("provider/usages", use: usages)
    }

    func createProduct(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<ProductDTO> {
        let identity = try context.requireIdentity(.provider)
        try await env.certification.require(identity, for: .listing)
        var request = request
        let body = try await request.decodeJSON(as: ProductBody.self, context: context)
        let product = try await env.products.create(
            orgID: identity.orgID, name: body.name, category: body.category,
            specs: body.specs.map { NewSpec(name: $0.name, purchaseMode: $0.purchaseMode, pricing: $0.pricing, unitPriceFen: $0.unitPriceFen) },
            now: env.clock.now())
        return EditedResponse(status: .created, response: ProductDTO(product))
    }

    func listProduct(_ request: Request, _ context: AppRequestContext) async throws -> ProductDTO {
        _ = try context.requireIdentity(.operator)
        return ProductDTO(try await env.products.list(id: try Self.productID(context), now: env.clock.now()))
    }

    func product(_ request: Request, _ context: AppRequestContext) async throws -> ProductDTO {
        let identity = try context.requireIdentity()
        guard let product = try await env.products.product(id: try Self.productID(context)),
            product.status == "listed" || product.orgID == identity.orgID || identity.role == .operator
        else {
            throw OrdersError.productNotFound
        }
        return ProductDTO(product)
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
        let page = try PageRequest(PageRequest.query(request))
        let result = try await env.orders.usages(providerOrgID: identity.orgID, page: page.page, pageSize: page.pageSize)
        return Page(items: result.items.map(UsageDTO.init), page: page.page, pageSize: page.pageSize, total: result.total)
    }

    static func productID(_ context: AppRequestContext) throws -> String {
        guard let id = context.parameters.get("id"), OpaqueID.isWellFormed(id, prefix: ProductsRepository.productPrefix) else {
            throw OpaqueIDError.malformed(prefix: ProductsRepository.productPrefix)
        }
        return id
    }
}
