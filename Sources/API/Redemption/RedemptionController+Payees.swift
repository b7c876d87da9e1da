import Foundation
import Hummingbird
import PostgresStore
import VoucherCore
import VoucherServices

/// Payee-account edit and history (guide §1.5: 服务商可以根据需要修改自己的银行收款账号):
///
/// - `GET /v1/provider/payee-accounts/{id}` (provider) one account with the versions its edits replaced
/// - `PUT /v1/provider/payee-accounts/{id}` (provider) `{bank, accountName, accountNumber}` edits an active account;
///   the old version is kept and batches filed before keep their snapshot of it
extension RedemptionController {
    func payee(_ request: Request, _ context: AppRequestContext) async throws -> PayeeDetailDTO {
        let identity = try context.requireIdentity(.provider)
        let id = try Self.payeeID(context)
        guard let (account, history) = try await env.payees.account(id: id, orgID: identity.orgID) else {
            throw RedemptionError.accountNotFound
        }
        return PayeeDetailDTO(account: PayeeDTO(account), history: history.map(PayeeDetailDTO.Version.init))
    }

    func editPayee(_ request: Request, _ context: AppRequestContext) async throws -> PayeeDTO {
        let identity = try context.requireIdentity(.provider)
        let id = try Self.payeeID(context)
        try await env.certification.require(identity, for: .payeeAccounts)
        var request = request
        let body = try await request.decodeJSON(as: PayeeBody.self, context: context)
        let account = try await env.payees.edit(
            id: id, orgID: identity.orgID, bank: body.bank, accountName: body.accountName, accountNumber: body.accountNumber,
            by: identity.userID, now: env.clock.now())
        return PayeeDTO(account)
    }

    /// The path's payee-account id; garbage is a 400 `id_malformed` (no database round trip).
    static func payeeID(_ context: AppRequestContext) throws -> String {
        let id = context.parameters.get("id") ?? ""
        try OpaqueID.validate(id, prefix: PayeeAccountsRepository.idPrefix)
        return id
    }
}

/// A payee account with the versions its edits replaced, newest first.
struct PayeeDetailDTO: ResponseEncodable, Sendable {
    struct Version: Encodable, Sendable {
        let version: Int
        let bank: String
        let accountName: String
        let accountNumber: String
        let validFrom: Date
        let replacedAt: Date
        let replacedBy: String

        init(_ record: PayeeAccountVersion) {
            version = record.version
            bank = record.bank
            accountName = record.accountName
            accountNumber = record.accountNumber
            validFrom = record.validFrom
            replacedAt = record.replacedAt
            replacedBy = record.replacedBy
        }
    }

    let account: PayeeDTO
    let history: [Version]
}
