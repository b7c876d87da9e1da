import ArgumentParser
import Foundation
import Logging
import PostgresNIO
import VoucherConfig
import VoucherServices

/// `voucherctl loadtest-prepare`: the accounts a load test needs, made directly in PostgreSQL so
/// that thousands of enterprises cost one statement instead of thousands of registrations, and
/// their access tokens, minted with the configured secret (VOUCHER_JWT_SECRET) so the server under
/// test accepts them. It never runs in production mode: it makes certified enterprises out of
/// thin air. Idempotent: enterprises and the operator are keyed by fixed ids and kept if present.
///
/// Files written: `--tokens-file`, one line per enterprise `orgID<space>token` (wrk's LoadTests/wrk-grab.lua and
/// rush-load read it); `--operator-token-file`, one operator token (to create and publish
/// campaigns through the public API).
struct LoadTestPrepare: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loadtest-prepare",
        abstract: "Create N certified load-test enterprises and an operator in PostgreSQL and write their tokens (dev mode only).")

    /// Bounds of a preparation, so a typo cannot fill the database.
    enum Limits {
        static let enterprisesMax = 200_000
        static let tokenTtlSecondsMax = 86_400
    }

    /// Fixed ids: a rerun finds what an earlier run made. The prefix keeps them apart from real ids.
    static let enterpriseIDPrefix = "org_load"
    static let enterpriseUserPrefix = "usr_load"
    static let operatorUserID = "usr_load_operator"
    static let operatorUsername = "load_operator"
    /// No password hash matches this, so nobody can log in as the load-test operator.
    static let unusablePasswordHash = "!load-test-no-login"

    @OptionGroup var options: ConfigOptions

    @Option(help: "How many certified enterprises to create (ids org_load1 … org_loadN).")
    var enterprises: Int

    @Option(help: "Where to write `orgID token` lines.")
    var tokensFile: String

    @Option(help: "Where to write the operator's token.")
    var operatorTokenFile: String

    @Option(help: "Lifetime of the minted tokens in seconds (a long run needs more than the default access-token lifetime).")
    var tokenTtlSeconds = 3_600

    func validate() throws {
        guard (1...Limits.enterprisesMax).contains(enterprises) else {
            throw ValidationError("--enterprises must be 1 to \(Limits.enterprisesMax)")
        }
        guard (60...Limits.tokenTtlSecondsMax).contains(tokenTtlSeconds) else {
            throw ValidationError("--token-ttl-seconds must be 60 to \(Limits.tokenTtlSecondsMax)")
        }
    }

    func run() async throws {
        var config = try CLI.loadConfig(options)
        guard config.mode == .dev else { throw ValidationError("loadtest-prepare runs in dev mode only; it certifies enterprises without review") }
        config.jwt.accessTtlSeconds = tokenTtlSeconds
        let logger = CLI.logger(config)
        let count = enterprises
        try await CLI.withPostgres(config, logger: logger) { client in
            try await Self.createAccounts(count: count, client: client, logger: logger)
        }
        let tokens = await TokenService(config: config.jwt)
        var lines: [String] = []
        lines.reserveCapacity(count)
        for index in 1...count {
            let identity = Identity(
                userID: "\(Self.enterpriseUserPrefix)\(index)", orgID: "\(Self.enterpriseIDPrefix)\(index)",
                role: .enterprise, certified: true, permissions: [Identity.allPermissions])
            lines.append("\(identity.orgID) \(try await tokens.issueAccessToken(for: identity))")
        }
        let operatorIdentity = Identity(
            userID: Self.operatorUserID, orgID: AccountsProvisioning.platformOrgID, role: .operator,
            certified: true, permissions: [Identity.allPermissions])
        let operatorToken = try await tokens.issueAccessToken(for: operatorIdentity)
        try Self.writePrivate(lines.joined(separator: "\n") + "\n", to: tokensFile)
        try Self.writePrivate(operatorToken + "\n", to: operatorTokenFile)
        print(
            "prepared \(count) certified enterprises and operator \(Self.operatorUsername); tokens valid \(tokenTtlSeconds) s in \(tokensFile) "
                + "and \(operatorTokenFile)"
        )
    }

    /// One statement per table: the platform organisation, the operator (campaigns reference their
    /// creator), and the enterprises and their main accounts from a series. `ON CONFLICT DO NOTHING` makes reruns harmless.
    static func createAccounts(count: Int, client: PostgresClient, logger: Logger) async throws {
        let platformID = AccountsProvisioning.platformOrgID
        let platformName = AccountsProvisioning.platformName
        try await client.query(
            """
            INSERT INTO organisations (id, kind, name, certification)
            VALUES (\(platformID), 'platform', \(platformName), 'certified') ON CONFLICT DO NOTHING
            """, logger: logger)
        let permissions = [Identity.allPermissions]
        try await client.query(
            """
            INSERT INTO users (id, org_id, username, password_hash, role, is_main, permissions)
            VALUES (\(operatorUserID), \(platformID), \(operatorUsername), \(unusablePasswordHash), 'operator', false, \(permissions))
            ON CONFLICT DO NOTHING
            """, logger: logger)
        // USCC: '9L' and 16 digits of the index match GB 32100's alphabet and stay unique.
        try await client.query(
            """
            INSERT INTO organisations (id, kind, name, uscc, certification)
            SELECT \(enterpriseIDPrefix) || i, 'enterprise', '压测企业 ' || i, '9L' || lpad(i::text, 16, '0'), 'certified'
            FROM generate_series(1, \(count)) AS i
            ON CONFLICT DO NOTHING
            """, logger: logger)
        // Each enterprise's main account: a session check that asks PostgreSQL (LiveSessions: the
        // feed unread, stale or naming the user) reads the token's user, and without its row the
        // token answers 401 session_revoked.
        try await client.query(
            """
            INSERT INTO users (id, org_id, username, password_hash, role, is_main, permissions)
            SELECT \(enterpriseUserPrefix) || i, \(enterpriseIDPrefix) || i, 'load_ent_' || i, \(unusablePasswordHash), 'enterprise', true,
                   \(permissions)
            FROM generate_series(1, \(count)) AS i
            ON CONFLICT DO NOTHING
            """, logger: logger)
    }

    /// Tokens are credentials: the files are readable by their owner only.
    static func writePrivate(_ text: String, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw ValidationError("could not write \(path)")
        }
    }
}
