/// The one entry point for statement files: checks the bounds, tells camt.053 XML from CSV by
/// content (never by file name), and hands the bytes to the reader of that format.
public enum StatementParser {
    /// Reads a statement exactly. Throws when the file as a whole is not a statement we can
    /// read; lines that cannot be read are returned in `problems`, with their numbers, and the
    /// importer refuses the file while there are any.
    public static func parse(_ bytes: [UInt8]) throws(StatementError) -> ParsedStatement {
        guard bytes.count <= StatementLimits.bytesMax else { throw .tooLarge }
        try StatementSniffer.refuseNonText(bytes)
        let body = bytes.starts(with: StatementText.utf8BOM) ? bytes[StatementText.utf8BOM.count...] : bytes[...]
        guard let first = body.first(where: { !isASCIIWhitespace($0) }) else { throw .notAStatement(reason: "it is empty.") }
        if first == UInt8(ascii: "<") {
            guard StatementSniffer.isCamt053(body) else {
                throw .notAStatement(
                    reason:
                        "it is an XML or HTML document, not an ISO 20022 camt.053 statement (some "
                        + "banks' .xls exports are HTML: save the sheet as CSV)."
                )
            }
            return try CamtStatementReader.read(bytes)
        }
        guard StatementSniffer.physicalLineCount(bytes) <= StatementLimits.linesMax else { throw .tooManyLines }
        let (text, encoding) = try StatementText.decode(bytes)
        return try CSVStatementReader.read(text, encoding: encoding)
    }

    /// Space, tab and line breaks: what may precede the first `<` of an XML document.
    static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte)
    }
}
