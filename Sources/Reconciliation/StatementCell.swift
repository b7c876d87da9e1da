/// Cleaning one CSV cell the way bank exports need: surrounding spaces (half- and full-width),
/// Excel's `="…"` formula wrapper, and the leading apostrophe or tab that keeps Excel from
/// turning an account number into 6.22848E+18. Nothing else is changed.
enum StatementCell {
    /// The cell's text without the wrappers and surrounding white space.
    static func clean(_ raw: String) -> String {
        var text = trimmed(raw[...])
        if text.hasPrefix("=\""), text.hasSuffix("\""), text.count >= 3 {
            text = trimmed(text.dropFirst(2).dropLast())
        }
        if text.hasPrefix("'") {
            text = trimmed(text.dropFirst())
        }
        return String(text)
    }

    /// `text` without leading and trailing white space (Unicode's, so U+3000 and U+00A0 too).
    static func trimmed(_ text: Substring) -> Substring {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return Substring(scalars[first...last])
    }

    /// The length that `StatementLimits.fieldLengthMax` bounds: Unicode scalars, so that a
    /// Chinese name counts one per character.
    static func length(_ text: String) -> Int { text.unicodeScalars.count }
}
