/// What the element events of a camt.053 document add up to, before any value is read: the
/// texts of the elements we use, grouped by `Stmt`, `Ntry` and `TxDtls`.
///
/// Pure and fed by paths (the stack of local names, namespaces stripped), so it is the same for
/// every camt.053 version from .001.02 to .001.13 and testable without XML.
struct CamtDocument: Sendable {
    /// One `Stmt`: the account and period it covers.
    struct Statement: Sendable, Hashable {
        /// `Acct/Id/IBAN` or `Acct/Id/Othr/Id`.
        var ownAccount: String?
        /// `FrToDt/FrDtTm` and `FrToDt/ToDtTm` as printed.
        var fromText: String?
        var toText: String?
    }

    /// One `NtryDtls/TxDtls`: references, parties and remittance lines.
    struct Transaction: Sendable, Hashable {
        /// `Refs/AcctSvcrRef`: the serial when the entry has none of its own.
        var accountServicerRef: String?
        /// `Refs/EndToEndId`: the last resort for a serial (unless `NOTPROVIDED`).
        var endToEndID: String?
        /// `RltdPties/Cdtr` (the payee of a debit) and its account.
        var creditorName: String?
        var creditorAccount: String?
        /// `RltdPties/Dbtr` (the payer of a credit) and its account.
        var debtorName: String?
        var debtorAccount: String?
        /// Every `RmtInf/Ustrd`, in order: banks split long memos over several.
        var unstructured: [String] = []
    }

    /// One `Ntry` as printed.
    struct Entry: Sendable, Hashable {
        /// 1-based among all `Ntry` of the document: the line number of its problems.
        var index: Int
        /// `Amt` and its `Ccy` attribute.
        var amountText: String?
        var currency: String?
        /// `CdtDbtInd`: `CRDT` or `DBIT`.
        var indicator: String?
        /// `Sts` (or `Sts/Cd` from .001.08): only `BOOK` entries are receipts.
        var status: String?
        /// `BookgDt/Dt` or `BookgDt/DtTm`.
        var bookingDayText: String?
        var bookingDateTimeText: String?
        /// The entry's own `AcctSvcrRef`: the serial.
        var accountServicerRef: String?
        /// `AddtlNtryInf`: the memo when no transaction has `Ustrd`.
        var additionalInfo: String?
        /// `NtryDtls/TxDtls`, usually one.
        var transactions: [Transaction] = []
        /// The `Stmt` account, when it has one.
        var ownAccount: String?
        /// Elements whose text was longer than `StatementLimits.fieldLengthMax`.
        var overlongElements: [String] = []
    }

    /// Whether a `BkToCstmrStmt` element was seen.
    private(set) var isStatement = false
    /// Every `Stmt`, in order.
    private(set) var statements: [Statement] = []
    /// Every `Ntry` seen so far, in order.
    private(set) var entries: [Entry] = []
    /// Set when the document has more than `StatementLimits.linesMax` entries.
    private(set) var hasTooManyEntries = false
    private var entry: Entry?
    private var transaction: Transaction?

    /// An element opened; `path` ends with it.
    mutating func start(_ path: [String], attributes: [String: String]) {
        guard let name = path.last else { return }
        switch name {
        case "BkToCstmrStmt": isStatement = true
        case "Stmt" where path.dropLast().last == "BkToCstmrStmt": statements.append(Statement())
        case "Ntry" where !statements.isEmpty:
            guard entries.count < StatementLimits.linesMax else {
                hasTooManyEntries = true
                return
            }
            entry = Entry(index: entries.count + 1, ownAccount: statements.last?.ownAccount)
        case "TxDtls" where entry != nil: transaction = Transaction()
        case "Amt" where Self.relative(path, after: "Ntry") == ["Amt"]: entry?.currency = attributes["Ccy"]
        default: break
        }
    }

