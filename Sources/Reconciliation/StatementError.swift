import VoucherCore

/// Why a whole statement file was refused before any line was read.
///
/// Lines that cannot be read are not errors: they go into `ParsedStatement.problems` with their
/// number, so that one upload tells the person every line to fix. These cases are for files that
/// are not a statement at all, or that no line number could describe.
public enum StatementError: DomainErrorConvertible, Hashable {
    /// Not a bank statement we can read (an image, prose, a CSV without a receipt header, an XML
    /// that is not camt.053); `reason` says what it looked like instead.
    case notAStatement(reason: String)
    /// A statement with a header but not one entry.
    case empty
    /// The text is neither UTF-8 nor GB18030 (which covers GBK and GB2312); it broke on `line`
    /// (1-based) at `byteOffset` (0-based, from the start of the file).
    case undecodable(line: Int, byteOffset: Int)
    /// A camt.053 document that is not well-formed XML; `reason` names the line and column.
    case malformed(reason: String)
    /// Larger than `StatementLimits.bytesMax`.
    case tooLarge
    /// More physical lines (CSV) or entries (camt.053) than `StatementLimits.linesMax`.
    case tooManyLines

    /// The stable code of each case.
    public var code: String {
        switch self {
        case .notAStatement: "statement_not_recognised"
        case .empty: "statement_empty"
        case .undecodable: "statement_encoding_unknown"
        case .malformed: "statement_malformed"
        case .tooLarge: "statement_too_large"
        case .tooManyLines: "statement_too_many_lines"
        }
    }

    /// A file that is too big is a 413 whatever it holds; everything else is bad input.
    public var kind: DomainError.Kind {
        switch self {
        case .tooLarge, .tooManyLines: .tooLarge
        case .notAStatement, .empty, .undecodable, .malformed: .invalidInput
        }
    }

    /// What to fix, in one sentence.
    public var detail: String {
        switch self {
        case .notAStatement(let reason):
            "The file is not a bank statement we can read: \(reason) Upload the bank's receipt export as CSV or camt.053 XML."
        case .empty: "The statement has a header but no entries; export a period in which the account had transactions."
        case .undecodable(let line, let offset):
            "The file is neither UTF-8 nor GBK/GB18030 text: it stops decoding on line \(line), at byte offset \(offset) (counted from 0); "
                + "check that line or save the file again as a UTF-8 or GBK CSV."
        case .malformed(let reason): "The camt.053 file is not well-formed XML (\(reason)); download it from the bank again."
        case .tooLarge:
            "The statement is larger than \(StatementLimits.bytesMax / StatementLimits.bytesPerMebibyte) MiB; export a shorter period."
        case .tooManyLines: "The statement has more than \(StatementLimits.linesMax) lines or entries; export a shorter period."
        }
    }
}

/// Bounds of statement reading, named in one place (house habit 5): a statement is read in one
/// request, in memory, so every dimension of it is capped before work grows with it.
public enum StatementLimits {
    /// Bytes in one mebibyte, for the sentence that states `bytesMax`.
    public static let bytesPerMebibyte = 1024 * 1024
    /// The largest file read: 32 MiB, about a year of a busy account's receipts.
    public static let bytesMax = 32 * bytesPerMebibyte
    /// Physical lines of a CSV, or `Ntry` elements of a camt.053.
    public static let linesMax = 200_000
    /// Characters in one CSV field or camt.053 element; longer is a broken export, not a name.
    public static let fieldLengthMax = 512
    /// Rows searched for the header before the file is declared not a statement.
    public static let headerSearchRowsMax = 100
    /// Problems listed one by one; past this, one last problem counts the rest, because nobody
    /// fixes a thousand lines by reading a list (they export the file again).
    public static let problemsMax = 1_000
}
