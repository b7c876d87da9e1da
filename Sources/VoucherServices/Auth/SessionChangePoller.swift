import Logging
import ServiceLifecycle
import VoucherCore

/// The one background task per server that keeps its `SessionChangeFeed` fresh: a read every
/// `SessionChangeFeed.pollInterval`, and a purge of old rows about once a minute.
public struct SessionChangePoller: Service {
    /// One read may take this long before it is given up; the feed is stale by then anyway.
    public static let pollDeadline: Duration = SessionChangeFeed.staleAfter

    let feed: SessionChangeFeed
    let logger: Logger

    public init(feed: SessionChangeFeed, logger: Logger) {
        self.feed = feed
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            var polls = 0
            var failing = false
            while !Task.isCancelled {
                let feed = self.feed
                do {
                    try await withDeadline(Self.pollDeadline) { try await feed.poll() }
                    if failing { logger.info("auth.session_feed_recovered") }
                    failing = false
                } catch {
                    // Logged once per outage, not twice a second.
                    if !failing { logger.warning("auth.session_feed_read_failed", metadata: ["error": "\(String(reflecting: error))"]) }
                    failing = true
                }
                polls += 1
                if polls % SessionChangeFeed.purgeEveryPolls == 0 {
                    do {
                        try await withDeadline(Self.pollDeadline) { try await feed.purge() }
                    } catch {
                        logger.warning("auth.session_feed_purge_failed", metadata: ["error": "\(String(reflecting: error))"])
                    }
                }
                try? await Task.sleep(for: SessionChangeFeed.pollInterval)
            }
        }
    }
}
