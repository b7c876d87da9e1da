import Foundation
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import TestSupport
import Testing
import VoucherConfig
import VoucherServices

@testable import API

/// Generated text sent to every text field of every operation of the OpenAPI document — JSON body
/// strings (one field at a time, the others kept valid so later checks are reached), path
/// captures and query parameters — over a real socket against real stores: whatever the text, the
/// answer is never a 5xx. Seeded and bounded (a few hundred requests), so a failure reproduces.
@Suite struct EdgeFuzzTests {
    static let seed: UInt64 = 20_261_203
    /// Requests per text field, each with the next kind of text in turn.
    static let kindsPerField = 3

    /// A JSON string given as its escaped text, for what a Swift `String` cannot hold (a lone surrogate).
    struct RawJSONString {
        let escaped: String
    }

    /// The kinds of generated text, taken in turn so each field meets several.
    enum Kind: CaseIterable {
        case nul, loneHigh, loneLow, long, unicode, hostile

        /// The value for a JSON body (`RawJSONString` for escapes) and the text for a URI.
        func make(_ random: inout SplitMix64) -> (json: Any, uri: String) {
            switch self {
            case .nul:
                let text = EdgeFuzzTests.unicode(&random, count: 6) + "\u{0}" + EdgeFuzzTests.unicode(&random, count: 3)
                return (text, text)
            case .loneHigh:
                return (RawJSONString(escaped: "ab\\ud800" + (Bool.random(using: &random) ? "c" : "")), "ab%ED%A0%80c")
            case .loneLow:
                return (RawJSONString(escaped: "\\udfff\\u0041"), "%ED%BF%BFA")
            case .long:
                let unit = ["a", "数", "🎫", "é"].randomElement(using: &random)!
                let text = String(repeating: unit, count: 100_000)
                return (text, String(text.prefix(1_000)))
            case .unicode:
                let text = EdgeFuzzTests.unicode(&random, count: Int.random(in: 1...40, using: &random))
                return (text, text)
            case .hostile:
                let text = ["' OR 1=1 --", "%s%n%x", "../../etc/passwd", "\u{FEFF}\u{202E}abc", "\u{FFFF}\u{FFFE}", "\\", "\"", "\u{1}\u{1F}"]
                    .randomElement(using: &random)!
                return (text, text)
            }
        }
    }

    /// Random scalars from ranges that break naive code: controls, quotes, Latin, combining
    /// marks, right-to-left, CJK, private use, emoji, noncharacters.
    static func unicode(_ random: inout SplitMix64, count: Int) -> String {
        let ranges: [ClosedRange<UInt32>] = [
            0x01...0x1F, 0x20...0x7E, 0xA0...0x24F, 0x300...0x36F, 0x590...0x6FF, 0x4E00...0x9FFF, 0xE000...0xF8FF,
            0xFFF0...0xFFFF, 0x1F300...0x1FAFF, 0x10FFF0...0x10FFFF,
        ]
        var scalars = String.UnicodeScalarView()
        for _ in 0..<count {
            let range = ranges.randomElement(using: &random)!
            if let scalar = Unicode.Scalar(UInt32.random(in: range, using: &random)) { scalars.append(scalar) }
        }
        return String(scalars)
    }

    /// JSON text of a sample value, with `RawJSONString` leaves written as they are.
    static func json(_ value: Any) -> String {
        switch value {
        case let raw as RawJSONString: return "\"\(raw.escaped)\""
        case let text as String: return quoted(text)
        case let flag as Bool where type(of: value) == Bool.self: return flag ? "true" : "false"
        case let number as Int: return String(number)
        case let number as Double: return String(number)
        case let object as [String: Any]:
            return "{" + object.keys.sorted().map { "\(quoted($0)):\(json(object[$0]!))" }.joined(separator: ",") + "}"
        case let array as [Any]: return "[" + array.map(json).joined(separator: ",") + "]"
        default: return "null"
        }
    }

    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// The paths (keys and array positions) of every string leaf of a sample value.
    static func stringPaths(_ value: Any, _ prefix: [String] = []) -> [[String]] {
        if value is String { return [prefix] }
        if let object = value as? [String: Any] { return object.keys.sorted().flatMap { stringPaths(object[$0]!, prefix + [$0]) } }
        if let array = value as? [Any] { return array.indices.flatMap { stringPaths(array[$0], prefix + [String($0)]) } }
        return []
    }

    static func replacing(_ value: Any, at path: [String], with new: Any) -> Any {
        guard let first = path.first else { return new }
        if var object = value as? [String: Any], let member = object[first] {
            object[first] = replacing(member, at: Array(path.dropFirst()), with: new)
            return object
        }
        if var array = value as? [Any], let index = Int(first), array.indices.contains(index) {
            array[index] = replacing(array[index], at: Array(path.dropFirst()), with: new)
            return array
        }
        return value
    }

    static func percentEncoded(_ text: String) -> String {
        if text.contains("%ED%") { return text }  // already the bytes of a surrogate, encoded
        return text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }

