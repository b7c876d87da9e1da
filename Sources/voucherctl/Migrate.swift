import ArgumentParser
import Foundation
import Logging
import PostgresNIO
import PostgresStore
import VoucherConfig
import VoucherServices

/// `voucherctl migrate` applies pending migrations (idempotent); `--status` lists them.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending database migrations, or show their status.")

    @OptionGroup var options: ConfigOptions

    @Flag(name: .long, help: "Show which migrations are applied instead of applying.")
    var status = false

    func run() async throws {
        let config = try CLI.loadConfig(options)
        let logger = CLI.logger(config)
        let status = self.status
        try await CLI.withPostgres(config, logger: logger) { client in
            let migrator = try Migrator(client: client, logger: logger)
            if status {
                for entry in try await migrator.status() {
                    let when = entry.appliedAt.map { "applied \($0.ISO8601Format())" } ?? "pending"
                    print(String(format: "%04d  %@  %@", entry.version, entry.name, when))
                }
            } else {
                let applied = try await migrator.apply()
                print(applied.isEmpty ? "migrations: nothing to apply" : "migrations: applied \(applied.map(\.name).joined(separator: ", "))")
            }
        }
    }
}
