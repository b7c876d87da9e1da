import API
import Foundation
import Hummingbird
import HummingbirdTesting
import PostgresStore
import Prometheus
import RedisNIO
import TestSupport
import Testing
import VoucherCore
import VoucherServices

/// The catalogue's real answers against the document, as `OpenAPIAnswersTests` does for the
/// other routes: products put in the catalogue through `CatalogueRepository` (the listing chain
/// is not on this branch), then every documented status of the two public routes.
@Suite struct OpenAPICatalogueAnswersTests {
    @Test func catalogueAnswersMatchTheDocument() async throws {
        // Proves the documented statuses, schemas and problem codes hold for real answers of the catalogue list (anonymous,
        // filtered, 去使用 with an enterprise's token), its bad filters, and the detail (found, not listed, malformed id).
        try await TestDatabase.with { postgres, config in
            let stores = try AppStores.make(config: config, logger: TestEnvironment.logger)
            let services = await Services.live(config: config, stores: stores, logger: TestEnvironment.logger)
            let router = VoucherApp.buildRouter(services: services, checks: [], registry: PrometheusCollectorRegistry())
            let app = Application(router: router, services: [stores.postgres, RedisService(client: stores.redis)], logger: TestEnvironment.logger)
            try await postgres.query(
                """
                INSERT INTO organisations (id, kind, name, certification) VALUES ('org_platform', 'platform', 'Platform', 'certified'),
                    ('org_ent', 'enterprise', '开放接口制造有限公司', 'certified')
                """)
            try await postgres.query(
                """
                INSERT INTO users (id, org_id, username, password_hash, role, is_main) VALUES
                    ('usr_op', 'org_platform', 'operator', 'x', 'operator', true), ('usr_ent', 'org_ent', 'openapi_ent', 'x', 'enterprise', true)
                """)
            try await postgres.query(
                """
                INSERT INTO campaigns (id, name, starts_at, ends_at, status, created_by)
                VALUES ('cmp_test', '上云券', now() - interval '1 day', now() + interval '30 days', 'published', 'usr_op')
                """)
            try await CatalogueFixtures.provider(postgres, org: "org_prv", name: "开放接口科技有限公司")
            let product = OpaqueID.make(prefix: "prd")
            try await CatalogueFixtures.list(
                postgres, id: product, org: "org_prv", providerName: "开放接口科技有限公司", name: "云上进销存", category: .cloud, tags: ["上云"],
                industries: ["制造业"], pricesFen: [300_000, 0])
            try await CatalogueFixtures.list(
                postgres, id: OpaqueID.make(prefix: "prd"), org: "org_prv", providerName: "开放接口科技有限公司", name: "智能制造平台",
                category: .softwareApplication)
            let voucher = try await TestVouchers.grant(postgres, org: "org_ent", faceFen: 1_000_000, kind: "general", direction: "cloud")
            let token = try await services.tokens.issueAccessToken(
                for: Identity(userID: "usr_ent", orgID: "org_ent", role: .enterprise, certified: true, permissions: [Identity.allPermissions]))
            try await app.test(.router) { client in
                let bytes = try await client.execute(uri: "/openapi.json", method: .get) { Data(buffer: $0.body) }
                let document = OpenAPIAnswersTests.DocumentBox(value: try JSONSerialization.jsonObject(with: bytes) as? [String: Any] ?? [:])
                let api = OpenAPIAnswersTests.Caller(client: client, document: document)
                let all = try await api.call(.get, "/v1/catalogue", expect: .ok)
                #expect((all["items"] as? [Any])?.count == 2)
                try await api.call(.get, "/v1/catalogue?q=%E4%BA%91&category=cloud&sort=price_asc&pageSize=5", expect: .ok)
                try await api.call(.get, "/v1/catalogue?voucherKind=general&voucherDirection=cloud&tag=%E4%B8%8A%E4%BA%91", expect: .ok)
                let used = try await api.call(.get, "/v1/catalogue?voucherId=\(voucher)", token: token, expect: .ok)
                #expect((used["items"] as? [[String: Any]])?.map { $0["productId"] as? String } == [product])
                try await api.call(.get, "/v1/catalogue?voucherId=\(voucher)", expect: .unauthorized)
                try await api.call(.get, "/v1/catalogue?voucherId=\(OpaqueID.make(prefix: "vch"))", token: token, expect: .notFound)
                try await api.call(.get, "/v1/catalogue?sort=cheapest", expect: .badRequest)
                try await api.call(.get, "/v1/catalogue?priceMinFen=9&priceMaxFen=1", expect: .badRequest)
                try await api.call(.get, "/v1/catalogue?page=500", expect: .badRequest)
                try await api.call(.get, "/v1/catalogue/{productID}", ["productID": product], expect: .ok)
                try await api.call(.get, "/v1/catalogue/{productID}", ["productID": OpaqueID.make(prefix: "prd")], expect: .notFound)
                try await api.call(.get, "/v1/catalogue/{productID}", ["productID": "nope"], expect: .badRequest)
            }
        }
    }
}
