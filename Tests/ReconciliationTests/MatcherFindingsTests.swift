import Reconciliation
import Testing

/// Findings of matching as finance reads them (issue 20): a second payment without a reference
/// is a duplicate of the batch it repeats, ambiguity lists only batches that could take the
/// amount, a reference to a batch without a recorded transfer is said, and notes are Chinese with
/// batches named by their `RB…` reference.
@Suite struct MatcherFindingsTests {
    typealias M = MatcherTests

    @Test func aSecondPaymentWithoutReferenceIsADuplicateEvenWithOtherOpenBatches() {
        // Proves a receipt repeating a settled batch's amount, with no reference, on an account with two other open batches,
        // is duplicate_payment naming the settled batch, not ambiguous between batches that do not owe that amount (item 3).
        let batches = [
            M.batch("b1", "RBAAAAAAAAAA", totalFen: 5_000, settledFen: 5_000), M.batch("b2", "RBBBBBBBBBBB", totalFen: 7_000),
            M.batch("b3", "RBCCCCCCCCCC", totalFen: 9_000),
        ]
        let again = M.decide([M.receipt("again", 5_000)], batches)["again"]
        #expect(again?.outcome == .duplicatePayment && again?.batchID == "b1")
        #expect(again?.note == "与已全额支付的 RBAAAAAAAAAA 账户和金额相同；这笔是重复付款。")
        // Settled in the same run: the first receipt pays b1 by account and amount, the second repeats it.
        let twice = M.decide(
            [M.receipt("first", 5_000, day: 0), M.receipt("second", 5_000, day: 1)],
            [M.batch("b1", "RBAAAAAAAAAA", totalFen: 5_000), batches[1], batches[2]])
        #expect(twice["first"]?.outcome == .ambiguous && twice["second"]?.outcome == .ambiguous)  // two receipts fit one batch
        let linkedFirst = M.decide(
            [M.receipt("first", 5_000, memo: "RBAAAAAAAAAA", day: 0), M.receipt("second", 5_000, day: 1)],
            [M.batch("b1", "RBAAAAAAAAAA", totalFen: 5_000), batches[1], batches[2]])
        #expect(linkedFirst["first"]?.outcome == .matched)
        #expect(linkedFirst["second"]?.outcome == .duplicatePayment && linkedFirst["second"]?.batchID == "b1")
    }

    @Test func ambiguousCandidatesAreOnlyBatchesThatCouldTakeTheAmount() {
        // Proves a receipt no open batch owes exactly is set only against open batches owing at least its amount: several → ambiguous
        // between those (by reference in the note), one → an amount mismatch against it, none → no batch.
        let open = [
            M.batch("b1", "RBAAAAAAAAAA", totalFen: 1_000), M.batch("b2", "RBBBBBBBBBBB", totalFen: 8_000),
            M.batch("b3", "RBCCCCCCCCCC", totalFen: 9_000),
        ]
        let several = M.decide([M.receipt("r", 6_000)], open)["r"]
        #expect(several?.outcome == .ambiguous && several?.candidateBatchIDs == ["b2", "b3"])
        #expect(several?.note.contains("RBBBBBBBBBBB、RBCCCCCCCCCC") == true)
        let one = M.decide([M.receipt("r", 8_500)], open)["r"]
        #expect(one?.outcome == .amountMismatch && one?.batchID == "b3")
        let none = M.decide([M.receipt("r", 9_500)], open)["r"]
        #expect(none?.outcome == .noBatch && none?.batchID == nil)
        #expect(none?.note.contains("RBAAAAAAAAAA、RBBBBBBBBBBB、RBCCCCCCCCCC") == true)
    }

    @Test func aReferenceToABatchWithoutARecordedTransferIsSaid() {
        // Proves a receipt naming a batch whose transfer is not recorded is no_batch with a note naming the batch and saying so,
        // and is not matched to another batch by account and amount (item 5); an unknown reference is named in the note too.
        let other = M.batch("b1", "RBAAAAAAAAAA", totalFen: 5_000)
        let named = M.receipt("r", 5_000, memo: "兑付 RB7KX2M4QZ5A")
        let d = Matcher.match(receipts: [named], batches: [other], policy: .standard, unrecordedReferences: ["RB7KX2M4QZ5A"])
        #expect(d.first?.outcome == .noBatch && d.first?.batchID == nil)
        #expect(d.first?.note == "备注写明批次 RB7KX2M4QZ5A，但该批次的转账尚未登记；登记转账后重新对账，即可与它核对。")
        let unknown = M.decide([M.receipt("r", 1, memo: "RB7KX2M4QZ5A")], [])["r"]
        #expect(unknown?.note == "没有已登记转账的批次符合这笔付款。备注中的参考号 RB7KX2M4QZ5A 不属于任何已登记转账的批次。")
    }

    @Test func notesAreChineseAndNameBatchesByReference() {
        // Proves the notes finance reads are Chinese and name batches by RB… reference, never by internal id (item 6).
        let twins = [M.batch("b1", "RBAAAAAAAAAA", totalFen: 5_000), M.batch("b2", "RBBBBBBBBBBB", totalFen: 5_000, transferDay: 1)]
        let d = M.decide(
            [
                M.receipt("ambiguous", 5_000), M.receipt("both", 5_000, memo: "RBAAAAAAAAAA RBBBBBBBBBBB"),
                M.receipt("short", 4_000, memo: "RBAAAAAAAAAA", day: 1),
            ], twins)
        #expect(d["ambiguous"]?.note == "该账户有 2 个批次（RBAAAAAAAAAA、RBBBBBBBBBBB）在 3 天内都欠 ¥50.00；请人工确定它支付的是哪一个。")
        #expect(d["both"]?.note == "备注或流水号同时指向多个批次（RBAAAAAAAAAA、RBBBBBBBBBBB）；请人工确定它支付的是哪一个。")
        #expect(d["short"]?.note == "付款 ¥40.00；RBAAAAAAAAAA 尚欠 ¥50.00。")
    }
}
