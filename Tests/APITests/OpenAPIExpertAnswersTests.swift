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

/// The experts' real answers against the document, as `OpenAPIAnswersTests` does for the other
/// routes: every documented success and the refusals a provider and the portal meet.
@Suite struct OpenAPIExpertAnswersTests {
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + [UInt8](repeating: 7, count: 64)

    @Test func expertAnswersMatchTheDocument() async throws {
        // Proves the documented statuses, schemas (no undocumented field) and problem codes hold for real answers of the
        // photo upload, 专家管理 (create, list, read, replace, delete), a listing's experts, the catalogue detail showing
        // them, and the portal's 专家团队 list, detail and photo, with their bad inputs and other providers' ids.
        try await TestDatabase.with { postgres, config in
            let folder = TestEnvironment.stateDirectory + "/expert-answers-" + UUID().uuidString
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let stores = try AppStores.make(config: config, logger: TestEnvironment.logger)
            await stores.redis.firstAttemptsMade()
            let services = await Services.live(
                config: config, stores: stores, logger: TestEnvironment.logger, overrides: Services.Overrides(files: LocalDiskFileStore(root: folder))
            )
            let router = VoucherApp.buildRouter(services: services, checks: [], registry: PrometheusCollectorRegistry())
            let app = Application(router: router, services: [stores.postgres, RedisService(client: stores.redis)], logger: TestEnvironment.logger)
            try await CatalogueFixtures.provider(postgres, org: "org_prv", name: "开放接口科技有限公司")
            try await postgres.query(
                """
                INSERT INTO users (id, org_id, username, password_hash, role, is_main)
                VALUES ('usr_prv', 'org_prv', 'openapi_prv', 'x', 'provider', true)
                """)
            let product = OpaqueID.make(prefix: "prd")
            try await CatalogueFixtures.list(
                postgres, id: product, org: "org_prv", providerName: "开放接口科技有限公司", name: "智能制造诊断", category: .diagnosticConsulting)
            let token = try await services.tokens.issueAccessToken(
                for: Identity(userID: "usr_prv", orgID: "org_prv", role: .provider, certified: true, permissions: [Identity.allPermissions]))
            try await app.test(.router) { client in
                let bytes = try await client.execute(uri: "/openapi.json", method: .get) { Data(buffer: $0.body) }
                let document = OpenAPIAnswersTests.DocumentBox(value: try JSONSerialization.jsonObject(with: bytes) as? [String: Any] ?? [:])
                let api = OpenAPIAnswersTests.Caller(client: client, document: document)
                let octets = "application/octet-stream"
                let photo = try await api.call(.post, "/v1/provider/expert-photos", token: token, raw: (Self.png, octets), expect: .created)
                let fileID = try #require(photo["fileId"] as? String)
                try await api.call(
                    .post, "/v1/provider/expert-photos", token: token, raw: (Array("text".utf8), octets), expect: .unsupportedMediaType)
                try await api.call(
                    .post, "/v1/provider/expert-photos", token: token, raw: (Self.png + [UInt8](repeating: 0, count: 2 << 20), octets),
                    expect: .contentTooLarge)
                let body: [String: Any] = [
                    "name": "王建国", "age": 48, "gender": "male", "industrialInternetFields": ["工业互联网平台"], "industryFields": ["装备制造"],
                    "industrialOperationFields": ["生产管理"], "industrialInternetServiceYears": 12, "industryServiceYears": 20,
                    "experience": "主持数字化改造", "title": "首席专家", "education": "博士", "photoFileId": fileID, "introduction": "智能制造咨询",
                    "phone": "13800138000", "phonePublic": true,
                ]
                let created = try await api.call(.post, "/v1/provider/experts", token: token, json: body, expect: .created)
                let id = try #require(created["id"] as? String)
                var minimal = body
                for key in ["title", "education", "phone", "phonePublic"] { minimal[key] = nil }
                try await api.call(.post, "/v1/provider/experts", token: token, json: minimal, expect: .created)
                var long = body
                long["name"] = String(repeating: "名", count: 31)
                try await api.call(.post, "/v1/provider/experts", token: token, json: long, expect: .badRequest)
                try await api.call(.get, "/v1/provider/experts?q=%E7%8E%8B", token: token, expect: .ok)
                try await api.call(.get, "/v1/provider/experts/{id}", ["id": id], token: token, expect: .ok)
                let unknown = OpaqueID.make(prefix: ExpertsRepository.expertPrefix)
                try await api.call(.get, "/v1/provider/experts/{id}", ["id": unknown], token: token, expect: .notFound)
                try await api.call(.put, "/v1/provider/experts/{id}", ["id": id], token: token, json: body, expect: .ok)
                try await api.call(.put, "/v1/provider/experts/{id}", ["id": unknown], token: token, json: body, expect: .notFound)
                let path = "/v1/provider/products/{id}/experts"
                try await api.call(.put, path, ["id": product], token: token, json: ["expertIds": [id]], expect: .ok)
                try await api.call(.put, path, ["id": product], token: token, json: ["expertIds": [unknown]], expect: .badRequest)
                try await api.call(.put, path, ["id": OpaqueID.make(prefix: "prd")], token: token, json: ["expertIds": [id]], expect: .notFound)
                let detail = try await api.call(.get, "/v1/catalogue/{productID}", ["productID": product], expect: .ok)
                #expect((detail["experts"] as? [Any])?.count == 1)
                try await api.call(.get, "/v1/public/experts?field=%E8%A3%85%E5%A4%87%E5%88%B6%E9%80%A0&q=%E7%8E%8B", expect: .ok)
                try await api.call(.get, "/v1/public/experts?page=0", expect: .badRequest)
                try await api.call(.get, "/v1/public/experts/{id}", ["id": id], expect: .ok)
                try await api.call(.get, "/v1/public/experts/{id}", ["id": unknown], expect: .notFound)
                try await api.call(.get, "/v1/public/experts/{id}", ["id": "nope"], expect: .badRequest)
                try await api.call(.get, "/v1/public/experts/{id}/photo", ["id": id], expect: .ok)
                try await api.call(.delete, "/v1/provider/experts/{id}", ["id": id], token: token, expect: .noContent)
                try await api.call(.delete, "/v1/provider/experts/{id}", ["id": id], token: token, expect: .notFound)
            }
        }
    }
}
