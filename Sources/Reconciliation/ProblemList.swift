/// The problems of one statement, bounded by `StatementLimits.problemsMax`: past the bound only
/// a count is kept, and one last problem says how many lines more need fixing.
struct ProblemList: Sendable {
    private var listed: [LineProblem] = []
    private var unlistedCount = 0
    private var firstUnlistedLine: Int?
    /// Whether nothing was added (listed or only counted).
    private(set) var isEmpty = true

    /// Adds one line's reasons as one problem (the sentences joined with a space, their codes kept).
    mutating func add(lineNumber: Int, reasons: [LineReason]) {
        precondition(!reasons.isEmpty, "a problem must say what to fix")
        isEmpty = false
        guard listed.count < StatementLimits.problemsMax else {
            unlistedCount += 1
            if firstUnlistedLine == nil { firstUnlistedLine = lineNumber }
            return
        }
        listed.append(LineProblem(lineNumber: lineNumber, reason: reasons.map(\.text).joined(separator: " "), codes: reasons.map(\.code)))
    }

    /// Adds one sentence about a line.
    mutating func add(lineNumber: Int, reason: LineReason) {
        add(lineNumber: lineNumber, reasons: [reason])
    }

    /// Everything reported, in the order it was found.
    var problems: [LineProblem] {
        guard let firstUnlistedLine else { return listed }
        return listed + [
            LineProblem(
                lineNumber: firstUnlistedLine,
                reason: "\(unlistedCount) more lines from here on have problems; fix the ones above and export the statement again.",
                codes: ["lines_more"])
        ]
    }
}

/// One sentence about a line, with the stable code a page shows in its own language.
struct LineReason: Sendable, Hashable {
    /// Stable and snake_case (`amount_invalid`, `serial_missing` …): `LineProblem.codes`.
    let code: String
    let text: String

    init(_ code: String, _ text: String) {
        self.code = code
        self.text = text
    }
}
