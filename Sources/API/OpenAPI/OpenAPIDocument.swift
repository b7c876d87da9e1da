import Crypto
import Foundation
import Hummingbird
import VoucherServices

/// The OpenAPI 3.1 document of the whole API (SPEC §9), served at `GET /openapi.json`.
///
/// How it is made: by hand, as Swift literals beside the controllers (`OpenAPIOperations+*.swift`
/// for the operations, `OpenAPISchemas.swift` for the DTOs), rendered once per process to fixed
/// bytes. Generating it from the DTO types was the alternative; it is not simple here, because
/// the answers are `Encodable` only (a schema needs an instance or a macro to reflect), several
/// routes take raw files or answer CSV, and the useful parts — roles, menus, problem codes —
/// live in handler code, not in types. What keeps the hand-written document honest is
/// `OpenAPITests`: it compares the document with `Router.routes`, Hummingbird's own list of
/// registered routes, in both directions, and checks that every `$ref` resolves.
enum OpenAPIDocument {
    /// Every operation, grouped by tag in the order the document lists them.
    static let operations: [OpenAPIOperation] =
        tagged("Service", serviceOperations)
        + tagged("Auth", authOperations)
        + tagged("Registration", registrationOperations)
        + tagged("Account", accountOperations)
        + tagged("Approvals", approvalOperations)
        + tagged("Campaigns", campaignOperations)
        + tagged("Orders", orderOperations)
        + tagged("Products", productOperations)
        + tagged("Catalogue", catalogueOperations)
        + tagged("Experts", expertOperations)
        + tagged("Redemption", redemptionOperations)
        + tagged("Finance", financeOperations)
        + tagged("Platform", platformOperations)
        + tagged("Announcements", announcementOperations)
        + tagged("Reviews", reviewOperations)
        + smallOperations
        + tagged("Web", webOperations)
        + tagged("Web", webRedemptionOperations)
        + tagged("Web", webFinanceOperations)
        + tagged("Web", webOperatorOperations)

    /// The tags in the order their operations first appear, so viewers group them that way.
    static let tags: [String] = {
        var seen: [String] = []
        for operation in operations where !seen.contains(operation.tag) { seen.append(operation.tag) }
        return seen
    }()

    private static func tagged(_ tag: String, _ operations: [OpenAPIOperation]) -> [OpenAPIOperation] {
        operations.map { operation in
            var operation = operation
            operation.tag = tag
            return operation
        }
    }

    /// The document as JSON.
    static func rendered() -> OpenAPIJSON {
        var paths: [String: [String: OpenAPIJSON]] = [:]
        for operation in operations {
            let method = operation.method.rawValue.lowercased()
            precondition(paths[operation.path]?[method] == nil, "\(operation.method) \(operation.path) is described twice")
            paths[operation.path, default: [:]][method] = operation.rendered()
        }
        return [
            "openapi": "3.1.0",
            "info": [
                "title": "VoucherRush API",
                "version": "1",
                "description": .string(description),
            ],
            "tags": .array(tags.map { ["name": .string($0)] }),
            "x-code-aliases": .object(OpenAPIErrors.aliases.mapValues { .array($0.map { .string($0) }) }),
            "paths": .object(paths.mapValues { .object($0) }),
            "components": [
                "securitySchemes": [
                    "bearer": [
                        "type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                        "description": .string(bearerDescription),
                    ]
                ],
                "schemas": .object(
                    schemas.merging(financeSchemas) { _, _ in preconditionFailure("a schema is named twice") }
                        .merging(catalogueSchemas) { _, _ in preconditionFailure("a schema is named twice") }
                        .merging(expertSchemas) { _, _ in preconditionFailure("a schema is named twice") }
                        .merging(announcementSchemas) { _, _ in preconditionFailure("a schema is named twice") }
                        .merging(reviewSchemas) { _, _ in preconditionFailure("a schema is named twice") }
                        .merging(smallSchemas) { _, _ in preconditionFailure("a schema is named twice") }),
            ],
        ]
    }

    /// The bearer scheme's description: where tokens come from, and when revocation takes effect
    /// (401 `session_revoked`, 403 `permission_denied`) with the session-change feed of issue 19.
    static let bearerDescription = """
        The access token of POST /v1/auth/login, /v1/auth/sms/login or /v1/auth/refresh. A login that has ended (logout, a replayed \
        refresh token, a password change, a deleted or disabled account) answers 401 session_revoked, and a menu permission \
        removed from a sub-account 403 permission_denied: at once on the server that made the change, and on every other server \
        after its next read of the session-change feed (every 0.5 s; a server whose reads fail for 3 s checks every request \
        against the database again), so for up to that long another server can still accept the token.
        """

    /// `info.description`: the conventions of SPEC §9 and what the `x-` extensions mean.
    static let description = """
        JSON over HTTP under /v1 (SPEC §9). Amounts are integers in fen in fields named …Fen; times are RFC 3339 \
        with an offset; ids are opaque strings; lists take page (from 1) and pageSize (default 10, at most 100) and \
        answer {items, page, pageSize, total}. Every error is application/problem+json with a stable snake_case code \
        named <subject>_<fault>, the noun first (page_invalid, order_not_found); a field absent from the request is \
        <field>_missing; a path id that does not parse is 400 id_malformed on every route, and 404 means a well-formed id that is \
        not found or not yours. A code renamed to that convention answers with its old names in aliases; x-code-aliases lists \
        them by current code. \
        Extensions: x-roles lists the roles that may call an operation (empty with security [] for a public one; a \
        bearer token sent to a public /v1 route is still verified); x-menu-permission names, by role, the menu a \
        sub-account needs (MenuPolicy); x-error-codes lists every code an operation can answer, and each error response lists its own. \
        Every answer carries X-Content-Type-Options: nosniff, X-Frame-Options: DENY, Content-Security-Policy: frame-ancestors 'none' \
        and Referrer-Policy: no-referrer, and Cache-Control: no-store unless the operation says otherwise (only this document is \
        cacheable); JSON object keys are sorted. CONNECT is answered 405 (no body) and the connection closed.
        """

    /// The rendered bytes, made once: the document does not change while the process runs.
    static let body: [UInt8] = rendered().renderedBytes()

    /// A strong validator of `body`, so clients and caches revalidate with a 304.
    static let etag: String = {
        let digest = SHA256.hash(data: body)
        return "\"" + digest.prefix(16).map { String(format: "%02x", $0) }.joined() + "\""
    }()
}

/// Serves the document without authentication.
struct OpenAPIController {
    /// A day: the document changes only with a deployment, and the ETag covers that.
    static let cacheMaxAgeSeconds = 86_400

    /// On the root router, beside /health, so no auth middleware sees it; the bytes are shared.
    func addRoutes(to router: Router<AppRequestContext>) {
        let body = OpenAPIDocument.body
        let etag = OpenAPIDocument.etag
        router.get("/openapi.json") { request, _ in
            var headers: HTTPFields = [
                .contentType: "application/json",
                .cacheControl: "public, max-age=\(Self.cacheMaxAgeSeconds)",
                .eTag: etag,
            ]
            if let match = request.headers[.ifNoneMatch],
                match.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == etag })
            {
                headers[.contentType] = nil
                return Response(status: .notModified, headers: headers)
            }
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
    }
}
