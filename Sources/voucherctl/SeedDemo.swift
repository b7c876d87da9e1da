import ArgumentParser
import HummingbirdBcrypt
import Ledger
import Logging
import VoucherConfig

/// `voucherctl seed-demo`: an operator, a certified enterprise and a certified provider with
/// known credentials, so that a fresh `ops/run` has someone to log in as. Idempotent.
struct SeedDemo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "seed-demo", abstract: "Create demo accounts (idempotent) and print their credentials.")

    @OptionGroup var options: ConfigOptions

    /// The demo's accounts. Their passwords satisfy the password policy and are printed on purpose:
    /// they are for a local demo only, and production mode refuses to seed.
    static let accounts: [(org: OrganisationRecord, username: String, password: String, role: String, phone: String)] = [
        (OrganisationRecord(id: "org_platform", kind: .platform, name: "数字化转型公共服务平台", uscc: nil, certification: .certified),
         "operator", "Operator#2026", "operator", "13800000001"),
        (OrganisationRecord(id: "org_demo_enterprise", kind: .enterprise, name: "演示制造有限公司", uscc: "91110108MA01ABCD1E", certification: .certified),
         "demo_enterprise", "Enterprise#2026", "enterprise", "13800000002"),
        (OrganisationRecord(id: "org_demo_provider", kind: .provider, name: "演示数字科技有限公司", uscc: "91310115MA1K3XY006", certification: .certified),
         "demo_provider", "Provider#2026", "provider", "13800000003"),
    ]

    func run() async throws {
        let config = try CLI.loadConfig(options)
        guard config.mode == .dev else { throw ValidationError("seed-demo runs in dev mode only; it prints passwords") }
        let logger = CLI.logger(config)
        try await CLI.withPostgres(config, logger: logger) { client in
            let repository = AccountsRepository(client: client, logger: logger)
            print("demo accounts (dev only):")
            for account in Self.accounts {
                let user = UserRecord(
                    id: "usr_" + account.username, orgID: account.org.id, username: account.username, phone: account.phone,
                    passwordHash: Bcrypt.hash(account.password, cost: 10), role: account.role, isMain: true)
                let created = try await repository.createOrganisation(account.org, mainUser: user)
                print("  \(account.role.padding(toLength: 10, withPad: " ", startingAt: 0)) username \(account.username)  password \(account.password)  (\(account.org.name))\(created ? "" : " [existed]")")
            }
        }
    }
}
