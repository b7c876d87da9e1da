import PropertyBased
import Reconciliation
import Testing

/// Invariants of matching over generated worlds: small pools of accounts, amounts and days so
/// that references, collisions, splits and duplicates are frequent.
@Suite struct MatcherPropertyTests {
    /// A world built from one seed (SplitMix64), so a failure names a reproducible seed.
    struct World: CustomStringConvertible {
        var receipts: [Receipt] = []
        var batches: [PaidBatch] = []
        let seed: UInt64
        var description: String { "world(seed: \(seed))" }

        static let parties = [
            ("杭州数智科技有限公司", "622848001234567890"), ("宁波云帆信息技术有限公司", "622848009876543210"),
            ("温州启明软件有限公司", "622848005555555555"),
        ]
        static let amountsFen: [Int64] = [100, 250, 1_000, 1_250, 5_000]

        init(seed: UInt64) {
            self.seed = seed
            var rng = SplitMix64(state: seed)
            let base = CalendarDay(iso: "2026-11-01")!.dayNumber
            let batchCount = Int.random(in: 0...8, using: &rng)
            for index in 0..<batchCount {
                let party = Self.parties.randomElement(using: &rng)!
                let total = Self.amountsFen.randomElement(using: &rng)!
                let settled: Int64 = [0, 0, 0, total, total / 2].randomElement(using: &rng)!
                batches.append(
                    PaidBatch(
                        id: "b\(index)", reference: "RB" + String(repeating: Character(UnicodeScalar(UInt8(65 + index))), count: 10),
                        payeeName: party.0, payeeNumber: party.1, totalFen: total,
                        transferDate: CalendarDay(dayNumber: base + Int.random(in: 0...6, using: &rng))!,
                        bankSerial: Bool.random(using: &rng) ? "S\(index)" : nil, settledFen: settled))
            }
            for index in 0..<Int.random(in: 0...12, using: &rng) {
                var party = Self.parties.randomElement(using: &rng)!
                var amount = Self.amountsFen.randomElement(using: &rng)!
                var memo = ["", "服务券兑付", "付款"].randomElement(using: &rng)!
                var serial = "R\(index)"
                if let batch = batches.randomElement(using: &rng), Int.random(in: 0...3, using: &rng) > 0 {
                    party = (batch.payeeName, batch.payeeNumber)
                    amount = [batch.totalFen, batch.totalFen - batch.settledFen, batch.totalFen / 2, amount].randomElement(using: &rng)!
                    if Bool.random(using: &rng) { memo += " \(batch.reference)" }
                    if let bankSerial = batch.bankSerial, Int.random(in: 0...4, using: &rng) == 0 { serial = bankSerial }
                    if Int.random(in: 0...5, using: &rng) == 0 { party.0 += "分公司" }
                }
                if amount <= 0 { amount = 1 }
                receipts.append(
                    Receipt(
                        id: "r\(index)", serial: serial, date: CalendarDay(dayNumber: base + Int.random(in: -1...8, using: &rng))!,
                        amountFen: amount, counterpartyName: party.0, counterpartyAccount: party.1, memo: memo,
                        currency: Int.random(in: 0...9, using: &rng) == 0 ? "USD" : "CNY"))
            }
        }
    }

    /// The same generator as TestSupport's `SplitMix64`, kept here on purpose: ReconciliationTests
    /// tests pure code and must not depend on TestSupport, which links the whole server.
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let seeds = Gen.int64(in: 0...Int64.max)
    static let policy = MatchPolicy(dateWindowDays: 2)

    @Test func batchesAreSettledExactlyOrNotAtAll() async {
        // Proves no batch is ever over- or under-paid by matching: matched receipts of a batch sum to
        // exactly what it owed, or there are none; a batch paid in full before gets none.
        await propertyCheck(count: 2_000, input: Self.seeds) { seed in
            let world = World(seed: UInt64(seed))
            let decisions = Matcher.match(receipts: world.receipts, batches: world.batches, policy: Self.policy)
            let amounts = Dictionary(uniqueKeysWithValues: world.receipts.map { ($0.id, $0.amountFen) })
            for batch in world.batches {
                let matchedFen = decisions.filter { $0.outcome == .matched && $0.batchID == batch.id }.reduce(Int64(0)) {
                    $0 + amounts[$1.receiptID]!
                }
                #expect(matchedFen == 0 || matchedFen == batch.totalFen - batch.settledFen, "\(world)")
            }
        }
    }

