import API
import Foundation
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import TestSupport
import Testing
import VoucherServices

/// The document's `security` and `x-roles` against what the handlers do: they are written by
/// hand beside the routes, so each is checked by calling the route.
@Suite struct OpenAPIRolesTests {
    /// One documented operation, ready to call.
    struct Call: Sendable {
        let method: HTTPRequest.Method
        /// The path with every `{capture}` filled with a well-formed id that names nothing.
        let uri: String
        let key: String
        let isPublic: Bool
        let roles: Set<String>
    }

    static func calls(_ document: [String: Any]) throws -> [Call] {
        try OpenAPITests.operations(document).map { key, operation in
            let parts = key.split(separator: " ")
            let method = try #require(HTTPRequest.Method(String(parts[0])))
            let uri = parts[1].split(separator: "/").map { $0.hasPrefix("{") ? "x_openapi_test" : String($0) }.joined(separator: "/")
            let security = operation["security"] as? [Any] ?? []
            return Call(method: method, uri: "/" + uri, key: key, isPublic: security.isEmpty, roles: Set(operation["x-roles"] as? [String] ?? []))
        }
    }

    /// The `code` of a problem answer, if it is one.
    static func code(_ response: TestResponse) -> String? {
        let body = try? JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
        return body?["code"] as? String
    }

    @Test func securedOperationsRefuseAnonymousCallersAndPublicOnesDoNot() async throws {
        // Proves every operation the document secures answers 401 unauthenticated without a
        // token, and every public one answers something else.
        let (_, document, _) = try await OpenAPITests.routesAndDocument()
        let calls = try Self.calls(document)
        #expect(calls.count > 50 && calls.contains { $0.isPublic } && calls.contains { !$0.isPublic })
        let wrong = try await OpenAPITests.withServer { client, _, _ in
            var wrong: [String] = []
            for call in calls {
                let (status, code) = try await client.execute(uri: call.uri, method: call.method) { ($0.status, Self.code($0)) }
                let refused = status == .unauthorized && code == "unauthenticated"
                if refused == call.isPublic { wrong.append("\(call.key): \(status.code) \(code ?? "-")") }
            }
            return wrong
        }
        #expect(wrong.isEmpty, "security disagrees with the handler: \(wrong)")
    }

    @Test func rolesOutsideXRolesAreRefused() async throws {
        // Proves a token of each role the document leaves out of an operation's x-roles is
        // answered 403 role_forbidden (before the handler reads the body or the store).
        let (_, document, _) = try await OpenAPITests.routesAndDocument()
        let calls = try Self.calls(document).filter { !$0.isPublic }
        // Every request's login is checked against the store, so the caller exists there.
        let wrong = try await TestDatabase.with { postgres, config in
            try await postgres.query(
                """
                INSERT INTO organisations (id, kind, name, certification) VALUES ('org_openapi', 'enterprise', 'OpenAPI', 'certified')
                """)
            try await postgres.query(
                """
                INSERT INTO users (id, org_id, username, password_hash, role, is_main)
                VALUES ('usr_openapi', 'org_openapi', 'openapi', 'x', 'enterprise', true)
                """)
            return try await OpenAPITests.withServer(config: config) { client, _, tokens in
                var wrong: [String] = []
                var checked = 0
                for role in Role.allCases {
                    let identity = Identity(
                        userID: "usr_openapi", orgID: "org_openapi", role: role, certified: true, permissions: [Identity.allPermissions])
                    let token = try await tokens.issueAccessToken(for: identity)
                    for call in calls where !call.roles.contains(role.rawValue) {
                        let (status, code) = try await client.execute(
                            uri: call.uri, method: call.method, headers: [.authorization: "Bearer \(token)"]
                        ) { ($0.status, Self.code($0)) }
                        checked += 1
                        if status != .forbidden || code != "role_forbidden" { wrong.append("\(call.key) as \(role): \(status.code) \(code ?? "-")") }
                    }
                }
                #expect(checked > 200, "each operation is called with the roles it leaves out")
                return wrong
            }
        }
        #expect(wrong.isEmpty, "x-roles disagrees with the handler: \(wrong)")
    }
}
