import API
import Foundation
import Hummingbird
import HummingbirdTesting
import Prometheus
import RedisNIO
import TestSupport
import Testing
import VoucherConfig
import VoucherServices

/// The OpenAPI document against the router the server really builds: `Router.routes` is
/// Hummingbird's own list of registered routes (method and template, captures as `{name}`), so
/// a route added without its description, or a description left behind by a removed route,
/// fails here — as does a document that is not valid enough for a client generator to read.
@Suite struct OpenAPITests {
    /// The HTTP methods an OpenAPI Path Item may hold.
    static let methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    /// Runs `body` against the router the server builds (in process), with the routes it
    /// registered and the token service it trusts; stops the stores it started.
    static func withServer<T: Sendable>(
        config given: AppConfig? = nil,
        _ body: @Sendable (any TestClientProtocol, Set<String>, TokenService) async throws -> T
    ) async throws -> T {
        let config = try given ?? TestEnvironment.config()
        let stores = try AppStores.make(config: config, logger: TestEnvironment.logger)
        await stores.redis.firstAttemptsMade()
        let services = await Services.live(config: config, stores: stores, logger: TestEnvironment.logger)
        let tokens = services.tokens
        let router = VoucherApp.buildRouter(services: services, checks: [], registry: PrometheusCollectorRegistry())
        let routes = Set(router.routes.map { "\($0.method.rawValue) \($0.path)" })
        let app = Application(router: router, services: [stores.postgres, RedisService(client: stores.redis)], logger: TestEnvironment.logger)
        return try await app.test(.router) { client in try await body(client, routes, tokens) }
    }

    /// The server's registered routes and the document it serves (with the response's headers).
    static func routesAndDocument() async throws -> (routes: Set<String>, document: [String: Any], response: TestResponse) {
        let (routes, response) = try await withServer { client, routes, _ in
            (routes, try await client.execute(uri: "/openapi.json", method: .get) { $0 })
        }
        let document = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
        return (routes, try #require(document), response)
    }

    /// `METHOD /path` for every operation of the document.
    static func operations(_ document: [String: Any]) -> [(key: String, operation: [String: Any])] {
        let paths = document["paths"] as? [String: [String: Any]] ?? [:]
        return paths.flatMap { path, item in
            methods.compactMap { method in
                (item[method] as? [String: Any]).map { ("\(method.uppercased()) \(path)", $0) }
            }
        }
    }

    @Test func documentAndRouterAgree() async throws {
        // Proves every route the application registers is documented with the same method and
        // path template, and every documented operation is a registered route.
        let (routes, document, _) = try await Self.routesAndDocument()
        let documented = Set(Self.operations(document).map(\.key))
        #expect(routes.count > 50, "the router lists its routes")
        let undocumented = routes.subtracting(documented).sorted()
        let unrouted = documented.subtracting(routes).sorted()
        #expect(undocumented.isEmpty, "registered but not in /openapi.json: \(undocumented)")
        #expect(unrouted.isEmpty, "in /openapi.json but not registered: \(unrouted)")
    }

    @Test func documentIsServedPubliclyAndCached() async throws {
        // Proves /openapi.json needs no token, is JSON of OpenAPI 3.1.0, carries a validator and
        // answers 304 when the client already holds it.
        let (_, document, response) = try await Self.routesAndDocument()
        #expect(response.status == .ok)
        #expect(response.headers[.contentType] == "application/json")
        #expect(response.headers[.cacheControl]?.contains("max-age=") == true)
        #expect(document["openapi"] as? String == "3.1.0")
        let etag = try #require(response.headers[.eTag])
        let config = try TestEnvironment.config()
        try await (await makeApp(config)).test(.router) { client in
            try await client.execute(uri: "/openapi.json", method: .get, headers: [.ifNoneMatch: etag]) { response in
                #expect(response.status == .notModified)
                #expect(response.body.readableBytes == 0)
            }
        }
    }

    @Test func everyOperationIsComplete() async throws {
        // Proves each operation has a unique operationId, a summary, a success answer, roles, and
        // its error responses as problem+json with the stable codes listed; that each path
        // capture is a path parameter; and that every $ref points at something in the document.
        let (_, document, _) = try await Self.routesAndDocument()
        var ids: Set<String> = []
        for (key, operation) in Self.operations(document) {
            let id = try #require(operation["operationId"] as? String, "\(key) has no operationId")
            #expect(ids.insert(id).inserted, "operationId \(id) is used twice")
            #expect((operation["summary"] as? String)?.isEmpty == false, "\(key) has no summary")
            #expect(operation["x-roles"] is [String], "\(key) has no x-roles")
            let responses = try #require(operation["responses"] as? [String: [String: Any]], "\(key) has no responses")
            // A web form's success is its redirect (303).
            #expect(responses.keys.contains { $0.hasPrefix("2") || $0 == "303" }, "\(key) has no success response")
            var perResponse: Set<String> = []
            for (status, response) in responses where Int(status).map({ $0 >= 400 }) == true {
                let content = response["content"] as? [String: [String: Any]]
                #expect(
                    content?["application/problem+json"]?["schema"] as? [String: String] == ["$ref": "#/components/schemas/Problem"],
                    "\(key) \(status) is not a Problem")
                let codes = response["x-error-codes"] as? [String] ?? []
                #expect(!codes.isEmpty, "\(key) \(status) lists no codes")
                perResponse.formUnion(codes)
            }
            #expect(Set(operation["x-error-codes"] as? [String] ?? []) == perResponse, "\(key): x-error-codes differ from its responses'")
            let path = String(key.split(separator: " ")[1])
            let captures = Set(path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) })
            let parameters = operation["parameters"] as? [[String: Any]] ?? []
            let pathParameters = Set(parameters.filter { $0["in"] as? String == "path" }.compactMap { $0["name"] as? String })
            #expect(captures == pathParameters, "\(key): captures \(captures.sorted()) but path parameters \(pathParameters.sorted())")
        }
        var unresolved: [String] = []
        Self.forEachRef(in: document) { ref in
            if Self.resolve(ref, in: document) == nil { unresolved.append(ref) }
        }
        #expect(unresolved.isEmpty, "unresolved $refs: \(unresolved)")
    }

    /// Calls `body` with every `$ref` value under `value`.
    static func forEachRef(in value: Any, _ body: (String) -> Void) {
        if let object = value as? [String: Any] {
            for (key, member) in object {
                if key == "$ref", let ref = member as? String { body(ref) } else { forEachRef(in: member, body) }
            }
        } else if let array = value as? [Any] {
            for element in array { forEachRef(in: element, body) }
        }
    }

    /// The value a local JSON pointer (`#/components/schemas/Order`) names, or nil.
    static func resolve(_ ref: String, in document: [String: Any]) -> Any? {
        guard ref.hasPrefix("#/") else { return nil }
        var current: Any = document
        for token in ref.dropFirst(2).split(separator: "/", omittingEmptySubsequences: false) {
            let name = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            guard let object = current as? [String: Any], let next = object[name] else { return nil }
            current = next
        }
        return current
    }
}
