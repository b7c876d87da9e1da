import Foundation
import Hummingbird
import HummingbirdBcrypt
import Ledger
import NIOPosix

/// `POST /v1/auth/login`: username and password for an access token.
struct AuthController {
    let accounts: AccountsRepository
    let tokens: TokenService

    struct LoginRequest: Decodable {
        let username: String
        let password: String
    }

    struct TokenResponse: ResponseEncodable {
        let accessToken: String
        let tokenType: String
        let expiresIn: Int
        let role: String
        let organisationId: String
    }

    /// One answer for unknown users and wrong passwords, so the answer does not reveal which.
    static let badCredentials = Problem(
        .unauthorized, code: "invalid_credentials",
        detail: "The username or password is wrong. Check both and try again.")

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("auth/login") { request, context in
            try await login(request, context)
        }
    }

    func login(_ request: Request, _ context: AppRequestContext) async throws -> TokenResponse {
        let body = try await request.decode(as: LoginRequest.self, context: context)
        guard !body.username.isEmpty, body.username.count <= 64, !body.password.isEmpty, body.password.count <= 72 else {
            throw Self.badCredentials
        }
        guard let user = try await accounts.user(username: body.username) else { throw Self.badCredentials }
        // bcrypt is slow on purpose: keep it off the event loop.
        let hash = user.passwordHash
        let password = body.password
        let matches = try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
        guard matches, let role = Role(rawValue: user.role),
              let organisation = try await accounts.organisation(id: user.orgID) else { throw Self.badCredentials }
        let identity = Identity(
            userID: user.id, orgID: user.orgID, role: role,
            certified: organisation.certification == .certified, permissions: user.isMain ? ["*"] : [])
        let token = try await tokens.issueAccessToken(for: identity)
        return TokenResponse(accessToken: token, tokenType: "Bearer", expiresIn: tokens.accessTokenLifetimeSeconds, role: role.rawValue, organisationId: user.orgID)
    }
}
