/// Which column of a CSV statement holds what, found from its header row.
///
/// Banks name the same column differently (流水号, 回单号, 交易流水号…), print units in brackets
/// (`金额(元)`, `借方发生额（支取）`) and put several memo columns side by side; this maps every
/// spelling we accept to one role, so the rest of the reader works with indexes.
struct StatementColumns: Sendable, Hashable {
    /// What a column means.
    enum Role: Sendable, Hashable, CaseIterable {
        case serial, date, time, amount, debitAmount, creditAmount, direction
        case counterpartyName, counterpartyAccount, memo, ownAccount, currency
    }

    /// Where the amount and its direction come from.
    enum Amounts: Sendable, Hashable {
        /// One amount column; the direction column says which way, or else the sign does.
        case signed(amount: Int, direction: Int?)
        /// 借方发生额 or 支出金额 (money out) and 贷方发生额 or 收入金额 (money in), exactly one of them filled; a direction
        /// column, if there is one too, must agree.
        case split(debit: Int, credit: Int, direction: Int?)
    }

    /// The header names each role accepts, after `normalisedName`, in order of preference when a
    /// file has more than one of them (交易日期 before 记账日期: the day the transfer was made).
    static let aliases: [Role: [String]] = [
        .serial: ["流水号", "回单号", "交易流水号", "回单编号"],
        .date: ["交易日期", "记账日期"],
        .time: ["交易时间"],
        .amount: ["金额", "发生额", "交易金额"],
        .debitAmount: ["借方发生额", "借方金额", "支出金额", "支出", "付出金额", "转出金额"],
        .creditAmount: ["贷方发生额", "贷方金额", "收入金额", "收入", "存入金额", "转入金额"],
        .direction: ["借贷方向", "收支方向", "借贷标志", "借/贷", "借贷", "收支标志", "收/支", "收支", "借贷标识", "收付标志", "交易方向"],
        .counterpartyName: ["对方户名", "收款人名称", "对方名称", "对方账户名称"],
        .counterpartyAccount: ["对方账号", "收款人账号", "对方账户"],
        .memo: ["摘要", "用途", "附言", "备注"],
        .ownAccount: ["本方账号"],
        .currency: ["币种"],
    ]

    /// The header cells as printed (cleaned), for sentences that name a column.
    let names: [String]
    /// 流水号 and its aliases: the dedupe key.
    let serial: Int
    /// The day column; nil when 交易时间 holds the day and the time together.
    let date: Int?
    /// 交易时间: the time of day, or the day and time when `date` is nil.
    let time: Int?
    /// Where the amount and its direction are.
    let amounts: Amounts
    /// 对方户名 and its aliases.
    let counterpartyName: Int?
    /// 对方账号 and its aliases.
    let counterpartyAccount: Int?
    /// Every memo column, in header order; their non-empty cells are joined with " | ".
    let memos: [Int]
    /// 本方账号, when each row names the own account.
    let ownAccount: Int?
    /// 币种; without it every entry is CNY.
    let currency: Int?

    /// The columns of a header row, or nil when the row is not one: it needs a serial, a day (or
    /// a 交易时间 holding the day) and an amount (or both 借方 and 贷方 columns).
    init?(header cells: [String]) {
        var found: [Role: [(column: Int, preference: Int)]] = [:]
        for (column, cell) in cells.enumerated() {
            let name = Self.normalisedName(cell)
            for (role, names) in Self.aliases {
                if let preference = names.firstIndex(of: name) { found[role, default: []].append((column, preference)) }
            }
        }
        func best(_ role: Role) -> Int? {
            found[role]?.min { ($0.preference, $0.column) < ($1.preference, $1.column) }?.column
        }
        if found[.direction] == nil, let column = cells.indices.first(where: { Self.namesADirection(Self.normalisedName(cells[$0])) }) {
            found[.direction] = [(column, 0)]
        }
        guard let serial = best(.serial), best(.date) != nil || best(.time) != nil else { return nil }
        if let debit = best(.debitAmount), let credit = best(.creditAmount) {
            amounts = .split(debit: debit, credit: credit, direction: best(.direction))
        } else if let amount = best(.amount) {
            amounts = .signed(amount: amount, direction: best(.direction))
        } else {
            return nil
        }
        self.names = cells
        self.serial = serial
        self.date = best(.date)
        self.time = best(.time)
        self.counterpartyName = best(.counterpartyName)
        self.counterpartyAccount = best(.counterpartyAccount)
        self.memos = (found[.memo] ?? []).map(\.column).sorted()
        self.ownAccount = best(.ownAccount)
        self.currency = best(.currency)
    }

    /// A header no alias lists that still names a direction the way banks do (`借/贷标志`,
    /// `收支类型`, `收/付`): it pairs 借 with 贷, or 收 with 支 or 付, and is not an amount column.
    /// Reading such a column beats reading its unsigned amounts as money in (issue 20).
    static func namesADirection(_ name: String) -> Bool {
        let pairs = name.contains("借") && name.contains("贷") || name.contains("收") && (name.contains("支") || name.contains("付"))
        return pairs && !name.contains("金额") && !name.contains("发生额") && !name.contains("余额")
    }

    /// Whether two headers put every role in the same column (their printed names may differ
    /// in trailing empty cells or spacing).
    func hasSameLayout(as other: StatementColumns) -> Bool {
        serial == other.serial && date == other.date && time == other.time && amounts == other.amounts
            && counterpartyName == other.counterpartyName && counterpartyAccount == other.counterpartyAccount
            && memos == other.memos && ownAccount == other.ownAccount && currency == other.currency
    }

    /// Every column a data row must reach; a shorter row lost a field.
    var usedColumns: [Int] {
        var columns = [serial] + memos
        switch amounts {
        case .signed(let amount, let direction): columns += [amount] + (direction.map { [$0] } ?? [])
        case .split(let debit, let credit, let direction): columns += [debit, credit] + (direction.map { [$0] } ?? [])
        }
        columns += [date, time, counterpartyName, counterpartyAccount, ownAccount, currency].compactMap { $0 }
        return columns
    }

    /// The header as compared with `aliases`: cleaned, without anything in half- or full-width
    /// brackets (`金额(元)` → `金额`), without inner white space.
    static func normalisedName(_ cell: String) -> String {
        var name = ""
        var depth = 0
        for character in StatementCell.clean(cell) {
            switch character {
            case "(", "（": depth += 1
            case ")", "）": depth = max(0, depth - 1)
            default: if depth == 0 && !character.isWhitespace { name.append(character) }
            }
        }
        return name
    }
}
