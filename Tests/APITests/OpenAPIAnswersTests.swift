import API
import Foundation
import Hummingbird
import HummingbirdTesting
import Prometheus
import Testing
import TestSupport

/// Real answers against the document: a walk through registration, login, products, orders,
/// payee accounts and campaigns on a fresh database, where every answer's status must be
/// documented for its operation, its body must match the documented schema — with no field the
/// schema leaves out — and a problem's `code` must be among that response's `x-error-codes`.
@Suite struct OpenAPIAnswersTests {
    /// Calls one documented operation and checks its answer against the document.
    struct Caller: Sendable {
        let client: any TestClientProtocol
        let document: DocumentBox

        @discardableResult
        func call(
            _ method: HTTPRequest.Method, _ template: String, _ captures: [String: String] = [:], token: String? = nil,
            json: [String: Any]? = nil, headers: HTTPFields = [:], expect status: HTTPResponse.Status
        ) async throws -> [String: Any] {
            var uri = template
            for (name, value) in captures { uri = uri.replacingOccurrences(of: "{\(name)}", with: value) }
            var headers = headers
            if let token { headers[.authorization] = "Bearer \(token)" }
            var body: ByteBuffer?
            if let json {
                headers[.contentType] = "application/json"
                body = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json))
            }
            let (answered, contentType, bytes) = try await client.execute(uri: uri, method: method, headers: headers, body: body) {
                ($0.status, $0.headers[.contentType] ?? "", Data(buffer: $0.body))
            }
            let path = String(template.split(separator: "?").first ?? "")
            let key = "\(method.rawValue) \(path)"
            let answer = (try? JSONSerialization.jsonObject(with: bytes)) ?? [:]
            #expect(answered == status, "\(key) answered \(answered.code): \(String(decoding: bytes, as: UTF8.self).prefix(300))")
            let operation = (document.value["paths"] as? [String: [String: Any]])?[path]?[method.rawValue.lowercased()] as? [String: Any]
            let response = (operation?["responses"] as? [String: [String: Any]])?[String(answered.code)]
            #expect(response != nil, "\(key) answered \(answered.code), which the document does not list")
            let mediaType = String(contentType.split(separator: ";").first ?? "")
            if mediaType == "application/problem+json" {
                let code = (answer as? [String: Any])?["code"] as? String ?? "-"
                #expect((response?["x-error-codes"] as? [String])?.contains(code) == true, "\(key) answered code \(code), not listed for \(answered.code)")
            }
            let content = response?["content"] as? [String: Any]
            if let schema = ((content?[contentType] ?? content?[mediaType]) as? [String: Any])?["schema"] as? [String: Any] {
                let value = mediaType.hasSuffix("json") ? answer : String(decoding: bytes, as: UTF8.self)
                let errors = SchemaCheck(document: document.value).errors(value, schema, at: key)
                #expect(errors.isEmpty, "\(key) \(answered.code) does not match its schema: \(errors)")
            } else if !bytes.isEmpty {
                #expect(Bool(false), "\(key) \(answered.code) answered \(mediaType), which the document does not list")
            }
            return answer as? [String: Any] ?? [:]
        }
    }

    /// The parsed document, passed between tasks (it is read only).
    struct DocumentBox: @unchecked Sendable {
        /// Never mutated after parsing, so sharing it is safe without a lock.
        let value: [String: Any]
    }

    @Test func answersMatchTheDocument() async throws {
        // Proves the documented statuses, schemas and problem codes hold for real answers of the
        // accounts, products, orders, payee and campaign routes.
        try await TestDatabase.with { postgres, config in
            let stores = try AppStores.make(config: config, logger: TestEnvironment.logger)
            let tokens = await TokenService(config: config.jwt)
            let router = VoucherApp.buildRouter(
                config: config, stores: stores, tokens: tokens, checks: VoucherApp.standardChecks(stores, logger: TestEnvironment.logger),
                registry: PrometheusCollectorRegistry(), logger: TestEnvironment.logger)
            let app = Application(router: router, services: [stores.postgres, RedisService(client: stores.redis)], logger: TestEnvironment.logger)
            let provisioning = await AccountsProvisioning(config: config, postgres: postgres, logger: TestEnvironment.logger)
            try await provisioning.createPlatformUser(role: .operator, username: "openapi_op1", phone: "13800138008", password: Self.password)
            try await provisioning.createPlatformUser(role: .finance, username: "openapi_fin1", phone: "13800138009", password: Self.password)
            try await app.test(.router) { client in
                let bytes = try await client.execute(uri: "/openapi.json", method: .get) { Data(buffer: $0.body) }
                let document = DocumentBox(value: try JSONSerialization.jsonObject(with: bytes) as? [String: Any] ?? [:])
                let caller = Caller(client: client, document: document)
                try await Self.walk(caller)
            }
        }
    }

    static let password = "Voucher#2026x"

    /// Signs in through the documented login and answers the access token.
    static func login(_ api: Caller, _ username: String) async throws -> String {
        let session = try await api.call(.post, "/v1/auth/login", json: ["username": username, "password": password], expect: .ok)
        return try #require(session["accessToken"] as? String)
    }

    static func walk(_ api: Caller) async throws {
        let operatorToken = try await login(api, "openapi_op1")
        let finance = try await login(api, "openapi_fin1")
        try await api.call(.get, "/health", expect: .ok)
        try await api.call(.get, "/ready", expect: .ok)
        try await api.call(.get, "/v1/account/me", expect: .unauthorized)
        let enterprise = try await api.call(.post, "/v1/registrations", json: [
            "role": "enterprise", "username": "openapi_ent1", "phone": "13800138001", "password": password,
            "passwordConfirmation": password, "consent": true,
        ], expect: .created)
        let ent = try #require((enterprise["session"] as? [String: Any])?["accessToken"] as? String)
        try await api.call(.get, "/v1/registrations/me", token: ent, expect: .ok)
        try await api.call(.put, "/v1/registrations/me/details", token: ent, json: ["name": "示例企业有限公司", "contactName": "张三"], expect: .ok)
        try await api.call(.put, "/v1/organisations/me/survey", token: ent,
                           json: ["companyName": "示例企业", "city": "杭州", "companyType": "private", "answers": ["q1": "yes"]], expect: .ok)
        try await api.call(.get, "/v1/organisations/me/survey", token: ent, expect: .ok)
        try await api.call(.get, "/v1/organisations/me", token: ent, expect: .ok)
        try await api.call(.post, "/v1/registrations/me/submit", token: ent, expect: .unprocessableContent)
        try await api.call(.get, "/v1/account/me", token: ent, expect: .ok)
        try await api.call(.get, "/v1/approvals/mine", token: ent, expect: .ok)
        try await api.call(.get, "/v1/subaccounts", token: ent, expect: .forbidden)
        let session = try await api.call(.post, "/v1/auth/login", json: ["username": "openapi_ent1", "password": password], expect: .ok)
        let refresh = try #require(session["refreshToken"] as? String)
        try await api.call(.post, "/v1/auth/login", json: ["username": "openapi_ent1", "password": "wrong"], expect: .unauthorized)
        try await api.call(.post, "/v1/auth/refresh", json: ["refreshToken": refresh], expect: .ok)
        try await api.call(.post, "/v1/auth/refresh", json: ["refreshToken": refresh], expect: .unauthorized)
        try await api.call(.post, "/v1/auth/sms/send", json: ["phone": "13800138001"], expect: .accepted)
        try await api.call(.post, "/v1/auth/logout", json: ["refreshToken": "unknown"], expect: .noContent)

        let provider = try await api.call(.post, "/v1/registrations", json: [
            "role": "provider", "username": "openapi_prv1", "phone": "13800138002", "password": password,
            "passwordConfirmation": password, "consent": true,
        ], expect: .created)
        let prv = try #require((provider["session"] as? [String: Any])?["accessToken"] as? String)
        let product = try await api.call(.post, "/v1/provider/products", token: prv, json: [
            "name": "诊断咨询服务", "category": "diagnostic_consulting",
            "specs": [["name": "基础版", "purchaseMode": "year", "pricing": "simple", "unitPriceFen": 5_000_000]],
        ], expect: .created)
        let productID = try #require(product["id"] as? String)
        let specID = try #require(((product["specs"] as? [[String: Any]])?.first)?["id"] as? String)
        try await api.call(.post, "/v1/products/{id}/list", ["id": productID], token: operatorToken, expect: .ok)
        try await api.call(.get, "/v1/products/{id}", ["id": productID], token: ent, expect: .ok)
        let order = ["productId": productID, "specId": specID, "quantity": 1] as [String: Any]
        try await api.call(.post, "/v1/orders/quote", token: ent, json: order, expect: .ok)
        try await api.call(.post, "/v1/orders", token: ent, json: order, expect: .badRequest)
        let placed = try await api.call(.post, "/v1/orders", token: ent, json: order, headers: [.idempotencyKey: "openapi-1"], expect: .created)
        let orderID = try #require(placed["id"] as? String)
        try await api.call(.post, "/v1/orders", token: ent, json: order, headers: [.idempotencyKey: "openapi-1"], expect: .ok)
        try await api.call(.get, "/v1/orders/{id}", ["id": orderID], token: ent, expect: .ok)
        try await api.call(.get, "/v1/orders", token: ent, expect: .ok)
        try await api.call(.get, "/v1/provider/orders", token: prv, expect: .ok)
        try await api.call(.post, "/v1/orders/{id}/payment", ["id": orderID], token: ent, expect: .conflict)
        try await api.call(.post, "/v1/orders/{id}/cancel", ["id": orderID], token: ent, expect: .ok)
        try await api.call(.get, "/v1/vouchers", token: ent, expect: .ok)
        try await api.call(.get, "/v1/provider/usages", token: prv, expect: .ok)

        let payee = try await api.call(.post, "/v1/provider/payee-accounts", token: prv,
                                       json: ["bank": "ABC", "accountName": "openapi_prv1", "accountNumber": "622848001234567"], expect: .created)
        try await api.call(.get, "/v1/provider/payee-accounts", token: prv, expect: .ok)
        try await api.call(.post, "/v1/provider/payee-accounts/{id}/disable", ["id": try #require(payee["id"] as? String)], token: prv, expect: .ok)
        try await api.call(.get, "/v1/redemption/batches", token: prv, expect: .ok)

        let campaign = try await api.call(.post, "/v1/campaigns", token: operatorToken, json: [
            "name": "上云券", "startsAt": "2026-12-01T10:00:00+08:00", "endsAt": "2026-12-31T10:00:00+08:00",
            "lots": [["kind": "general", "direction": "cloud", "faceValueFen": 1_500_000, "stock": 10, "validityDays": 90]],
        ], expect: .created)
        let campaignID = try #require(campaign["id"] as? String)
        try await api.call(.get, "/v1/campaigns/{campaignID}", ["campaignID": campaignID], token: operatorToken, expect: .ok)
        try await api.call(.get, "/v1/campaigns", token: ent, expect: .ok)
        try await api.call(.get, "/v1/campaigns/{campaignID}", ["campaignID": campaignID], token: ent, expect: .notFound)
        try await api.call(.get, "/v1/voucher-applications", token: operatorToken, expect: .ok)

        try await api.call(.get, "/v1/finance/statements", token: finance, expect: .ok)
        try await api.call(.post, "/v1/finance/reconciliation/rematch", token: finance, expect: .ok)
        try await api.call(.get, "/v1/finance/payouts?from=2026-01-01T00:00:00%2B08:00&to=2027-01-01T00:00:00%2B08:00", token: finance, expect: .ok)
        try await api.call(.get, "/v1/finance/payouts?from=2026-01-01T00:00:00%2B08:00&to=2027-01-01T00:00:00%2B08:00&format=csv",
                           token: finance, expect: .ok)
        try await api.call(.get, "/v1/finance/payouts", token: finance, expect: .badRequest)
        try await api.call(.get, "/v1/approvals/waiting", token: operatorToken, expect: .ok)
    }
}

/// The parts of JSON Schema the document uses, strict about fields: an answer's field that its
/// object schema does not name is an error, so a field added to a DTO must reach the document.
struct SchemaCheck {
    let document: [String: Any]

    func errors(_ value: Any, _ schema: [String: Any], at path: String) -> [String] {
        if let ref = schema["$ref"] as? String {
            let name = String(ref.split(separator: "/").last ?? "")
            guard let named = ((document["components"] as? [String: Any])?["schemas"] as? [String: Any])?[name] as? [String: Any] else {
                return ["\(path): unresolved \(ref)"]
            }
            return errors(value, named, at: path)
        }
        if let values = schema["enum"] as? [String] {
            guard let text = value as? String, values.contains(text) else { return ["\(path): \(value) is not one of \(values)"] }
            return []
        }
        switch schema["type"] as? String {
        case "object":
            guard let object = value as? [String: Any] else { return ["\(path): not an object"] }
            let properties = schema["properties"] as? [String: [String: Any]]
            var found: [String] = []
            for name in schema["required"] as? [String] ?? [] where object[name] == nil { found.append("\(path).\(name): missing") }
            for (name, member) in object {
                if let property = properties?[name] {
                    found += errors(member, property, at: "\(path).\(name)")
                } else if let additional = schema["additionalProperties"] as? [String: Any] {
                    found += errors(member, additional, at: "\(path).\(name)")
                } else if properties != nil {
                    found.append("\(path).\(name): not in the schema")
                }
            }
            return found
        case "array":
            guard let array = value as? [Any] else { return ["\(path): not an array"] }
            let items = schema["items"] as? [String: Any] ?? [:]
            return array.enumerated().flatMap { errors($1, items, at: "\(path)[\($0)]") }
        case "string":
            guard let text = value as? String else { return ["\(path): not a string"] }
            if schema["format"] as? String == "date-time", RFC3339.parse(text) == nil { return ["\(path): \(text) is not RFC 3339"] }
            return []
        case "integer": return value is NSNumber || value is Int ? [] : ["\(path): not an integer"]
        case "boolean": return value is Bool ? [] : ["\(path): not a boolean"]
        default: return []
        }
    }
}
