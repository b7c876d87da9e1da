import Hummingbird
import Logging
import Prometheus
import VoucherCore
import VoucherServices

/// One dependency the service needs before it can take traffic.
public struct ReadinessCheck: Sendable {
    public let name: String
    public let probe: @Sendable () async throws -> Void

    public init(name: String, probe: @escaping @Sendable () async throws -> Void) {
        self.name = name
        self.probe = probe
    }
}

/// `/health` says the process is alive (for restarts), `/ready` says its stores answer (for the
/// load balancer), `/metrics` is the Prometheus scrape.
struct HealthController {
    /// How long a store may take to answer a readiness probe before it counts as down, unless
    /// `buildRouter` is given another bound.
    static let probeTimeoutDefault: Duration = .seconds(2)

    let checks: [ReadinessCheck]
    let registry: PrometheusCollectorRegistry
    /// `VOUCHER_METRICS_TOKEN`: `/metrics` answers only to it (`MetricsAccess`).
    var metricsToken: String?
    var probeTimeout: Duration = Self.probeTimeoutDefault

    var endpoints: RouteCollection<AppRequestContext> {
        RouteCollection(context: AppRequestContext.self)
            .get("/health", use: health)
            .get("/ready", use: readiness)
            .get("/metrics", use: metrics)
    }

    func health(_ request: Request, _ context: AppRequestContext) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"status":"alive"}"#)))
    }

    func readiness(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await ready(logger: context.logger)
    }

    func metrics(_ request: Request, _ context: AppRequestContext) throws -> Response {
        try MetricsAccess(token: metricsToken).check(request)
        return Response(
            status: .ok,
            headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
    }

    /// Probes every store concurrently; 200 when all answer, else a 503 problem naming the failures.
    func ready(logger: Logger) async throws -> Response {
        let results = await withTaskGroup(of: (String, String?).self) { group in
            for check in checks {
                group.addTask {
                    do {
                        try await withDeadline(probeTimeout) { try await check.probe() }
                        return (check.name, nil)
                    } catch {
                        return (check.name, "\(error)")
                    }
                }
            }
            var results: [(String, String?)] = []
            for await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }
        }
        let failed = results.filter { $0.1 != nil }
        guard failed.isEmpty else {
            for (name, reason) in failed {
                logger.warning("ready.probe_failed", metadata: ["store": "\(name)", "reason": "\(reason ?? "")"])
            }
            var extensions: [String: ProblemValue] = [:]
            for (name, reason) in results { extensions[name] = .string(reason.map { "failed: \($0)" } ?? "ok") }
            throw Problem(
                .serviceUnavailable, code: "not_ready",
                detail: "Not ready: \(failed.map(\.0).joined(separator: ", ")) did not answer. Check that the store is running and reachable.",
                extensions: extensions)
        }
        let body = "{" + results.map { "\"\($0.0)\":\"ok\"" }.joined(separator: ",") + ",\"status\":\"ready\"}"
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
