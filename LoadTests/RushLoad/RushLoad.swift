import ArgumentParser
import Foundation

/// `rush-load`: a flash-sale load generator and verifier that treats the server as a black box
/// over HTTP on 127.0.0.1. `setup` creates and publishes a campaign through the public API,
/// `run` drives grabs (or the trivial endpoint) in a closed or open model and can verify the
/// campaign afterwards, `summarize` turns the reports of an `ops/loadtest` run into one JSON line.
/// Accounts and tokens come from `voucherctl loadtest-prepare`.
@main
struct RushLoad: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rush-load",
        abstract: "Load-test VoucherRush's grab path on this machine and verify what was sold was stored.",
        subcommands: [Setup.self, Run.self, Summarize.self, Failover.self])
}

/// Options every subcommand that talks to the server shares.
struct ServerOptions: ParsableArguments {
    @Option(help: "Server host; only 127.0.0.1 is accepted (this tool never loads someone else's machine).")
    var host = Limits.host

    @Option(help: "Server port.")
    var port = 8080

    func validate() throws {
        guard host == Limits.host else { throw ValidationError("--host must be \(Limits.host); rush-load refuses other hosts") }
        guard (1...65_535).contains(port) else { throw ValidationError("--port must be 1 to 65535") }
    }
}

/// Reads a token file: `orgID token` per line (or a bare token per line).
enum TokenFile {
    static func read(_ path: String) throws -> [(orgID: String, token: String)] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var entries: [(orgID: String, token: String)] = []
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard let token = fields.last else { continue }
            entries.append((fields.count > 1 ? String(fields[0]) : "", String(token)))
            guard entries.count <= Limits.tokensMax else { throw ValidationError("\(path) has more than \(Limits.tokensMax) tokens") }
        }
        guard !entries.isEmpty else { throw ValidationError("\(path) has no tokens") }
        return entries
    }

    static func operatorToken(_ path: String) throws -> String {
        let token = try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw ValidationError("\(path) is empty") }
        return token
    }
}
