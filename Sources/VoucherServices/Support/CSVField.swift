/// One CSV field as finance opens it in a spreadsheet: quoted when it holds a separator, a quote
/// or a line break, and prefixed with an apostrophe when it starts like a formula (=, +, -, @),
/// so a payee name cannot run as a formula (CSV injection).
package enum CSVField {
    package static func escape(_ value: String) -> String {
        var text = value
        if let first = text.first, "=+-@".contains(first) { text = "'" + text }
        guard text.contains(where: { ",\"\n\r".contains($0) }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
