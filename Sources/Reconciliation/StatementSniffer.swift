/// Looks at raw bytes to refuse what is plainly not a statement before any decoding, with a
/// sentence that tells the person what they uploaded instead (an Excel workbook is the usual one).
enum StatementSniffer {
    /// File signatures people upload by mistake, and what to call them in the refusal.
    private static let signatures: [(bytes: [UInt8], name: String)] = [
        ([0x89, 0x50, 0x4E, 0x47], "a PNG image"),
        ([0xFF, 0xD8, 0xFF], "a JPEG image"),
        (Array("GIF8".utf8), "a GIF image"),
        (Array("%PDF-".utf8), "a PDF document"),
        ([0x50, 0x4B, 0x03, 0x04], "a ZIP archive or an Excel workbook (.xlsx); save the sheet as CSV"),
        ([0xD0, 0xCF, 0x11, 0xE0], "an old Excel workbook (.xls); save the sheet as CSV"),
    ]
    /// UTF-16 byte order marks (little and big endian): Excel's "Unicode text", which we do not read.
    private static let utf16Marks: [[UInt8]] = [[0xFF, 0xFE], [0xFE, 0xFF]]

    /// Throws for images, documents, archives, UTF-16 and anything with a NUL byte: text in
    /// UTF-8 or GB18030 never contains NUL.
    static func refuseNonText(_ bytes: [UInt8]) throws(StatementError) {
        for signature in signatures where bytes.starts(with: signature.bytes) {
            throw .notAStatement(reason: "it is \(signature.name).")
        }
        if utf16Marks.contains(where: { bytes.starts(with: $0) }) { throw .undecodable(line: 1, byteOffset: 0) }
        if bytes.contains(0) { throw .notAStatement(reason: "it is a binary file, not text.") }
    }

    /// Whether an XML document is a camt.053 statement: it names the camt.053 namespace or has
    /// the BkToCstmrStmt element (some banks omit the namespace).
    static func isCamt053(_ bytes: ArraySlice<UInt8>) -> Bool {
        contains(bytes, Array(CamtStatementReader.namespacePrefix.utf8)) || contains(bytes, Array("BkToCstmrStmt".utf8))
    }

    /// Physical lines: line feeds, plus a last line without one. Counted on the raw bytes, which
    /// is exact for UTF-8 and GB18030 alike (neither uses 0x0A inside a character).
    static func physicalLineCount(_ bytes: [UInt8]) -> Int {
        let feeds = bytes.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        return feeds + (bytes.last == UInt8(ascii: "\n") || bytes.isEmpty ? 0 : 1)
    }

    /// Whether `needle` occurs in `haystack` (a plain scan; needles are a few bytes long).
    static func contains(_ haystack: ArraySlice<UInt8>, _ needle: [UInt8]) -> Bool {
        guard let head = needle.first, haystack.count >= needle.count else { return false }
        var index = haystack.startIndex
        let last = haystack.endIndex - needle.count
        while index <= last {
            if haystack[index] == head, haystack[index..<(index + needle.count)].elementsEqual(needle) { return true }
            index += 1
        }
        return false
    }
}
