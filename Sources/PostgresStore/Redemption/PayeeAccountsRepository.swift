import Foundation
import Logging
import PostgresNIO
import VoucherCore

/// Payee accounts (收款账号) of providers in PostgreSQL.
public struct PayeeAccountsRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// Id prefix of payee accounts.
    public static let idPrefix = "pay"
    /// The one bank allowed (SPEC §5): the Agricultural Bank of China.
    public static let bankABC = "ABC"

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    static let columns = "id, org_id, bank, account_name, account_number, active, created_at, version"

    static func decode(_ rows: PostgresRowSequence) async throws -> [PayeeAccountRecord] {
        var result: [PayeeAccountRecord] = []
        for try await (id, org, bank, name, number, active, created, version) in rows.decode(
            (String, String, String, String, String, Bool, Date, Int).self)
        {
            result.append(
                PayeeAccountRecord(
                    id: id, orgID: org, bank: bank, accountName: name, accountNumber: number, active: active, createdAt: created,
                    version: version))
        }
        return result
    }

    /// The rules without I/O: ABC only, digits of a plausible length.
    public static func validate(bank: String, accountNumber: String) throws {
        guard bank == bankABC else { throw RedemptionError.bankNotAllowed }
        let digits = accountNumber.utf8
        guard (RedemptionLimits.accountDigitsMin...RedemptionLimits.accountDigitsMax).contains(digits.count),
            digits.allSatisfy({ (0x30...0x39).contains($0) })
        else { throw RedemptionError.accountNumberInvalid }
    }

    /// Adds an account after checking the name against the organisation's registered name.
    public func add(orgID: String, bank: String, accountName: String, accountNumber: String, now: Date) async throws -> PayeeAccountRecord {
        try Self.validate(bank: bank, accountNumber: accountNumber)
        let id = OpaqueID.make(prefix: Self.idPrefix)
        return try await client.transaction(logger: logger) { tx in
            let rows = try await tx.query("SELECT name FROM organisations WHERE id = \(orgID) FOR UPDATE", logger: logger)
            var registered: String?
            for try await name in rows.decode(String.self) { registered = name }
            guard let registered, registered == accountName else { throw RedemptionError.accountNameMismatch }
            var active = 0
            for try await count in try await tx.query(
                "SELECT count(*)::int FROM payee_accounts WHERE org_id = \(orgID) AND active", logger: logger
            ).decode(Int.self) {
                active = count
            }
            guard active < RedemptionLimits.payeeAccountsMax else { throw RedemptionError.accountDuplicate }
            do {
                try await tx.query(
                    """
                    INSERT INTO payee_accounts (id, org_id, bank, account_name, account_number, created_at)
                    VALUES (\(id), \(orgID), \(bank), \(accountName), \(accountNumber), \(now))
                    """, logger: logger)
            } catch let error as PSQLError where error.violatedUniqueConstraint == "payee_accounts_live_key" {
                throw RedemptionError.accountDuplicate
            }
            return PayeeAccountRecord(
                id: id, orgID: orgID, bank: bank, accountName: accountName, accountNumber: accountNumber, active: true, createdAt: now)
        }
    }

    /// One page of the organisation's accounts, active first, newest first, and how many it has.
    public func list(orgID: String, page: Int, pageSize: Int) async throws -> (items: [PayeeAccountRecord], total: Int) {
        precondition(page >= 1 && pageSize >= 1, "the API validates paging before it reaches the repository")
        return try await client.withConnection { connection in
            var total = 0
            for try await count in try await connection.query(
                "SELECT count(*)::int FROM payee_accounts WHERE org_id = \(orgID)", logger: logger
            ).decode(Int.self) {
                total = count
            }
            let items = try await Self.decode(
                connection.query(
                    """
                    SELECT \(unescaped: Self.columns) FROM payee_accounts WHERE org_id = \(orgID) ORDER BY active DESC, created_at DESC, id
                    LIMIT \(pageSize) OFFSET \((page - 1) * pageSize)
                    """, logger: logger))
            return (items, total)
        }
    }

    /// Disables an active account; batches already filed keep their snapshot of it.
    public func disable(id: String, orgID: String, now: Date) async throws -> PayeeAccountRecord {
        let rows = try await client.query(
            """
            UPDATE payee_accounts SET active = false, disabled_at = \(now) WHERE id = \(id) AND org_id = \(orgID) AND active
            RETURNING \(unescaped: Self.columns)
            """, logger: logger)
        guard let record = try await Self.decode(rows).first else { throw RedemptionError.accountNotFound }
        return record
    }
}
