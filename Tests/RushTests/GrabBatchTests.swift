import Foundation
import RedisNIO
import TestSupport
import Testing
import VoucherCore

@testable import Rush

/// The grab script deciding several grabs in one call, and the gate batching concurrent grabs,
/// against the test Redis (each test on a lot of its own).
@Suite struct GrabBatchTests {
    @Test func aBatchDecidesItsGrabsInArrivalOrderAndSellsOutInTheMiddle() async throws {
        // Proves one script call decides its grabs in the order given: the first three win
        // vouchers numbered 1, 2, 3 in that order, the stock runs out in the middle of the batch
        // (the next grab is sold out, the one after it has reached its limit), and the stream holds
        // exactly the three claims, in order, as the claim sink reads them.
        try await withLot(stock: 3, limit: 2) { redis, keys in
            let outcomes = try await decide(redis, keys, [("org_a", ""), ("org_a", ""), ("org_b", ""), ("org_c", ""), ("org_a", "")])
            #expect(outcomes.map(\.label) == ["won", "won", "won", "sold_out", "limit_reached"])
            #expect(outcomes.prefix(3).compactMap(\.voucherID) == ["\(keys.lotID)-1", "\(keys.lotID)-2", "\(keys.lotID)-3"])
            if case .won(_, _, let remaining) = outcomes[2] { #expect(remaining == 0) }
            let claims = try await streamClaims(redis, keys)
            #expect(claims.map(\.voucherID) == ["\(keys.lotID)-1", "\(keys.lotID)-2", "\(keys.lotID)-3"])
            #expect(claims.map(\.orgID) == ["org_a", "org_a", "org_b"])
            #expect(claims.map(\.sequence) == [1, 2, 1])
            #expect(claims.allSatisfy { $0.lotID == keys.lotID })
            #expect(try await redis.send(["HGET", keys.meta, "stock"]).checked().int64 == 0)
        }
    }

    @Test func limitAndIdempotencyHoldInsideOneBatch() async throws {
        // Proves a batch reads what the grabs before it wrote: an enterprise of a limit-1 lot
        // that appears twice gets its voucher and then the same voucher again, a repeated
        // idempotency key gets the voucher it first got, and another key of the same enterprise
        // is refused by the limit; one voucher per enterprise is issued.
        try await withLot(stock: 10, limit: 1) { redis, keys in
            let outcomes = try await decide(
                redis, keys, [("org_a", ""), ("org_a", ""), ("org_b", "k1"), ("org_b", "k1"), ("org_b", "k2"), ("org_b", "")])
            #expect(outcomes.map(\.label) == ["won", "again", "won", "again", "limit_reached", "again"])
            #expect(outcomes[1].voucherID == outcomes[0].voucherID)
            #expect(outcomes[3].voucherID == outcomes[2].voucherID && outcomes[5].voucherID == outcomes[2].voucherID)
            #expect(try await streamClaims(redis, keys).count == 2)
            // The same key again, in a later call: the same voucher.
            #expect(try await decide(redis, keys, [("org_b", "k1")]).first?.voucherID == outcomes[2].voucherID)
        }
    }

    @Test func oneBatchDecidesExactlyAsOneCallPerGrab() async throws {
        // Proves batching changes no decision: random sequences of grabs (few enterprises, repeated
        // idempotency keys, limit 1 to 3, stock that runs out) get the same outcomes and voucher
        // numbers whether sent one call per grab or as one batch (seeded, replayable).
        var random = SplitMix64(state: 0x6772_6162_6261_7463)
        for round in 0..<20 {
            let limit = Int.random(in: 1...3, using: &random)
            let stock = Int.random(in: 0...12, using: &random)
            let grabs = (0..<Int.random(in: 1...30, using: &random)).map { _ in
                ("org_\(Int.random(in: 0..<5, using: &random))", Bool.random(using: &random) ? "" : "k\(Int.random(in: 0..<3, using: &random))")
            }
            try await withLot(stock: stock, limit: limit) { redis, single in
                try await withLot(stock: stock, limit: limit) { redis, batched in
                    var one: [GrabOutcome] = []
                    for grab in grabs { one += try await decide(redis, single, [grab]) }
                    let all = try await decide(redis, batched, grabs)
                    #expect(
                        one.map(\.comparable) == all.map(\.comparable).map { $0.replacingOccurrences(of: batched.lotID, with: single.lotID) },
                        "round \(round)")
                }
            }
        }
    }

