import API
import ArgumentParser
import Hummingbird
import Logging
import Metrics
import Prometheus
import VoucherConfig
import VoucherServices

/// The HTTP server: reads configuration, bootstraps logging and metrics once, and runs the
/// application and its stores in one service group until SIGTERM or SIGINT.
@main
struct VoucherServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "voucher-server", abstract: "Serve the VoucherRush API.")

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        let config: AppConfig
        do {
            config = try options.load()
        } catch let error as ConfigError {
            throw ValidationError(error.description)
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = Logger.Level(rawValue: config.logLevel) ?? .info
            return handler
        }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let logger = Logger(label: "voucher-server")
        if config.jwt.secretWasGenerated {
            logger.warning(
                "config.jwt_secret_generated", metadata: ["hint": "dev mode: tokens die with this process; set VOUCHER_JWT_SECRET to keep them"])
        }
        let stores = try AppStores.make(config: config, logger: logger)
        let services = await Services.live(config: config, stores: stores, logger: logger)
        let app = VoucherApp.buildApplication(services: services, registry: registry)
        try await app.runService()
    }
}
