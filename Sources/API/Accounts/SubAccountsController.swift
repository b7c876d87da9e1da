import Foundation
import Hummingbird
import PostgresStore
import VoucherCore
import VoucherServices

/// Sub-accounts of a certified organisation, managed by its main account (用户管理, SPEC §7).
///
/// - `GET /v1/subaccounts` list (page, pageSize)
/// - `POST /v1/subaccounts` add: username 6–30 fixed forever, phone unique in the organisation, e-mail, password, permissions
/// - `GET /v1/subaccounts/{id}` one
/// - `PATCH /v1/subaccounts/{id}` edit phone and e-mail
/// - `DELETE /v1/subaccounts/{id}` delete
/// - `PUT /v1/subaccounts/{id}/password` reset the password
/// - `PUT /v1/subaccounts/{id}/permissions` menu permissions (应用内权限配置)
///
/// All: enterprise or provider main account of a certified organisation; another organisation's
/// sub-account is 404.
struct SubAccountsController {
    let env: AccountsEnvironment

    struct SubAccount: ResponseEncodable, Sendable {
        let id: String
        let username: String
        let phone: String?
        let email: String?
        let role: String
        let permissions: [String]
        let createdAt: Date?

        init(_ user: UserRecord) {
            id = user.id
            username = user.username
            phone = user.phone
            email = user.email
            role = user.role
            permissions = user.permissions
            createdAt = user.createdAt
        }
    }

    struct CreateRequest: Decodable {
        let username: String
        let phone: String
        let email: String?
        let password: String
        let passwordConfirmation: String
        let permissions: [String]?
    }

    struct UpdateRequest: Decodable {
        let phone: String?
        let email: String?
        /// Any attempt to change the username is refused rather than ignored.
        let username: String?
    }

    struct PasswordRequest: Decodable {
        let password: String
        let passwordConfirmation: String
    }

    struct PermissionsRequest: Decodable {
        let permissions: [String]
    }

    /// Sub-accounts per organisation, a bound on the list and on the work of one organisation.
    static let subAccountsPerOrganisationMax = 200

    var endpoints: RouteCollection<AppRequestContext> {
        RouteCollection(context: AppRequestContext.self)
            .get("subaccounts", use: list)
            .post("subaccounts", use: add)
            .get("subaccounts/:id", use: detail)
            .patch("subaccounts/:id", use: update)
            .delete("subaccounts/:id", use: remove)
            .put("subaccounts/:id/password", use: resetPassword)
            .put("subaccounts/:id/permissions", use: setPermissions)
    }

    func list(_ request: Request, _ context: AppRequestContext) async throws -> Page<SubAccount> {
        let identity = try manager(context)
        let page = try PageRequest(PageRequest.query(request))
        let result = try await env.subAccounts.list(orgID: identity.orgID, page: page.page, pageSize: page.pageSize)
        return Page(items: result.items.map(SubAccount.init), page: page.page, pageSize: page.pageSize, total: result.total)
    }

    func add(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try manager(context)
        var request = request
        let body = try await request.decodeJSON(as: CreateRequest.self, context: context)
        let created = try await create(body, identity)
        return try created.response(from: request, context: context).with(status: .created)
    }

    func detail(_ request: Request, _ context: AppRequestContext) async throws -> SubAccount {
        let identity = try manager(context)
        return SubAccount(try await find(context, identity))
    }

    func update(_ request: Request, _ context: AppRequestContext) async throws -> SubAccount {
        let identity = try manager(context)
        var request = request
        let body = try await request.decodeJSON(as: UpdateRequest.self, context: context)
        let current = try await find(context, identity)
        if let username = body.username, username != current.username {
            throw AccountsError.invalid("username_immutable", "A sub-account's username is fixed once created; leave it out.")
        }
        let phone =
            try body.phone.map { text in
                do { return try PhoneNumber(validating: text).digits } catch let error as any DomainErrorConvertible {
                    throw AccountsError.from(error)
                }
            } ?? current.phone ?? ""
        let email = try normalisedEmail(body.email) ?? current.email
        guard
            let updated = try await env.subAccounts.update(
                orgID: identity.orgID, id: current.id, phone: phone, email: email, now: env.clock.now())
        else { throw AccountsError.notFound }
        return SubAccount(updated)
    }

    func remove(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try manager(context)
        let current = try await find(context, identity)
        try await remove(current, identity)
        return Response(status: .noContent)
    }

    /// Deletes `current` (found in `identity`'s organisation); its logins end. The JSON route and
    /// the 用户管理 page both end here.
    func remove(_ current: UserRecord, _ identity: Identity) async throws {
        guard try await env.subAccounts.delete(orgID: identity.orgID, id: current.id, now: env.clock.now()) else {
            throw AccountsError.notFound
        }
        await env.sessionChanges.changed()
    }

