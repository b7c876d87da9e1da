import Foundation
import Testing
import VoucherCore
import VoucherServices

@testable import API

/// The document's JSON request bodies against the `Decodable` types the handlers decode them
/// into: a body built from the schema decodes, one with only the required fields decodes, and
/// one missing any required field does not. A request type nobody described fails the first test.
@Suite struct OpenAPIBodyTests {
    /// Decodes `data` as the handler's type, with the request decoder's date convention.
    typealias Decode = @Sendable (Data) throws -> Void

    static func decoder<T: Decodable & SendableMetatype>(_ type: T.Type) -> Decode {
        { data in
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .custom(RFC3339.decode)
            _ = try decoder.decode(T.self, from: data)
        }
    }

    /// Schema name → the types its body is decoded into (one schema may serve several routes).
    static let types: [String: [Decode]] = [
        "LoginRequest": [decoder(AuthController.LoginRequest.self)],
        "SMSSendRequest": [decoder(AuthController.SMSSendRequest.self)],
        "SMSLoginRequest": [decoder(AuthController.SMSLoginRequest.self)],
        "RefreshRequest": [decoder(AuthController.RefreshRequest.self)],
        "RegisterRequest": [decoder(RegistrationController.RegisterRequest.self)],
        "OrganisationDetails": [decoder(OrganisationDetails.self)],
        "Survey": [decoder(RegistrationController.SurveyBody.self)],
        "ChangePasswordRequest": [decoder(AccountController.ChangePasswordRequest.self)],
        "SubAccountCreate": [decoder(SubAccountsController.CreateRequest.self)],
        "SubAccountUpdate": [decoder(SubAccountsController.UpdateRequest.self)],
        "SubAccountPassword": [decoder(SubAccountsController.PasswordRequest.self)],
        "SubAccountPermissions": [decoder(SubAccountsController.PermissionsRequest.self)],
        "ApprovalDecision": [decoder(ApprovalsController.DecisionRequest.self)],
        "CampaignInput": [decoder(CampaignInput.self)],
        "Restock": [decoder(CampaignsController.RestockInput.self)],
        "Reason": [decoder(VoucherApplicationsController.RejectInput.self), decoder(ReasonBody.self)],
        "OrderBody": [decoder(OrderBody.self)],
        "ProductBody": [decoder(ProductBody.self)],
        "ExpertInput": [decoder(ExpertProfile.self)],
        "ListingExpertsInput": [decoder(ExpertsController.AttachInput.self)],
        "PayeeBody": [decoder(PayeeBody.self)],
        "Transfer": [decoder(TransferBody.self)],
        "Confirm": [decoder(ConfirmBody.self)],
        "GeneralRedemption": [decoder(GeneralBody.self)],
        "MatchLine": [decoder(MatchBody.self)],
        "Note": [decoder(NoteBody.self)],
        "AnnouncementInput": [decoder(AnnouncementsController.ContentInput.self)],
        "AnnouncementPublish": [decoder(AnnouncementsController.PublishInput.self)],
        "AnnouncementPin": [decoder(AnnouncementsController.PinInput.self)],
        "ReviewInput": [decoder(ReviewsController.CreateInput.self)],
        "ReviewEdit": [decoder(ReviewsController.EditInput.self)],
        "ReviewHide": [decoder(ReviewsController.HideInput.self)],
    ]

    /// The served bytes, parsed again on each use (`[String: Any]` cannot be a shared constant).
    static var document: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(OpenAPIDocument.body))) as? [String: Any] ?? [:]
    }

    static var schemas: [String: Any] {
        (document["components"] as? [String: Any])?["schemas"] as? [String: Any] ?? [:]
    }

    /// The schema names of every JSON request body in the document.
    static var bodySchemaNames: Set<String> {
        var names: Set<String> = []
        for (_, operation) in OpenAPITests.operations(document) {
            let content = (operation["requestBody"] as? [String: Any])?["content"] as? [String: Any]
            let schema = (content?["application/json"] as? [String: Any])?["schema"] as? [String: Any]
            if let ref = schema?["$ref"] as? String { names.insert(String(ref.split(separator: "/").last ?? "")) }
        }
        return names
    }

    @Test func everyBodySchemaNamesItsTypes() {
        // Proves each JSON body of the document is a named schema with a decoding type listed here.
        #expect(Self.bodySchemaNames == Set(Self.types.keys), "body schemas without a type, or types no operation uses")
    }

    @Test(arguments: types.keys.sorted())
    func bodyBuiltFromTheSchemaDecodes(_ name: String) throws {
        // Proves the schema's fields and types are what the handler's type needs: all fields,
        // and only the required ones, decode; dropping any required field does not.
        let schema = try #require(Self.schemas[name] as? [String: Any])
        let full = try #require(Self.sample(schema, requiredOnly: false) as? [String: Any])
        let minimal = try #require(Self.sample(schema, requiredOnly: true) as? [String: Any])
        for decode in Self.types[name] ?? [] {
            #expect(throws: Never.self, "\(name) with every field") { try decode(JSONSerialization.data(withJSONObject: full)) }
            #expect(throws: Never.self, "\(name) with the required fields") { try decode(JSONSerialization.data(withJSONObject: minimal)) }
            for field in schema["required"] as? [String] ?? [] {
                var missing = minimal
                missing[field] = nil
                #expect(throws: (any Error).self, "\(name) without \(field), which the schema requires") {
                    try decode(JSONSerialization.data(withJSONObject: missing))
                }
            }
        }
    }

    /// A value of `schema`: its first enum value or example, a string its pattern accepts, the
    /// minimum of a number, one element of an array; objects with all their fields, or only the
    /// required ones (also inside).
    static func sample(_ schema: [String: Any], requiredOnly: Bool) -> Any {
        if let ref = schema["$ref"] as? String, let named = schemas[String(ref.split(separator: "/").last ?? "")] as? [String: Any] {
            return sample(named, requiredOnly: requiredOnly)
        }
        if let values = schema["enum"] as? [Any], let first = values.first { return first }
        if let examples = schema["examples"] as? [Any], let first = examples.first { return first }
        switch schema["type"] as? String {
        case "object":
            guard let properties = schema["properties"] as? [String: [String: Any]] else { return [String: Any]() }
            let required = Set(schema["required"] as? [String] ?? [])
            var object: [String: Any] = [:]
            for (name, property) in properties where !requiredOnly || required.contains(name) {
                object[name] = sample(property, requiredOnly: requiredOnly)
            }
            return object
        case "array": return [sample(schema["items"] as? [String: Any] ?? [:], requiredOnly: requiredOnly)]
        case "integer": return schema["minimum"] as? Int ?? 1
        case "boolean": return true
        case "string":
            if schema["format"] as? String == "date" { return "2026-12-01" }
            switch schema["pattern"] as? String {
            case "^[0-9a-f]{64}$": return String(repeating: "a", count: 64)
            case "^[0-9]{15,19}$": return "622848001234567"
            case "^[0-9]{6}$": return "123456"
            default: return String(repeating: "x", count: max(schema["minLength"] as? Int ?? 1, 1))
            }
        default: return "x"
        }
    }
}
