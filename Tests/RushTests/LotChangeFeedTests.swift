import Foundation
import RedisNIO
import Synchronization
import TestSupport
import Testing

@testable import Rush

/// Restock and end announced by one server reach another at once (`LotChangeFeed`).
@Suite("Lot changes reach every server")
struct LotChangeFeedTests {
    /// Pauses of 10 ms while waiting for the subscription or the message, before giving up.
    static let waitStepsMax = 1_000

    /// What a feed's subscriber delivered, in order.
    final class Events: Sendable {
        private let events = Mutex<[RedisSubscriber.Event]>([])
        func add(_ event: RedisSubscriber.Event) { events.withLock { $0.append(event) } }
        func contains(_ event: RedisSubscriber.Event) -> Bool { events.withLock { $0.contains(event) } }
    }

    /// Proves that a change announced by one server clears another server's sold-out mark as soon
    /// as the message arrives, not after the recheck interval (the mark is read at the very instant
    /// it was set, so no time has passed for it), on one Redis and on the cluster, where the
    /// publishing and the subscribed node differ in general.
    @Test(arguments: [false, true]) func aRestockReachesAnotherServer(cluster: Bool) async throws {
        if cluster {
            try await TestCluster.ensureRunning()
            try await TestCluster.withShared {
                try await RushWorld.with(overrides: ["redis.cluster.seeds": "127.0.0.1:\(TestCluster.port)"]) { try await Self.check($0) }
            }
        } else {
            try await RushWorld.with { try await Self.check($0) }
        }
    }

    static func check(_ world: RushWorld) async throws {
        let redis = try await RedisClient.connect(configuration: world.config.redis.clientConfiguration)
        let announcer = GrabGate(redis: redis, soldOut: SoldOutCache())
        let listener = GrabGate(redis: redis, soldOut: SoldOutCache())
        let feed = LotChangeFeed(redis: redis, gate: listener, pages: nil, logger: TestEnvironment.logger)
        let events = Events()
        let task = Task {
            await feed.subscriber.run { event in
                feed.apply(event)
                events.add(event)
            }
        }
        defer { task.cancel() }
        let campaignID = "cmp_feed_\(UUID().uuidString.prefix(8))"
        let lot = LotKeys(campaignID: campaignID, lotID: "lot_1").meta
        for _ in 0..<waitStepsMax where !events.contains(.subscribed) { try await Task.sleep(for: .milliseconds(10)) }
        #expect(events.contains(.subscribed))
        let markedAt = ContinuousClock.now
        listener.soldOut.markSoldOut(lot, now: markedAt)
        #expect(listener.soldOut.isSoldOut(lot, now: markedAt))
        await announcer.announceChange(campaignID: campaignID, lotIDs: ["lot_1"], logger: TestEnvironment.logger)
        let message = RedisSubscriber.Event.message("\(campaignID) lot_1")
        for _ in 0..<waitStepsMax where !events.contains(message) { try await Task.sleep(for: .milliseconds(10)) }
        #expect(events.contains(message))
        #expect(!listener.soldOut.isSoldOut(lot, now: markedAt))
        task.cancel()
        _ = await task.result
        await redis.shutdown()
    }
}
