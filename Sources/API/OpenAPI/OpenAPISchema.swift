import VoucherServices

/// Building blocks of the document's JSON Schemas (OpenAPI 3.1 uses JSON Schema 2020-12), named
/// after the conventions of SPEC §9 so each DTO's schema is one short call per field.
enum Schema {
    static let string: OpenAPIJSON = ["type": "string"]
    static let bool: OpenAPIJSON = ["type": "boolean"]
    static let int: OpenAPIJSON = ["type": "integer"]
    /// Ids are opaque strings (SPEC §9).
    static let id: OpenAPIJSON = ["type": "string", "description": "Opaque id; use it exactly as the API returned it."]
    /// Amounts are integers in fen, in fields named `…Fen` (SPEC §2, §9).
    static let fen: OpenAPIJSON = ["type": "integer", "format": "int64", "description": "Amount in fen (1/100 yuan)."]
    /// RFC 3339 with an offset; answers use China Standard Time (`+08:00`).
    static let time: OpenAPIJSON = ["type": "string", "format": "date-time", "examples": ["2026-12-01T10:00:00+08:00"]]
    /// A calendar day, `YYYY-MM-DD`.
    static let date: OpenAPIJSON = ["type": "string", "format": "date"]
    static let sha256: OpenAPIJSON = ["type": "string", "pattern": "^[0-9a-f]{64}$", "description": "SHA-256 of the stored file, hex."]
    /// Any JSON value (flexible sections kept as given).
    static let any: OpenAPIJSON = [:]

    static func string(_ description: String) -> OpenAPIJSON { ["type": "string", "description": .string(description)] }

    static func oneOf(_ values: [String], _ description: String? = nil) -> OpenAPIJSON {
        var schema: [String: OpenAPIJSON] = ["type": "string", "enum": .array(values.map { .string($0) })]
        if let description { schema["description"] = .string(description) }
        return .object(schema)
    }

    static func ref(_ name: String) -> OpenAPIJSON { ["$ref": .string("#/components/schemas/\(name)")] }

    static func array(_ items: OpenAPIJSON, max: Int64? = nil) -> OpenAPIJSON {
        var schema: [String: OpenAPIJSON] = ["type": "array", "items": items]
        if let max { schema["maxItems"] = .int(max) }
        return .object(schema)
    }

    static func map(_ values: OpenAPIJSON) -> OpenAPIJSON { ["type": "object", "additionalProperties": values] }

    /// An object whose fields are all present unless listed in `optional`: the DTOs encode nil
    /// optionals by leaving the key out, and decode a missing key as nil.
    static func object(_ properties: KeyValuePairs<String, OpenAPIJSON>, optional: Set<String> = [], description: String? = nil) -> OpenAPIJSON {
        var members: [String: OpenAPIJSON] = [:]
        for (name, schema) in properties { members[name] = schema }
        precondition(optional.isSubset(of: members.keys), "optional names a field the object lacks")
        let required = properties.map(\.0).filter { !optional.contains($0) }
        var schema: [String: OpenAPIJSON] = ["type": "object", "properties": .object(members)]
        if !required.isEmpty { schema["required"] = .array(required.map { .string($0) }) }
        if let description { schema["description"] = .string(description) }
        return .object(schema)
    }

    /// `{items, page, pageSize, total}`, the shape of every list (SPEC §9).
    static func page(of item: String) -> OpenAPIJSON {
        object([
            "items": array(ref(item)),
            "page": ["type": "integer", "minimum": 1],
            "pageSize": ["type": "integer", "minimum": 1, "maximum": 100],
            "total": ["type": "integer", "minimum": 0],
        ])
    }
}
