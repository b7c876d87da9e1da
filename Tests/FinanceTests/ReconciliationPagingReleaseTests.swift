import API
import Foundation
import HTTPTypes
import PostgresStore
import TestSupport
import Testing
import VoucherServices

/// The report as finance works through it — a page of the exceptions at a time, filtered by
/// outcome in SQL — and the release of a line a person decided back to automatic matching, over
/// HTTP against real PostgreSQL.
@Suite("Reconciliation report pages and release")
struct ReconciliationPagingReleaseTests {
    /// Stray payouts to accounts no batch is paid to: each is `no_batch`.
    static let strayCount = 118

    /// A statement of 121 lines: the receipt of batch A by reference (matched), batch B's by
    /// reference one fen short (amount_mismatch), a credit (not_payout), then 118 stray payouts
    /// (no_batch). Answers the statement id, the batches and every serial in file order.
    static func importMixed(_ world: RedemptionWorld) async throws -> (statementID: String, a: PaidBatchInfo, b: PaidBatchInfo, serials: [String]) {
        let payee = try await world.payeeAccount()
        let a = try await world.paidBatch(priceFen: 1_000_000, payee: payee, transferDate: "2026-12-01")
        let b = try await world.paidBatch(priceFen: 1_100_000, payee: payee, transferDate: "2026-12-01")
        var lines = [
            ReceiptLine(serial: "P001", date: "2026-12-01", amount: StatementFile.yuan(a.totalFen), memo: "服务券兑付 \(a.reference)"),
            ReceiptLine(serial: "P002", date: "2026-12-01", amount: StatementFile.yuan(b.totalFen - 1), memo: "服务券兑付 \(b.reference)"),
            ReceiptLine(serial: "P003", date: "2026-12-01", direction: "贷", amount: "500.00", name: "财政专户", account: "11010101040099999", memo: "拨款"),
        ]
        for index in 1...strayCount {
            lines.append(
                ReceiptLine(
                    serial: String(format: "P%03d", index + 3), date: "2026-12-02", amount: "\(index).00", name: "某某贸易公司",
                    account: String(format: "62220200000%08d", index), memo: "货款"))
        }
        let imported = try await world.upload(StatementFile.utf8(lines))
        #expect(imported.status == .created, "\(imported.json)")
        return (try #require(imported.string("statementId")), a, b, lines.map(\.serial))
    }

    static func serials(_ answer: Answer) -> [String] {
        (answer.json["lines"] as? [[String: Any]] ?? []).compactMap { $0["serial"] as? String }
    }

    static func int(_ answer: Answer, _ key: String) -> Int? { (answer.json[key] as? NSNumber)?.intValue }

    /// Proves the JSON report pages by default (100 lines of 121, page 1, pageSize 100, total 121),
    /// that a walk with pageSize 7 visits every line exactly once in line order (and a page past
    /// the end is empty with the same total), that `outcome=` with one and with two outcomes
    /// lists exactly those lines with `total` their count while `totals` stay the whole
    /// statement's, and that the CSV still exports every line.
    @Test func filterAndPageInLineOrder() async throws {
        try await RedemptionWorld.run { world in
            let (statementID, _, _, serials) = try await Self.importMixed(world)
            let finance = try await world.platformToken(.finance)
            let path = "/v1/finance/statements/\(statementID)/report"

            let first = try await world.call(.get, path, token: finance)
            #expect(first.status == .ok, "\(first.json)")
            #expect(Self.serials(first) == Array(serials.prefix(100)))
            #expect(Self.int(first, "page") == 1 && Self.int(first, "pageSize") == 100 && Self.int(first, "total") == 121)
            let whole = world.totals(first)
            #expect(whole["matched"]?.count == 1 && whole["amount_mismatch"]?.count == 1 && whole["not_payout"]?.count == 1)
            #expect(whole["no_batch"]?.count == Self.strayCount)
            #expect((first.json["unpaidBatches"] as? [Any])?.count == 1, "batch B is paid short")

            var walked: [String] = []
            var lineNumbers: [Int] = []
            for page in 1...18 {
                let answer = try await world.call(.get, "\(path)?page=\(page)&pageSize=7", token: finance)
                #expect(answer.status == .ok && Self.int(answer, "total") == 121 && Self.int(answer, "pageSize") == 7)
                #expect(Self.serials(answer).count == (page < 18 ? 7 : 121 - 17 * 7), "page \(page)")
                walked += Self.serials(answer)
                lineNumbers += (answer.json["lines"] as? [[String: Any]] ?? []).compactMap { ($0["lineNumber"] as? NSNumber)?.intValue }
            }
            #expect(walked == serials, "every line once, in file order")
            #expect(zip(lineNumbers, lineNumbers.dropFirst()).allSatisfy { $0 < $1 })
            let past = try await world.call(.get, "\(path)?page=19&pageSize=7", token: finance)
            #expect(past.status == .ok && Self.serials(past).isEmpty && Self.int(past, "total") == 121)
            #expect(Self.serials(try await world.call(.get, "\(path)?pageSize=500", token: finance)) == serials)

            let short = try await world.call(.get, "\(path)?outcome=amount_mismatch", token: finance)
            #expect(short.status == .ok, "\(short.json)")
            #expect(Self.serials(short) == ["P002"] && Self.int(short, "total") == 1)
            #expect(world.totals(short)["no_batch"]?.count == Self.strayCount, "totals stay the whole statement's")
            let two = try await world.call(.get, "\(path)?outcome=not_payout,matched", token: finance)
            #expect(Self.serials(two) == ["P001", "P003"] && Self.int(two, "total") == 2)
            let withNone = try await world.call(.get, "\(path)?outcome=amount_mismatch,ambiguous", token: finance)
            #expect(Self.serials(withNone) == ["P002"] && Self.int(withNone, "total") == 1)
            let strays = try await world.call(.get, "\(path)?outcome=no_batch&page=2&pageSize=100", token: finance)
            #expect(Self.serials(strays) == Array(serials.suffix(18)) && Self.int(strays, "total") == Self.strayCount)

            let csv = try await world.call(.get, "\(path)?format=csv", token: finance)
            #expect(csv.status == .ok)
            let rows = String(decoding: csv.body.dropFirst(3), as: UTF8.self).split(separator: "\r\n").dropFirst()
            #expect(rows.filter { !$0.hasPrefix(",") }.count == 121, "one row per line, then the unpaid batch")
            #expect(rows.filter { $0.hasPrefix(",") }.count == 1)
        }
    }

    /// Proves an unknown outcome (alone, among known ones, empty, or the batch outcome
    /// paid_no_receipt), a page or pageSize out of range, and a filter on the CSV export are 400
    /// problems with stable codes — the unknown outcome's naming the valid ones — and change nothing.
    @Test func badParametersAreRefused() async throws {
        try await RedemptionWorld.run { world in
            let (statementID, _, _, _) = try await Self.importMixed(world)
            let finance = try await world.platformToken(.finance)
            let path = "/v1/finance/statements/\(statementID)/report"
            let before = try await world.reconciliationFingerprint()
            for outcome in ["bogus", "matched,bogus", "", "matched,", "paid_no_receipt", "MATCHED"] {
                let answer = try await world.call(.get, "\(path)?outcome=\(outcome)", token: finance)
                #expect(answer.status == .badRequest && answer.code == "outcome_unknown", "\(outcome): \(answer.json)")
                #expect(answer.string("detail")?.contains("amount_mismatch, name_or_account_mismatch") == true, "\(answer.json)")
                #expect((answer.json["validOutcomes"] as? [String])?.count == 7)
            }
            for paging in ["page=0", "page=x", "pageSize=0", "pageSize=501", "pageSize=abc", "page=-1&pageSize=10"] {
                let answer = try await world.call(.get, "\(path)?\(paging)", token: finance)
                #expect(answer.status == .badRequest && answer.code == "page_invalid", "\(paging): \(answer.json)")
            }
            for query in ["format=csv&outcome=matched", "format=csv&page=2", "format=xml"] {
                let answer = try await world.call(.get, "\(path)?\(query)", token: finance)
                #expect(answer.status == .badRequest && answer.code == "format_invalid", "\(query): \(answer.json)")
            }
            #expect(try await world.reconciliationFingerprint() == before)
        }
    }

    /// Proves a line matched by reference, then matched and unmatched by hand, stays `no_batch`
    /// through a rematch (a person decided it), and after a release is matched again by reference
    /// at once (rule reference, no decider), with the audit listing match, unmatch, release in order.
    @Test func releaseReturnsALineToAutomaticMatching() async throws {
        try await RedemptionWorld.run { world in
            let (statementID, a, _, _) = try await Self.importMixed(world)
            let finance = try await world.platformToken(.finance)
            let lines = world.linesBySerial(try await world.report(statementID))
            let line = try #require(lines["P001"]?["id"] as? String)
            #expect(lines["P001"]?["outcome"] as? String == "matched" && lines["P001"]?["rule"] as? String == "reference")
            let linePath = "/v1/finance/statement-lines/\(line)"

            world.clock.advance(seconds: 60)
            let matched = try await world.call(.post, "\(linePath)/match", token: finance, json: ["batchId": a.id, "note": "见付款通知书"])
            #expect(matched.status == .ok && matched.string("rule") == "manual", "\(matched.json)")
            world.clock.advance(seconds: 60)
            let unmatched = try await world.call(.post, "\(linePath)/unmatch", token: finance, json: ["note": "通知书作废，待核"])
            #expect(unmatched.string("outcome") == "no_batch" && unmatched.string("decidedBy") == "usr_fin", "\(unmatched.json)")
            _ = try await world.call(.post, "/v1/finance/reconciliation/rematch", token: finance)
            #expect(
                world.linesBySerial(try await world.report(statementID))["P001"]?["outcome"] as? String == "no_batch",
                "a decided line stays out of automatic matching")

            world.clock.advance(seconds: 60)
            let released = try await world.call(.post, "\(linePath)/release", token: finance, json: ["note": "核对无误，交回自动对账"])
            #expect(released.status == .ok, "\(released.json)")
            #expect(released.string("outcome") == "matched" && released.string("batchId") == a.id, "\(released.json)")
            #expect(released.string("rule") == "reference" && released.string("decidedBy") == nil, "\(released.json)")
            #expect(world.linesBySerial(try await world.report(statementID))["P001"]?["outcome"] as? String == "matched")
            #expect(
                try await world.count(
                    """
                    SELECT count(*)::int FROM statement_lines WHERE id = '\(line)' AND decided_by IS NULL AND decided_at IS NULL AND matched_at
                        IS NOT NULL
                    """) == 1)

            let audit = try await world.call(.get, "\(linePath)/audit", token: finance)
            #expect(audit.items.map { $0["action"] as? String } == ["match", "unmatch", "release"], "\(audit.json)")
            #expect(audit.items.map { $0["batchId"] as? String } == [a.id, a.id, nil])
            #expect(audit.items.last?["note"] as? String == "核对无误，交回自动对账")
            #expect(audit.items.allSatisfy { $0["actor"] as? String == "usr_fin" })
            try await world.expectLedgerConsistent()
        }
    }

    /// Proves a release is refused with 409 for a line no person decided (line_not_decided) and
    /// for a credit (line_not_payout), with 400 without a note, 404 for an unknown line, 403 for
    /// every role but finance and 401 without a token — and that none of these changes anything.
    @Test func releaseIsRefused() async throws {
        try await RedemptionWorld.run { world in
            let (statementID, _, _, _) = try await Self.importMixed(world)
            let finance = try await world.platformToken(.finance)
            let lines = world.linesBySerial(try await world.report(statementID))
            let automatic = try #require(lines["P001"]?["id"] as? String)
            let credit = try #require(lines["P003"]?["id"] as? String)
            let stray = try #require(lines["P004"]?["id"] as? String)
            let unmatched = try await world.call(.post, "/v1/finance/statement-lines/\(stray)/unmatch", token: finance, json: ["note": "不是兑付款"])
            #expect(unmatched.status == .ok)
            let before = try await world.reconciliationFingerprint()

            let notDecided = try await world.call(.post, "/v1/finance/statement-lines/\(automatic)/release", token: finance, json: ["note": "x"])
            #expect(notDecided.status == .conflict && notDecided.code == "line_not_decided", "\(notDecided.json)")
            let notPayout = try await world.call(.post, "/v1/finance/statement-lines/\(credit)/release", token: finance, json: ["note": "x"])
            #expect(notPayout.status == .conflict && notPayout.code == "line_not_payout", "\(notPayout.json)")
            let noNote = try await world.call(.post, "/v1/finance/statement-lines/\(stray)/release", token: finance, json: ["note": " "])
            #expect(noNote.status == .badRequest && noNote.code == "note_missing", "\(noNote.json)")
            let unknownLine = "/v1/finance/statement-lines/sl_00000000000000000000000000/release"
            let missing = try await world.call(.post, unknownLine, token: finance, json: ["note": "x"])
            #expect(missing.status == .notFound && missing.code == "statement_line_not_found")
            let others = [
                try await world.token("ent_x"), try await world.providerToken(), try await world.platformToken(.operator),
                try await world.platformToken(.auditor),
            ]
            for token in others {
                let refused = try await world.call(.post, "/v1/finance/statement-lines/\(stray)/release", token: token, json: ["note": "x"])
                #expect(refused.status == .forbidden, "\(refused.json)")
            }
            #expect(
                try await world.call(.post, "/v1/finance/statement-lines/\(stray)/release", token: nil, json: ["note": "x"]).status == .unauthorized)
            #expect(try await world.reconciliationFingerprint() == before)

            let released = try await world.call(.post, "/v1/finance/statement-lines/\(stray)/release", token: finance, json: ["note": "再看看"])
            #expect(released.status == .ok && released.string("outcome") == "no_batch" && released.string("decidedBy") == nil, "\(released.json)")
        }
    }
}
