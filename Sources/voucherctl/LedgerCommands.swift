import ArgumentParser
import Foundation
import Logging
import PostgresStore
import VoucherConfig

/// `voucherctl ledger verify`: the voucher ledger's invariants over the whole database.
struct LedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger", abstract: "Check and maintain the voucher ledger.", subcommands: [Verify.self, Expire.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Check face = available + held + captured + expired, the ledger sums and the order holds of every voucher; exit 1 on any breach.")

        @OptionGroup var options: ConfigOptions

        func run() async throws {
            let config = try CLI.loadConfig(options)
            let logger = CLI.logger(config)
            let report = try await CLI.withPostgres(config, logger: logger) { client in
                try await LedgerVerifier(client: client, logger: logger).verify()
            }
            print("checked \(report.vouchersChecked) vouchers and \(report.ordersChecked) orders")
            if report.isConsistent {
                print("OK: every voucher balances and agrees with its ledger and its orders")
            } else {
                for breach in report.breaches { print("BREACH: \(breach)") }
                throw ExitCode(1)
            }
        }
    }

    /// `voucherctl ledger expire`: the expiry job, for cron (also reachable as `vouchers expire`).
    struct Expire: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move what is left on vouchers past their validity to expired, with ledger entries.")

        @OptionGroup var options: ConfigOptions

        func run() async throws {
            let config = try CLI.loadConfig(options)
            let logger = CLI.logger(config)
            let count = try await CLI.withPostgres(config, logger: logger) { client in
                try await VoucherExpiry(client: client, logger: logger).run(now: Date())
            }
            print("expired \(count) vouchers")
        }
    }
}

/// `voucherctl vouchers expire`, the name the issue uses for the expiry job.
struct LedgerVouchersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vouchers", abstract: "Voucher maintenance.", subcommands: [LedgerCommand.Expire.self])
}