    @Test func everyDecisionIsJustified() async {
        // Proves each outcome carries what it claims: matched → CNY, the right payee and the rule's evidence;
        // ambiguous → candidates that could take the amount; no_batch → no batch; nothing is `not_payout` (debits only
        // reach the matcher); every note is Chinese and names no internal batch id.
        await propertyCheck(count: 2_000, input: Self.seeds) { seed in
            let world = World(seed: UInt64(seed))
            let decisions = Matcher.match(receipts: world.receipts, batches: world.batches, policy: Self.policy)
            #expect(decisions.map(\.receiptID) == world.receipts.map(\.id))
            let batches = Dictionary(uniqueKeysWithValues: world.batches.map { ($0.id, $0) })
            for (receipt, decision) in zip(world.receipts, decisions) {
                switch decision.outcome {
                case .matched:
                    #expect(receipt.currency == PaidBatch.currency, "\(world)")
                    guard let batch = decision.batchID.flatMap({ batches[$0] }) else {
                        Issue.record("matched without a batch \(world)")
                        continue
                    }
                    #expect(
                        ReceiptComparison.sameParty(
                            name: receipt.counterpartyName, account: receipt.counterpartyAccount,
                            expectedName: batch.payeeName, expectedAccount: batch.payeeNumber), "\(world)")
                    switch decision.rule {
                    case .reference: #expect(Matcher.references(in: receipt.memo).contains(batch.reference), "\(world)")
                    case .bankSerial: #expect(receipt.serial == batch.bankSerial, "\(world)")
                    case .accountAndAmount: #expect(abs(batch.transferDate.days(to: receipt.date)) <= Self.policy.dateWindowDays, "\(world)")
                    default: Issue.record("matched by \(String(describing: decision.rule)) \(world)")
                    }
                case .ambiguous:
                    #expect(!decision.candidateBatchIDs.isEmpty, "\(world)")
                    // Candidates by account are only batches that could take the amount: owing at least it, or paid in full
                    // with exactly it (a duplicate of which) — never an open batch that owes less (issue 20).
                    if decision.rule == .accountAndAmount {
                        for batch in decision.candidateBatchIDs.compactMap({ batches[$0] }) {
                            #expect(batch.totalFen - batch.settledFen >= receipt.amountFen || batch.totalFen == receipt.amountFen, "\(world)")
                        }
                    }
                case .noBatch: #expect(decision.batchID == nil, "\(world)")
                case .notPayout: Issue.record("a debit was called not a payout \(world)")
                case .amountMismatch, .nameOrAccountMismatch, .duplicatePayment: #expect(decision.batchID != nil, "\(world)")
                }
                // Notes are for people: Chinese, naming batches by reference, never by internal id (issue 20).
                #expect(decision.note.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }, "\(decision.note) \(world)")
                #expect(!world.batches.contains { decision.note.contains($0.id) }, "\(decision.note) \(world)")
            }
        }
    }

    @Test func orderOfInputDoesNotMatter() async {
        // Proves determinism: shuffling receipts and batches gives every receipt the same decision.
        await propertyCheck(count: 1_000, input: Self.seeds) { seed in
            let world = World(seed: UInt64(seed))
            var rng = SplitMix64(state: UInt64(seed) ^ 0xDEAD_BEEF)
            let first = Matcher.match(receipts: world.receipts, batches: world.batches, policy: Self.policy)
            let second = Matcher.match(
                receipts: world.receipts.shuffled(using: &rng), batches: world.batches.shuffled(using: &rng), policy: Self.policy)
            #expect(
                Dictionary(uniqueKeysWithValues: first.map { ($0.receiptID, $0) })
                    == Dictionary(uniqueKeysWithValues: second.map { ($0.receiptID, $0) }), "\(world)")
        }
    }

    @Test func anExactReferencedPaymentAlwaysMatches() async {
        // Proves completeness of the first rule: each open batch paid once, exactly, to its payee, with
        // its reference, is matched — whatever other noise the statement holds for other accounts.
        await propertyCheck(count: 1_000, input: Self.seeds) { seed in
            var world = World(seed: UInt64(seed))
            world.receipts.removeAll()
            for batch in world.batches where batch.settledFen < batch.totalFen {
                world.receipts.append(
                    Receipt(
                        id: "pay-\(batch.id)", serial: "P\(batch.id)", date: batch.transferDate,
                        amountFen: batch.totalFen - batch.settledFen, counterpartyName: batch.payeeName,
                        counterpartyAccount: batch.payeeNumber, memo: "兑付 \(batch.reference)"))
            }
            world.receipts.append(
                Receipt(
                    id: "noise", serial: "N", date: CalendarDay(iso: "2026-11-02")!, amountFen: 3,
                    counterpartyName: "某某", counterpartyAccount: "1", memo: ""))
            let decisions = Matcher.match(receipts: world.receipts, batches: world.batches, policy: Self.policy)
            for decision in decisions where decision.receiptID != "noise" {
                #expect(decision.outcome == .matched && decision.rule == .reference, "\(world)")
            }
            #expect(decisions.last?.outcome == .noBatch)
        }
    }
}
