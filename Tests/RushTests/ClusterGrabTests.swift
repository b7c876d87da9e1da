import API
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RedisNIO
import Rush
import TestSupport
import Testing
import VoucherConfig
import VoucherServices

#if canImport(Glibc)
import Glibc
#endif

/// The grab path on the local Redis Cluster (`ops/cluster`), the whole application in cluster
/// mode: publishing, the grab script, the idempotency keys, the claim sink and `campaign verify`
/// all go through the slot of the campaign's hash tag, on whichever master holds it.
@Suite("Grab on Redis Cluster")
struct ClusterGrabTests {
    /// Proves the stock bound on a cluster for two campaigns at once: 300 enterprises on two lots
    /// of 100 each get exactly 100 vouchers per lot, the sink drains both campaigns' streams
    /// (wherever their slots live) into PostgreSQL, and verify passes for both.
    @Test func rushOnTwoCampaignsDrainsIntoPostgres() async throws {
        try await RushWorld.with(redis: .cluster) { world in
            let (_, tokens) = try await world.enterprisesWithTokens(300)
            try await (try await world.app()).test(.router) { client in
                let first = try await client.publishCampaign(world, campaignBody(stock: 100))
                let second = try await client.publishCampaign(world, campaignBody(stock: 100))
                let answers = try await withThrowingTaskGroup(of: (Int, GrabAnswer).self) { group in
                    for (index, token) in tokens.enumerated() {
                        let (campaign, lot) = index % 2 == 0 ? first : second
                        group.addTask { (index % 2, try await client.grab(campaign, lot, token: token)) }
                    }
                    var all: [(Int, GrabAnswer)] = []
                    for try await answer in group { all.append(answer) }
                    return all
                }
                for (side, (campaign, _)) in [first, second].enumerated() {
                    let mine = answers.filter { $0.0 == side }.map(\.1)
                    let won = mine.filter { $0.status == .created }
                    #expect(won.count == 100)
                    #expect(mine.filter { $0.code == "sold_out" }.count == 50)
                    let rows = try await world.waitForRows(campaign: campaign, count: 100)
                    #expect(rows.count == 100)
                    #expect(Set(rows.map(\.id)) == Set(won.compactMap(\.voucherID)))
                    let report = try await world.verify(campaign: campaign)
                    #expect(report.isConsistent, "\(report.problems)")
                    #expect(report.lots.first?.remaining == 0)
                }
            }
        }
    }

    /// Proves idempotency and the per-enterprise limit on a cluster: 50 concurrent grabs by one
    /// enterprise give one voucher; a repeated key returns it; the limit holds.
    @Test func oneEnterpriseGetsOneVoucherOnTheCluster() async throws {
        try await RushWorld.with(redis: .cluster) { world in
            let orgs = try await world.enterprises(1)
            let token = try await world.token(org: orgs[0])
            try await (try await world.app()).test(.router) { client in
                let (campaign, lot) = try await client.publishCampaign(world, campaignBody(stock: 10))
                let answers = try await withThrowingTaskGroup(of: GrabAnswer.self) { group in
                    for _ in 0..<50 { group.addTask { try await client.grab(campaign, lot, token: token, key: "same") } }
                    var all: [GrabAnswer] = []
                    for try await answer in group { all.append(answer) }
                    return all
                }
                #expect(answers.filter { $0.status == .created }.count == 1)
                #expect(answers.filter { $0.status == .ok }.count == 49)
                #expect(Set(answers.compactMap(\.voucherID)).count == 1)
                let other = try await client.grab(campaign, lot, token: token, key: "other")
                #expect(other.code == "limit_reached")
                let rows = try await world.waitForRows(campaign: campaign, count: 1)
                #expect(rows.map(\.id) == Array(Set(answers.compactMap(\.voucherID))))
                let report = try await world.verify(campaign: campaign)
                #expect(report.isConsistent, "\(report.problems)")
            }
        }
    }

