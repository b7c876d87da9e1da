import Logging
import NIOCore
import NIOPosix

/// Receives what is published on one channel (`SUBSCRIBE`), on a connection of its own: pushed
/// messages never enter a pipelined connection's FIFO of replies. Reconnects by itself, in
/// cluster mode to the next seed (classic pub/sub is broadcast to every node of a cluster, so any
/// node will do), and says `.subscribed` after every (re)subscription, since messages published
/// while it was away are gone: a listener then assumes it missed some.
public struct RedisSubscriber: Sendable {
    /// What the subscriber hands its listener.
    public enum Event: Sendable, Equatable {
        /// Subscribed (again): anything published before may have been missed.
        case subscribed
        /// One published payload.
        case message(String)
    }

    let configuration: RedisConfiguration
    let channel: String
    let logger: Logger

    /// A subscriber to `channel` on the server (or cluster) `configuration` names.
    public init(configuration: RedisConfiguration, channel: String, logger: Logger) {
        self.configuration = configuration
        self.channel = channel
        self.logger = logger
    }

    /// Runs until the task is cancelled, calling `listener` on the connection's event loop (keep it
    /// short and non-blocking). A failed connection is retried after a pause that doubles from the
    /// configuration's `reconnectBackoffMin` to its `reconnectBackoffMax`.
    public func run(_ listener: @escaping @Sendable (Event) -> Void) async {
        let nodes =
            configuration.clusterSeeds.isEmpty
            ? [RedisNodeAddress(host: configuration.host, port: configuration.port)] : configuration.clusterSeeds
        var attempt = 0
        var pause = configuration.reconnectBackoffMin
        while !Task.isCancelled {
            let node = nodes[attempt % nodes.count]
            attempt += 1
            do {
                try await subscribe(at: node, listener)
                pause = configuration.reconnectBackoffMin
            } catch {
                if Task.isCancelled { return }
                logger.warning("redis.subscriber.failed", metadata: ["redis.node": "\(node)", "redis.error": "\(error)"])
            }
            do { try await Task.sleep(for: pause) } catch { return }
            pause = min(pause * 2, configuration.reconnectBackoffMax)
        }
    }

    /// One connection's life: connect, SUBSCRIBE, hand messages on until it closes or the task is cancelled.
    private func subscribe(at node: RedisNodeAddress, _ listener: @escaping @Sendable (Event) -> Void) async throws {
        var nodeConfiguration = configuration
        nodeConfiguration.clusterSeeds = []
        nodeConfiguration.host = node.host
        nodeConfiguration.port = node.port
        let channel = self.channel
        let connector = try RedisConnector(configuration: nodeConfiguration, logger: logger)
        let connection = try await connector.connect(on: MultiThreadedEventLoopGroup.singleton.next(), id: 0) { reply in
            guard let parts = reply.array, parts.count == 3, parts[1].string == channel, let payload = parts[2].string else { return }
            listener(.message(payload))
        }.get()
        try await withTaskCancellationHandler {
            let reply = try await connection.send(RESPCommand(["SUBSCRIBE", channel]), deadline: .now() + TimeAmount(configuration.commandTimeout))
            guard reply.array?.first?.string == "subscribe" else { throw RedisClientError.unexpectedReply(reply) }
            listener(.subscribed)
            try await connection.channel.closeFuture.get()
        } onCancel: {
            connection.channel.close(promise: nil)
        }
        throw RedisClientError.connectionClosed
    }
}
