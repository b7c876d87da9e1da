import ArgumentParser
import Foundation

/// The command-line half of configuration, shared by `voucher-server` and `voucherctl` so both
/// read the same files and variables the same way.
public struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: "Folder holding default.json (also VOUCHER_CONFIG_DIR).")
    public var configDir: String?

    @Option(name: .long, help: "An extra JSON file whose keys override the defaults.")
    public var config: String?

    @Option(name: .customLong("set"), help: "Override one key, e.g. --set http.port=8081 (repeatable; beats the environment).")
    public var overrides: [String] = []

    public init() {}

    /// Resolves the configuration from the files, the process environment and the overrides.
    public func load(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> AppConfig {
        let directory = configDir ?? environment["VOUCHER_CONFIG_DIR"] ?? "config"
        let defaults = try ConfigLoader.flatten(jsonFile: directory + "/default.json")
        let extra = try config.map { try ConfigLoader.flatten(jsonFile: $0) } ?? [:]
        return try ConfigLoader.resolve(
            defaults: defaults, file: extra, environment: environment,
            overrides: try ConfigLoader.parseOverrides(overrides))
    }
}
