import Reconciliation
import Testing

/// Each outcome of matching, one small statement at a time (SPEC §6).
@Suite struct MatcherTests {
    static let day = CalendarDay(iso: "2026-11-03")!
    static func on(_ offset: Int) -> CalendarDay { CalendarDay(dayNumber: day.dayNumber + offset)! }

    static let acme = (name: "杭州数智科技有限公司", account: "622848001234567890")
    static let other = (name: "宁波云帆信息技术有限公司", account: "622848009876543210")

    static func batch(
        _ id: String, _ reference: String, totalFen: Int64, payee: (name: String, account: String) = acme,
        transferDay: Int = 0, serial: String? = nil, settledFen: Int64 = 0
    ) -> PaidBatch {
        PaidBatch(
            id: id, reference: reference, payeeName: payee.name, payeeNumber: payee.account, totalFen: totalFen,
            transferDate: on(transferDay), bankSerial: serial, settledFen: settledFen)
    }

    static func receipt(
        _ id: String, _ amountFen: Int64, memo: String = "", payee: (name: String, account: String) = acme,
        day: Int = 0, serial: String? = nil
    ) -> Receipt {
        Receipt(
            id: id, serial: serial ?? "SN-\(id)", date: on(day), amountFen: amountFen, counterpartyName: payee.name,
            counterpartyAccount: payee.account, memo: memo)
    }

    static func decide(_ receipts: [Receipt], _ batches: [PaidBatch], window: Int = 3) -> [String: LineDecision] {
        let decisions = Matcher.match(receipts: receipts, batches: batches, policy: MatchPolicy(dateWindowDays: window))
        #expect(decisions.map(\.receiptID) == receipts.map(\.id))
        return Dictionary(uniqueKeysWithValues: decisions.map { ($0.receiptID, $0) })
    }

    @Test func referenceInTheMemoMatches() {
        // Proves the first rule: reference + right payee + exact amount → matched by reference, even outside the window.
        let d = Self.decide(
            [Self.receipt("r1", 1_500_000, memo: "兑付款 RB7KX2M4QZ5A 服务券", day: 20)],
            [Self.batch("b1", "RB7KX2M4QZ5A", totalFen: 1_500_000)])
        #expect(d["r1"]?.outcome == .matched)
        #expect(d["r1"]?.batchID == "b1")
        #expect(d["r1"]?.rule == .reference)
    }

    @Test func recordedBankSerialLinksLikeAReference() {
        let d = Self.decide(
            [Self.receipt("r1", 500, serial: "ABC2026110300017")],
            [Self.batch("b1", "RBAAAAAAAAAA", totalFen: 500, serial: "ABC2026110300017")])
        #expect(d["r1"]?.outcome == .matched)
        #expect(d["r1"]?.rule == .bankSerial)
    }

    @Test func amountMismatchAndNameOrAccountMismatch() {
        // Proves a named batch is never settled by the wrong amount or the wrong party, and says which.
        let batches = [Self.batch("b1", "RBAAAAAAAAAA", totalFen: 10_000), Self.batch("b2", "RBBBBBBBBBBB", totalFen: 20_000)]
        let d = Self.decide(
            [
                Self.receipt("short", 9_999, memo: "RBAAAAAAAAAA"),
                Self.receipt("stranger", 20_000, memo: "rbbbbbbbbbbb", payee: Self.other),
            ], batches)
        #expect(d["short"]?.outcome == .amountMismatch)
        #expect(d["short"]?.batchID == "b1")
        #expect(d["stranger"]?.outcome == .nameOrAccountMismatch)
        #expect(d["stranger"]?.batchID == "b2")
    }

    @Test func namesAndAccountsCompareAfterNormalising() {
        // Proves full-width brackets, spaces in account numbers and U+3000 do not make a mismatch; 有限责任 vs 有限 does.
        let payee = (name: "杭州数智(浙江)科技有限公司", account: "622848001234567890")
        let batch = Self.batch("b1", "RBAAAAAAAAAA", totalFen: 100, payee: payee)
        let same = Self.decide(
            [Self.receipt("r", 100, memo: "RBAAAAAAAAAA", payee: (name: "杭州数智（浙江）科技有限公司　", account: "6228 4800 1234 5678 90"))], [batch])
        #expect(same["r"]?.outcome == .matched)
        let different = Self.decide(
            [Self.receipt("r", 100, memo: "RBAAAAAAAAAA", payee: (name: "杭州数智(浙江)科技有限责任公司", account: payee.account))], [batch])
        #expect(different["r"]?.outcome == .nameOrAccountMismatch)
    }

