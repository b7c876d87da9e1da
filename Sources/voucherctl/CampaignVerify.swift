import ArgumentParser
import Foundation
import Logging
import PostgresStore
import RedisNIO
import Rush
import VoucherConfig
import VoucherServices

/// `voucherctl campaign verify ID`: Redis against PostgreSQL for one campaign;
/// `voucherctl campaign archive ID`: free an ended, verified campaign's claim stream.
struct CampaignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "campaign", abstract: "Inspect campaigns and free their claim streams.", subcommands: [Verify.self, Archive.self])

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
            let report = try await CLI.withStores(config, logger: logger) { redis, client in
                try await CampaignVerifier(
                    redis: redis, campaigns: CampaignsRepository(client: client, logger: logger),
                    claims: ClaimsRepository(client: client, logger: logger)
                ).verify(campaignID: campaignID)
            }
            guard let report else { throw ValidationError("no campaign has the id \(campaignID)") }
            let stream =
                report.claimsArchive.map { "stream archived \(Self.stamp($0.archivedAt)) with \($0.count) entries (\(report.streamLength) now)" }
                ?? "stream \(report.streamLength) entries"
            print("campaign \(report.campaignID): \(stream), \(report.unread) unread, \(report.pending) pending, \(report.deadLetters) dead letters")
            for lot in report.lots {
                print(
                    "  lot \(lot.lotID): stock \(lot.stock) (redis \(lot.redisTotal)), remaining \(lot.remaining), issued \(lot.issued), "
                        + "claimed \(lot.claimed), rows \(lot.rows)"
                )
            }
            if report.isConsistent {
                print("OK: Redis and PostgreSQL agree")
            } else {
                for problem in report.problems { print("MISMATCH: \(problem)") }
                throw ExitCode(1)
            }
        }
    }

    /// `voucherctl campaign archive ID`: after a campaign is over, frees its claim stream in Redis.
    struct Archive: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Delete an ended campaign's claim stream (and its consumer group) once verify passes, "
                + "and record the archive in PostgreSQL; exit 1 when refused."
        )

        @OptionGroup var options: ConfigOptions

        @Argument(help: "The campaign id.")
        var campaignID: String

        func run() async throws {
            let config = try CLI.loadConfig(options)
            let logger = CLI.logger(config)
            let campaignID = self.campaignID
            let outcome: Result<ClaimArchiver.Outcome, any Error>
            do {
                outcome = .success(
                    try await CLI.withStores(config, logger: logger) { redis, client in
                        try await ClaimArchiver(
                            redis: redis, campaigns: CampaignsRepository(client: client, logger: logger),
                            claims: ClaimsRepository(client: client, logger: logger)
                        ).archive(campaignID: campaignID)
                    })
            } catch {
                outcome = .failure(error)
            }
            switch outcome {
            case .success(.archived(let archive)):
                print(
                    "campaign \(campaignID): claim stream archived (\(archive.count) entries freed in Redis, recorded "
                        + "\(Verify.stamp(archive.archivedAt)))"
                )
            case .success(.alreadyArchived(let archive)):
                print("campaign \(campaignID): already archived \(Verify.stamp(archive.archivedAt)) with \(archive.count) entries; nothing changed")
            case .failure(let refusal as ClaimArchiver.Refusal):
                print("REFUSED: \(refusal)")
                throw ExitCode(1)
            case .failure(let error):
                throw error
            }
        }
    }
}

extension CampaignCommand.Verify {
    /// An archive time as an SRE reads it, in UTC.
    static func stamp(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
