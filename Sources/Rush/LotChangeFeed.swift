import Logging
import RedisNIO
import ServiceLifecycle

/// Restock and end reach every server at once: the server that changed a campaign publishes
/// `campaignID lotID…` on one channel (classic pub/sub, broadcast to every node of a cluster),
/// and every server's feed clears what it keeps of those lots — the sold-out marks (otherwise a
/// restock elsewhere shows only after `SoldOutCache.recheckInterval`), the remaining stock and the
/// campaign page. After each (re)subscription it clears every sold-out mark, since a change may
/// have been published while it was away. Losing a message costs only the old recheck delay:
/// Redis stays the judge of every grab.
public struct LotChangeFeed: Service {
    /// The channel every server subscribes to.
    public static let channel = "vr:lot-changes"
    /// Lots named in one message at most (a campaign has a few).
    static let lotsPerMessageMax = 64

    let subscriber: RedisSubscriber
    let soldOut: SoldOutCache
    let stockViews: RemainingStockCache
    let pages: CampaignPageCache?

    /// The feed of the server whose grab path is `gate` (and campaign pages `pages`).
    public init(redis: RedisClient, gate: GrabGate, pages: CampaignPageCache?, logger: Logger) {
        subscriber = RedisSubscriber(configuration: redis.configuration, channel: Self.channel, logger: logger)
        soldOut = gate.soldOut
        stockViews = gate.stockViews
        self.pages = pages
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await subscriber.run { event in apply(event) }
        }
    }

    /// Clears what `event` says may be stale.
    func apply(_ event: RedisSubscriber.Event) {
        switch event {
        case .subscribed:
            soldOut.clearAll()
        case .message(let payload):
            let words = payload.split(separator: " ").prefix(1 + Self.lotsPerMessageMax).map(String.init)
            guard let campaignID = words.first else { return }
            for lotID in words.dropFirst() { soldOut.clear(LotKeys(campaignID: campaignID, lotID: lotID).meta) }
            stockViews.forget(campaignID: campaignID)
            pages?.forget(campaignID: campaignID)
        }
    }

    /// Tells every server that the campaign's `lotIDs` changed (after the store change). A failed
    /// publish is logged, not thrown: the change is made, the others learn it by their recheck.
    public static func announce(redis: RedisClient, campaignID: String, lotIDs: [String], logger: Logger) async {
        let payload = ([campaignID] + lotIDs.prefix(lotsPerMessageMax)).joined(separator: " ")
        do {
            _ = try await redis.send(["PUBLISH", channel, payload]).checked()
        } catch {
            logger.warning("rush.lot_change.publish_failed", metadata: ["campaign.id": "\(campaignID)", "error": "\(error)"])
        }
    }
}