    @Test func duplicatePaymentOfASettledBatch() {
        // Proves a second full payment is a duplicate, whether the batch was settled earlier or in this run.
        let earlier = Self.decide(
            [Self.receipt("again", 700, memo: "RBAAAAAAAAAA")],
            [Self.batch("b1", "RBAAAAAAAAAA", totalFen: 700, settledFen: 700)])
        #expect(earlier["again"]?.outcome == .duplicatePayment)
        let twice = Self.decide(
            [Self.receipt("first", 700, memo: "RBAAAAAAAAAA", day: 0), Self.receipt("second", 700, memo: "RBAAAAAAAAAA", day: 1)],
            [Self.batch("b1", "RBAAAAAAAAAA", totalFen: 700)])
        #expect(twice["first"]?.outcome == .matched)
        #expect(twice["second"]?.outcome == .duplicatePayment)
        let noMemo = Self.decide(
            [Self.receipt("first", 700, day: 0), Self.receipt("again", 700, memo: "RBAAAAAAAAAA", day: 1)],
            [Self.batch("b1", "RBAAAAAAAAAA", totalFen: 700)])
        #expect(noMemo["again"]?.outcome == .matched)
        #expect(noMemo["first"]?.outcome == .duplicatePayment)
    }

    @Test func splitPaymentsSettleOnlyWhenTheySumExactly() {
        // Proves several receipts settle one batch when they sum to what it owes, and not when they do not.
        let batch = Self.batch("b1", "RBAAAAAAAAAA", totalFen: 100_000)
        let split = Self.decide(
            [Self.receipt("a", 60_000, memo: "RBAAAAAAAAAA 1/2"), Self.receipt("b", 40_000, memo: "RBAAAAAAAAAA 2/2", day: 1)], [batch])
        #expect(split["a"]?.outcome == .matched && split["b"]?.outcome == .matched)
        let short = Self.decide([Self.receipt("a", 60_000, memo: "RBAAAAAAAAAA"), Self.receipt("b", 30_000, memo: "RBAAAAAAAAAA")], [batch])
        #expect(short["a"]?.outcome == .amountMismatch && short["b"]?.outcome == .amountMismatch)
        // The rest of a split arriving later: the batch already has ¥600 settled and owes ¥400.
        let rest = Self.decide(
            [Self.receipt("b", 40_000, memo: "RBAAAAAAAAAA")], [Self.batch("b1", "RBAAAAAAAAAA", totalFen: 100_000, settledFen: 60_000)])
        #expect(rest["b"]?.outcome == .matched)
        // Paid twice as a split: the oldest pair settles it, the later pair is a duplicate.
        let doubled = Self.decide(
            [
                Self.receipt("a1", 60_000, memo: "RBAAAAAAAAAA", day: 0), Self.receipt("b1", 40_000, memo: "RBAAAAAAAAAA", day: 0),
                Self.receipt("a2", 60_000, memo: "RBAAAAAAAAAA", day: 1), Self.receipt("b2", 40_000, memo: "RBAAAAAAAAAA", day: 1),
            ], [batch])
        #expect(doubled.values.filter { $0.outcome == .matched }.map(\.receiptID).sorted() == ["a1", "b1"])
        #expect(doubled.values.filter { $0.outcome == .duplicatePayment }.map(\.receiptID).sorted() == ["a2", "b2"])
    }

    @Test func accountAndAmountWithinTheWindow() {
        // Proves the second rule matches on account + amount within the window (inclusive) and not a day beyond.
        let batch = Self.batch("b1", "RBAAAAAAAAAA", totalFen: 8_800, transferDay: 0)
        #expect(Self.decide([Self.receipt("r", 8_800, memo: "服务券兑付", day: 3)], [batch])["r"]?.outcome == .matched)
        #expect(Self.decide([Self.receipt("r", 8_800, memo: "服务券兑付", day: -3)], [batch])["r"]?.rule == .accountAndAmount)
        #expect(Self.decide([Self.receipt("r", 8_800, day: 4)], [batch])["r"]?.outcome == .noBatch)
        #expect(Self.decide([Self.receipt("r", 8_800, day: 4)], [batch], window: 4)["r"]?.outcome == .matched)
        // No reference, another account: nothing fits.
        #expect(Self.decide([Self.receipt("r", 8_800, payee: Self.other)], [batch])["r"]?.outcome == .noBatch)
        // No reference, right account, another amount, only one open batch there: an amount mismatch against it.
        let off = Self.decide([Self.receipt("r", 8_700)], [batch])["r"]
        #expect(off?.outcome == .amountMismatch && off?.batchID == "b1")
    }

