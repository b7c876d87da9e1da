/// The text encodings a statement is read in; the raw value is what `ParsedStatement.encoding` says.
public enum StatementEncoding: String, Sendable, Hashable, CaseIterable {
    /// UTF-8 without a byte order mark: what most systems and our own exports write.
    case utf8 = "UTF-8"
    /// UTF-8 after EF BB BF: Excel's "CSV UTF-8".
    case utf8WithBOM = "UTF-8 with BOM"
    /// GB18030, a superset of GBK and GB2312, so one decoder reads the exports of every Chinese bank.
    case gb18030 = "GB18030"
}

/// Turning statement bytes into text and back, exactly: a byte that does not decode makes the
/// whole file unreadable rather than a replacement character in someone's name.
public enum StatementText {
    /// The UTF-8 byte order mark Excel writes at the start of "CSV UTF-8" files.
    static let utf8BOM: [UInt8] = [0xEF, 0xBB, 0xBF]
    /// U+FEFF, the byte order mark once decoded (a GB18030 file may start with it too).
    static let byteOrderMark: Unicode.Scalar = "\u{FEFF}"

    /// The text of a statement and the encoding it was in: UTF-8 after a BOM (and then only
    /// UTF-8), otherwise UTF-8 if the bytes are valid UTF-8, otherwise GB18030 through glibc's
    /// iconv. A leading byte order mark is removed from the text.
    public static func decode(_ bytes: [UInt8]) throws(StatementError) -> (text: String, encoding: StatementEncoding) {
        if bytes.starts(with: utf8BOM) {
            guard let text = String(validating: bytes.dropFirst(utf8BOM.count), as: UTF8.self) else { throw .undecodable }
            return (text, .utf8WithBOM)
        }
        if let text = String(validating: bytes, as: UTF8.self) {
            return (text, .utf8)
        }
        guard let converter = IconvConverter(from: "GB18030", to: "UTF-8"),
              let utf8 = converter.convert(bytes),
              let text = String(validating: utf8, as: UTF8.self) else { throw .undecodable }
        return (withoutByteOrderMark(text), .gb18030)
    }

    /// `text` in GB18030 (the bytes a GBK export of the same characters has, for every character
    /// GBK has), or nil when glibc cannot convert it. For tests and benchmarks that build the
    /// files banks send; the server never writes GB18030.
    public static func gb18030(_ text: String) -> [UInt8]? {
        IconvConverter(from: "UTF-8", to: "GB18030")?.convert(Array(text.utf8))
    }

    private static func withoutByteOrderMark(_ text: String) -> String {
        guard text.unicodeScalars.first == byteOrderMark else { return text }
        return String(text.unicodeScalars.dropFirst())
    }
}