    /// Proves what a client hears when no replica confirms its claim in time (`WAIT 1 100` after
    /// the script): the campaign's master's replica is stopped (SIGSTOP) for one grab, which is
    /// answered 503 `grab_unconfirmed` — neither won nor lost; a retry with the same
    /// Idempotency-Key while the replica is still stopped is refused the same way (the voucher is
    /// on the master only, so it is not announced); once the replica runs again, the retry answers
    /// 200 with the voucher, which PostgreSQL holds.
    @Test func anUnconfirmedGrabIsNeitherWonNorLost() async throws {
        try await TestCluster.ensureRunning()
        let overrides = [
            "redis.cluster.seeds": "127.0.0.1:\(TestCluster.port)", "redis.cluster.waitReplicas": "1", "redis.cluster.waitTimeoutMs": "100",
        ]
        // Alone on the cluster: a stopped replica makes every WAIT of another cluster test fail.
        try await TestCluster.withExclusive {
            try await RushWorld.with(overrides: overrides) { world in
                #expect(world.config.redis.grabReplication == GrabReplication(replicas: 1, timeoutMilliseconds: 100))
                let orgs = try await world.enterprises(2)
                let (first, second) = (try await world.token(org: orgs[0]), try await world.token(org: orgs[1]))
                try await (try await world.app()).test(.router) { client in
                    let (campaign, lot) = try await client.publishCampaign(world, campaignBody(stock: 10))
                    #expect(try await client.grab(campaign, lot, token: first).status == .created)
                    let replicaPID = try await Self.replicaPID(ofKey: LotKeys(campaignID: campaign, lotID: lot).meta, world: world)
                    let unconfirmed: GrabAnswer
                    let retriedWhileStopped: GrabAnswer
                    do {
                        #expect(kill(replicaPID, SIGSTOP) == 0)
                        // The replica runs again however the grabs end (answer, throw or failed expectation).
                        defer { #expect(kill(replicaPID, SIGCONT) == 0) }
                        unconfirmed = try await client.grab(campaign, lot, token: second, key: "k1")
                        retriedWhileStopped = try await client.grab(campaign, lot, token: second, key: "k1")
                    }
                    for answer in [unconfirmed, retriedWhileStopped] {
                        #expect(answer.status == .serviceUnavailable)
                        #expect(answer.code == "grab_unconfirmed")
                        #expect(answer.voucherID == nil)
                    }
                    // The resumed replica confirms within one WAIT on a quiet machine; a loaded one
                    // may need a few (each bounded by its 100 ms), never an unbounded wait.
                    var retried = try await client.grab(campaign, lot, token: second, key: "k1")
                    for _ in 0..<Self.confirmRetriesMax where retried.code == "grab_unconfirmed" {
                        retried = try await client.grab(campaign, lot, token: second, key: "k1")
                    }
                    #expect(retried.status == .ok)
                    let voucher = try #require(retried.voucherID)
                    let rows = try await world.waitForRows(campaign: campaign, count: 2)
                    #expect(rows.contains { $0.id == voucher && $0.org == orgs[1] })
                    let report = try await world.verify(campaign: campaign)
                    #expect(report.isConsistent, "\(report.problems)")
                }
            }
        }
    }

    /// Retries of a grab whose replica has just resumed, before the test gives up on it.
    static let confirmRetriesMax = 50

    /// The PID of a replica of the master that holds `key`.
    static func replicaPID(ofKey key: String, world: RushWorld) async throws -> Int32 {
        let redis = try await RedisClient.connect(configuration: world.config.redis.clientConfiguration)
        do {
            let master = try #require(redis.clusterMaster(ofKey: key))
            var node = RedisConfiguration(host: master.host, port: master.port)
            node.poolSize = 1
            let direct = try await RedisClient.connect(configuration: node)
            let id = try #require(try await direct.send(["CLUSTER", "MYID"]).checked().string)
            let line = try #require(try await direct.send(["CLUSTER", "REPLICAS", id]).checked().array?.first?.string)
            await direct.shutdown()
            let address = try #require(line.split(separator: " ").dropFirst().first?.split(separator: "@").first)
            let port = try #require(RedisNodeAddress(address)?.port)
            await redis.shutdown()
            return try TestCluster.pid(ofNodeOnPort: port)
        } catch {
            await redis.shutdown()
            throw error
        }
    }

    /// Every key one script call or one multi-key command names shares the campaign's slot, so
    /// no call is refused with CROSSSLOT on a cluster.
    @Test func everyKeyOfOneCallSharesTheCampaignsSlot() {
        for campaign in ["cmp_1", "cmp_01HX9ZK", "{odd}", "c:x"] {
            let lot = LotKeys(campaignID: campaign, lotID: "lot_1")
            let campaignKeys = CampaignKeys(campaignID: campaign)
            let slot = RedisClusterHash.slot(of: lot.meta)
            for key in lot.grabKeys + [campaignKeys.stream, campaignKeys.deadLetters] {
                #expect(RedisClusterHash.slot(of: key) == slot, "\(key)")
            }
        }
    }
}
