/// 本方账号 printed above a CSV statement's header (`账号：6228480012345678` in one cell, or
/// `本方账号` and the number in two), taken only when it is obvious: digits, and only one.
enum PreambleAccount {
    /// The labels that introduce the statement's own account.
    static let labels = ["本方账号", "账号"]
    /// Account numbers are 6 to 40 digits; anything else next to the label is not taken.
    static let digitsRange = 6...40

    /// The one account the preamble names, or nil when it names none or several.
    static func find(in records: ArraySlice<CSVRecord>) -> String? {
        var accounts: Set<String> = []
        for record in records {
            let cells = record.fields.map(StatementCell.clean).filter { !$0.isEmpty }
            for (index, cell) in cells.enumerated() {
                let compact = cell.filter { !$0.isWhitespace }
                for label in labels where compact.hasPrefix(label) {
                    var rest = compact.dropFirst(label.count)
                    if rest.first == ":" || rest.first == "：" { rest = rest.dropFirst() }
                    let value = rest.isEmpty && index + 1 < cells.count ? cells[index + 1][...] : rest
                    if let account = account(value) { accounts.insert(account) }
                    break
                }
            }
        }
        return accounts.count == 1 ? accounts.first : nil
    }

    private static func account(_ text: Substring) -> String? {
        let value = StatementCell.clean(String(text))
        guard digitsRange.contains(value.count), value.allSatisfy({ $0.isASCII && $0.isWholeNumber }) else { return nil }
        return value
    }
}
