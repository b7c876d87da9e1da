import Foundation
import Hummingbird
import PostgresStore
import VoucherCore
import VoucherServices

/// Login by password or SMS code, token refresh and logout (SPEC §7).
///
/// - `POST /v1/auth/login` username + password → tokens (throttled per account and address)
/// - `POST /v1/auth/sms/send` phone → a 6-digit code by SMS (limited sends per phone)
/// - `POST /v1/auth/sms/login` phone + code (+ username when the phone has several accounts) → tokens
/// - `POST /v1/auth/refresh` refresh token → the next pair (the old one is spent)
/// - `POST /v1/auth/logout` refresh token → its whole login is revoked
struct AuthController {
    let env: AccountsEnvironment

    struct LoginRequest: Decodable {
        let username: String
        let password: String
    }

    struct SMSSendRequest: Decodable {
        let phone: String
    }

    struct SMSSendResponse: ResponseEncodable {
        let sent: Bool
        let expiresIn: Int
    }

    struct SMSLoginRequest: Decodable {
        let phone: String
        let code: String
        let username: String?
    }

    struct RefreshRequest: Decodable {
        let refreshToken: String
    }

    /// One answer for unknown users and wrong passwords, so the answer does not reveal which.
    static let badCredentials = Problem(
        .unauthorized, code: "credentials_invalid",
        detail: "The username or password is wrong. Check both and try again.")
    static let badCode = Problem(
        .unauthorized, code: "sms_code_invalid",
        detail: "The SMS code is wrong, used or expired. Check it, or ask for a new code.")

    var endpoints: RouteCollection<AppRequestContext> {
        RouteCollection(context: AppRequestContext.self)
            .post("auth/login", use: login)
            .post("auth/sms/send", use: sendCode)
            .post("auth/sms/login", use: smsLogin)
            .post("auth/refresh", use: refresh)
            .post("auth/logout", use: logout)
    }

    func refresh(_ request: Request, _ context: AppRequestContext) async throws -> TokenResponse {
        var request = request
        let body = try await request.decodeJSON(as: RefreshRequest.self, context: context)
        guard !body.refreshToken.isEmpty, body.refreshToken.utf8.count <= 128 else { throw AuthProblem.invalidRefreshToken }
        return try await Sessions(env: env).refresh(body.refreshToken)
    }

    func logout(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        var request = request
        let body = try await request.decodeJSON(as: RefreshRequest.self, context: context)
        if !body.refreshToken.isEmpty, body.refreshToken.utf8.count <= 128 {
            try await env.credentials.revokeFamily(tokenHash: Secrets.sha256Hex(body.refreshToken), now: env.clock.now())
            await env.sessionChanges.changed()
        }
        return Response(status: .noContent)
    }

    func login(_ request: Request, _ context: AppRequestContext) async throws -> TokenResponse {
        var request = request
        let body = try await request.decodeJSON(as: LoginRequest.self, context: context)
        let user = try await Self.authenticate(
            env, username: body.username, password: body.password, address: LoginThrottle.clientAddress(request, context))
        return try await Sessions(env: env).start(for: user)
    }

    /// The password login's rule, shared by the JSON login and the web login page: bounded
    /// credentials, the throttle per account and address, one answer for unknown users and wrong
    /// passwords.
    static func authenticate(_ env: AccountsEnvironment, username: String, password: String, address: String?) async throws -> UserRecord {
        guard !username.isEmpty, username.count <= AccountsLimits.credentialLengthMax,
            !password.isEmpty, password.count <= AccountsLimits.credentialLengthMax
        else {
            throw Self.badCredentials
        }
        let throttle = LoginThrottle(env: env)
        try await throttle.check(username: username, address: address)
        let user = try await env.accounts.user(username: username)
        let matches = try await Passwords(env: env).verify(password, hash: user?.passwordHash)
        guard let user, matches else {
            try await throttle.failed(username: username, address: address)
            throw Self.badCredentials
        }
        try await throttle.succeeded(username: username)
        return user
    }

    func sendCode(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        var request = request
        let body = try await request.decodeJSON(as: SMSSendRequest.self, context: context)
        try await Self.sendLoginCode(env, phone: body.phone)
        return try SMSSendResponse(sent: true, expiresIn: AccountsLimits.smsCodeLifetimeSeconds)
            .response(from: request, context: context).with(status: .accepted)
    }

    /// The SMS login's send rule, shared by the JSON route and the web login page: a valid phone,
    /// the per-phone send limits, and the same outcome whether or not the phone has an account (so
    /// it reveals none); only phones with an account are sent (and charged) a code.
    static func sendLoginCode(_ env: AccountsEnvironment, phone text: String) async throws {
        let phone: PhoneNumber
        do { phone = try PhoneNumber(validating: text) } catch { throw AccountsError.from(error) }
        try await Self.issueCode(env, to: phone, deliver: try await !env.accounts.users(phone: phone.digits).isEmpty)
    }

    static func tooManySends(_ retry: Int, _ reason: String) -> Problem {
        Problem(
            .tooManyRequests, code: "sms_rate_limited", detail: "\(reason). Wait \(retry) seconds before asking again.",
            headers: [.retryAfter: String(retry)], extensions: ["retryAfterSeconds": .int(Int64(retry))])
    }

    func smsLogin(_ request: Request, _ context: AppRequestContext) async throws -> TokenResponse {
        var request = request
        let body = try await request.decodeJSON(as: SMSLoginRequest.self, context: context)
        let user = try await Self.authenticateBySMS(env, phone: body.phone, code: body.code, username: body.username)
        return try await Sessions(env: env).start(for: user)
    }

    /// The SMS login's rule, shared by the JSON route and the web login page: a valid phone and a
    /// code of the right shape, the username when the phone has several accounts (asked before the
    /// code is spent), and the code checked with its bounded guesses.
    static func authenticateBySMS(_ env: AccountsEnvironment, phone text: String, code: String, username: String?) async throws -> UserRecord {
        let phone: PhoneNumber
        do { phone = try PhoneNumber(validating: text) } catch { throw AccountsError.from(error) }
        guard code.utf8.count == AccountsLimits.smsCodeDigits, code.utf8.allSatisfy({ (48...57).contains($0) }) else {
            throw AccountsError.invalid("sms_code_malformed", "The SMS code has \(AccountsLimits.smsCodeDigits) digits; type it as received.")
        }
        let users = try await env.accounts.users(phone: phone.digits)
        let chosen = username.map { name in users.filter { $0.username.lowercased() == name.lowercased() } } ?? users
        // Ask for the username before the code is spent, so the user can retry with the same code.
        guard chosen.count <= 1 else {
            throw Problem(
                .conflict, code: "phone_ambiguous",
                detail: "Several accounts use this phone. Send the username with the code, or log in with the password.")
        }
        let check = try await env.credentials.checkSMSCode(
            phone: phone.digits, codeHash: Secrets.smsCodeHash(phone: phone.digits, code: code),
            now: env.clock.now(), attemptsMax: AccountsLimits.smsAttemptsMax)
        switch check {
        case .accepted: break
        case .wrong(let left):
            var problem = Self.badCode
            problem.extensions["attemptsLeft"] = .int(Int64(left))
            throw problem
        case .noLiveCode: throw Self.badCode
        }
        guard let user = chosen.first else { throw Self.badCode }
        return user
    }
}

extension Response {
    /// The same response with another status (202 for an accepted send).
    func with(status: HTTPResponse.Status) -> Response {
        var response = self
        response.status = status
        return response
    }
}
