import API
import Foundation
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Prometheus
import RedisNIO
import TestSupport
import Testing
import VoucherServices

/// Real answers against the document: a walk through registration, login, products, orders,
/// payee accounts and campaigns on a fresh database, where every answer's status must be
/// documented for its operation, its body must match the documented schema — with no field the
/// schema leaves out — and a problem's `code` must be among that response's `x-error-codes`.
@Suite struct OpenAPIAnswersTests {
    /// Calls one documented operation and checks its answer against the document.
    struct Caller: Sendable {
        let client: any TestClientProtocol
        let document: DocumentBox
        /// The server's SMS sender, so a registration can read the code its phone received.
        var sms = CapturingSMS()

        /// Asks for a registration code for `phone` (a documented call) and answers it.
        func registrationCode(_ phone: String) async throws -> String {
            try await call(.post, "/v1/registrations/sms", json: ["phone": phone], expect: .accepted)
            return try #require(sms.lastCode(for: phone))
        }

        @discardableResult
        func call(
            _ method: HTTPRequest.Method, _ template: String, _ captures: [String: String] = [:], token: String? = nil,
            json: [String: Any]? = nil, raw: (bytes: [UInt8], type: String)? = nil, headers: HTTPFields = [:],
            expect status: HTTPResponse.Status
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
            if let raw {
                headers[.contentType] = raw.type
                body = ByteBuffer(bytes: raw.bytes)
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
                #expect(
                    (response?["x-error-codes"] as? [String])?.contains(code) == true, "\(key) answered code \(code), not listed for \(answered.code)"
                )
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
            await stores.redis.firstAttemptsMade()
            let sms = CapturingSMS()
            let services = await Services.live(
                config: config, stores: stores, logger: TestEnvironment.logger, overrides: Services.Overrides(sms: sms))
            // The walk checks answers against the document, not the probe's 2 s bound: on a busy
            // machine the pool's first PostgreSQL connection alone can take longer.
            let router = VoucherApp.buildRouter(
                services: services, checks: VoucherApp.standardChecks(stores, logger: TestEnvironment.logger),
                registry: PrometheusCollectorRegistry(), readinessTimeout: .seconds(120))
            let app = Application(router: router, services: [stores.postgres, RedisService(client: stores.redis)], logger: TestEnvironment.logger)
            let provisioning = await AccountsProvisioning(config: config, postgres: postgres, logger: TestEnvironment.logger)
            try await provisioning.createPlatformUser(role: .operator, username: "openapi_op1", phone: "13800138008", password: Self.password)
            try await provisioning.createPlatformUser(role: .finance, username: "openapi_fin1", phone: "13800138009", password: Self.password)
            try await provisioning.createPlatformUser(role: .expert, username: "openapi_exp1", phone: "13800138031", password: Self.password)
            try await provisioning.createPlatformUser(role: .authority, username: "openapi_auth1", phone: "13800138032", password: Self.password)
            try await app.test(.router) { client in
                let bytes = try await client.execute(uri: "/openapi.json", method: .get) { Data(buffer: $0.body) }
                let document = DocumentBox(value: try JSONSerialization.jsonObject(with: bytes) as? [String: Any] ?? [:])
                let caller = Caller(client: client, document: document, sms: sms)
                try await Self.walk(caller, postgres: postgres)
            }
        }
    }

    static let password = "Voucher#2026x"

    /// Signs in through the documented login and answers the access token.
    static func login(_ api: Caller, _ username: String) async throws -> String {
        let session = try await api.call(.post, "/v1/auth/login", json: ["username": username, "password": password], expect: .ok)
        return try #require(session["accessToken"] as? String)
    }

