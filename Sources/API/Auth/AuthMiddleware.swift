import Hummingbird
import VoucherServices

/// Verifies a bearer token when one is sent and records the identity in the context. Routes
/// decide whether they need one (`context.requireIdentity`), so public routes stay public.
/// A sub-account's token is then held to the menu of the route (`MenuPolicy`), here, because
/// every router that reads a token passes through this middleware. Before that, the token's
/// login and user are checked as they are now (`LiveSessions`), so revocation is immediate.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let tokens: TokenService
    let sessions: LiveSessions

    func handle(_ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response) async throws -> Response
    {
        guard let header = try Self.authorization(request.headers) else { return try await next(request, context) }
        guard Self.isBearer(header) else { throw AuthProblem.invalidToken }
        var context = context
        let route = context.endpointPath
        let isGrab = route.map(Self.isGrabRoute) ?? false
        let identity = try await sessions.current(try await tokens.verify(String(header.dropFirst(7))), outageTolerant: isGrab)
        try MenuPolicy.enforce(identity, route: route)
        context.identity = identity
        return try await next(request, context)
    }

    /// `Bearer ` (the word in any case) and at least one more byte. Byte checks, as on every
    /// request: the Foundation forms (`lowercased`, `contains`) allocated and bridged per call.
    static func isBearer(_ header: String) -> Bool {
        let bytes = header.utf8
        guard bytes.count > 7 else { return false }
        return zip(bytes.prefix(7), "bearer ".utf8).allSatisfy { byte, expected in
            byte == expected || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") && byte + 32 == expected)
        }
    }

    /// The one `Authorization` value, nil when none is sent; more than one is an invalid token
    /// (as their comma-joined form always was). A scan of the fields: `headers[name]` joins the
    /// values through a lazy generic sequence, which showed in the sold-out answer's profile.
    static func authorization(_ headers: HTTPFields) throws -> String? {
        var found: String?
        for field in headers where field.name == .authorization {
            guard found == nil else { throw AuthProblem.invalidToken }
            found = field.value
        }
        return found
    }

    /// The grab route (`/v1/campaigns/{campaignID}/lots/{lotID}/grab`), which keeps the outage rule.
    /// Bytes only: `utf8.firstRange(of:)` is the generic string-processing searcher, and it was
    /// 8.8 % of the sold-out answer's task CPU (every request with a token paid it).
    static func isGrabRoute(_ route: String) -> Bool {
        route.utf8.suffix(5).elementsEqual("/grab".utf8) && ByteScan.firstOffset(of: "campaigns/", in: route) != nil
    }
}

extension AppRequestContext {
    /// The caller's identity, or 401 when no valid token was sent; with `roles`, 403 for others.
    func requireIdentity(_ roles: Role...) throws -> Identity {
        guard let identity else { throw AuthProblem.missingToken }
        guard roles.isEmpty || roles.contains(identity.role) else { throw AuthProblem.wrongRole(roles) }
        return identity
    }
}