    func resetPassword(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try manager(context)
        var request = request
        let body = try await request.decodeJSON(as: PasswordRequest.self, context: context)
        let current = try await find(context, identity)
        let passwords = Passwords(env: env)
        try await passwords.checkNew(
            body.password, confirmation: body.passwordConfirmation, username: current.username,
            phone: try? current.phone.map { try PhoneNumber(validating: $0) }, userID: current.id)
        guard
            try await env.credentials.setPassword(
                userID: current.id, orgID: identity.orgID, hash: try await passwords.hash(body.password), now: env.clock.now())
        else {
            throw AccountsError.notFound
        }
        await env.sessionChanges.changed()
        return Response(status: .noContent)
    }

    func setPermissions(_ request: Request, _ context: AppRequestContext) async throws -> SubAccount {
        let identity = try manager(context)
        var request = request
        let body = try await request.decodeJSON(as: PermissionsRequest.self, context: context)
        let current = try await find(context, identity)
        return SubAccount(try await setPermissions(current, identity, body.permissions))
    }

    /// Grants `current` (found in `identity`'s organisation) exactly `names`; its live logins see
    /// the change at once. The JSON route and the 用户管理 page both end here.
    func setPermissions(_ current: UserRecord, _ identity: Identity, _ names: [String]) async throws -> UserRecord {
        let permissions = try Self.permissions(names)
        guard
            let updated = try await env.subAccounts.setPermissions(
                orgID: identity.orgID, id: current.id, permissions: permissions, now: env.clock.now())
        else { throw AccountsError.notFound }
        await env.sessionChanges.changed()
        return updated
    }

    /// The main account of a certified enterprise or provider.
    func manager(_ context: AppRequestContext) throws -> Identity {
        try Self.manager(try context.requireIdentity(.enterprise, .provider))
    }

    /// `identity` when it may manage sub-accounts: the main account of a certified enterprise or
    /// provider (the role is checked by the caller).
    static func manager(_ identity: Identity) throws -> Identity {
        guard identity.isMainAccount else { throw AccountsError.mainAccountOnly }
        guard identity.certified else { throw AccountsError.certificationRequired }
        return identity
    }

    /// The sub-account named in the path, in the caller's organisation; 400 for a malformed id, 404 for another one.
    func find(_ context: AppRequestContext, _ identity: Identity) async throws -> UserRecord {
        guard let id = context.parameters.get("id"), OpaqueID.isWellFormed(id, prefix: RegistrationController.userPrefix) else {
            throw OpaqueIDError.malformed(prefix: RegistrationController.userPrefix)
        }
        return try await find(id: id, identity)
    }

    /// The sub-account `id` (well formed) in `identity`'s organisation; 404 for any other.
    func find(id: String, _ identity: Identity) async throws -> UserRecord {
        guard let user = try await env.subAccounts.find(orgID: identity.orgID, id: id) else { throw AccountsError.notFound }
        return user
    }

    /// Known menu names, each once, sorted.
    static func permissions(_ names: [String]) throws -> [String] {
        guard names.allSatisfy({ MenuPermission(rawValue: $0) != nil }), names.count <= MenuPermission.allCases.count else {
            throw AccountsError.invalid(
                "permission_invalid",
                "permissions must be some of: \(MenuPermission.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        return Array(Set(names)).sorted()
    }

    func normalisedEmail(_ email: String?) throws -> String? {
        guard let email, !email.isEmpty else { return nil }
        try OrganisationDetails.email(email)
        return email
    }

    func create(_ body: CreateRequest, _ identity: Identity) async throws -> SubAccount {
        let username: SubAccountUsername
        let phone: PhoneNumber
        do { username = try SubAccountUsername(validating: body.username) } catch { throw AccountsError.from(error) }
        do { phone = try PhoneNumber(validating: body.phone) } catch { throw AccountsError.from(error) }
        let email = try normalisedEmail(body.email)
        let permissions = try Self.permissions(body.permissions ?? [])
        let passwords = Passwords(env: env)
        try await passwords.checkNew(body.password, confirmation: body.passwordConfirmation, username: username.value, phone: phone, userID: nil)
        let existing = try await env.subAccounts.list(orgID: identity.orgID, page: 1, pageSize: 1)
        guard existing.total < Self.subAccountsPerOrganisationMax else {
            throw AccountsError.subAccountLimit(Self.subAccountsPerOrganisationMax)
        }
        let user = UserRecord(
            id: OpaqueID.make(prefix: RegistrationController.userPrefix), orgID: identity.orgID, username: username.value,
            phone: phone.digits, passwordHash: try await passwords.hash(body.password), role: identity.role.rawValue, isMain: false,
            email: email, permissions: permissions)
        try await env.subAccounts.create(user, now: env.clock.now())
        guard let stored = try await env.subAccounts.find(orgID: identity.orgID, id: user.id) else { throw AccountsError.notFound }
        return SubAccount(stored)
    }
}
