import API
import Foundation
import Hummingbird
import Prometheus
import TestSupport
import Testing
import VoucherServices

@Suite struct MenuPolicyTests {
    @Test func everyRouteUnderV1HasAMenuDecision() async throws {
        // Proves the menu table is complete: every route the service registers under /v1 is either
        // held to a menu or left open on purpose, for every role, so a new route cannot slip past
        // the sub-account check unnoticed. Add a rule to MenuPolicy.rules when this fails.
        let config = try TestEnvironment.config()
        let stores = try AppStores.make(config: config, logger: TestEnvironment.logger)
        await stores.redis.firstAttemptsMade()
        let services = await Services.live(config: config, stores: stores, logger: TestEnvironment.logger)
        let router = VoucherApp.buildRouter(services: services, checks: [], registry: PrometheusCollectorRegistry())
        let routes = router.routes.map { "\($0.path)" }.filter { $0.hasPrefix("/v1/") }
        #expect(routes.count > 50)
        for route in routes {
            for role in Role.allCases {
                #expect(MenuPolicy.decision(route: route, role: role) != nil, "no menu rule decides \(route) for \(role)")
            }
        }
        await stores.redis.shutdown()
    }

    @Test func routesMapToTheirMenus() {
        // Proves the mapping of each area to its menu, that prefixes match whole segments, and that
        // the product page is the provider's products menu but open to an enterprise buying.
        let expected: [(String, Role, MenuPolicy.Decision?)] = [
            ("/v1/orders", .enterprise, .menu(.orders)),
            ("/v1/orders/{id}/cancel", .enterprise, .menu(.orders)),
            ("/v1/provider/orders/{id}/deliver", .provider, .menu(.orders)),
            ("/v1/campaigns/{campaignID}/lots/{lotID}/grab", .enterprise, .menu(.vouchers)),
            ("/v1/campaigns/{campaignID}/lots/{lotID}/applications", .enterprise, .menu(.vouchers)),
            ("/v1/vouchers", .enterprise, .menu(.vouchers)),
            ("/v1/provider/products", .provider, .menu(.products)),
            ("/v1/products/{id}", .provider, .menu(.products)),
            ("/v1/approvals/{id}/approve", .enterprise, .menu(.inbox)),
            ("/v1/redemption/batches", .provider, .menu(.redemptions)),
            ("/v1/provider/usages", .provider, .menu(.redemptions)),
            ("/v1/provider/payee-accounts/{id}/disable", .provider, .menu(.payeeAccounts)),
            ("/v1/organisations/me", .enterprise, .menu(.organisation)),
            ("/v1/ordersx", .enterprise, nil),
            ("/v1", .enterprise, nil),
        ]
        for (route, role, decision) in expected {
            #expect(MenuPolicy.decision(route: route, role: role) == decision, "\(route) as \(role)")
        }
        for route in ["/v1/products/{id}", "/v1/auth/login", "/v1/account/me", "/v1/subaccounts/{id}", "/v1/registrations/me"] {
            guard case .open = MenuPolicy.decision(route: route, role: .enterprise) else {
                Issue.record("\(route) should be open to an enterprise sub-account")
                continue
            }
        }
    }
}
