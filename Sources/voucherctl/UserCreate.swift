import ArgumentParser
import Foundation
import Logging
import VoucherConfig
import VoucherServices

/// `voucherctl user create`: operator-side accounts (operator, expert, authority, auditor,
/// finance) exist only through this command, never through self-registration (SPEC §1).
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage operator-side accounts.", subcommands: [UserCreate.self])
}

/// Creates one operator-side account under the platform organisation, with the password policy.
struct UserCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create an operator, expert, authority, auditor or finance account.",
        discussion: "The password is read from VOUCHER_NEW_PASSWORD, so it stays out of the shell history.")

    @OptionGroup var options: ConfigOptions

    @Option(help: "operator, expert, authority, auditor or finance.")
    var role: String

    @Option(help: "6–30 letters, digits or underscores; fixed once created.")
    var username: String

    @Option(help: "Mainland mobile number, 11 digits starting with 1.")
    var phone: String

    /// The environment variable the password comes from.
    static let passwordVariable = "VOUCHER_NEW_PASSWORD"

    func run() async throws {
        guard let role = Role(rawValue: role), AccountsProvisioning.platformRoles.contains(role) else {
            throw ValidationError("--role must be one of \(AccountsProvisioning.platformRoles.map(\.rawValue).joined(separator: ", "))")
        }
        guard let password = ProcessInfo.processInfo.environment[Self.passwordVariable], !password.isEmpty else {
            throw ValidationError("set \(Self.passwordVariable) to the new account's password")
        }
        let config = try CLI.loadConfig(options)
        let logger = CLI.logger(config)
        let (username, phone) = (self.username, self.phone)
        let created = try await CLI.withPostgres(config, logger: logger) { client in
            let provisioning = await AccountsProvisioning(config: config, postgres: client, logger: logger)
            do {
                return try await provisioning.createPlatformUser(role: role, username: username, phone: phone, password: password)
            } catch let refusal as AccountsProvisioning.Refusal {
                throw ValidationError(refusal.description)
            }
        }
        print(created ? "created \(role.rawValue) account \(username)" : "an account named \(username) exists already; nothing changed")
    }
}
