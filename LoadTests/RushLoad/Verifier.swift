import Foundation

/// What the verifier found for one campaign after its load. Every count named as a failure must
/// be 0 for the run to pass.
struct Verification: Codable, Sendable {
    var campaignID: String
    var stock: Int
    /// Stock − remaining, from the public API (Redis's view).
    var issued: Int
    /// Voucher rows in PostgreSQL.
    var rows: Int
    var grantEntries: Int
    /// Wins acknowledged to clients with 201 (distinct voucher ids).
    var acknowledged: Int
    /// Rows no client heard about (an answer lost to a timeout): allowed, reported.
    var unacknowledged: Int
    var drained: Bool
    /// From the end of the load to PostgreSQL holding every issued voucher.
    var drainSeconds: Double
    var oversell: Int
    var lost: Int
    var duplicates: Int
    var overLimit: Int
    var misattributed: Int
    var ledgerMismatch: Int
    var voucherctlExitCode: Int32?
    var voucherctlOutput: [String]

    var passed: Bool {
        drained && oversell == 0 && lost == 0 && duplicates == 0 && overLimit == 0 && misattributed == 0
            && ledgerMismatch == 0 && rows == issued && (voucherctlExitCode ?? 0) == 0
    }

    var summaryLines: [String] {
        [
            "   verify \(campaignID): stock \(stock), issued \(issued), rows \(rows), grants \(grantEntries), acknowledged \(acknowledged), "
                + "unacknowledged \(unacknowledged)",
            "   verify: drained \(drained) in \(String(format: "%.2f", drainSeconds)) s; oversell \(oversell), lost \(lost), duplicates "
                + "\(duplicates), over limit \(overLimit), misattributed \(misattributed), ledger mismatch \(ledgerMismatch); "
                + "voucherctl exit \(voucherctlExitCode.map(String.init) ?? "not run") => \(passed ? "PASS" : "FAIL")",
        ] + voucherctlOutput.map { "   voucherctl: \($0)" }
    }
}

/// Checks a campaign after a load: waits for the claim sink to drain, then compares what clients
/// were told (the wins), what Redis says (stock − remaining, through the public API), and what
/// PostgreSQL holds (through psql), and runs `voucherctl campaign verify`.
struct Verifier: Sendable {
    var port: Int
    var operatorToken: String
    var campaignID: String
    var psql: PSQL
    var voucherctl: String?
    var drainWaitSeconds: Int

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// `wins`: voucher id and organisation id of every 201; `loadEndedUnixMs`: the last answer.
    func verify(wins: [(voucherID: String, orgID: String)], duplicateWins: Int, loadEndedUnixMs: Int64) async throws -> Verification {
        guard Self.isSafeID(campaignID) else { throw Failure(description: "campaign id \(campaignID) has unexpected characters") }
        let (stock, remaining) = try await stockAndRemaining()
        let issued = stock - remaining
        let (drained, drainedAtMs) = try await waitForDrain(issued: issued)
        let drainSeconds = Double(max(0, drainedAtMs - loadEndedUnixMs)) / 1_000
        let counts = try checks(wins: wins)
        var verification = Verification(
            campaignID: campaignID, stock: stock, issued: issued, rows: counts["rows"] ?? -1, grantEntries: counts["grants"] ?? -1,
            acknowledged: counts["acked"] ?? -1, unacknowledged: counts["unacked"] ?? -1, drained: drained,
            drainSeconds: drainSeconds,
            oversell: max(0, (counts["rows"] ?? 0) - stock, (counts["acked"] ?? 0) - stock, -remaining),
            lost: counts["lost"] ?? -1,
            duplicates: duplicateWins + (counts["dupseq"] ?? 0),
            overLimit: counts["overlimit"] ?? -1, misattributed: counts["misattributed"] ?? -1,
            ledgerMismatch: abs((counts["grants"] ?? 0) - (counts["rows"] ?? 0)),
            voucherctlExitCode: nil, voucherctlOutput: [])
        if let voucherctl {
            // The sink acknowledges a batch just after its commit: give a last XACK a moment.
            for attempt in 1...Limits.voucherctlAttemptsMax {
                let result = try Subprocess.run(voucherctl, ["campaign", "verify", campaignID], environment: [:])
                verification.voucherctlExitCode = result.status
                verification.voucherctlOutput = result.output.split(separator: "\n").map(String.init)
                if result.status == 0 || attempt == Limits.voucherctlAttemptsMax { break }
                try await Task.sleep(for: .milliseconds(Limits.voucherctlRetryMillis))
            }
        }
        return verification
    }

