import Foundation
import Hummingbird

/// Text the stores cannot hold is refused at the edge, once, instead of in each field: PostgreSQL
/// refuses U+0000 in `text` (a 500 in every handler that stored it), and a lone UTF-16 surrogate
/// escaped in JSON (`\ud800`) is not a character at all. Every JSON body passes `checkJSON` in
/// `GuardedJSONDecoder` (the one request decoder), and `TextInputMiddleware` checks the URI
/// (path captures, query parameters such as an upload's `filename`) and the header values.
enum TextInputGuard {
    /// The stable code of every refusal.
    static let code = "text_invalid"

    /// What is wrong with a JSON text, if anything: a NUL (raw or `\u0000`) or a lone surrogate
    /// escape, in any string, key or value, at any depth. Escapes are read as JSON reads them, so
    /// `\\u0000` (a backslash, then the letters) is text and passes.
    static func problem(inJSON bytes: some Collection<UInt8>) -> Problem? {
        let bytes = Array(bytes)
        var index = 0
        var inString = false
        var stringStart = 0
        /// The last object key read, to name the field in the answer.
        var lastKey: String?
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0 { return refusal(.nul, field: inString ? lastKey : nil) }
            guard inString else {
                if byte == UInt8(ascii: "\"") {
                    inString = true
                    stringStart = index + 1
                }
                index += 1
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = false
                if nextSignificant(bytes, after: index) == UInt8(ascii: ":") {
                    lastKey = String(decoding: bytes[stringStart..<index].prefix(64), as: UTF8.self)
                }
                index += 1
            case UInt8(ascii: "\\"):
                guard index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u") else {
                    index += 2
                    continue
                }
                guard let unit = hex4(bytes, at: index + 2) else {
                    index += 2
                    continue
                }
                let field = isKey(bytes, from: index) ? nil : lastKey
                switch unit {
                case 0: return refusal(.nul, field: field)
                case 0xD800...0xDBFF:
                    let next = index + 6
                    guard next + 1 < bytes.count, bytes[next] == UInt8(ascii: "\\"), bytes[next + 1] == UInt8(ascii: "u"),
                        let low = hex4(bytes, at: next + 2), (0xDC00...0xDFFF).contains(low)
                    else {
                        return refusal(.loneSurrogate, field: field)
                    }
                    index = next + 6
                case 0xDC00...0xDFFF: return refusal(.loneSurrogate, field: field)
                default: index += 6
                }
            default:
                index += 1
            }
        }
        return nil
    }

    enum Flaw {
        case nul
        case loneSurrogate

        var description: String {
            switch self {
            case .nul: "a NUL character (U+0000, \\u0000 in JSON, %00 in a URI)"
            case .loneSurrogate: "a lone UTF-16 surrogate escape (such as \\ud800 without its pair)"
            }
        }
    }

    static func refusal(_ flaw: Flaw, field: String?) -> Problem {
        refusal(flaw, place: field.map { "The field \($0)" } ?? "The request body")
    }

    /// `place` starts the sentence: "The field username", "A query parameter".
    static func refusal(_ flaw: Flaw, place: String) -> Problem {
        Problem(
            .badRequest, code: code,
            detail: "\(place) contains \(flaw.description), which text may not contain. Remove it and send the request again.")
    }

    private static func hex4(_ bytes: [UInt8], at start: Int) -> UInt16? {
        guard start + 4 <= bytes.count else { return nil }
        var value: UInt16 = 0
        for byte in bytes[start..<start + 4] {
            guard let digit = hexDigit(byte) else { return nil }
            value = value << 4 | UInt16(digit)
        }
        return value
    }

    private static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// The first byte after `index` that is not JSON whitespace.
    private static func nextSignificant(_ bytes: [UInt8], after index: Int) -> UInt8? {
        bytes[(index + 1)...].first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
    }

    /// Whether the string holding the escape at `index` is an object key (followed by `:`).
    private static func isKey(_ bytes: [UInt8], from index: Int) -> Bool {
        var cursor = index
        while cursor < bytes.count {
            switch bytes[cursor] {
            case UInt8(ascii: "\\"): cursor += 2
            case UInt8(ascii: "\""): return nextSignificant(bytes, after: cursor) == UInt8(ascii: ":")
            default: cursor += 1
            }
        }
        return false
    }
}

/// The request decoder of every route (`AppRequestContext.requestDecoder`): `checkJSON` first,
/// then Foundation's decoder with the project's date convention.
public struct GuardedJSONDecoder: RequestDecoder {
    let json: JSONDecoder

    public func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        return try decode(T.self, from: Data(buffer.readableBytesView))
    }

    /// Decodes bytes already collected (`decodeJSON` collects with its own bound).
    public func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        if let problem = TextInputGuard.problem(inJSON: data) { throw problem }
        return try json.decode(T.self, from: data)
    }
}

/// Refuses a URI or header value holding a NUL before any route reads it. (The HTTP parser
/// already refuses raw NUL bytes in the request line and headers; `%00` decodes to one.)
struct TextInputMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let uri = request.uri.string
        if let at = Self.encodedNUL(in: uri) {
            let inQuery = uri.utf8.prefix(at).contains(UInt8(ascii: "?"))
            throw TextInputGuard.refusal(.nul, place: inQuery ? "A query parameter" : "The path")
        }
        for field in request.headers where field.value.utf8.contains(0) {
            throw TextInputGuard.refusal(.nul, place: "The header \(field.name.canonicalName)")
        }
        return try await next(request, context)
    }

    /// The UTF-8 offset of the first `%00` in `uri`.
    static func encodedNUL(in uri: String) -> Int? {
        ByteScan.firstOffset(of: "%00", in: uri)
    }
}