    static func walk(_ api: Caller, postgres: PostgresClient) async throws {
        let operatorToken = try await login(api, "openapi_op1")
        let finance = try await login(api, "openapi_fin1")
        try await api.call(.get, "/health", expect: .ok)
        try await api.call(.get, "/ready", expect: .ok)
        try await api.call(.get, "/v1/account/me", expect: .unauthorized)
        let enterprise = try await api.call(
            .post, "/v1/registrations",
            json: [
                "role": "enterprise", "username": "openapi_ent1", "phone": "13800138001", "password": password,
                "passwordConfirmation": password, "consent": true, "smsCode": try await api.registrationCode("13800138001"),
            ], expect: .created)
        let ent = try #require((enterprise["session"] as? [String: Any])?["accessToken"] as? String)
        try await api.call(.get, "/v1/registrations/me", token: ent, expect: .ok)
        try await api.call(.put, "/v1/registrations/me/licence", token: ent, raw: (png, "image/png"), expect: .ok)
        try await api.call(.put, "/v1/registrations/me/details", token: ent, json: ["name": "示例企业有限公司", "contactName": "张三"], expect: .ok)
        try await api.call(
            .put, "/v1/organisations/me/survey", token: ent,
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
        let huge = Array(#"{"username":""#.utf8) + [UInt8](repeating: UInt8(ascii: "a"), count: 2 << 20) + Array(#"","password":"x"}"#.utf8)
        try await api.call(.post, "/v1/auth/login", raw: (huge, "application/json"), expect: .contentTooLarge)
        try await api.call(.post, "/v1/auth/refresh", json: ["refreshToken": refresh], expect: .ok)
        try await api.call(.post, "/v1/auth/refresh", json: ["refreshToken": refresh], expect: .unauthorized)
        try await api.call(.post, "/v1/auth/sms/send", json: ["phone": "13800138008"], expect: .accepted)
        try await api.call(.post, "/v1/auth/sms/login", json: ["phone": "13800138001", "code": "000000"], expect: .unauthorized)
        try await api.call(.post, "/v1/auth/logout", json: ["refreshToken": "unknown"], expect: .noContent)

        let provider = try await api.call(
            .post, "/v1/registrations",
            json: [
                "role": "provider", "username": "openapi_prv1", "phone": "13800138002", "password": password,
                "passwordConfirmation": password, "consent": true, "smsCode": try await api.registrationCode("13800138002"),
            ], expect: .created)
        let prv = try #require((provider["session"] as? [String: Any])?["accessToken"] as? String)
        // Trading needs certified organisations: before, product and payee account are refused.
        let draftBody: [String: Any] = ["name": "诊断咨询服务"]
        try await api.call(.post, "/v1/provider/products", token: prv, json: draftBody, expect: .forbidden)
        try await api.call(
            .post, "/v1/provider/payee-accounts", token: prv,
            json: ["bank": "ABC", "accountName": "openapi_prv1", "accountNumber": "622848001234567"], expect: .forbidden)
        // The walk's two are certified here, as an operator's approval would.
        try await postgres.query(
            """
            UPDATE organisations SET certification = 'certified'
            WHERE id IN (SELECT org_id FROM users WHERE username IN ('openapi_ent1', 'openapi_prv1'))
            """)
        let deciders = [operatorToken, try await login(api, "openapi_exp1"), try await login(api, "openapi_auth1")]
        let (productID, specID) = try await listedProduct(
            api, provider: prv, deciders: deciders, name: "诊断咨询服务",
            spec: ["name": "基础版", "purchaseMode": "year", "pricing": "simple", "unitPriceFen": 5_000_000])
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

        let payee = try await api.call(
            .post, "/v1/provider/payee-accounts", token: prv,
            json: ["bank": "ABC", "accountName": "openapi_prv1", "accountNumber": "622848001234567"], expect: .created)
        try await api.call(.get, "/v1/provider/payee-accounts", token: prv, expect: .ok)
        try await api.call(.post, "/v1/provider/payee-accounts/{id}/disable", ["id": try #require(payee["id"] as? String)], token: prv, expect: .ok)
        try await api.call(.get, "/v1/redemption/batches", token: prv, expect: .ok)

        let campaign = try await api.call(
            .post, "/v1/campaigns", token: operatorToken,
            json: [
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
        try await api.call(
            .get, "/v1/finance/payouts?from=2026-01-01T00:00:00%2B08:00&to=2027-01-01T00:00:00%2B08:00&format=csv",
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

/// The same checks along the money path: certified organisations, a campaign published, a grab and
/// an approved application, an order paid with a voucher through the approvals inbox, delivered
/// and accepted, and its usage redeemed through a batch to the provider's confirmation.
extension OpenAPIAnswersTests {
    /// A 1×1 PNG (a payment proof) and a tiny ZIP (redemption materials), recognised by content.
    static let png: [UInt8] = [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0A, 0x49, 0x44, 0x41,
        0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49,
        0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ]
    static let zip: [UInt8] = [0x50, 0x4B, 0x05, 0x06] + [UInt8](repeating: 0, count: 18)

    @Test func moneyPathAnswersMatchTheDocument() async throws {
        // Proves the documented statuses, schemas and problem codes hold for real answers of
        // campaigns, grabs, applications, approvals, a paid order, usages and a redemption batch.
        try await TestDatabase.with { postgres, config in
            let stores = try AppStores.make(config: config, logger: TestEnvironment.logger)
            await stores.redis.firstAttemptsMade()
            let services = await Services.live(config: config, stores: stores, logger: TestEnvironment.logger)
            let router = VoucherApp.buildRouter(services: services, checks: [], registry: PrometheusCollectorRegistry())
            let app = Application(router: router, services: [stores.postgres, RedisService(client: stores.redis)], logger: TestEnvironment.logger)
            let provisioning = await AccountsProvisioning(config: config, postgres: postgres, logger: TestEnvironment.logger)
            try await provisioning.createPlatformUser(role: .operator, username: "openapi_op2", phone: "13800138018", password: Self.password)
            try await provisioning.createPlatformUser(role: .auditor, username: "openapi_aud2", phone: "13800138019", password: Self.password)
            try await provisioning.createPlatformUser(role: .operator, username: "openapi_op3", phone: "13800138021", password: Self.password)
            try await provisioning.createPlatformUser(role: .finance, username: "openapi_fin2", phone: "13800138020", password: Self.password)
            try await provisioning.createPlatformUser(role: .expert, username: "openapi_exp2", phone: "13800138033", password: Self.password)
            try await provisioning.createPlatformUser(role: .authority, username: "openapi_auth2", phone: "13800138034", password: Self.password)
            for (role, username, phone, name, uscc) in [
                (Role.enterprise, "openapi_ent2", "13800138011", "开放接口制造有限公司", "91350100M000100Y43"),
                (Role.provider, "openapi_prv2", "13800138012", "开放接口科技有限公司", "91110108MA01ABCD1E"),
            ] {
                try await provisioning.registerAndCertify(
                    .init(role: role, username: username, password: Self.password, phone: phone, name: name, uscc: uscc),
                    operatorUsername: "openapi_op2")
            }
            try await app.test(.router) { client in
                let bytes = try await client.execute(uri: "/openapi.json", method: .get) { Data(buffer: $0.body) }
                let document = DocumentBox(value: try JSONSerialization.jsonObject(with: bytes) as? [String: Any] ?? [:])
                try await Self.moneyPath(Caller(client: client, document: document))
            }
        }
    }

    static func moneyPath(_ api: Caller) async throws {
        let op = try await login(api, "openapi_op2")
        let auditor = try await login(api, "openapi_aud2")
        let payments = try await login(api, "openapi_op3")  // four-eyes: another operator approves the payment stage
        let ent = try await login(api, "openapi_ent2")
        let prv = try await login(api, "openapi_prv2")
        let now = Date()
        var input: [String: Any] = [
            "name": "诊断券活动", "startsAt": RFC3339.format(now.addingTimeInterval(-3600)), "endsAt": RFC3339.format(now.addingTimeInterval(86_400)),
            "lots": [
                ["kind": "diagnostic", "faceValueFen": 2_000_000, "stock": 5, "validityDays": 90],
                ["kind": "diagnostic", "faceValueFen": 1_000_000, "stock": 5, "mode": "apply", "validityDays": 90],
            ],
        ]
        let draft = try await api.call(.post, "/v1/campaigns", token: op, json: input, expect: .created)
        let campaignID = try #require(draft["id"] as? String)
        input["name"] = "诊断券活动（修订）"
        let replaced = try await api.call(.put, "/v1/campaigns/{campaignID}", ["campaignID": campaignID], token: op, json: input, expect: .ok)
        let lots = try #require(replaced["lots"] as? [[String: Any]])
        let grabLot = try #require(lots.first?["id"] as? String)
        let applyLot = try #require(lots.last?["id"] as? String)
        let lot = ["campaignID": campaignID, "lotID": grabLot]
        try await api.call(.patch, "/v1/campaigns/{campaignID}/lots/{lotID}", lot, token: op, json: ["stock": 6], expect: .ok)
        try await api.call(.post, "/v1/campaigns/{campaignID}/publish", ["campaignID": campaignID], token: op, expect: .ok)
        try await api.call(.get, "/v1/campaigns/{campaignID}", ["campaignID": campaignID], token: ent, expect: .ok)
        try await api.call(.post, "/v1/campaigns/{campaignID}/lots/{lotID}/grab", lot, token: ent, headers: [.idempotencyKey: "g1"], expect: .created)
        try await api.call(.post, "/v1/campaigns/{campaignID}/lots/{lotID}/grab", lot, token: ent, headers: [.idempotencyKey: "g1"], expect: .ok)
        let applyPath = ["campaignID": campaignID, "lotID": applyLot]
        try await api.call(.post, "/v1/campaigns/{campaignID}/lots/{lotID}/grab", applyPath, token: ent, expect: .conflict)
        let application = try await api.call(.post, "/v1/campaigns/{campaignID}/lots/{lotID}/applications", applyPath, token: ent, expect: .created)
        let applicationID = ["applicationID": try #require(application["id"] as? String)]
        try await api.call(.post, "/v1/campaigns/{campaignID}/lots/{lotID}/applications", applyPath, token: ent, expect: .conflict)
        try await api.call(.get, "/v1/voucher-applications/{applicationID}", applicationID, token: ent, expect: .ok)
        try await api.call(.post, "/v1/voucher-applications/{applicationID}/approve", applicationID, token: op, expect: .ok)
        try await api.call(
            .post, "/v1/voucher-applications/{applicationID}/reject", applicationID, token: op, json: ["reason": "迟了"], expect: .conflict)
        try await api.call(.get, "/v1/vouchers", token: ent, expect: .ok)

        let deciders = [op, try await login(api, "openapi_exp2"), try await login(api, "openapi_auth2")]
        let (productID, specID) = try await listedProduct(
            api, provider: prv, deciders: deciders, name: "数字化诊断",
            spec: ["name": "标准版", "purchaseMode": "quantity", "pricing": "simple", "unitPriceFen": 10_000_000])
        let body = ["productId": productID, "specId": specID, "quantity": 1] as [String: Any]
        try await api.call(.post, "/v1/orders/quote", token: ent, json: body, expect: .ok)
        let order = try await api.call(.post, "/v1/orders", token: ent, json: body, headers: [.idempotencyKey: "o1"], expect: .created)
        let orderID = ["id": try #require(order["id"] as? String)]
        try await api.call(.post, "/v1/orders/{id}/proofs", orderID, token: ent, raw: (png, "image/png"), expect: .ok)
        try await api.call(.post, "/v1/orders/{id}/proofs", orderID, token: ent, raw: ([0x00, 0x01], "image/png"), expect: .unsupportedMediaType)
        let payment = try await api.call(.post, "/v1/orders/{id}/payment", orderID, token: ent, expect: .ok)
        let paymentApproval = ["id": try #require(payment["approvalId"] as? String)]
        try await decide(api, paymentApproval["id"] ?? "", tokens: [op])
        try await platformReads(api, approval: paymentApproval, order: order, operatorToken: op, provider: prv)
        try await api.call(.post, "/v1/provider/orders/{id}/deliver", orderID, token: prv, expect: .ok)
        try await api.call(.post, "/v1/orders/{id}/accept", orderID, token: ent, expect: .ok)
        let usages = try await api.call(.get, "/v1/provider/usages", token: prv, expect: .ok)
        let usageIDs = try #require(usages["items"] as? [[String: Any]]).compactMap { $0["id"] as? String }

        let payee = try await api.call(
            .post, "/v1/provider/payee-accounts", token: prv,
            json: ["bank": "ABC", "accountName": "开放接口科技有限公司", "accountNumber": "622848001234567"], expect: .created)
        let payeeID = try #require(payee["id"] as? String)
        let batch = try await api.call(
            .post, "/v1/redemption/batches?usageIds=\(usageIDs.joined(separator: ","))&payeeAccountId=\(payeeID)", token: prv,
            raw: (zip, "application/zip"), expect: .created)
        let batchID = ["id": try #require(batch["id"] as? String)]
        try await api.call(.get, "/v1/redemption/batches/{id}", batchID, token: auditor, expect: .ok)
        try await api.call(.get, "/v1/redemption/batches/{id}/materials", batchID, token: prv, expect: .ok)
        try await api.call(.get, "/v1/redemption/batches/{id}/receipts", batchID, token: prv, expect: .ok)
        try await decide(api, try #require(batch["approvalId"] as? String), tokens: [auditor, op, payments])
        let total = try #require(batch["totalFen"] as? Int)
        try await api.call(
            .post, "/v1/redemption/batches/{id}/transfer", batchID, token: op,
            json: [
                "amountFen": total, "payerName": "数字化转型公共服务平台", "payerAccount": "110000000000001", "date": "2026-11-27", "bankSerial": "SN1",
            ], expect: .ok)
        try await api.call(
            .post, "/v1/redemption/batches/{id}/confirm", batchID, token: prv,
            json: ["payerName": "数字化转型公共服务平台", "payerAccount": "110000000000001", "amountFen": total + 1], expect: .conflict)
        try await api.call(
            .post, "/v1/redemption/batches/{id}/confirm", batchID, token: prv,
            json: ["payerName": "数字化转型公共服务平台", "payerAccount": "110000000000001", "amountFen": total], expect: .ok)
        try await api.call(.get, "/v1/approvals/history", token: op, expect: .ok)
        try await reconcile(api, batchID: batchID["id"] ?? "", reference: try #require(batch["reference"] as? String), totalFen: total, provider: prv)
        try await api.call(.post, "/v1/redemption/batches/{id}/dispute", batchID, token: prv, json: ["reason": "未到账"], expect: .conflict)
        try await api.call(.post, "/v1/redemption/batches/{id}/reject", batchID, token: op, json: ["reason": "材料不全"], expect: .conflict)
        try await api.call(
            .get, "/v1/redemption/batches/{id}/files/{position}", ["id": batchID["id"] ?? "", "position": "0"], token: prv, expect: .notFound)
        let material = try await api.call(.post, "/v1/redemption/materials", token: prv, raw: (png, "image/png"), expect: .created)
        try await api.call(
            .post, "/v1/redemption/general", token: prv,
            json: [
                "enterpriseName": "开放接口制造有限公司", "orderId": "ord_unknown", "direction": "cloud", "payeeAccountId": payeeID,
                "materials": [try #require(material["sha256"] as? String)],
            ], expect: .notFound)
        try await api.call(.post, "/v1/orders/{id}/refund", orderID, token: ent, expect: .conflict)
        try await rejectAndWithdraw(api, body: body, enterprise: ent, operatorToken: op)
        // 下架 once the orders are placed; the orders go on.
        try await api.call(.post, "/v1/products/{id}/delist", ["id": productID], token: op, expect: .ok)
        try await api.call(.post, "/v1/products/{id}/delist", ["id": productID], token: prv, expect: .conflict)
        try await subAccounts(api, enterprise: ent)
        try await api.call(.post, "/v1/campaigns/{campaignID}/end", ["campaignID": campaignID], token: op, expect: .ok)
        try await api.call(
            .put, "/v1/account/password", token: prv,
            json: [
                "currentPassword": password, "newPassword": "Voucher#2027y", "newPasswordConfirmation": "Voucher#2027y",
            ], expect: .noContent)
    }

    /// The approval's detail with its subject and a proof's download, the operators' lists, the
    /// provider's order detail and its enterprise lookup (企业信息查询).
    static func platformReads(
        _ api: Caller, approval: [String: String], order: [String: Any], operatorToken op: String, provider prv: String
    ) async throws {
        let detail = try await api.call(.get, "/v1/approvals/{id}", approval, token: op, expect: .ok)
        let files = try #require((detail["subject"] as? [String: Any])?["files"] as? [[String: Any]])
        let fileID = try #require(files.first?["id"] as? String)
        try await api.call(.get, "/v1/approvals/{id}/files/{fileId}", ["id": approval["id"] ?? "", "fileId": fileID], token: op, expect: .ok)
        try await api.call(
            .get, "/v1/approvals/{id}/files/{fileId}", ["id": approval["id"] ?? "", "fileId": String(repeating: "a", count: 64)], token: op,
            expect: .notFound)
        try await api.call(.get, "/v1/platform/organisations?certification=certified", token: op, expect: .ok)
        try await api.call(.get, "/v1/platform/organisations?kind=platform", token: op, expect: .badRequest)
        try await api.call(.get, "/v1/platform/orders?state=paid", token: op, expect: .ok)
        try await api.call(.get, "/v1/platform/products?status=listed", token: op, expect: .ok)
        let orderID = ["id": try #require(order["id"] as? String)]
        try await api.call(.get, "/v1/provider/orders/{id}", orderID, token: prv, expect: .ok)
        let enterprise = ["id": try #require(order["subscriberOrgId"] as? String)]
        try await api.call(.get, "/v1/provider/enterprises/{id}", enterprise, token: prv, expect: .ok)
        try await api.call(.get, "/v1/provider/enterprises/{id}", ["id": "org_nobody"], token: prv, expect: .notFound)
    }

    /// A second order's payment rejected with a reason, then paid again and withdrawn by the applicant.
    static func rejectAndWithdraw(_ api: Caller, body: [String: Any], enterprise ent: String, operatorToken op: String) async throws {
        var body = body
        body["voucherIds"] = [String]()
        let order = try await api.call(.post, "/v1/orders", token: ent, json: body, headers: [.idempotencyKey: "o2"], expect: .created)
        let orderID = ["id": try #require(order["id"] as? String)]
        try await api.call(.post, "/v1/orders/{id}/proofs", orderID, token: ent, raw: (png, "image/png"), expect: .ok)
        let first = try await api.call(.post, "/v1/orders/{id}/payment", orderID, token: ent, expect: .ok)
        let rejected = ["id": try #require(first["approvalId"] as? String)]
        try await api.call(.post, "/v1/approvals/{id}/reject", rejected, token: op, json: [:], expect: .badRequest)
        try await api.call(.post, "/v1/approvals/{id}/reject", rejected, token: op, json: ["reason": "凭证不清晰"], expect: .ok)
        try await api.call(.post, "/v1/orders/{id}/proofs", orderID, token: ent, raw: (png, "image/png"), expect: .ok)
        let second = try await api.call(.post, "/v1/orders/{id}/payment", orderID, token: ent, expect: .ok)
        let withdrawn = ["id": try #require(second["approvalId"] as? String)]
        try await api.call(.post, "/v1/approvals/{id}/withdraw", withdrawn, token: ent, expect: .ok)
        try await api.call(.post, "/v1/approvals/{id}/withdraw", withdrawn, token: ent, expect: .conflict)
    }

    /// The certified enterprise's main account manages a sub-account from creation to deletion.
    static func subAccounts(_ api: Caller, enterprise ent: String) async throws {
        let created = try await api.call(
            .post, "/v1/subaccounts", token: ent,
            json: [
                "username": "openapi_sub1", "phone": "13800138031", "email": "sub@example.com", "password": password,
                "passwordConfirmation": password, "permissions": ["orders"],
            ], expect: .created)
        let sub = ["id": try #require(created["id"] as? String)]
        try await api.call(.get, "/v1/subaccounts", token: ent, expect: .ok)
        try await api.call(.get, "/v1/subaccounts/{id}", sub, token: ent, expect: .ok)
        try await api.call(.patch, "/v1/subaccounts/{id}", sub, token: ent, json: ["email": "sub2@example.com"], expect: .ok)
        try await api.call(.patch, "/v1/subaccounts/{id}", sub, token: ent, json: ["username": "renamed_sub"], expect: .badRequest)
        try await api.call(.put, "/v1/subaccounts/{id}/permissions", sub, token: ent, json: ["permissions": ["orders", "vouchers"]], expect: .ok)
        try await api.call(
            .put, "/v1/subaccounts/{id}/password", sub, token: ent,
            json: ["password": "Voucher#2027z", "passwordConfirmation": "Voucher#2027z"], expect: .noContent)
        let subToken = try await api.call(.post, "/v1/auth/login", json: ["username": "openapi_sub1", "password": "Voucher#2027z"], expect: .ok)
        try await api.call(.get, "/v1/organisations/me", token: try #require(subToken["accessToken"] as? String), expect: .forbidden)
        try await api.call(.delete, "/v1/subaccounts/{id}", sub, token: ent, expect: .noContent)
        try await api.call(.get, "/v1/subaccounts/{id}", sub, token: ent, expect: .notFound)
    }

    /// Finance imports a statement with the batch's receipt and a stray one, reads the report,
    /// undoes and redoes the match by hand, and the provider sees its receipt.
    static func reconcile(_ api: Caller, batchID: String, reference: String, totalFen: Int, provider: String) async throws {
        let finance = try await login(api, "openapi_fin2")
        let yuan = "\(totalFen / 100).\(String(format: "%02d", totalFen % 100))"
        let csv =
            [
                "中国农业银行电子回单导出", "本方账号：11010101040012345", "交易日期,交易时间,流水号,借贷方向,金额,对方户名,对方账号,摘要",
                "2026-11-27,10:00:00,S001,借,\(yuan),开放接口科技有限公司,622848001234567,服务券兑付 \(reference)",
                "2026-11-27,11:00:00,S002,借,123.45,某某公司,622848009999999,货款",
                "合计,,,,,,,",
            ].joined(separator: "\r\n") + "\r\n"
        let upload = "/v1/finance/statements?filename=statement.csv"
        let imported = try await api.call(.post, upload, token: finance, raw: (Array(csv.utf8), "text/csv"), expect: .created)
        try await api.call(.post, upload, token: finance, raw: (Array(csv.utf8), "text/csv"), expect: .ok)
        try await api.call(.post, upload, token: finance, raw: (Array("not a statement".utf8), "text/csv"), expect: .unprocessableContent)
        let statement = ["id": try #require(imported["statementId"] as? String)]
        try await api.call(.get, "/v1/finance/statements", token: finance, expect: .ok)
        try await api.call(.get, "/v1/finance/statements/{id}", statement, token: finance, expect: .ok)
        let report = try await api.call(.get, "/v1/finance/statements/{id}/report", statement, token: finance, expect: .ok)
        try await api.call(.get, "/v1/finance/statements/{id}/report?format=csv", statement, token: finance, expect: .ok)
        try await api.call(.get, "/v1/finance/statements/{id}/report?format=xml", statement, token: finance, expect: .badRequest)
        let lines = try #require(report["lines"] as? [[String: Any]])
        let matched = ["id": try #require(lines.first { $0["outcome"] as? String == "matched" }?["id"] as? String)]
        let stray = ["id": try #require(lines.first { $0["outcome"] as? String == "no_batch" }?["id"] as? String)]
        try await api.call(
            .post, "/v1/finance/statement-lines/{id}/match", stray, token: finance,
            json: ["batchId": batchID, "note": "试试"], expect: .conflict)
        try await api.call(.post, "/v1/finance/statement-lines/{id}/unmatch", matched, token: finance, json: ["note": "核对"], expect: .ok)
        try await api.call(
            .post, "/v1/finance/statement-lines/{id}/match", matched, token: finance,
            json: ["batchId": batchID, "note": "核对无误"], expect: .ok)
        try await api.call(.get, "/v1/finance/statement-lines/{id}/audit", matched, token: finance, expect: .ok)
        try await api.call(.post, "/v1/finance/reconciliation/rematch", token: finance, expect: .ok)
        try await api.call(.get, "/v1/redemption/batches/{id}/receipts", ["id": batchID], token: provider, expect: .ok)
        try await api.call(.get, "/v1/finance/payouts?from=2026-01-01T00:00:00%2B08:00&to=2027-01-01T00:00:00%2B08:00", token: finance, expect: .ok)
    }

    /// Approves an application stage by stage, reading it from each decider's inbox first.
    static func decide(_ api: Caller, _ approvalID: String, tokens: [String]) async throws {
        for token in tokens {
            try await api.call(.get, "/v1/approvals/waiting", token: token, expect: .ok)
            try await api.call(.get, "/v1/approvals/{id}", ["id": approvalID], token: token, expect: .ok)
            try await api.call(.post, "/v1/approvals/{id}/approve", ["id": approvalID], token: token, json: [:], expect: .ok)
        }
    }
}
