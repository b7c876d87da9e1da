import VoucherCore

/// Splits a migration file into single statements. postgres-nio speaks only the extended
/// protocol, which takes one statement per query, so a file is cut at top-level semicolons —
/// not inside quotes, dollar-quoted bodies or comments.
public enum SQLScript {
    /// The statements of `sql`, trimmed, without empty ones and without comment-only pieces.
    public static func statements(_ sql: String) -> [String] {
        let scalars = Array(sql.unicodeScalars)
        var statements: [String] = []
        var current = String.UnicodeScalarView()
        var index = 0
        var hasCode = false

        func flush() {
            let text = String(current).trimmingWhitespace()
            if hasCode, !text.isEmpty { statements.append(text) }
            current = String.UnicodeScalarView()
            hasCode = false
        }

        while index < scalars.count {
            let scalar = scalars[index]
            let next: Unicode.Scalar? = index + 1 < scalars.count ? scalars[index + 1] : nil
            if scalar == "-", next == "-" {
                // Line comment: skip to the end of the line.
                while index < scalars.count, scalars[index] != "\n" { index += 1 }
                continue
            }
            if scalar == "/", next == "*" {
                index += 2
                while index + 1 < scalars.count, !(scalars[index] == "*" && scalars[index + 1] == "/") { index += 1 }
                index += 2
                continue
            }
            if scalar == "'" || scalar == "\"" {
                let end = closingQuote(scalars, from: index, quote: scalar)
                current.append(contentsOf: scalars[index..<end])
                hasCode = true
                index = end
                continue
            }
            if scalar == "$", let tagEnd = dollarTagEnd(scalars, from: index) {
                let tag = Array(scalars[index...tagEnd])
                let end = dollarBodyEnd(scalars, from: tagEnd + 1, tag: tag)
                current.append(contentsOf: scalars[index..<end])
                hasCode = true
                index = end
                continue
            }
            if scalar == ";" {
                flush()
                index += 1
                continue
            }
            current.append(scalar)
            if !scalar.properties.isWhitespace { hasCode = true }
            index += 1
        }
        flush()
        return statements
    }

    /// Index just past the quote that closes the one at `start`; a doubled quote is an escape.
    private static func closingQuote(_ s: [Unicode.Scalar], from start: Int, quote: Unicode.Scalar) -> Int {
        var index = start + 1
        while index < s.count {
            if s[index] == quote {
                if index + 1 < s.count, s[index + 1] == quote {
                    index += 2
                    continue
                }
                return index + 1
            }
            index += 1
        }
        return s.count
    }

    /// If a dollar-quote tag (`$$` or `$name$`) starts at `start`, the index of its closing `$`.
    private static func dollarTagEnd(_ s: [Unicode.Scalar], from start: Int) -> Int? {
        var index = start + 1
        while index < s.count {
            let c = s[index]
            if c == "$" { return index }
            guard c.properties.isAlphabetic || c == "_" || (index > start + 1 && ("0"..."9").contains(c)) else { return nil }
            index += 1
        }
        return nil
    }

    /// Index just past the repeat of `tag` that ends a dollar-quoted body.
    private static func dollarBodyEnd(_ s: [Unicode.Scalar], from start: Int, tag: [Unicode.Scalar]) -> Int {
        var index = start
        while index + tag.count <= s.count {
            if Array(s[index..<index + tag.count]) == tag { return index + tag.count }
            index += 1
        }
        return s.count
    }
}

extension String {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