    @Test func generatedTextNeverAnswers5xx() async throws {
        // Proves that generated strings (NUL, lone surrogates escaped in JSON, 100,000-character
        // strings, random Unicode, hostile text) in every JSON string field, path capture and
        // query parameter of every documented operation never make the server answer 5xx.
        try await EdgeHardeningTests.live { client, _, postgres, config in
            let document = try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.body)) as? [String: Any])
            let operations = OpenAPITests.operations(document).sorted { $0.key < $1.key }
            let tokens = try await Self.tokens(client, postgres: postgres, config: config)
            var random = SplitMix64(state: Self.seed)
            var sent = 0
            var refused = 0
            var failures: [String] = []
            var turn = 0
            for (key, operation) in operations {
                let parts = key.split(separator: " ")
                let method = try #require(HTTPRequest.Method(String(parts[0])))
                let template = String(parts[1])
                let roles = operation["x-roles"] as? [String] ?? []
                let token = Self.rolePreference.first { roles.contains($0) }.flatMap { tokens[$0] }
                let parameters = operation["parameters"] as? [[String: Any]] ?? []
                let queryNames = parameters.filter { $0["in"] as? String == "query" }.compactMap { $0["name"] as? String }
                let content = (operation["requestBody"] as? [String: Any])?["content"] as? [String: Any]
                let bodySchema = ((content?["application/json"] as? [String: Any])?["schema"] as? [String: Any])
                let sample = bodySchema.map { OpenAPIBodyTests.sample($0, requiredOnly: false) }
                // One request per string field of the body, then one with every capture and query parameter.
                var plans: [(body: Any?, captures: String?, query: String?, field: String, kind: Kind)] = []
                for path in sample.map({ Self.stringPaths($0) }) ?? [] {
                    for _ in 0..<Self.kindsPerField {
                        let kind = Kind.allCases[turn % Kind.allCases.count]
                        turn += 1
                        plans.append((Self.replacing(sample!, at: path, with: kind.make(&random).json), nil, nil, path.joined(separator: "."), kind))
                    }
                }
                for _ in 0..<Self.kindsPerField where template.contains("{") || !queryNames.isEmpty || sample == nil {
                    let kind = Kind.allCases[turn % Kind.allCases.count]
                    turn += 1
                    let text = Self.percentEncoded(kind.make(&random).uri)
                    plans.append((sample, text, text, "path and query", kind))
                }
                for plan in plans {
                    let segments = template.split(separator: "/").map { $0.hasPrefix("{") ? (plan.captures ?? "x_fuzz") : String($0) }
                    var uri = "/" + segments.joined(separator: "/")
                    if let query = plan.query, !queryNames.isEmpty { uri += "?" + queryNames.map { "\($0)=\(query)" }.joined(separator: "&") }
                    var headers: HTTPFields = [.idempotencyKey: "fuzz-\(sent)"]
                    if let token { headers[.authorization] = "Bearer \(token)" }
                    var body: ByteBuffer?
                    if let value = plan.body {
                        headers[.contentType] = "application/json"
                        body = ByteBuffer(string: Self.json(value))
                    }
                    let (status, code) = try await client.execute(uri: uri, method: method, headers: headers, body: body) { response in
                        let object = try? JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                        return (response.status, object?["code"] as? String)
                    }
                    sent += 1
                    if code == TextInputGuard.code { refused += 1 }
                    if status.code >= 500 {
                        failures.append("seed \(Self.seed): \(key) field \(plan.field) with \(plan.kind) → \(status.code) \(code ?? "-")")
                    }
                }
            }
            #expect(failures.isEmpty, "5xx answers: \(failures)")
            #expect(sent >= 200 && sent <= 3_000, "bounded: \(sent) requests")
            #expect(refused > 0, "the NUL and surrogate cases were refused as text_invalid")
        }
    }

    /// Which role's token calls an operation, first listed first.
    static let rolePreference = ["operator", "finance", "auditor", "enterprise", "provider", "expert", "authority"]

    /// A token per role: real platform users, and the registered enterprise and provider with
    /// certified identities of their own organisations, so handlers go as deep as they can.
    static func tokens(_ client: any TestClientProtocol, postgres: PostgresClient, config: AppConfig) async throws -> [String: String] {
        let provisioning = await AccountsProvisioning(config: config, postgres: postgres, logger: TestEnvironment.logger)
        let service = await TokenService(config: config.jwt)
        var tokens: [String: String] = [:]
        for (index, role) in [Role.operator, .finance, .auditor, .expert, .authority].enumerated() {
            _ = try await provisioning.createPlatformUser(
                role: role, username: "fuzz_\(role.rawValue)", phone: "1380013850\(index)", password: EdgeHardeningTests.password)
            let login = try await client.call(
                .post, "/v1/auth/login", token: nil,
                json: ["username": "fuzz_\(role.rawValue)", "password": EdgeHardeningTests.password])
            let token = try #require(login.string("accessToken"), "\(login.json)")
            tokens[role.rawValue] = token
        }
        for (index, role) in [Role.enterprise, .provider].enumerated() {
            let code = try await EdgeHardeningTests.registrationCode(client, "1380013851\(index)")
            let registered = try await client.call(
                .post, "/v1/registrations", token: nil,
                json: [
                    "role": role.rawValue, "username": "fuzz_\(role.rawValue)", "phone": "1380013851\(index)",
                    "password": EdgeHardeningTests.password, "passwordConfirmation": EdgeHardeningTests.password, "consent": true,
                    "smsCode": code,
                ])
            let session = try #require(registered.json["session"] as? [String: Any], "\(registered.json)")
            let identity = Identity(
                userID: try #require(session["userId"] as? String), orgID: try #require(session["organisationId"] as? String),
                role: role, certified: true, permissions: [Identity.allPermissions])
            tokens[role.rawValue] = try await service.issueAccessToken(for: identity)
        }
        return tokens
    }
}
