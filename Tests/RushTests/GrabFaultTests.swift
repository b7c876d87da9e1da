import API
import Foundation
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import PostgresStore
import RedisNIO
import Rush
import Synchronization
import TestSupport
import Testing
import VoucherServices

@Suite struct GrabFaultTests {
    @Test(arguments: RushWorld.RedisMode.allCases)
    func sinkKilledMidBatchLosesAndDoublesNothing(redis: RushWorld.RedisMode) async throws {
        // Proves the sink's crash window: a sink that committed a batch and died before XACK
        // leaves the entries pending; another sink reclaims them and stores nothing twice.
        try await RushWorld.with(redis: redis, overrides: ["sink.enabled": "false"]) { world in
            let (_, allTokens) = try await world.enterprisesWithTokens(300)
            try await (try await world.app()).test(.router) { client in
                let (campaign, lot) = try await client.publishCampaign(world, campaignBody(stock: 1000))
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for token in allTokens {
                        group.addTask {
                            let answer = try await client.grab(campaign, lot, token: token)
                            #expect(answer.status == .created)
                        }
                    }
                    try await group.waitForAll()
                }
                let redis = try await RedisClient.connect(configuration: world.config.redis.clientConfiguration)
                let claims = ClaimsRepository(client: world.postgres, logger: TestEnvironment.logger)
                let campaigns = CampaignsRepository(client: world.postgres, logger: TestEnvironment.logger)
                let committed = SharedCount()
                let doomed = ClaimSink(redis: redis, claims: claims, campaigns: campaigns, consumer: "doomed", logger: TestEnvironment.logger) {
                    batch in
                    committed.add(batch.count)
                    try await Task.sleep(for: .seconds(3600))  // "dies" here: committed, never acknowledged
                }
                let task = Task { try await doomed.run() }
                while committed.value == 0 { try await Task.sleep(for: .milliseconds(20)) }
                task.cancel()
                _ = await task.result
                let partial = try await world.voucherRows(campaign: campaign).count
                #expect(partial > 0 && partial == committed.value)
                #expect(try await redis.xpending(CampaignKeys(campaignID: campaign).stream, group: ClaimSink.group).count == Int64(partial))

                let rescuer = ClaimSink(
                    redis: redis, claims: claims, campaigns: campaigns, consumer: "rescuer", logger: TestEnvironment.logger,
                    reclaimIdle: .milliseconds(300), housekeepingInterval: .milliseconds(200))
                let rescue = Task { try await rescuer.run() }
                let rows = try await world.waitForRows(campaign: campaign, count: 300)
                let report = try await world.verify(campaign: campaign)
                rescue.cancel()
                _ = await rescue.result
                await redis.shutdown()
                #expect(rows.count == 300)
                #expect(Set(rows.map(\.id)).count == 300)
                #expect(report.isConsistent, "\(report.problems)")
            }
        }
    }

    @Test(arguments: RushWorld.RedisMode.allCases)
    func poisonClaimsGoToTheDeadLettersInsteadOfLooping(redis: RushWorld.RedisMode) async throws {
        // Proves the sink never loops on a bad entry: a malformed entry is dead-lettered at once,
        // an unstorable one (unknown lot) after the bounded number of tries, both acknowledged,
        // while the good claims around them are stored.
        try await RushWorld.with(redis: redis, overrides: ["sink.enabled": "false"]) { world in
            let (orgs, allTokens) = try await world.enterprisesWithTokens(3)
            try await (try await world.app()).test(.router) { client in
                let (campaign, lot) = try await client.publishCampaign(world, campaignBody(stock: 10))
                for token in allTokens { #expect(try await client.grab(campaign, lot, token: token).status == .created) }
                let redis = try await RedisClient.connect(configuration: world.config.redis.clientConfiguration)
                let keys = CampaignKeys(campaignID: campaign)
                try await redis.xadd(keys.stream, fields: [(field: "junk", value: "1")])
                try await redis.xadd(
                    keys.stream,
                    fields: [
                        (field: "v", value: "lot_nope-1"), (field: "lot", value: "lot_nope"), (field: "ent", value: orgs[0]),
                        (field: "n", value: "1"), (field: "at", value: "1764554400000"),
                    ])
                let sink = ClaimSink(
                    redis: redis, claims: ClaimsRepository(client: world.postgres, logger: TestEnvironment.logger),
                    campaigns: CampaignsRepository(client: world.postgres, logger: TestEnvironment.logger),
                    consumer: "poison", logger: TestEnvironment.logger, housekeepingInterval: .milliseconds(100))
                let task = Task { try await sink.run() }
                // A bound for a stuck sink only, not a guess at its speed: on a loaded 2-core machine
                // the tries of the unstorable entry took minutes once (30 s failed a helper's run).
                let deadline = ContinuousClock.now + .seconds(180)
                while try await redis.xlen(keys.deadLetters) < 2, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(50))
                }
                let rows = try await world.waitForRows(campaign: campaign, count: 3)
                task.cancel()
                _ = await task.result
                #expect(try await redis.xlen(keys.deadLetters) == 2)
                #expect(try await redis.xpending(keys.stream, group: ClaimSink.group).count == 0)
                #expect(rows.count == 3)
                let report = try await world.verify(campaign: campaign, timeout: .zero)
                #expect(report.deadLetters == 2)
                #expect(report.lots.first?.rows == 3 && report.lots.first?.issued == 3)
                await redis.shutdown()
            }
        }
    }

    @Test func grabsSucceedWhilePostgresIsDownAndTheSinkCatchesUp() async throws {
        // Proves the grab path needs only Redis: with PostgreSQL stopped, grabs still answer 201,
        // and once it is back the sink stores every one of them.
        let server = try await PostgresServerProcess.start()
        do {
            let config = try TestEnvironment.config(
                database: "postgres",
                overrides: [
                    "postgres.port": String(server.port), "grab.enterpriseBurst": "1000", "grab.enterprisePerSecond": "1000",
                    "grab.addressBurst": "100000", "grab.addressPerSecond": "100000",
                ])
            try await TestDatabase.withRunningClient(config.postgres) { client in
                try await Migrator(client: client, logger: TestEnvironment.logger).apply()
                let world = RushWorld(postgres: client, config: config, tokens: await TokenService(config: config.jwt))
                try await client.query(
                    "INSERT INTO organisations (id, kind, name, certification) VALUES ('org_platform', 'platform', 'Platform', 'certified')")
                try await client.query(
                    """
                    INSERT INTO users (id, org_id, username, password_hash, role, is_main)
                    VALUES (\(RushWorld.operatorID), 'org_platform', 'operator', 'x', 'operator', true)
                    """
                )
                let (_, allTokens) = try await world.enterprisesWithTokens(50)
                try await (try await world.app()).test(.router) { http in
                    let (campaign, lot) = try await http.publishCampaign(world, campaignBody(stock: 100))
                    try await server.stop()
                    let won = try await withThrowingTaskGroup(of: String?.self) { group in
                        for token in allTokens {
                            group.addTask {
                                let answer = try await http.grab(campaign, lot, token: token)
                                return answer.status == .created ? answer.voucherID : nil
                            }
                        }
                        var ids: [String] = []
                        for try await id in group { if let id { ids.append(id) } }
                        return ids
                    }
                    #expect(won.count == 50)
                    try await server.start()
                    let rows = try await world.waitForRows(campaign: campaign, count: 50, timeout: .seconds(60))
                    #expect(Set(rows.map(\.id)) == Set(won))
                    let report = try await world.verify(campaign: campaign)
                    #expect(report.isConsistent, "\(report.problems)")
                }
            }
        } catch {
            await server.destroy()
            throw error
        }
        await server.destroy()
    }

    @Test func redisKilledWithSigkillLosesNoAcknowledgedGrab() async throws {
        // Proves the durability promise: with AOF and appendfsync always, every grab answered
        // 201 before, during or after a kill -9 of Redis is a voucher row in PostgreSQL.
        let redisServer = try await RedisServerProcess.start(arguments: ["--appendonly", "yes", "--appendfsync", "always"])
        do {
            // The tests' generous command deadline: a 500 ms one failed the publish itself with a
            // Redis timeout when the machine was loaded; the kill closes the connection, which fails
            // the calls in flight at once without any deadline.
            try await RushWorld.with(overrides: ["redis.port": String(redisServer.port)]) { world in
                let (_, allTokens) = try await world.enterprisesWithTokens(400)
                try await (try await world.app()).test(.router) { client in
                    let (campaign, lot) = try await client.publishCampaign(world, campaignBody(stock: 1000))
                    let answered = SharedCount()
                    let killer = Task {
                        while answered.value < 100 { try await Task.sleep(for: .milliseconds(5)) }
                        redisServer.kill9()
                        try await Task.sleep(for: .milliseconds(300))
                        try await redisServer.restart()
                    }
                    let acknowledged = try await withThrowingTaskGroup(of: [String].self) { group in
                        for (index, token) in allTokens.enumerated() {
                            group.addTask {
                                // Each enterprise retries until it gets a definitive answer, bounded by a
                                // generous deadline rather than a count of short pauses (a restart of
                                // Redis on a loaded machine can take seconds).
                                let deadline = ContinuousClock.now + .seconds(120)
                                var attempt = 0
                                while ContinuousClock.now < deadline {
                                    defer { attempt += 1 }
                                    if attempt > 0 || index % 4 == 0 { try await Task.sleep(for: .milliseconds(20)) }
                                    let answer = try await client.grab(campaign, lot, token: token, key: "k")
                                    answered.add(1)
                                    if answer.status == .created || answer.status == .ok { return [answer.voucherID ?? "?"] }
                                    if answer.status != .serviceUnavailable { return [] }
                                }
                                return []
                            }
                        }
                        var ids: [String] = []
                        for try await some in group { ids += some }
                        return ids
                    }
                    try await killer.value
                    #expect(acknowledged.count == 400)
                    let rows = try await world.waitForRows(campaign: campaign, count: acknowledged.count, timeout: .seconds(60))
                    let stored = Set(rows.map(\.id))
                    #expect(Set(acknowledged).isSubset(of: stored))
                    #expect(rows.count == stored.count)
                    let report = try await world.verify(campaign: campaign, redisPort: redisServer.port)
                    #expect(report.isConsistent, "\(report.problems)")
                }
            }
        } catch {
            await redisServer.stop()
            throw error
        }
        await redisServer.stop()
    }
}

/// A counter several tasks bump (an `Atomic` is not copyable into closures; a class holding one is).
final class SharedCount: Sendable {
    private let count = Atomic<Int>(0)
    var value: Int { count.load(ordering: .relaxed) }
    func add(_ amount: Int) { count.add(amount, ordering: .relaxed) }
}
