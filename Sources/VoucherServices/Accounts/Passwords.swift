import HummingbirdBcrypt
import NIOPosix
import VoucherCore

/// Hashing, verification and the full password rule (SPEC §7), used wherever a password is set:
/// registration, sub-account creation, reset, change, and `voucherctl user create`.
package struct Passwords: Sendable {
    package let env: AccountsEnvironment

    package init(env: AccountsEnvironment) {
        self.env = env
    }

    /// bcrypt is slow on purpose; it runs on the thread pool, never on the event loop.
    package func hash(_ password: String) async throws -> String {
        let cost = env.bcryptCost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    /// Checks a password against a stored hash. Without a hash (unknown user) it spends the same
    /// bcrypt time and answers false, so timing does not reveal which usernames exist.
    package func verify(_ password: String, hash: String?) async throws -> Bool {
        let cost = env.bcryptCost
        return try await NIOThreadPool.singleton.runIfActive {
            guard let hash else {
                _ = Bcrypt.hash(password, cost: cost)
                return false
            }
            return Bcrypt.verify(password, hash: hash)
        }
    }

    /// Checks a new password: both copies equal, the policy, and — for an existing user — not
    /// the current password nor one of the five before it. Throws the problem to answer.
    package func checkNew(_ password: String, confirmation: String, username: String, phone: PhoneNumber?, userID: String?) async throws {
        guard password == confirmation else { throw AccountsError.passwordMismatch }
        do {
            try PasswordPolicy.check(password, username: username, phone: phone)
        } catch {
            throw AccountsError.from(error)
        }
        guard let userID else { return }
        let recent = try await env.credentials.recentPasswordHashes(userID: userID, limit: AccountsLimits.passwordHashesCompared)
        let candidate = password
        let reused = try await NIOThreadPool.singleton.runIfActive {
            recent.contains { Bcrypt.verify(candidate, hash: $0) }
        }
        if reused { throw AccountsError.from(PasswordPolicyError.reused) }
    }
}
