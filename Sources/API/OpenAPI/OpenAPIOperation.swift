import Hummingbird
import VoucherServices

/// One route as the document describes it. The routes' handlers stay as they are; this is the
/// description beside them, and `OpenAPITests` fails when the two disagree on any method or path.
struct OpenAPIOperation: Sendable {
    /// Who may call: anyone (no token needed), or a signed-in user of one of `roles` (any role
    /// when empty).
    enum Access: Sendable {
        case anyone
        case signedIn([Role])
    }

    /// What the request carries.
    enum Body: Sendable {
        /// A JSON object of the schema.
        case json(OpenAPIJSON)
        /// One file as the raw body, recognised by its content (magic bytes), not its name.
        case raw(mediaTypes: [String], description: String)
    }

    /// What a success answers.
    enum Answer: Sendable {
        case json(OpenAPIJSON)
        /// Bytes of one of these media types (downloads, CSV, Prometheus text).
        case media([String: OpenAPIJSON])
        case empty
    }

    /// A query or header parameter.
    struct Parameter: Sendable {
        let name: String
        let location: String
        let required: Bool
        let schema: OpenAPIJSON
        let description: String

        /// An optional (unless `required`) query parameter.
        static func query(_ name: String, _ schema: OpenAPIJSON, _ description: String, required: Bool = false) -> Parameter {
            Parameter(name: name, location: "query", required: required, schema: schema, description: description)
        }

        /// The paging of every list (SPEC §9).
        static let page = query("page", ["type": "integer", "minimum": 1, "default": 1], "Page number, from 1.")
        static let pageSize = query("pageSize", ["type": "integer", "minimum": 1, "maximum": 100, "default": 10], "Items per page, at most 100.")

        static func idempotencyKey(required: Bool, _ description: String) -> Parameter {
            Parameter(
                name: "Idempotency-Key", location: "header", required: required,
                schema: ["type": "string", "minLength": 1, "maxLength": 64], description: description)
        }
    }

    let method: HTTPRequest.Method
    /// The route template with `{name}` captures, exactly as `Router.routes` prints it.
    let path: String
    let id: String
    let summary: String
    let access: Access
    var body: Body?
    var parameters: [Parameter]
    var status: Int
    var answer: Answer
    /// Another success status with the same answer (200 for an idempotent replay of a 201).
    var replayStatus: Int?
    /// The stable `code`s this operation answers besides the ones every route of its kind shares
    /// (see `OpenAPIErrors.shared`).
    var errors: [String]
    var tag = ""

    init(
        _ method: HTTPRequest.Method, _ path: String, id: String, summary: String, access: Access,
        body: Body? = nil, parameters: [Parameter] = [], status: Int = 200,
        answer: Answer, replayStatus: Int? = nil, errors: [String] = []
    ) {
        self.method = method
        self.path = path
        self.id = id
        self.summary = summary
        self.access = access
        self.body = body
        self.parameters = parameters
        self.status = status
        self.answer = answer
        self.replayStatus = replayStatus
        self.errors = errors
    }

    /// The menu a sub-account of each role needs for this route (SPEC §7), as `MenuPolicy` — the
    /// table `AuthMiddleware` enforces — decides it. Only enterprises and providers have
    /// sub-accounts; the other roles' accounts hold every menu.
    var menus: [Role: MenuPermission] {
        guard case .signedIn(let roles) = access else { return [:] }
        var menus: [Role: MenuPermission] = [:]
        for role in roles.isEmpty ? Role.allCases : roles where role == .enterprise || role == .provider {
            if case .menu(let menu)? = MenuPolicy.decision(route: path, role: role) { menus[role] = menu }
        }
        return menus
    }

    /// The `{name}` captures of the path, in order.
    var pathParameters: [String] {
        path.split(separator: "/").compactMap { segment in
            segment.hasPrefix("{") && segment.hasSuffix("}") ? String(segment.dropFirst().dropLast()) : nil
        }
    }
}
