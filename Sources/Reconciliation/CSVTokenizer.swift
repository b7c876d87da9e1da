/// One record of a CSV file: its fields with the quoting removed, and where it starts.
struct CSVRecord: Sendable, Hashable {
    /// The 1-based physical line the record starts on (a quoted field may continue on later lines).
    var lineNumber: Int
    /// The fields as printed, quotes removed, not yet trimmed.
    var fields: [String]
    /// How the record's quoting is broken, as a sentence; nil when it is not.
    var quotingProblem: String?
}

/// Splits CSV text into records: RFC 4180 (comma separated, `"` quoting with `""` escapes,
/// line breaks inside quotes, CRLF or LF), plus the habits of bank exports that Excel touched:
/// spaces before an opening quote, and `="…"` (a formula that keeps long digit strings from
/// becoming 6.22848E+18), read as a quoted field.
///
/// It only splits: a record whose quoting is broken keeps what could be read and says why in
/// `quotingProblem`, so the statement reader reports that line and goes on with the next.
enum CSVTokenizer {
    private static let comma = UInt8(ascii: ",")
    private static let quote = UInt8(ascii: "\"")
    private static let equals = UInt8(ascii: "=")
    private static let lineFeed = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")

    /// Every record of `text`; a final line break does not start an empty record.
    static func records(in text: String) -> [CSVRecord] {
        var text = text
        return text.withUTF8 { records(in: $0) }
    }

    private static func records(in bytes: UnsafeBufferPointer<UInt8>) -> [CSVRecord] {
        var cursor = Cursor(bytes: bytes)
        var records: [CSVRecord] = []
        while !cursor.isAtEnd {
            var record = CSVRecord(lineNumber: cursor.line, fields: [], quotingProblem: nil)
            repeat {
                let (field, problem) = readField(&cursor)
                record.fields.append(field)
                if record.quotingProblem == nil, let problem {
                    record.quotingProblem = "Field \(record.fields.count): \(problem)"
                }
            } while cursor.consume(comma)
            _ = cursor.consume(lineFeed)
            records.append(record)
        }
        return records
    }

    /// Reads one field up to (not including) the comma or line feed that ends it.
    private static func readField(_ cursor: inout Cursor) -> (String, String?) {
        var probe = cursor.index
        while probe < cursor.bytes.count, isBlank(cursor.bytes[probe]) { probe += 1 }
        if probe < cursor.bytes.count, cursor.bytes[probe] == quote {
            cursor.index = probe + 1
            return readQuoted(&cursor)
        }
        if probe + 1 < cursor.bytes.count, cursor.bytes[probe] == equals, cursor.bytes[probe + 1] == quote {
            cursor.index = probe + 2
            return readQuoted(&cursor)
        }
        var field: [UInt8] = []
        while let byte = cursor.peek, byte != comma, byte != lineFeed {
            field.append(byte)
            cursor.index += 1
        }
        if field.last == carriageReturn { field.removeLast() }
        return (String(decoding: field, as: UTF8.self), nil)
    }

    /// Reads a quoted field after its opening quote, then whatever follows the closing quote up
    /// to the delimiter (only blanks are allowed there).
    private static func readQuoted(_ cursor: inout Cursor) -> (String, String?) {
        let openedOnLine = cursor.line
        var field: [UInt8] = []
        var closed = false
        while let byte = cursor.peek {
            cursor.index += 1
            if byte == quote {
                if cursor.peek == quote {
                    field.append(quote)
                    cursor.index += 1
                    continue
                }
                closed = true
                break
            }
            if byte == lineFeed { cursor.line += 1 }
            field.append(byte)
        }
        let text = String(decoding: field, as: UTF8.self)
        guard closed else {
            return (text, "the quote opened on line \(openedOnLine) is never closed; close it or remove it.")
        }
        var trailingText = false
        while let byte = cursor.peek, byte != comma, byte != lineFeed {
            if !isBlank(byte) { trailingText = true }
            cursor.index += 1
        }
        return (text, trailingText ? "text follows the closing quote; put the whole field inside the quotes." : nil)
    }

    /// Space, tab or carriage return: what may surround a quoted field.
    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == carriageReturn
    }

    /// A position in the text and the physical line it is on.
    private struct Cursor {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0
        var line = 1

        var isAtEnd: Bool { index >= bytes.count }
        var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

        /// Steps over `byte` if it is next (counting the line when it is a line feed).
        mutating func consume(_ byte: UInt8) -> Bool {
            guard peek == byte else { return false }
            index += 1
            if byte == CSVTokenizer.lineFeed { line += 1 }
            return true
        }
    }
}
