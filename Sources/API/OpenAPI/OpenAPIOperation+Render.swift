import Hummingbird
import VoucherServices

extension OpenAPIOperation {
    /// The Operation Object of OpenAPI 3.1, with the project's extensions: `x-roles` (who may
    /// call; empty for a public route), `x-menu-permission` (the menu a sub-account of a role
    /// needs, by role), and `x-error-codes` (every stable
    /// `code` the operation can answer, also listed per error response).
    func rendered() -> OpenAPIJSON {
        var operation: [String: OpenAPIJSON] = [
            "operationId": .string(id),
            "summary": .string(summary),
            "tags": [.string(tag)],
            "responses": .object(responses()),
        ]
        switch access {
        case .anyone:
            operation["security"] = []
            operation["x-roles"] = []
        case .signedIn(let roles):
            operation["security"] = [["bearer": []]]
            operation["x-roles"] = .array((roles.isEmpty ? Role.allCases : roles).map { .string($0.rawValue) })
        }
        let menus = self.menus
        if !menus.isEmpty {
            operation["x-menu-permission"] = .object(Dictionary(uniqueKeysWithValues: menus.map { ($0.key.rawValue, .string($0.value.rawValue)) }))
        }
        let parameters =
            pathParameters.map { name -> OpenAPIJSON in
                ["name": .string(name), "in": "path", "required": true, "schema": Schema.string]
            }
            + self.parameters.map { parameter -> OpenAPIJSON in
                [
                    "name": .string(parameter.name), "in": .string(parameter.location), "required": .bool(parameter.required),
                    "schema": parameter.schema, "description": .string(parameter.description),
                ]
            }
        if !parameters.isEmpty { operation["parameters"] = .array(parameters) }
        switch body {
        case .json(let schema)?:
            operation["requestBody"] = ["required": true, "content": ["application/json": ["schema": schema]]]
        case .raw(let mediaTypes, let description)?:
            var content: [String: OpenAPIJSON] = [:]
            for mediaType in mediaTypes { content[mediaType] = ["schema": ["type": "string", "contentMediaType": .string(mediaType)]] }
            operation["requestBody"] = ["required": true, "description": .string(description), "content": .object(content)]
        case nil:
            break
        }
        operation["x-error-codes"] = .array(allErrorCodes.map { .string($0) })
        return .object(operation)
    }

    /// This operation's codes and the shared ones, each once, sorted.
    var allErrorCodes: [String] {
        Array(Set(errors + OpenAPIErrors.shared(for: self))).sorted()
    }

    private func responses() -> [String: OpenAPIJSON] {
        var responses: [String: OpenAPIJSON] = [String(status): success(status)]
        if let replayStatus { responses[String(replayStatus)] = success(replayStatus) }
        var codesByStatus: [Int: [String]] = [:]
        for code in allErrorCodes {
            guard let status = OpenAPIErrors.statusByCode[code] else {
                preconditionFailure("operation \(id) names problem code \(code), which OpenAPIErrors does not list")
            }
            codesByStatus[status, default: []].append(code)
        }
        for (status, codes) in codesByStatus {
            var response: [String: OpenAPIJSON] = [
                "description": .string(Self.reason(status)),
                "content": [Problem.contentType: ["schema": Schema.ref("Problem")]],
                "x-error-codes": .array(codes.map { .string($0) }),
            ]
            switch status {
            case 401:
                response["headers"] = ["WWW-Authenticate": ["description": "Bearer, with the error when a token was sent.", "schema": Schema.string]]
            case 429, 503: response["headers"] = ["Retry-After": ["description": "Seconds to wait before retrying.", "schema": Schema.int]]
            default: break
            }
            responses[String(status)] = .object(response)
        }
        return responses
    }

    private func success(_ status: Int) -> OpenAPIJSON {
        var response: [String: OpenAPIJSON] = ["description": .string(Self.reason(status))]
        switch answer {
        case .json(let schema): response["content"] = ["application/json": ["schema": schema]]
        case .media(let types): response["content"] = .object(types.mapValues { ["schema": $0] })
        case .empty: break
        }
        return .object(response)
    }

    /// Response descriptions (`HTTPResponse.Status(code:)` carries no reason phrase).
    static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 201: "Created"
        case 202: "Accepted"
        case 204: "No Content"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 409: "Conflict"
        case 413: "Content Too Large"
        case 415: "Unsupported Media Type"
        case 422: "Unprocessable Content"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 503: "Service Unavailable"
        default: "Status \(status)"
        }
    }
}