    /// Σ stock and Σ remaining over the campaign's lots, from `GET /v1/campaigns/{id}`.
    private func stockAndRemaining() async throws -> (Int, Int) {
        let answer = try await AdminHTTP.request(port: port, method: "GET", path: "/v1/campaigns/\(campaignID)", bearer: operatorToken)
        guard answer.status == 200, let object = try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any],
            let lots = object["lots"] as? [[String: Any]]
        else {
            throw Failure(description: "GET campaign \(campaignID) answered \(answer.status): \(answer.body.prefix(200))")
        }
        var stock = 0
        var remaining = 0
        for lot in lots {
            guard let lotStock = lot["stock"] as? Int, let lotRemaining = lot["remaining"] as? Int else {
                throw Failure(description: "campaign \(campaignID) answered a lot without stock or remaining")
            }
            stock += lotStock
            remaining += lotRemaining
        }
        return (stock, remaining)
    }

    /// Polls PostgreSQL until it holds `issued` vouchers of the campaign, within the bound.
    private func waitForDrain(issued: Int) async throws -> (Bool, Int64) {
        let deadline = Date().addingTimeInterval(TimeInterval(drainWaitSeconds))
        while true {
            let rows =
                Int(
                    try psql.query("SELECT count(*) FROM vouchers WHERE campaign_id = '\(campaignID)'")
                        .trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
            let now = Date()
            if rows >= issued { return (rows == issued, Int64(now.timeIntervalSince1970 * 1_000)) }
            if now >= deadline { return (false, Int64(now.timeIntervalSince1970 * 1_000)) }
            try await Task.sleep(for: .milliseconds(Limits.drainPollMillis))
        }
    }

    /// One psql session: the acknowledged wins go into a temporary table, then every check is one
    /// column of one row.
    private func checks(wins: [(voucherID: String, orgID: String)]) throws -> [String: Int] {
        let campaign = "'\(campaignID)'"
        var script = "CREATE TEMP TABLE acked (voucher_id text, org_id text);\nCOPY acked FROM STDIN;\n"
        for win in wins where Self.isSafeID(win.voucherID) && Self.isSafeID(win.orgID) {
            script += "\(win.voucherID)\t\(win.orgID)\n"
        }
        // Statistics first: autovacuum never analyses a temporary table, and it has not caught up
        // with a campaign whose 80,000 vouchers were written seconds ago. Without them the planner
        // took both for a few rows and ran "unacked" as a nested loop of sequential scans of the
        // wins per voucher (2.5 minutes of a core after each 1,024-connection phase, into the next
        // phase's minutes). The index keeps any nested loop it still picks to a lookup per row.
        script += "\\.\nCREATE INDEX ON acked (voucher_id);\nANALYZE acked;\nANALYZE vouchers;\nANALYZE voucher_ledger;\n"
        let columns = [
            ("rows", "SELECT count(*) FROM vouchers WHERE campaign_id = \(campaign)"),
            (
                "grants",
                "SELECT count(*) FROM voucher_ledger g JOIN vouchers v ON v.id = g.voucher_id WHERE v.campaign_id = \(campaign) AND g.entry = 'grant'"
            ),
            ("acked", "SELECT count(DISTINCT voucher_id) FROM acked"),
            (
                "lost",
                "SELECT count(*) FROM (SELECT DISTINCT voucher_id FROM acked) a WHERE NOT EXISTS (SELECT 1 FROM vouchers v WHERE v.id = a.voucher_id)"
            ),
            (
                "unacked",
                "SELECT count(*) FROM vouchers v WHERE v.campaign_id = \(campaign) AND NOT EXISTS (SELECT 1 FROM acked a WHERE a.voucher_id = v.id)"
            ),
            ("misattributed", "SELECT count(*) FROM acked a JOIN vouchers v ON v.id = a.voucher_id WHERE v.org_id <> a.org_id"),
            (
                "overlimit",
                "SELECT coalesce(sum(g.n - l.per_enterprise_limit), 0) FROM (SELECT lot_id, org_id, count(*) AS n FROM vouchers WHERE "
                    + "campaign_id = \(campaign) GROUP BY lot_id, org_id) g JOIN lots l ON l.id = g.lot_id WHERE g.n > l.per_enterprise_limit"
            ),
            ("dupseq", "SELECT count(*) - count(DISTINCT (lot_id, org_id, seq)) FROM vouchers WHERE campaign_id = \(campaign)"),
        ]
        script += "SELECT " + columns.map { "(\($0.1))" }.joined(separator: ", ") + ";\n"
        let output = try psql.run(script: script)
        guard let line = output.split(separator: "\n").last(where: { $0.contains("|") }) else {
            throw Failure(description: "psql answered no result row: \(output.prefix(300))")
        }
        let values = line.split(separator: "|", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard values.count == columns.count else { throw Failure(description: "psql answered \(line)") }
        var result: [String: Int] = [:]
        for (index, column) in columns.enumerated() { result[column.0] = values[index] ?? -1 }
        return result
    }

    /// Ids we inline into SQL: letters, digits, `_` and `-`, as the API's own path-id rule.
    static func isSafeID(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 128
            && id.utf8.allSatisfy {
                ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5a) || ($0 >= 0x61 && $0 <= 0x7a) || $0 == 0x5f || $0 == 0x2d
            }
    }
}

