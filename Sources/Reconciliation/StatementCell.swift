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
        guard let first = scalars.firstIndex(where: { !isWhitespace($0) }),
            let last = scalars.lastIndex(where: { !isWhitespace($0) })
        else { return "" }
        return Substring(scalars[first...last])
    }

    /// Unicode's White_Space, with ASCII answered without the property table (most cells are
    /// ASCII at both ends, and this runs twice per cell).
    private static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        guard scalar.isASCII else { return scalar.properties.isWhitespace }
        return scalar == " " || (0x09...0x0D).contains(scalar.value)
    }

    /// The length that `StatementLimits.fieldLengthMax` bounds: Unicode scalars, so that a
    /// Chinese name counts one per character.
    static func length(_ text: String) -> Int { text.unicodeScalars.count }
}
