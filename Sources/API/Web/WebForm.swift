import Foundation
import Hummingbird

/// The fields of an HTML form (`application/x-www-form-urlencoded`, the body of a POST or the
/// query of a GET): `+` is a space, `%XX` a byte of UTF-8. The first value of a name wins. Text
/// the stores cannot hold (a NUL) or that does not decode is no form at all (`nil`), like the JSON
/// routes' `text_invalid`.
struct WebForm: Sendable {
    let fields: [String: String]

    /// The largest form body read (a login or a filter form is far smaller).
    static let bodyBytesMax = 16 * 1024
    /// Fields read from one form.
    static let fieldsMax = 64

    subscript(_ name: String) -> String? { fields[name] }

    /// The trimmed value of `name`, nil when absent or blank.
    func text(_ name: String) -> String? {
        guard let value = fields[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }

    static func parse(_ encoded: String) -> WebForm? {
        var fields: [String: String] = [:]
        for pair in encoded.split(separator: "&", omittingEmptySubsequences: true).prefix(fieldsMax) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]), let value = decode(parts.count > 1 ? parts[1] : "") else { return nil }
            if fields[name] == nil { fields[name] = value }
        }
        return WebForm(fields: fields)
    }

    private static func decode(_ text: Substring) -> String? {
        guard let decoded = text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding, !decoded.contains("\u{0}") else {
            return nil
        }
        return decoded
    }

    /// The query of a page request; a query that does not decode reads as empty.
    static func query(_ request: Request) -> WebForm {
        parse(request.uri.query ?? "") ?? WebForm(fields: [:])
    }

    /// The body of a form POST, at most `bodyBytesMax` bytes; nil when it is not a form.
    static func body(_ request: Request) async throws -> WebForm? {
        let buffer = try await request.body.collect(upTo: bodyBytesMax)
        return parse(String(decoding: buffer.readableBytesView, as: UTF8.self))
    }

    /// RFC 3986's unreserved characters, ASCII only.
    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// `text` as one value of a query string.
    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }
}