/// psql against the local PostgreSQL of the run (port and password from the environment, as
/// the server reads them).
struct PSQL: Sendable {
    var port: Int
    var user: String
    var database: String
    var password: String

    init(environment: [String: String] = ProcessInfo.processInfo.environment, database: String) {
        port = environment["VOUCHER_POSTGRES_PORT"].flatMap(Int.init) ?? 15432
        user = environment["VOUCHER_POSTGRES_USER"] ?? "voucher"
        self.database = database
        password = environment["VOUCHER_DB_PASSWORD"] ?? ""
    }

    private var arguments: [String] {
        ["-h", Limits.host, "-p", String(port), "-U", user, "-d", database, "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1"]
    }

    func query(_ sql: String) throws -> String {
        try run(arguments: arguments + ["-c", sql], input: nil)
    }

    func run(script: String) throws -> String {
        try run(arguments: arguments + ["-f", "-"], input: script)
    }

    private func run(arguments: [String], input: String?) throws -> String {
        let result = try Subprocess.run("psql", arguments, environment: ["PGPASSWORD": password], input: input)
        guard result.status == 0 else { throw Verifier.Failure(description: "psql failed (\(result.status)): \(result.output.prefix(400))") }
        return result.output
    }
}

/// A child process with its output captured (stdout and stderr together).
enum Subprocess {
    static func run(
        _ tool: String, _ arguments: [String], environment: [String: String], input: String? = nil
    ) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        let inputPipe = Pipe()
        process.standardInput = input == nil ? FileHandle.nullDevice : inputPipe
        try process.run()
        if let input {
            // Written from a helper thread of Foundation's, so a large script cannot deadlock
            // against a full output pipe.
            let data = Data(input.utf8)
            let handle = inputPipe.fileHandleForWriting
            DispatchQueue.global().async {
                handle.write(data)
                try? handle.close()
            }
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
