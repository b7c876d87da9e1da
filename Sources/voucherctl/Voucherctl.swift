import ArgumentParser
import Logging
import PostgresStore
import VoucherConfig

/// The admin command line: migrations now; seeding, verification and imports as they come.
@main
struct Voucherctl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "voucherctl",
        abstract: "Administer a VoucherRush installation.",
        subcommands: [
            Migrate.self, SeedDemo.self, CampaignCommand.self, UserCommand.self, LoadTestPrepare.self, LedgerCommand.self, LedgerVouchersCommand.self,
            StatementCommand.self, ReconcileCommand.self,
        ])
}
