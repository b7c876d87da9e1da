import Foundation
import VoucherServices

/// The JSON of the OpenAPI document, written as Swift literals (`["type": "string"]`) so the
/// document reads like the JSON it becomes, while the compiler checks its shape and every value
/// stays `Sendable`. Only what the document needs: no numbers with fractions, no nulls.
indirect enum OpenAPIJSON: Encodable, Sendable, Equatable {
    case string(String)
    case int(Int64)
    case bool(Bool)
    case array([OpenAPIJSON])
    case object([String: OpenAPIJSON])

    /// As the JSON value itself (no enum wrapping), so the document is plain JSON.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// The members of an object (empty for anything else), for merging schemas.
    var members: [String: OpenAPIJSON] {
        if case .object(let members) = self { return members }
        return [:]
    }

    /// This object with `other`'s members added (`other` wins on a clash).
    func merging(_ other: [String: OpenAPIJSON]) -> OpenAPIJSON {
        .object(members.merging(other) { _, new in new })
    }

    /// Sorted keys and no whitespace: the same document always renders to the same bytes, so
    /// its ETag is stable across processes of one build.
    func renderedBytes() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return Array(try encoder.encode(self))
        } catch {
            preconditionFailure("the OpenAPI document has only strings, integers, booleans, arrays and objects: \(error)")
        }
    }
}

extension OpenAPIJSON: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    init(stringLiteral value: String) { self = .string(value) }
    init(integerLiteral value: Int64) { self = .int(value) }
    init(booleanLiteral value: Bool) { self = .bool(value) }
    init(arrayLiteral elements: OpenAPIJSON...) { self = .array(elements) }
    init(dictionaryLiteral elements: (String, OpenAPIJSON)...) {
        var members: [String: OpenAPIJSON] = [:]
        for (key, value) in elements {
            precondition(members[key] == nil, "duplicate key \(key) in an OpenAPI literal")
            members[key] = value
        }
        self = .object(members)
    }
}
