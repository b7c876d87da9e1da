import API
import Foundation
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import PostgresStore
import RedisNIO
import TestSupport
import Testing
import VoucherServices

@testable import Rush

@Suite struct ClaimArchiveTests {
    @Test(arguments: RushWorld.RedisMode.allCases)
    func anEndedVerifiedCampaignsStreamIsFreedOnceAndVerifyStillPasses(redis: RushWorld.RedisMode) async throws {
        // Proves the archive: refused while the campaign is published (stream kept); once ended,
        // the stream key is gone, the archive is recorded with the stream's length, verify passes
        // and names the archive, a grab cannot bring the stream back, the running sink neither
        // recreates it nor stops draining other campaigns, and a second archive changes nothing.
        try await RushWorld.with(redis: redis) { world in
            let (_, allTokens) = try await world.enterprisesWithTokens(4)
            try await (try await world.app()).test(.router) { client in
                let (campaign, lot) = try await client.publishCampaign(world, campaignBody(stock: 10))
                for token in allTokens.prefix(3) { #expect(try await client.grab(campaign, lot, token: token).status == .created) }
                #expect(try await world.waitForRows(campaign: campaign, count: 3).count == 3)
                #expect(try await world.verify(campaign: campaign).isConsistent)
                let redis = try await RedisClient.connect(configuration: world.config.redis.clientConfiguration)
                let archiver = world.archiver(redis)
                let stream = CampaignKeys(campaignID: campaign).stream

                await #expect(throws: ClaimArchiver.Refusal.notEnded(campaignID: campaign, status: "published")) {
                    try await archiver.archive(campaignID: campaign)
                }
                let keptLength = try await exists(stream, redis) ? try await redis.xlen(stream) : -1
                #expect(keptLength == 3)
                #expect(try await world.archiveRow(campaign) == nil)

                #expect(try await client.call(.post, "/v1/campaigns/\(campaign)/end", token: try await world.operatorToken()).status == .ok)
                guard case .archived(let archive) = try await archiver.archive(campaignID: campaign) else {
                    Issue.record("the first archive did not archive")
                    return
                }
                #expect(archive.count == 3)
                #expect(try await !exists(stream, redis))
                let row = try #require(try await world.archiveRow(campaign))
                #expect(row.count == 3 && abs(row.at.timeIntervalSince(archive.archivedAt)) < 0.001)

                #expect(try await client.grab(campaign, lot, token: allTokens[3]).code == "ended")
                let drainable = try await CampaignsRepository(client: world.postgres, logger: TestEnvironment.logger)
                    .drainableCampaignIDs(endedWithin: ClaimSink.drainAfterEnd)
                #expect(!drainable.contains(campaign))
                // The app's sink had the stream in its list: it must drop it and keep draining others.
                let (other, otherLot) = try await client.publishCampaign(world, campaignBody(stock: 5))
                #expect(try await client.grab(other, otherLot, token: allTokens[0]).status == .created)
                // The sink reads a stream only after a housekeeping pass listed it, and `other` was
                // published after the archive: its row proves a pass ran after the archive (no
                // guessed pause), and that pass did not bring the archived stream back.
                #expect(try await world.waitForRows(campaign: other, count: 1).count == 1)
                #expect(try await !exists(stream, redis))

                let report = try await world.verify(campaign: campaign, timeout: .zero)
                #expect(report.isConsistent, "\(report.problems)")
                #expect(report.claimsArchive == archive && report.streamLength == 0)
                #expect(report.lots.first?.rows == 3 && report.lots.first?.issued == 3)

                #expect(try await archiver.archive(campaignID: campaign) == .alreadyArchived(archive))
                #expect(try await world.archiveRow(campaign)?.count == 3)
                await #expect(throws: ClaimArchiver.Refusal.notFound(campaignID: "cmp_nope")) {
                    try await archiver.archive(campaignID: "cmp_nope")
                }
                await redis.shutdown()
            }
        }
    }

    @Test(arguments: RushWorld.RedisMode.allCases)
    func unreadOrPendingClaimsKeepTheStream(redis: RushWorld.RedisMode) async throws {
        // Proves an ended campaign whose claims are not all stored is refused with nothing
        // deleted: first unread (no sink ran), then delivered but pending with a dead consumer;
        // once a sink has stored them the same campaign archives.
        try await RushWorld.with(redis: redis, overrides: ["sink.enabled": "false"]) { world in
            let (_, allTokens) = try await world.enterprisesWithTokens(2)
            try await (try await world.app()).test(.router) { client in
                let (campaign, lot) = try await client.publishCampaign(world, campaignBody(stock: 10))
                for token in allTokens { #expect(try await client.grab(campaign, lot, token: token).status == .created) }
                #expect(try await client.call(.post, "/v1/campaigns/\(campaign)/end", token: try await world.operatorToken()).status == .ok)
                let redis = try await RedisClient.connect(configuration: world.config.redis.clientConfiguration)
                let archiver = world.archiver(redis)
                let stream = CampaignKeys(campaignID: campaign).stream

                let unread = await refusal { try await archiver.archive(campaignID: campaign) }
                guard case .inconsistent(_, let problems) = unread else {
                    Issue.record("unread claims were not refused: \(String(describing: unread))")
                    return
                }
                #expect(problems.contains { $0.contains("not read by the sink") })
                #expect(try await redis.xlen(stream) == 2)
                #expect(try await world.archiveRow(campaign) == nil)

                _ = try await redis.xgroupCreate(stream, group: ClaimSink.group, startID: "0")
                let taken = try await redis.xreadgroup(group: ClaimSink.group, consumer: "dead", stream: stream, count: 10, id: ">")
                #expect(taken.count == 2)
                let pending = await refusal { try await archiver.archive(campaignID: campaign) }
                guard case .inconsistent(_, let pendingProblems) = pending else {
                    Issue.record("pending claims were not refused: \(String(describing: pending))")
                    return
                }
                #expect(pendingProblems.contains { $0.contains("pending") })
                #expect(try await redis.xlen(stream) == 2)
                #expect(try await world.archiveRow(campaign) == nil)

                let sink = ClaimSink(
                    redis: redis, claims: ClaimsRepository(client: world.postgres, logger: TestEnvironment.logger),
                    campaigns: CampaignsRepository(client: world.postgres, logger: TestEnvironment.logger),
                    consumer: "rescuer", logger: TestEnvironment.logger, reclaimIdle: .milliseconds(200), housekeepingInterval: .milliseconds(100))
                let task = Task { try await sink.run() }
                #expect(try await world.waitForRows(campaign: campaign, count: 2).count == 2)
                #expect(try await world.verify(campaign: campaign).isConsistent)
                let outcome = try await archiver.archive(campaignID: campaign)
                task.cancel()
                _ = await task.result
                guard case .archived(let archive) = outcome else {
                    Issue.record("a drained campaign did not archive: \(outcome)")
                    return
                }
                #expect(archive.count == 2)
                #expect(try await !exists(stream, redis))
                await redis.shutdown()
            }
        }
    }

    @Test func theDeleteScriptRechecksTheStreamAtomically() async throws {
        // Proves the last guard against a claim arriving between verify and delete: the script
        // deletes only a stream of the verified length whose every entry the sink's group read
        // and acknowledged; anything else answers `changed` and keeps every entry.
        let redis = try await RedisClient.connect(configuration: TestEnvironment.config().redis.clientConfiguration)
        let stream = CampaignKeys(campaignID: "cmp_script_\(UUID().uuidString.prefix(8))").stream
        func run(_ length: Int64) async throws -> (String?, RESPValue?) {
            let reply = try await redis.evalsha(ClaimArchiver.script, keys: [stream], arguments: [ClaimSink.group, String(length)])
            return (reply.array?.first?.string, reply.array?.last)
        }
        func claim() async throws { try await redis.xadd(stream, fields: [(field: "v", value: "x")]) }
        func readAll() async throws -> [String] {
            try await redis.xreadgroup(group: ClaimSink.group, consumer: "c", stream: stream, count: 10, id: ">").map(\.id)
        }

        try await claim()
        #expect(try await run(1).0 == "changed")  // no group: nothing was read
        _ = try await redis.xgroupCreate(stream, group: ClaimSink.group, startID: "0")
        try await claim()
        _ = try await redis.xack(stream, group: ClaimSink.group, ids: try await readAll())
        #expect(try await run(1).0 == "changed")  // two entries, one verified
        try await claim()
        #expect(try await run(3).0 == "changed")  // the third is unread
        let third = try await readAll()
        #expect(try await run(3).0 == "changed")  // delivered, not acknowledged
        #expect(try await redis.xlen(stream) == 3)
        _ = try await redis.xack(stream, group: ClaimSink.group, ids: third)
        let deleted = try await run(3)
        #expect(deleted.0 == "deleted" && deleted.1?.int64 == 3)
        #expect(try await redis.send(["EXISTS", stream]).checked().int64 == 0)
        #expect(try await run(0).0 == "deleted")  // a stream that never was: nothing to free
        await redis.shutdown()
    }
}

