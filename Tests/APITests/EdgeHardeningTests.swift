import Foundation
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Prometheus
import TestSupport
import Testing
import VoucherConfig
import VoucherServices

@testable import API

/// The HTTP edge (issue 20, items 7, 8, 9, 12, 16) against the whole server on a real socket of
/// 127.0.0.1 and real stores: text the stores cannot hold, broken framing, CONNECT, idle
/// connections, forwarded addresses, security headers, the metrics token and sorted JSON keys.
@Suite struct EdgeHardeningTests {
    static let metricsToken = "edge-metrics-token-0123456789abcdef"
    static let password = "Voucher#2026x"

    /// Runs `body` with the server `VoucherApp.buildApplication` builds (the service's router,
    /// middleware and HTTP server configuration), listening on a free port, over a fresh database.
    static func live(
        _ adjust: @escaping @Sendable (inout AppConfig) -> Void = { _ in },
        _ body: @escaping @Sendable (any TestClientProtocol, Int, PostgresClient, AppConfig) async throws -> Void
    ) async throws {
        try await TestDatabase.with { postgres, base in
            var config = base
            config.sinkEnabled = false
            config.metricsToken = metricsToken
            adjust(&config)
            let settings = config
            let stores = try AppStores.make(config: settings, logger: TestEnvironment.logger)
            await stores.redis.firstAttemptsMade()
            let services = await Services.live(
                config: settings, stores: stores, logger: TestEnvironment.logger,
                // bcrypt's lowest cost: these tests are about the edge, not the hash, and at full cost a
                // registration and login outlasted the test client's 20 s read bound on a loaded machine.
                overrides: Services.Overrides(sms: sms, bcryptCost: 4))
            let app = VoucherApp.buildApplication(services: services, registry: PrometheusCollectorRegistry())
            try await app.test(.live) { client in
                try await body(client, try #require(client.port), postgres, settings)
            }
        }
    }

    /// The SMS sender of every app these tests start; phones differ per test, so codes never mix.
    static let sms = CapturingSMS()

    /// The code a registration of `phone` needs (SPEC §7: the phone is proven by SMS).
    static func registrationCode(_ client: any TestClientProtocol, _ phone: String) async throws -> String {
        let sent = try await client.call(.post, "/v1/registrations/sms", token: nil, json: ["phone": phone])
        #expect(sent.status == .accepted, "\(sent.json)")
        return try #require(sms.lastCode(for: phone))
    }

    /// One request with a body given as JSON text, so it can hold escapes (`\ud800`) that no
    /// Swift string can.
    static func send(
        _ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, jsonText: String? = nil,
        token: String? = nil, headers extra: HTTPFields = [:]
    ) async throws -> Answer {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        if jsonText != nil { headers[.contentType] = "application/json" }
        return try await client.execute(uri: uri, method: method, headers: headers, body: jsonText.map { ByteBuffer(string: $0) }) {
            Answer(status: $0.status, headers: $0.headers, body: Array($0.body.readableBytesView))
        }
    }

    // MARK: item 7 — NUL and lone surrogates

    @Test func nulAndLoneSurrogatesAreRefusedWithTextInvalid() async throws {
        // Proves a NUL (`\u0000`, `%00`) or a lone surrogate escape in any JSON string, query
        // parameter or path answers 400 `text_invalid` naming the field — on login without a token
        // and on signed-in routes — changes nothing, and that escaped text which is valid (a
        // surrogate pair, an escaped backslash before `u0000`) still reaches the handler.
        try await Self.live { client, _, postgres, _ in
            let refusedBodies = [
                #"{"username":"ad\u0000min","password":"x"}"#,
                #"{"username":"admin","password":"pass\u0000"}"#,
                #"{"username":"a\ud800","password":"x"}"#,
                #"{"username":"\udc00b","password":"x"}"#,
                #"{"username":"\ud83d\u0041","password":"x"}"#,
                #"{"username":"x","password":"x","extra":{"deep":["ok","\u0000"]}}"#,
                #"{"user\u0000name":"x","password":"x"}"#,
            ]
            for body in refusedBodies {
                let answer = try await Self.send(client, .post, "/v1/auth/login", jsonText: body)
                #expect(answer.status == .badRequest, "\(body): \(answer.status)")
                #expect(answer.code == "text_invalid", "\(body): \(answer.json)")
                #expect(answer.headers[.contentType] == "application/problem+json")
            }
            let named = try await Self.send(client, .post, "/v1/auth/login", jsonText: #"{"username":"x","password":"p\u0000"}"#)
            #expect(Self.mentions(named, "password"), "\(named.json)")
            for body in [#"{"username":"\ud83d\ude00","password":"x"}"#, #"{"username":"a\\u0000","password":"x"}"#] {
                let answer = try await Self.send(client, .post, "/v1/auth/login", jsonText: body)
                #expect(answer.status == .unauthorized, "\(body) is valid text: \(answer.json)")
            }

            let code = try await Self.registrationCode(client, "13800138101")
            let registered = try await Self.send(
                client, .post, "/v1/registrations",
                jsonText: """
                    {"role":"enterprise","username":"edge_ent1","phone":"13800138101","password":"\(Self.password)",
                     "passwordConfirmation":"\(Self.password)","consent":true,"smsCode":"\(code)"}
                    """)
            #expect(registered.status == .created, "\(registered.json)")
            let token = try #require((registered.json["session"] as? [String: Any])?["accessToken"] as? String)
            let before = try await Self.fingerprint(postgres)
            let details = try await Self.send(client, .put, "/v1/registrations/me/details", jsonText: #"{"name":"示例\ud800企业"}"#, token: token)
            #expect(details.status == .badRequest && details.code == "text_invalid", "\(details.json)")
            let register = try await Self.send(
                client, .post, "/v1/registrations",
                jsonText: """
                    {"role":"enterprise","username":"edge\\u0000x","phone":"13800138102","password":"\(Self.password)",
                     "passwordConfirmation":"\(Self.password)","consent":true}
                    """)
            #expect(register.status == .badRequest && register.code == "text_invalid", "\(register.json)")
            for uri in ["/v1/orders?status=%00", "/v1/orders/ord_%00", "/v1/finance/statements?filename=a%00.csv"] {
                let answer = try await Self.send(client, uri.contains("statements") ? .post : .get, uri, token: token)
                #expect(answer.status == .badRequest && answer.code == "text_invalid", "\(uri): \(answer.status) \(answer.json)")
            }
            #expect(try await Self.fingerprint(postgres) == before, "a refused request changed nothing")
        }
    }

    /// Whether a problem's detail names `field`.
    static func mentions(_ answer: Answer, _ field: String) -> Bool {
        (answer.string("detail") ?? "").contains(field)
    }

    /// A fingerprint of the accounts tables.
    static func fingerprint(_ postgres: PostgresClient) async throws -> String {
        var parts: [String] = []
        for table in ["organisations", "users", "organisation_profiles"] {
            let sql = "SELECT coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM \(table) t"
            let rows = try await postgres.query(PostgresQuery(unsafeSQL: sql))
            for try await digest in rows.decode(String.self) { parts.append(digest) }
        }
        return parts.joined(separator: ";")
    }

    @Test func textGuardReadsEscapesAsJSONDoes() {
        // Proves the scanner's reading of escapes: raw NUL, `\u0000` and lone surrogates anywhere
        // are flaws; pairs, other escapes and an escaped backslash before `u0000` are not.
        let flawed = [#"{"a":"\u0000"}"#, "{\"a\":\"\0\"}", #"["\uD800"]"#, #"{"a":"\uDFFF"}"#, #"{"a":"\ud800\n"}"#, #"{"a":"\ud800\ud800"}"#]
        for text in flawed { #expect(TextInputGuard.problem(inJSON: Array(text.utf8)) != nil, "\(text)") }
        let fine = [#"{"a":"\\u0000"}"#, #"{"a":"\ud83d\ude00"}"#, #"{"a":"\"\u0041\/"}"#, #"{"u0000":1}"#, #"{"a":"\\\\"}"#, ""]
        for text in fine { #expect(TextInputGuard.problem(inJSON: Array(text.utf8)) == nil, "\(text)") }
    }

    // MARK: item 8 — framing, CONNECT, idle connections

    @Test func malformedFramingIsA400OverARealSocket() async throws {
        // Proves a `Transfer-Encoding` the parser refuses (`xchunked`), a chunk size that does not
        // fit and one that is not hex answer 400 problem+json `request_malformed` (not 500), and
        // the server closes the connection, over a real TCP connection.
        try await Self.live { _, port, _, _ in
            let requests = [
                "POST /v1/auth/login HTTP/1.1\r\nHost: edge\r\nContent-Type: application/json\r\nTransfer-Encoding: xchunked\r\n\r\n"
                    + "5\r\n{\"a\":\r\n0\r\n\r\n",
                "POST /v1/auth/login HTTP/1.1\r\nHost: edge\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "fffffffffffffffffffff\r\n{}\r\n0\r\n\r\n",
                "POST /v1/auth/login HTTP/1.1\r\nHost: edge\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "zz\r\n{}\r\n0\r\n\r\n",
            ]
            for request in requests {
                let connection = try await RawHTTPConnection.open(port: port)
                defer { connection.close() }
                try await connection.send(request)
                let received = try await connection.readUntilClosed()
                #expect(received.hasPrefix("HTTP/1.1 400"), "\(request.prefix(120)): \(received.prefix(300))")
                #expect(!received.contains(" 500 "), "no 500: \(received.prefix(300))")
                #expect(received.contains("application/problem+json"), "\(received.prefix(300))")
                #expect(received.contains("\"code\":\"request_malformed\""), "\(received)")
            }
        }
    }

    @Test func connectIsAnswered() async throws {
        // Proves CONNECT (authority form, as a proxy client sends it) is answered 405 with Allow,
        // and the server closes the connection, instead of leaving the client waiting.
        try await Self.live { _, port, _, _ in
            let connection = try await RawHTTPConnection.open(port: port)
            defer { connection.close() }
            try await connection.send("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n")
            let received = try await connection.readUntilClosed()
            #expect(received.hasPrefix("HTTP/1.1 405"), "\(received.prefix(300))")
            #expect(received.lowercased().contains("allow: get"), "\(received.prefix(400))")
        }
    }

    @Test func idleAndSlowConnectionsAreClosedByTheServer() async throws {
        // Proves, with `http.idleTimeoutSeconds` set to 1, that the server itself closes a
        // connection that sends nothing, one whose request head never ends, and a keep-alive
        // connection left idle after an answer. Only an upper bound is waited (the reads give up
        // after a generous minute); nothing asserts how soon.
        try await Self.live({ $0.http.idleTimeoutSeconds = 1 }) { _, port, _, _ in
            let silent = try await RawHTTPConnection.open(port: port)
            defer { silent.close() }
            #expect(try await silent.readUntilClosed() == "")

            let slow = try await RawHTTPConnection.open(port: port)
            defer { slow.close() }
            try await slow.send("GET /health HTTP/1.1\r\nHost: edge\r\nX-Slow: ")
            #expect(try await slow.readUntilClosed() == "")

            let kept = try await RawHTTPConnection.open(port: port)
            defer { kept.close() }
            try await kept.send("GET /health HTTP/1.1\r\nHost: edge\r\n\r\n")
            let received = try await kept.readUntilClosed()
            #expect(received.hasPrefix("HTTP/1.1 200"), "answered, then closed when idle: \(received.prefix(200))")
        }
    }

    @Test func idleTimeoutIsConfigurable() throws {
        // Proves the defaults: a 60-second idle timeout and no trusted proxy; and that the keys are read.
        let config = try TestEnvironment.config()
        #expect(config.http.idleTimeoutSeconds == 60)
        #expect(config.http.trustedProxies.isEmpty)
        let set = try TestEnvironment.config(overrides: ["http.idleTimeoutSeconds": "5", "http.trustedProxies": "10.0.0.1, 10.0.0.2"])
        #expect(set.http.idleTimeoutSeconds == 5)
        #expect(set.http.trustedProxies == ["10.0.0.1", "10.0.0.2"])
    }

    // MARK: item 9 — forwarded addresses

    /// The service's router trusting `proxies`, with a manual clock (the 15-minute throttle window
    /// never depends on how fast the test runs), on a real socket so the peer address is the socket's.
    static func throttled(
        trusting proxies: [String], _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        try await TestDatabase.with { postgres, base in
            var config = base
            config.http.trustedProxies = proxies
            let overrides = Services.Overrides(
                clock: TestClock(), files: LocalDiskFileStore(root: TestEnvironment.stateDirectory + "/edge"), bcryptCost: 4)
            try await TestServices.with(postgres: postgres, config: config, overrides: overrides) { services in
                _ = try await AccountsProvisioning(environment: services.accounts)
                    .createPlatformUser(role: .operator, username: "edge_op1", phone: "13800138201", password: password)
                let router = VoucherApp.buildRouter(services: services)
                try await Application(router: router, logger: TestEnvironment.logger).test(.live) { client in try await body(client) }
            }
        }
    }

    static func login(_ client: any TestClientProtocol, _ username: String, _ password: String, forwardedFor: String) async throws -> Answer {
        try await client.call(
            .post, "/v1/auth/login", token: nil, json: ["username": username, "password": password],
            headers: [.xForwardedFor: forwardedFor])
    }

    @Test func forwardedForIsIgnoredFromAnUntrustedPeer() async throws {
        // Proves that with no trusted proxy (the default) a client cannot escape the per-address
        // limit by sending a new `X-Forwarded-For` with each guess: twenty failures from one socket
        // address lock that address out, whatever the header claims.
        try await Self.throttled(trusting: []) { client in
            for index in 0..<AccountsLimits.loginFailuresPerAddressMax {
                let answer = try await Self.login(client, "nobody_\(index)", "Guess#0000", forwardedFor: "203.0.113.\(index)")
                #expect(answer.status == .unauthorized, "guess \(index): \(answer.json)")
            }
            let blocked = try await Self.login(client, "edge_op1", Self.password, forwardedFor: "198.51.100.77")
            #expect(blocked.status == .tooManyRequests && blocked.code == "failed_logins_too_many", "\(blocked.json)")
        }
    }

    @Test func forwardedForIsHonouredFromATrustedProxy() async throws {
        // Proves that when the socket's peer is a configured trusted proxy, the client named by its
        // `X-Forwarded-For` is throttled — the nearest untrusted hop, so a client cannot prepend a
        // fake one — and another client behind the same proxy still logs in.
        try await Self.throttled(trusting: ["127.0.0.1", "::1"]) { client in
            for index in 0..<AccountsLimits.loginFailuresPerAddressMax {
                let chain = index.isMultiple(of: 2) ? "203.0.113.7" : "10.9.8.\(index), 203.0.113.7"
                let answer = try await Self.login(client, "nobody_\(index)", "Guess#0000", forwardedFor: chain)
                #expect(answer.status == .unauthorized, "guess \(index): \(answer.json)")
            }
            let attacker = try await Self.login(client, "edge_op1", Self.password, forwardedFor: "203.0.113.7")
            #expect(attacker.status == .tooManyRequests, "the forwarded client is limited: \(attacker.json)")
            let other = try await Self.login(client, "edge_op1", Self.password, forwardedFor: "198.51.100.1")
            #expect(other.status == .ok, "another client behind the proxy: \(other.json)")
        }
    }

    @Test func clientAddressRules() {
        // Proves the address rules: an untrusted peer is the client whatever the headers say; from
        // a trusted peer the rightmost untrusted hop wins, then `X-Real-IP`, and text that is not an
        // address falls back to the peer.
        let none = TrustedProxies([])
        #expect(none.clientAddress(peer: "192.0.2.1", headers: [.xForwardedFor: "1.2.3.4"]) == "192.0.2.1")
        let proxies = TrustedProxies(["10.0.0.1", "10.0.0.2"])
        #expect(proxies.clientAddress(peer: "10.0.0.1", headers: [.xForwardedFor: "6.6.6.6, 1.2.3.4, 10.0.0.2"]) == "1.2.3.4")
        #expect(proxies.clientAddress(peer: "10.0.0.1", headers: [.xRealIP: "2001:db8::1"]) == "2001:db8::1")
        #expect(proxies.clientAddress(peer: "10.0.0.1", headers: [.xForwardedFor: "not an address"]) == "10.0.0.1")
        #expect(proxies.clientAddress(peer: "10.0.0.1", headers: [:]) == "10.0.0.1")
        #expect(proxies.clientAddress(peer: nil, headers: [.xForwardedFor: "1.2.3.4"]) == nil)
    }

    @Test func addressNormalisingAndTheEncodedNULScanAreByteExact() {
        // Proves the byte scans that replaced Foundation's bridged `trimmingCharacters` and
        // `contains`: blanks around an address go, case is folded, inner text stays; `%00` is found
        // at its UTF-8 offset anywhere (also after multi-byte text), and only as the three bytes.
        #expect(TrustedProxies.normalised("  2001:DB8::1\t") == "2001:db8::1")
        #expect(TrustedProxies.normalised("10.0.0.1") == "10.0.0.1")
        #expect(TrustedProxies.normalised(" \t ").isEmpty && TrustedProxies.normalised("").isEmpty)
        #expect(TrustedProxies.normalised(" a b ") == "a b")
        let proxies = TrustedProxies(["2001:db8::2"])
        #expect(proxies.clientAddress(peer: " 2001:DB8::2 ", headers: [.xRealIP: " 192.0.2.7 "]) == "192.0.2.7")
        #expect(TextInputMiddleware<AppRequestContext>.encodedNUL(in: "/a%00") == 2)
        #expect(TextInputMiddleware<AppRequestContext>.encodedNUL(in: "%00") == 0)
        #expect(TextInputMiddleware<AppRequestContext>.encodedNUL(in: "/活动?q=%00") == 10)
        for clean in ["", "%0", "/a%0", "/a%20%0A", "/a%000x".replacingOccurrences(of: "%00", with: "%01")] {
            #expect(TextInputMiddleware<AppRequestContext>.encodedNUL(in: clean) == nil, "\(clean)")
        }
    }

    @Test func bearerAndGrabRouteChecksAreByteExact() throws {
        // Proves the auth middleware's byte checks: the scheme in any case with a token after it,
        // nothing shorter or else; the grab route by its template, not other campaign routes.
        for header in ["Bearer x", "bearer abc", "BEARER abc", "bEaReR t"] { #expect(AuthMiddleware.isBearer(header), "\(header)") }
        for header in ["Bearer ", "Bearer", "Basic abc", "Bearerx abc", "Bearer\tabc", "Bëarer x", ""] {
            #expect(!AuthMiddleware.isBearer(header), "\(header)")
        }
        // One Authorization field is read as it is; none is nil; two are an invalid token (their
        // joined form "Bearer a, Bearer b" never verified either).
        #expect(try AuthMiddleware.authorization([.authorization: "Bearer a", .accept: "*/*"]) == "Bearer a")
        #expect(try AuthMiddleware.authorization([.accept: "*/*"]) == nil)
        var twice: HTTPFields = [:]
        twice[values: .authorization] = ["Bearer a", "Bearer b"]
        #expect(throws: (any Error).self) { try AuthMiddleware.authorization(twice) }
        #expect(AuthMiddleware.isGrabRoute("/v1/campaigns/{campaignID}/lots/{lotID}/grab"))
        #expect(AuthMiddleware.isGrabRoute("v1/campaigns/:campaignID/lots/:lotID/grab"))
        for route in [
            "/v1/campaigns/{campaignID}/lots/{lotID}", "/v1/campaigns/{campaignID}/lots/{lotID}/apply", "/v1/orders/{id}/grab", "",
            "/grab", "campaigns/grab/x", "/v1/campaign/{id}/grab",
        ] {
            #expect(!AuthMiddleware.isGrabRoute(route), "\(route)")
        }
    }

    // MARK: item 12 — security headers, no-store, the metrics token

    @Test func securityHeadersOnEveryAnswerAndNoStore() async throws {
        // Proves nosniff, frame denial (X-Frame-Options and CSP frame-ancestors) and no-referrer on
        // successes, problems and the router's 404; `Cache-Control: no-store` on token answers,
        // signed-in answers and problems; and the public document keeps its own caching.
        try await Self.live { client, _, _, _ in
            let code = try await Self.registrationCode(client, "13800138301")
            let registered = try await client.call(
                .post, "/v1/registrations", token: nil,
                json: [
                    "role": "provider", "username": "edge_prv1", "phone": "13800138301", "password": Self.password,
                    "passwordConfirmation": Self.password, "consent": true, "smsCode": code,
                ])
            let token = try #require((registered.json["session"] as? [String: Any])?["accessToken"] as? String)
            let answers: [(String, Answer)] = [
                ("register", registered),
                ("login", try await client.call(.post, "/v1/auth/login", token: nil, json: ["username": "edge_prv1", "password": Self.password])),
                ("payee accounts", try await client.call(.get, "/v1/provider/payee-accounts", token: token)),
                ("me", try await client.call(.get, "/v1/account/me", token: token)),
                ("problem", try await client.call(.get, "/v1/account/me", token: nil)),
                ("404", try await client.call(.get, "/v1/no-such-route", token: nil)),
                ("health", try await client.call(.get, "/health", token: nil)),
            ]
            for (name, answer) in answers {
                #expect(answer.headers[.xContentTypeOptions] == "nosniff", "\(name)")
                #expect(answer.headers[.xFrameOptions] == "DENY", "\(name)")
                #expect(answer.headers[.contentSecurityPolicy] == "frame-ancestors 'none'", "\(name)")
                #expect(answer.headers[.referrerPolicy] == "no-referrer", "\(name)")
                #expect(answer.headers[.cacheControl] == "no-store", "\(name): \(answer.headers[.cacheControl] ?? "-")")
            }
            let document = try await client.call(.get, "/openapi.json", token: nil)
            #expect(document.headers[.xContentTypeOptions] == "nosniff")
            #expect(document.headers[.cacheControl]?.hasPrefix("public") == true)
        }
    }

    @Test func metricsNeedTheToken() async throws {
        // Proves /metrics answers 401 `metrics_token_required` without the token or with a wrong
        // one, the Prometheus text with it, and refuses everybody when no token is configured.
        try await Self.live { client, _, _, _ in
            let anonymous = try await client.call(.get, "/metrics", token: nil)
            #expect(anonymous.status == .unauthorized && anonymous.code == "metrics_token_required", "\(anonymous.json)")
            #expect(anonymous.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            let wrong = try await client.call(.get, "/metrics", token: Self.metricsToken + "x")
            #expect(wrong.status == .unauthorized && wrong.code == "metrics_token_required")
            let scrape = try await client.call(.get, "/metrics", token: Self.metricsToken)
            #expect(scrape.status == .ok)
            #expect(scrape.headers[.contentType]?.hasPrefix("text/plain") == true)
        }
        try await Self.live({ $0.metricsToken = nil }) { client, _, _, _ in
            let refused = try await client.call(.get, "/metrics", token: Self.metricsToken)
            #expect(refused.status == .unauthorized && refused.code == "metrics_token_required", "\(refused.json)")
        }
    }

    // MARK: item 16 — sorted keys

    @Test func jsonAnswersListKeysInSortedOrder() async throws {
        // Proves the raw bytes of JSON answers — a token answer, a registration (nested objects),
        // a campaign with its lots, and a problem with extensions — list every object's keys in
        // sorted order.
        try await Self.live { client, _, postgres, config in
            let provisioning = await AccountsProvisioning(config: config, postgres: postgres, logger: TestEnvironment.logger)
            _ = try await provisioning.createPlatformUser(role: .operator, username: "edge_op2", phone: "13800138401", password: Self.password)
            let login = try await client.call(.post, "/v1/auth/login", token: nil, json: ["username": "edge_op2", "password": Self.password])
            let operatorToken = try #require(login.string("accessToken"))
            let registered = try await client.call(
                .post, "/v1/registrations", token: nil,
                json: [
                    "role": "enterprise", "username": "edge_ent4", "phone": "13800138402", "password": Self.password,
                    "passwordConfirmation": Self.password, "consent": true,
                ])
            let campaign = try await client.call(
                .post, "/v1/campaigns", token: operatorToken,
                json: [
                    "name": "上云券", "startsAt": "2026-12-01T10:00:00+08:00", "endsAt": "2026-12-31T10:00:00+08:00",
                    "lots": [["kind": "general", "direction": "cloud", "faceValueFen": 1_500_000, "stock": 10, "validityDays": 90]],
                ])
            #expect(campaign.status == .created, "\(campaign.json)")
            let problem = try await client.call(.post, "/v1/auth/login", token: nil, raw: Array("{".utf8))
            for (name, answer) in [("login", login), ("registration", registered), ("campaign", campaign), ("problem", problem)] {
                let objects = JSONKeyOrder.objects(in: answer.body)
                #expect(objects.count >= 1, "\(name) is a JSON object")
                for keys in objects { #expect(keys == keys.sorted(), "\(name): keys \(keys) are not sorted") }
            }
        }
    }
}

/// The keys of every object of a JSON text, in the order the bytes list them.
enum JSONKeyOrder {
    static func objects(in bytes: [UInt8]) -> [[String]] {
        var finished: [[String]] = []
        var open: [[String]?] = []  // nil for an array
        var index = 0
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "{"): open.append([])
            case UInt8(ascii: "["): open.append(nil)
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if let last = open.popLast(), let keys = last { finished.append(keys) }
            case UInt8(ascii: "\""):
                var end = index + 1
                while end < bytes.count, bytes[end] != UInt8(ascii: "\"") { end += bytes[end] == UInt8(ascii: "\\") ? 2 : 1 }
                var after = end + 1
                while after < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[after]) { after += 1 }
                if after < bytes.count, bytes[after] == UInt8(ascii: ":"), !open.isEmpty, open[open.count - 1] != nil {
                    open[open.count - 1]?.append(String(decoding: bytes[(index + 1)..<min(end, bytes.count)], as: UTF8.self))
                }
                index = end
            default: break
            }
            index += 1
        }
        return finished
    }
}
