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
            guard let text = String(validating: bytes.dropFirst(utf8BOM.count), as: UTF8.self) else {
                throw undecodable(bytes, at: utf8Break(bytes.dropFirst(utf8BOM.count)) ?? utf8BOM.count)
            }
            return (text, .utf8WithBOM)
        }
        if let text = String(validating: bytes, as: UTF8.self) {
            return (text, .utf8)
        }
        guard let converter = IconvConverter(from: "GB18030", to: "UTF-8") else { throw undecodable(bytes, at: 0) }
        switch converter.converted(bytes) {
        case .success(let utf8):
            guard let text = String(validating: utf8, as: UTF8.self) else { throw undecodable(bytes, at: 0) }
            return (withoutByteOrderMark(text), .gb18030)
        case .failure(let failure):
            // Neither encoding reads the file; the one that read further is the one it was meant
            // to be in, so its break is where the person looks.
            throw undecodable(bytes, at: max(failure.byteOffset, utf8Break(bytes[...]) ?? 0))
        }
    }

    /// The offset (in the whole file) of the first byte that is not part of valid UTF-8 in
    /// `bytes`, or nil when all of it is valid.
    static func utf8Break(_ bytes: ArraySlice<UInt8>) -> Int? {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = bytes.startIndex
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded): offset += encoded.count
            case .error: return offset
            case .emptyInput: return nil
            }
        }
    }

    /// The refusal naming where the encoding broke: the 1-based line (line feeds before the
    /// byte, plus one) and the byte's 0-based offset in the file.
    static func undecodable(_ bytes: [UInt8], at offset: Int) -> StatementError {
        let offset = min(max(offset, 0), bytes.count)
        let feeds = bytes[..<offset].reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        return .undecodable(line: feeds + 1, byteOffset: offset)
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
