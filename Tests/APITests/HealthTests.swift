import API
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Prometheus
import TestSupport
import Testing
import VoucherConfig
import VoucherServices

/// Builds the application against the given configuration with the standard checks.
func makeApp(_ config: AppConfig) async -> some ApplicationProtocol {
    let stores = try! AppStores.make(config: config, logger: TestEnvironment.logger)
    let services = await Services.live(config: config, stores: stores, logger: TestEnvironment.logger)
    return VoucherApp.buildApplication(services: services, registry: PrometheusCollectorRegistry())
}

@Suite struct HealthTests {
    @Test func healthAnswersWithoutStores() async throws {
        // Proves /health is about the process only: it answers 200 even when PostgreSQL is unreachable.
        let config = try TestEnvironment.config(overrides: ["postgres.port": String(try FreePort.next())])
        try await (await makeApp(config)).test(.router) { client in
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func unknownRouteIsAProblem() async throws {
        // Proves even the router's own 404 is application/problem+json with a stable code.
        let config = try TestEnvironment.config()
        try await (await makeApp(config)).test(.router) { client in
            try await client.execute(uri: "/v1/no-such-thing", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType] == "application/problem+json")
                let body = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                #expect(body?["code"] as? String == "not_found")
                #expect(body?["status"] as? Int == 404)
            }
        }
    }

    @Test func metricsAreServedAsPrometheusText() async throws {
        // Proves /metrics answers in the Prometheus text format (to the metrics token).
        var config = try TestEnvironment.config()
        config.metricsToken = "health-test-metrics-token"
        try await (await makeApp(config)).test(.router) { client in
            try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer health-test-metrics-token"]) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
            }
        }
    }

    @Test func readyFollowsPostgres() async throws {
        // Proves /ready is 200 while PostgreSQL answers, 503 naming postgres once it is stopped,
        // and 200 again after it comes back — against a real cluster of this test's own.
        let server = try await PostgresServerProcess.start()
        do {
            let config = try TestEnvironment.config(
                database: "postgres", overrides: ["postgres.port": String(server.port)])
            try await (await makeApp(config)).test(.live) { client in
                // The pool's first connection may take longer than one probe's 2 s on a loaded
                // machine: wait for readiness (bounded generously) instead of assuming it.
                #expect(try await Self.readyWithin(client, .seconds(120)))
                try await server.stop()
                try await client.execute(uri: "/ready", method: .get) { response in
                    #expect(response.status == .serviceUnavailable)
                    #expect(response.headers[.contentType] == "application/problem+json")
                    let body = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                    #expect(body?["code"] as? String == "not_ready")
                    #expect((body?["postgres"] as? String)?.hasPrefix("failed") == true)
                }
                try await server.start()
                #expect(try await Self.readyWithin(client, .seconds(120)))
            }
        } catch {
            await server.destroy()
            throw error
        }
        await server.destroy()
    }

    /// True once /ready answers 200, polling until `bound` passes: a condition, not a speed.
    static func readyWithin(_ client: some TestClientProtocol, _ bound: Duration) async throws -> Bool {
        let deadline = ContinuousClock.now + bound
        while ContinuousClock.now < deadline {
            let status = try await client.execute(uri: "/ready", method: .get) { $0.status }
            if status == .ok { return true }
            try await Task.sleep(for: .milliseconds(200))
        }
        return false
    }
}
