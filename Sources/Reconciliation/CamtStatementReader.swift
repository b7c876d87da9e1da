import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads an ISO 20022 camt.053 (BankToCustomerStatement) document with Foundation's streaming
/// `XMLParser`: the events feed a `CamtDocument`, whose entries are then read like CSV rows.
enum CamtStatementReader {
    /// Every camt.053 version shares this namespace prefix (`…camt.053.001.02` to `….13`); the
    /// elements we read have the same paths in all of them, apart from `Pty` (see `CamtDocument`).
    static let namespacePrefix = "urn:iso:std:iso:20022:tech:xsd:camt.053.001."

    /// The statement in a camt.053 document. ISO 20022 messages are UTF-8, so other encodings
    /// are refused; a DTD is refused too (camt.053 has none, and entity expansion is an attack).
    static func read(_ bytes: [UInt8]) throws(StatementError) -> ParsedStatement {
        let hasBOM = bytes.starts(with: StatementText.utf8BOM)
        let body = bytes.dropFirst(hasBOM ? StatementText.utf8BOM.count : 0)
        if let offset = StatementText.utf8Break(body) { throw StatementText.undecodable(bytes, at: offset) }
        guard !StatementSniffer.contains(bytes[...], Array("<!DOCTYPE".utf8)) else {
            throw .notAStatement(reason: "it declares a DTD, which camt.053 statements never do.")
        }
        let document = try parseDocument(bytes)
        guard document.isStatement else {
            throw .notAStatement(reason: "it is an XML document, but not an ISO 20022 camt.053 statement (no BkToCstmrStmt).")
        }
        guard !document.hasTooManyEntries else { throw .tooManyLines }
        return try statement(of: document, encoding: hasBOM ? .utf8WithBOM : .utf8)
    }

    /// Entries, problems, skipped entries, account and period of a parsed document.
    private static func statement(of document: CamtDocument, encoding: StatementEncoding) throws(StatementError) -> ParsedStatement {
        var statement = ParsedStatement(format: .camt053, encoding: encoding.rawValue, entries: [], problems: [], skippedLineCount: 0)
        var problems = ProblemList()
        var unique = UniqueEntries()
        for raw in document.entries {
            switch raw.read() {
            case .skipped:
                statement.skippedLineCount += 1
            case .problem(let reasons):
                problems.add(lineNumber: raw.index, reasons: reasons)
            case .entry(let entry):
                if let earlier = unique.add(entry, at: raw.index) {
                    problems.add(
                        lineNumber: raw.index,
                        reason: LineReason("serial_repeated", "AcctSvcrRef \(entry.serial) is already entry \(earlier); each receipt appears once."))
                }
            }
        }
        statement.entries = unique.entries
        guard !statement.entries.isEmpty || !problems.isEmpty else { throw .empty }
        statement.problems = problems.problems
        let accounts = Set(document.statements.map(\.ownAccount))
        statement.ownAccount = accounts.count == 1 ? accounts.first ?? nil : nil
        let froms = document.statements.compactMap { $0.fromText.flatMap(CamtDocument.Entry.day(dateTime:)) }
        let tos = document.statements.compactMap { $0.toText.flatMap(CamtDocument.Entry.day(dateTime:)) }
        statement.periodFrom = froms.min() ?? statement.entries.map(\.date).min()
        statement.periodTo = tos.max() ?? statement.entries.map(\.date).max()
        return statement
    }

    /// Runs `XMLParser` over the bytes; not well-formed XML is `malformed` with its position.
    private static func parseDocument(_ bytes: [UInt8]) throws(StatementError) -> CamtDocument {
        // Through a stream: on Linux `XMLParser(data:)` reports a spurious error (code 1) near
        // the end of documents above about 10 MB after delivering every element
        // (swift-corelibs-foundation #4851); the stream reader has no such limit.
        let parser = XMLParser(stream: InputStream(data: Data(bytes)))
        let delegate = CamtParserDelegate()
        parser.delegate = delegate
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        let finished = parser.parse()
        if delegate.document.hasTooManyEntries { return delegate.document }
        // On Linux `parse()` returns true after some errors (a document cut short), so the
        // delegate's record of the first error decides.
        if let position = delegate.firstErrorPosition ?? (finished ? nil : (parser.lineNumber, parser.columnNumber)) {
            throw .malformed(reason: "line \(position.line), column \(position.column)")
        }
        return delegate.document
    }
}

/// Forwards `XMLParser` events to a `CamtDocument`, keeping the element path and the text of
/// the current element (bounded). Lives only inside one `parseDocument` call, on its thread.
private final class CamtParserDelegate: NSObject, XMLParserDelegate {
    private(set) var document = CamtDocument()
    /// Where libxml2 first reported an error; it may recover and go on, we do not.
    private(set) var firstErrorPosition: (line: Int, column: Int)?
    private var path: [String] = []
    private var text = ""
    private var textLength = 0

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        path.append(elementName)
        text = ""
        textLength = 0
        document.start(path, attributes: attributes)
        if document.hasTooManyEntries { parser.abortParsing() }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        let overlong = textLength > StatementLimits.fieldLengthMax
        document.end(path, text: String(StatementCell.trimmed(text[...])), overlong: overlong)
        path.removeLast()
        text = ""
        textLength = 0
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        if firstErrorPosition == nil { firstErrorPosition = (parser.lineNumber, parser.columnNumber) }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        append(string)
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        append(String(decoding: CDATABlock, as: UTF8.self))
    }

    /// Keeps at most one character more than the bound: enough to know the text is too long.
    private func append(_ string: String) {
        guard textLength <= StatementLimits.fieldLengthMax else { return }
        text += string
        textLength += string.unicodeScalars.count
    }
}