/// The refusal `body` threw, or nil when it threw nothing or something else.
private func refusal(_ body: () async throws -> ClaimArchiver.Outcome) async -> ClaimArchiver.Refusal? {
    do {
        _ = try await body()
        return nil
    } catch {
        return error as? ClaimArchiver.Refusal
    }
}

/// Whether the key exists at all (an emptied stream would still exist).
private func exists(_ key: String, _ redis: RedisClient) async throws -> Bool {
    try await redis.send(["EXISTS", key]).checked().int64 == 1
}

extension RushWorld {
    /// An archiver over this world's database and the given Redis connection.
    func archiver(_ redis: RedisClient) -> ClaimArchiver {
        ClaimArchiver(
            redis: redis, campaigns: CampaignsRepository(client: postgres, logger: TestEnvironment.logger),
            claims: ClaimsRepository(client: postgres, logger: TestEnvironment.logger))
    }

    /// The archive columns of a campaign, or nil when it is not archived.
    func archiveRow(_ campaign: String) async throws -> (at: Date, count: Int64)? {
        let rows = try await postgres.query("SELECT claims_archived_at, claims_archived_count FROM campaigns WHERE id = \(campaign)")
        for try await (at, count) in rows.decode((Date?, Int64?).self) {
            guard let at, let count else { return nil }
            return (at, count)
        }
        return nil
    }
}
