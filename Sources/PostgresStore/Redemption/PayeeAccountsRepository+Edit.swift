import Foundation
import Logging
import PostgresNIO
import VoucherCore

/// A version of a payee account that an edit replaced (migration 0017): kept for good, so what
/// an account said at any moment can be read back.
public struct PayeeAccountVersion: Sendable, Equatable {
    public let version: Int
    public let bank: String
    public let accountName: String
    public let accountNumber: String
    /// When this version became the account's (its creation, or the edit that made it).
    public let validFrom: Date
    public let replacedAt: Date
    /// The user whose edit replaced it.
    public let replacedBy: String
}

extension PayeeAccountsRepository {
    /// Versions a detail lists at most, newest first.
    public static let historyVersionsMax = 100

    /// Edits an active account (§1.5: 服务商可以根据需要修改自己的银行收款账号) under the rules of `add`.
    /// The version it replaces goes to the history first, in the same transaction; batches filed
    /// before keep the name and number they snapshotted (and the version they name). Sending the
    /// current values again changes nothing and writes no version.
    public func edit(
        id: String, orgID: String, bank: String, accountName: String, accountNumber: String, by userID: String, now: Date
    ) async throws -> PayeeAccountRecord {
        try Self.validate(bank: bank, accountNumber: accountNumber)
        return try await client.transaction(logger: logger) { tx in
            let rows = try await tx.query(
                """
                SELECT \(unescaped: Self.columns) FROM payee_accounts WHERE id = \(id) AND org_id = \(orgID) AND active FOR UPDATE
                """, logger: logger)
            guard let current = try await Self.decode(rows).first else { throw RedemptionError.accountNotFound }
            if current.bank == bank && current.accountName == accountName && current.accountNumber == accountNumber { return current }
            var registered: String?
            for try await name in try await tx.query("SELECT name FROM organisations WHERE id = \(orgID)", logger: logger).decode(String.self) {
                registered = name
            }
            guard let registered, registered == accountName else { throw RedemptionError.accountNameMismatch }
            try await tx.query(
                """
                INSERT INTO payee_account_history (account_id, version, bank, account_name, account_number, valid_from, replaced_at, replaced_by)
                SELECT id, version, bank, account_name, account_number, coalesce(updated_at, created_at), \(now), \(userID)
                FROM payee_accounts WHERE id = \(id)
                """, logger: logger)
            let updated: [PayeeAccountRecord]
            do {
                updated = try await Self.decode(
                    tx.query(
                        """
                        UPDATE payee_accounts SET bank = \(bank), account_name = \(accountName), account_number = \(accountNumber),
                            version = version + 1, updated_at = \(now)
                        WHERE id = \(id) RETURNING \(unescaped: Self.columns)
                        """, logger: logger))
            } catch let error as PSQLError where error.violatedUniqueConstraint == "payee_accounts_live_key" {
                throw RedemptionError.accountDuplicate
            }
            guard let record = updated.first else { throw RedemptionError.accountNotFound }
            precondition(record.version == current.version + 1, "an edit makes exactly one new version")
            return record
        }
    }

    /// One account of the organisation (active or disabled) with the versions edits replaced,
    /// newest first; nil when it is not the organisation's.
    public func account(id: String, orgID: String) async throws -> (account: PayeeAccountRecord, history: [PayeeAccountVersion])? {
        try await client.withConnection { connection in
            let rows = try await connection.query(
                "SELECT \(unescaped: Self.columns) FROM payee_accounts WHERE id = \(id) AND org_id = \(orgID)", logger: logger)
            guard let account = try await Self.decode(rows).first else { return nil }
            var history: [PayeeAccountVersion] = []
            for try await (version, bank, name, number, from, replaced, by) in try await connection.query(
                """
                SELECT version, bank, account_name, account_number, valid_from, replaced_at, replaced_by FROM payee_account_history
                WHERE account_id = \(id) ORDER BY version DESC LIMIT \(Self.historyVersionsMax)
                """, logger: logger
            ).decode((Int, String, String, String, Date, Date, String).self) {
                history.append(
                    PayeeAccountVersion(
                        version: version, bank: bank, accountName: name, accountNumber: number, validFrom: from, replacedAt: replaced,
                        replacedBy: by))
            }
            return (account, history)
        }
    }
}
