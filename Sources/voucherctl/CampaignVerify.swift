import API
import ArgumentParser
import Foundation
import Ledger
import Logging
import RedisNIO
import Rush
import VoucherConfig

/// `voucherctl campaign verify ID`: Redis against PostgreSQL for one campaign.
struct CampaignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "campaign", abstract: "Inspect campaigns.", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare a campaign's Redis state (stock, claims, stream, pending) with its vouchers in PostgreSQL; exit 1 on any mismatch.")

        @OptionGroup var options: ConfigOptions

        @Argument(help: "The campaign id.")
        var campaignID: String

        func run() async throws {
            let config = try CLI.loadConfig(options)
            let logger = CLI.logger(config)
            let campaignID = self.campaignID
            let redis = try await RedisClient.connect(configuration: config.redis.clientConfiguration, logger: logger)
            let report = try await CLI.withPostgres(config, logger: logger) { client in
                try await CampaignVerifier(
                    redis: redis, campaigns: CampaignsRepository(client: client, logger: logger),
                    claims: ClaimsRepository(client: client, logger: logger)
                ).verify(campaignID: campaignID)
            }
            await redis.shutdown()
            guard let report else { throw ValidationError("no campaign has the id \(campaignID)") }
            print("campaign \(report.campaignID): stream \(report.streamLength) entries, \(report.unread) unread, \(report.pending) pending, \(report.deadLetters) dead letters")
            for lot in report.lots {
                print("  lot \(lot.lotID): stock \(lot.stock) (redis \(lot.redisTotal)), remaining \(lot.remaining), issued \(lot.issued), claimed \(lot.claimed), rows \(lot.rows)")
            }
            if report.isConsistent {
                print("OK: Redis and PostgreSQL agree")
            } else {
                for problem in report.problems { print("MISMATCH: \(problem)") }
                throw ExitCode(1)
            }
        }
    }
}
