import Foundation
import Hummingbird
import PostgresStore
import VoucherCore
import VoucherServices

/// The signed-in user's own account.
///
/// - `GET /v1/account/me` (any role) who I am, my organisation and its certification
/// - `PUT /v1/account/password` (any role) change my password (current one required; policy and history)
struct AccountController {
    let env: AccountsEnvironment

    struct MeResponse: ResponseEncodable {
        let userId: String
        let username: String
        let phone: String?
        let email: String?
        let role: String
        let mainAccount: Bool
        let permissions: [String]
        let organisationId: String
        let organisationName: String
        let certification: String
    }

    struct ChangePasswordRequest: Decodable {
        let currentPassword: String
        let newPassword: String
        let newPasswordConfirmation: String
    }

    var endpoints: RouteCollection<AppRequestContext> {
        RouteCollection(context: AppRequestContext.self)
            .get("account/me", use: me)
            .put("account/password", use: changePassword)
    }

    func me(_ request: Request, _ context: AppRequestContext) async throws -> MeResponse {
        let identity = try context.requireIdentity()
        guard let user = try await env.accounts.user(id: identity.userID),
            let organisation = try await env.accounts.organisation(id: identity.orgID)
        else { throw AuthProblem.invalidToken }
        return MeResponse(
            userId: user.id, username: user.username, phone: user.phone, email: user.email, role: user.role,
            mainAccount: user.isMain, permissions: identity.permissions, organisationId: organisation.id,
            organisationName: organisation.name, certification: organisation.certification.rawValue)
    }

    func changePassword(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        var request = request
        let body = try await request.decodeJSON(as: ChangePasswordRequest.self, context: context)
        try await changePassword(identity, body)
        return Response(status: .noContent)
    }

    /// Changes `identity`'s password: the current one must match, the new one meets the policy and
    /// history; every login of the user ends (its refresh tokens, so its web sessions too). The
    /// JSON route and the 修改密码 page both end here.
    func changePassword(_ identity: Identity, _ body: ChangePasswordRequest) async throws {
        guard let user = try await env.accounts.user(id: identity.userID) else { throw AuthProblem.invalidToken }
        let passwords = Passwords(env: env)
        guard body.currentPassword.count <= AccountsLimits.credentialLengthMax,
            try await passwords.verify(body.currentPassword, hash: user.passwordHash)
        else {
            throw AccountsError.wrongCurrentPassword
        }
        try await passwords.checkNew(
            body.newPassword, confirmation: body.newPasswordConfirmation, username: user.username,
            phone: try? user.phone.map { try PhoneNumber(validating: $0) }, userID: user.id)
        _ = try await env.credentials.setPassword(
            userID: user.id, orgID: user.orgID, hash: try await passwords.hash(body.newPassword), now: env.clock.now())
        await env.sessionChanges.changed()
    }
}