    /// An element closed with its text (trimmed); `overlong` when the text passed the bound.
    /// Empty texts are not recorded: they are the white space around child elements
    /// (`<Sts><Cd>BOOK</Cd></Sts>`), and an empty value is the same as a missing one.
    mutating func end(_ path: [String], text: String, overlong: Bool) {
        if let inTransaction = Self.relative(path, after: "TxDtls"), transaction != nil {
            if inTransaction.isEmpty, let transaction {
                entry?.transactions.append(transaction)
                self.transaction = nil
            } else {
                recordTransaction(Array(inTransaction), text: text, overlong: overlong)
            }
        } else if let inEntry = Self.relative(path, after: "Ntry"), entry != nil {
            if inEntry.isEmpty, let entry {
                entries.append(entry)
                self.entry = nil
            } else {
                recordEntry(Array(inEntry), text: text, overlong: overlong)
            }
        } else if let inStatement = Self.relative(path, after: "Stmt"), !statements.isEmpty, !overlong, !text.isEmpty {
            recordStatement(Array(inStatement), text: text)
        }
    }

    private mutating func recordEntry(_ path: [String], text: String, overlong: Bool) {
        guard let keyPath = Self.entryFields[path], overlong || !text.isEmpty else { return }
        guard !overlong else {
            entry?.overlongElements.append(path.joined(separator: "/"))
            return
        }
        entry?[keyPath: keyPath] = text
    }

    private mutating func recordTransaction(_ path: [String], text: String, overlong: Bool) {
        let isRemittance = path == ["RmtInf", "Ustrd"]
        guard isRemittance || Self.transactionFields[path] != nil, overlong || !text.isEmpty else { return }
        guard !overlong else {
            entry?.overlongElements.append("NtryDtls/TxDtls/" + path.joined(separator: "/"))
            return
        }
        if isRemittance {
            transaction?.unstructured.append(text)
        } else if let keyPath = Self.transactionFields[path] {
            transaction?[keyPath: keyPath] = text
        }
    }

    private mutating func recordStatement(_ path: [String], text: String) {
        switch path {
        case ["Acct", "Id", "IBAN"], ["Acct", "Id", "Othr", "Id"]: statements[statements.count - 1].ownAccount = text
        case ["FrToDt", "FrDtTm"]: statements[statements.count - 1].fromText = text
        case ["FrToDt", "ToDtTm"]: statements[statements.count - 1].toText = text
        default: break
        }
    }

    /// The elements of `Ntry` we read, by path below it.
    private static let entryFields: [[String]: any WritableKeyPath<Entry, String?> & Sendable] = [
        ["Amt"]: \.amountText,
        ["CdtDbtInd"]: \.indicator,
        ["Sts"]: \.status,
        ["Sts", "Cd"]: \.status,
        ["BookgDt", "Dt"]: \.bookingDayText,
        ["BookgDt", "DtTm"]: \.bookingDateTimeText,
        ["AcctSvcrRef"]: \.accountServicerRef,
        ["AddtlNtryInf"]: \.additionalInfo,
    ]

    /// The elements of `TxDtls` we read, by path below it; parties with and without the `Pty`
    /// level that camt.053.001.08 added.
    private static let transactionFields: [[String]: any WritableKeyPath<Transaction, String?> & Sendable] = [
        ["Refs", "AcctSvcrRef"]: \.accountServicerRef,
        ["Refs", "EndToEndId"]: \.endToEndID,
        ["RltdPties", "Cdtr", "Nm"]: \.creditorName,
        ["RltdPties", "Cdtr", "Pty", "Nm"]: \.creditorName,
        ["RltdPties", "CdtrAcct", "Id", "IBAN"]: \.creditorAccount,
        ["RltdPties", "CdtrAcct", "Id", "Othr", "Id"]: \.creditorAccount,
        ["RltdPties", "Dbtr", "Nm"]: \.debtorName,
        ["RltdPties", "Dbtr", "Pty", "Nm"]: \.debtorName,
        ["RltdPties", "DbtrAcct", "Id", "IBAN"]: \.debtorAccount,
        ["RltdPties", "DbtrAcct", "Id", "Othr", "Id"]: \.debtorAccount,
    ]

    /// The part of `path` below the last `name`, or nil when `name` is not on it.
    static func relative(_ path: [String], after name: String) -> ArraySlice<String>? {
        guard let index = path.lastIndex(of: name) else { return nil }
        return path[(index + 1)...]
    }
}
