import ArgumentParser
import Foundation
import Logging
import PostgresStore
import Reconciliation
import VoucherConfig
import VoucherCore
import VoucherServices

/// `voucherctl statement import FILE [--filename NAME]`: the same import as the upload route
/// (hash, parse, refuse unreadable files whole, deduplicate on the serial, match), recorded with
/// source `cli`. Prints the import result as JSON; unreadable lines as `line N: reason`, exit 1.
struct StatementCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "statement", abstract: "Import bank statements.", subcommands: [Import.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Import a bank statement (CSV in UTF-8/GBK, or camt.053 XML) and match its payouts; print the result as JSON.")

        @OptionGroup var options: ConfigOptions

        @Argument(help: "The statement file.")
        var file: String

        @Option(help: "The name to store (default: the file's name).")
        var filename: String?

        func run() async throws {
            let config = try CLI.loadConfig(options)
            let logger = CLI.logger(config)
            let url = URL(fileURLWithPath: file)
            let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
            guard let size = attributes?[.size] as? Int else { throw ValidationError("cannot read \(file)") }
            guard size <= ReconciliationCommands.statementBytesMax else {
                throw ValidationError(
                    "\(file) is larger than \(ReconciliationCommands.statementBytesMax / (1024 * 1024)) MiB; export a shorter period")
            }
            let bytes = Array(try Data(contentsOf: url))
            let name = filename ?? url.lastPathComponent
            let policy = MatchPolicy(dateWindowDays: config.reconciliation.dateWindowDays)
            do {
                let result = try await CLI.withPostgres(config, logger: logger) { client in
                    try await StatementImporter(
                        repository: ReconciliationRepository(client: client, logger: logger), policy: policy, parse: { try StatementParser.parse($0) }
                    ).importFile(bytes, filename: name, actor: nil, source: .cli, now: Date())
                }
                print(try ReconciliationJSON.encode(ImportResultDTO(result)))
            } catch ReconciliationError.statementUnreadable(let problems) {
                ReconciliationCommands.printError("\(file): \(problems.count) line(s) cannot be read; nothing was imported")
                for problem in problems { print("line \(problem.lineNumber): \(problem.reason)") }
                throw ExitCode(1)
            } catch let error as any DomainErrorConvertible {
                ReconciliationCommands.printError("\(file): \(error.code): \(error.detail)")
                throw ExitCode(1)
            }
        }
    }
}

/// `voucherctl reconcile --statement ID [--format json|csv]` prints a statement's report;
/// `voucherctl reconcile --rematch` matches the open lines again (after transfers recorded late).
struct ReconcileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile", abstract: "Print a statement's reconciliation report, or match open lines again.")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json, csv
    }

    @OptionGroup var options: ConfigOptions

    @Option(help: "The statement id (st_…) whose report to print.")
    var statement: String?

    @Option(help: "json or csv (UTF-8 with BOM, for Excel).")
    var format: Format = .json

    @Flag(help: "Run matching over every open line instead of printing a report.")
    var rematch = false

    func validate() throws {
        guard (statement != nil) != rematch else { throw ValidationError("give either --statement ID or --rematch") }
    }

    func run() async throws {
        let config = try CLI.loadConfig(options)
        let logger = CLI.logger(config)
        let policy = MatchPolicy(dateWindowDays: config.reconciliation.dateWindowDays)
        let (statement, format) = (self.statement, self.format)
        let output = try await CLI.withPostgres(config, logger: logger) { client -> String in
            let repository = ReconciliationRepository(client: client, logger: logger)
            guard let statement else {
                return try ReconciliationJSON.encode(RematchDTO(try await repository.rematch(policy: policy, now: Date())))
            }
            guard let report = try await repository.report(statementID: statement) else {
                throw ValidationError("no imported statement has the id \(statement)")
            }
            return format == .csv ? StatementReportCSV.render(report) : try ReconciliationJSON.encode(StatementReportDTO(report))
        }
        if format == .csv, statement != nil {
            FileHandle.standardOutput.write(Data(output.utf8))
        } else {
            print(output)
        }
    }
}

enum ReconciliationCommands {
    /// The largest statement file read, as for the upload route.
    static let statementBytesMax = 32 * 1024 * 1024

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}