    @Test(arguments: [1, 2, 4])
    func concurrentGrabsThroughTheGateKeepLimitsAndStockExact(callsInFlightPerLot: Int) async throws {
        // Proves the gate's batching under concurrency, with one and with several script calls of the
        // lot pipelined: 400 grabs by 40 enterprises at once (limit 3, 100 vouchers, every enterprise
        // asking 10 times) issue exactly 100 vouchers numbered 1 to 100 once each, no enterprise
        // above 3, and every grab gets an answer.
        try await withLot(stock: 100, limit: 3) { redis, keys in
            let gate = GrabGate(redis: redis, soldOut: SoldOutCache(), callsInFlightPerLot: callsInFlightPerLot)
            let outcomes = try await withThrowingTaskGroup(of: (String, GrabOutcome).self) { group in
                for index in 0..<400 {
                    let org = "org_\(index % 40)"
                    group.addTask {
                        (org, try await gate.grab(campaignID: keys.campaignID, lotID: keys.lotID, orgID: org, idempotencyKey: nil))
                    }
                }
                var all: [(String, GrabOutcome)] = []
                for try await outcome in group { all.append(outcome) }
                return all
            }
            #expect(outcomes.count == 400)
            let wins = outcomes.filter { $0.1.label == "won" }
            #expect(wins.count == 100)
            #expect(Set(wins.compactMap(\.1.voucherID)) == Set((1...100).map { "\(keys.lotID)-\($0)" }))
            #expect(Dictionary(grouping: wins, by: \.0).values.allSatisfy { $0.count <= 3 })
            #expect(try await streamClaims(redis, keys).count == 100)
        }
    }

    @Test(arguments: [1, 4])
    func retriesWithOneKeySpreadOverPipelinedCallsGetOneVoucher(callsInFlightPerLot: Int) async throws {
        // 30 enterprises each send the same grab (one Idempotency-Key) 8 times at once, so the copies
        // land in different batches and, with 4 calls in flight, in calls that are at Redis together:
        // each enterprise gets exactly one voucher and every copy answers that voucher.
        try await withLot(stock: 1_000, limit: 5) { redis, keys in
            let gate = GrabGate(redis: redis, soldOut: SoldOutCache(), callsInFlightPerLot: callsInFlightPerLot)
            let outcomes = try await withThrowingTaskGroup(of: (String, GrabOutcome).self) { group in
                for _ in 0..<8 {
                    for index in 0..<30 {
                        let org = "org_\(index)"
                        group.addTask {
                            (org, try await gate.grab(campaignID: keys.campaignID, lotID: keys.lotID, orgID: org, idempotencyKey: "key-\(org)"))
                        }
                    }
                }
                var all: [(String, GrabOutcome)] = []
                for try await outcome in group { all.append(outcome) }
                return all
            }
            #expect(outcomes.count == 240)
            let byOrg = Dictionary(grouping: outcomes, by: \.0)
            #expect(byOrg.count == 30)
            for (org, answers) in byOrg {
                let ids = Set(answers.compactMap(\.1.voucherID))
                #expect(ids.count == 1, "\(org) got \(ids)")
                #expect(answers.filter { $0.1.label == "won" }.count == 1, "\(org): \(answers.map(\.1.label))")
            }
            #expect(try await streamClaims(redis, keys).count == 30)
        }
    }
}

/// Runs `body` on a fresh open lot of its own campaign, loaded as the loader does it.
private func withLot(stock: Int, limit: Int, _ body: (RedisClient, LotKeys) async throws -> Void) async throws {
    let redis = try await RedisClient.connect(configuration: TestEnvironment.config().redis.clientConfiguration)
    let suffix = UUID().uuidString.prefix(8).lowercased()
    let keys = LotKeys(campaignID: "cmp_batch_\(suffix)", lotID: "lot_batch_\(suffix)")
    do {
        _ = try await redis.evalsha(
            LoadLotScript.script, keys: [keys.meta] + keys.legacyKeys,
            arguments: ["0", "99999999999999", String(limit), "open", String(stock), String(stock)])
        try await body(redis, keys)
        _ = try await redis.send(["DEL", keys.meta, keys.stream])
    } catch {
        await redis.shutdown()
        throw error
    }
    await redis.shutdown()
}

/// One script call deciding `grabs` (enterprise, idempotency key or "") in order.
private func decide(_ redis: RedisClient, _ keys: LotKeys, _ grabs: [(String, String)]) async throws -> [GrabOutcome] {
    let reply = try await redis.evalsha(GrabScript.script, keys: keys.grabKeys, arguments: [keys.lotID] + grabs.flatMap { [$0.0, $0.1] })
    return try (reply.array ?? []).map { try GrabOutcome(reply: $0) }
}

/// The lot's claims in the stream, read as the claim sink reads them.
private func streamClaims(_ redis: RedisClient, _ keys: LotKeys) async throws -> [Claim] {
    let reply = try await redis.send(["XRANGE", keys.stream, "-", "+"]).checked()
    return (reply.array ?? []).compactMap { entry -> Claim? in
        guard let parts = entry.array, parts.count == 2, let id = parts[0].string, let flat = parts[1].array else { return nil }
        var fields: [String: String] = [:]
        for index in stride(from: 0, to: flat.count - 1, by: 2) {
            if let field = flat[index].string, let value = flat[index + 1].string { fields[field] = value }
        }
        return Claim(entryID: id, fields: fields)
    }
}

extension GrabOutcome {
    fileprivate var voucherID: String? {
        switch self {
        case .won(let id, _, _), .again(let id, _): return id
        default: return nil
        }
    }

    /// The decision without Redis's clock: label, voucher and what it says about stock or limit.
    fileprivate var comparable: String {
        switch self {
        case .won(let id, _, let remaining): return "won \(id) \(remaining)"
        case .again(let id, _): return "again \(id)"
        case .limitReached(let held): return "limit_reached \(held)"
        default: return label
        }
    }
}