    @Test func ambiguityIsLeftToAPerson() {
        // Proves two batches of the same account and amount, or two receipts for one batch, are never resolved silently.
        let twins = [Self.batch("b1", "RBAAAAAAAAAA", totalFen: 5_000), Self.batch("b2", "RBBBBBBBBBBB", totalFen: 5_000, transferDay: 1)]
        let one = Self.decide([Self.receipt("r", 5_000)], twins)["r"]
        #expect(one?.outcome == .ambiguous)
        #expect(one?.candidateBatchIDs == ["b1", "b2"])
        let rivals = Self.decide([Self.receipt("r1", 5_000), Self.receipt("r2", 5_000, day: 1)], [twins[0]])
        #expect(rivals["r1"]?.outcome == .ambiguous && rivals["r2"]?.outcome == .ambiguous)
        #expect(rivals["r1"]?.candidateBatchIDs == ["b1"])
        let bothNamed = Self.decide([Self.receipt("r", 5_000, memo: "RBAAAAAAAAAA RBBBBBBBBBBB")], twins)["r"]
        #expect(bothNamed?.outcome == .ambiguous)
        #expect(bothNamed?.candidateBatchIDs == ["b1", "b2"])
    }

    @Test func splitWithoutReferenceToTheOnlyOpenBatchOfAnAccount() {
        let batch = Self.batch("b1", "RBAAAAAAAAAA", totalFen: 30_000)
        let d = Self.decide([Self.receipt("a", 10_000), Self.receipt("b", 20_000, day: 1)], [batch])
        #expect(d["a"]?.outcome == .matched && d["b"]?.outcome == .matched)
        #expect(d["a"]?.rule == .accountAndAmount)
    }

    @Test func aPayoutInAnotherCurrencySettlesNothing() {
        // Proves a USD line of the right figure never settles a CNY batch: with the reference it is an
        // amount mismatch against that batch, without it no batch (not a match by account and amount).
        let batch = Self.batch("b1", "RBAAAAAAAAAA", totalFen: 10_000)
        var named = Self.receipt("usd", 10_000, memo: "RBAAAAAAAAAA")
        named.currency = "USD"
        let withReference = Self.decide([named], [batch])["usd"]
        #expect(withReference?.outcome == .amountMismatch && withReference?.batchID == "b1")
        #expect(withReference?.note.contains("USD") == true)
        var unnamed = Self.receipt("usd", 10_000)
        unnamed.currency = "USD"
        #expect(Self.decide([unnamed], [batch])["usd"]?.outcome == .noBatch)
    }

    @Test func noBatchWhenNothingFits() {
        #expect(Self.decide([Self.receipt("r", 1)], [])["r"]?.outcome == .noBatch)
        #expect(Self.decide([Self.receipt("r", 100, memo: "RB7KX2M4QZ5A")], [])["r"]?.batchID == nil)
    }

    @Test func referencesAreFoundOnlyAsWholeTokens() {
        #expect(Matcher.references(in: "兑付RB7KX2M4QZ5A款") == ["RB7KX2M4QZ5A"])
        #expect(Matcher.references(in: "ｒｂ７ｋｘ２ｍ４ｑｚ５ａ") == ["RB7KX2M4QZ5A"])
        #expect(Matcher.references(in: "RB7KX2M4QZ5A/RBBBBBBBBBBB") == ["RB7KX2M4QZ5A", "RBBBBBBBBBBB"])
        #expect(Matcher.references(in: "XRB7KX2M4QZ5A").isEmpty)
        #expect(Matcher.references(in: "RB7KX2M4QZ5AB").isEmpty)
        #expect(Matcher.references(in: "RB7KX2M4QZ51").isEmpty)  // 1 is not base32
        #expect(Matcher.references(in: "RB7KX2M4QZ5").isEmpty)
        #expect(Matcher.references(in: "").isEmpty)
    }
}
