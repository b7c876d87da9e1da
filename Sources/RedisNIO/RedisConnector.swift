import Logging
import NIOCore
import NIOPosix
import NIOSSL

/// Opens connections: TCP, optional TLS, then PING (or AUTH/SELECT) before the connection is
/// handed out, so a connection in the pool is known to work.
struct RedisConnector: Sendable {
    let configuration: RedisConfiguration
    let sslContext: NIOSSLContext?
    let logger: Logger

    /// Builds the TLS context once per client (it is expensive and shareable).
    init(configuration: RedisConfiguration, logger: Logger) throws(RedisClientError) {
        self.configuration = configuration
        self.logger = logger
        guard let tls = configuration.tls else {
            self.sslContext = nil
            return
        }
        var tlsConfiguration = TLSConfiguration.makeClientConfiguration()
        if let path = tls.trustRootsPEMPath { tlsConfiguration.trustRoots = .file(path) }
        switch tls.certificateVerification {
        case .full: tlsConfiguration.certificateVerification = .fullVerification
        case .noHostname: tlsConfiguration.certificateVerification = .noHostnameVerification
        case .none: tlsConfiguration.certificateVerification = .none
        }
        do {
            self.sslContext = try NIOSSLContext(configuration: tlsConfiguration)
        } catch {
            throw .invalidConfiguration("TLS: \(error)")
        }
    }

    /// The SNI / verification name: explicit, else the host unless it is an IP literal.
    private var serverName: String? {
        if let name = configuration.tls?.serverName { return name }
        let host = configuration.host
        let isIPLiteral = host.contains(":") || host.allSatisfy { $0.isNumber || $0 == "." }
        return isIPLiteral ? nil : host
    }

    /// Connects on `eventLoop` and runs the handshake; the future fails (and the channel is
    /// closed) on any error or when `connectTimeout` passes.
    /// `onMessage` makes it a subscriber connection (see `RESPChannelHandler`).
    func connect(
        on eventLoop: any EventLoop, id: Int, onMessage: (@Sendable (RESPValue) -> Void)? = nil
    ) -> EventLoopFuture<RedisConnection> {
        let sslContext = self.sslContext
        let serverName = self.serverName
        let pendingCommandsMax = configuration.pendingCommandsMax
        let grace = TimeAmount(configuration.commandTimeout)
        var handlerLogger = logger
        handlerLogger[metadataKey: "redis.connection"] = "\(id)"
        let finalLogger = handlerLogger
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(TimeAmount(configuration.connectTimeout))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let sslContext {
                        let tlsHandler = try NIOSSLClientHandler(context: sslContext, serverHostname: serverName)
                        try channel.pipeline.syncOperations.addHandler(tlsHandler)
                    }
                    let queue = SubmissionQueue(allocator: channel.allocator, pendingCommandsMax: pendingCommandsMax)
                    let handler = try RESPChannelHandler(queue: queue, unresponsiveGrace: grace, logger: finalLogger, onMessage: onMessage)
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }
        let deadline = NIODeadline.now() + TimeAmount(configuration.connectTimeout)
        let handshake = handshakeCommands
        return bootstrap.connect(host: configuration.host, port: configuration.port)
            .flatMapThrowing { channel in
                let handler = try channel.pipeline.syncOperations.handler(type: RESPChannelHandler.self)
                return RedisConnection(channel: channel, handler: handler, id: id)
            }
            .flatMap { connection in
                Self.runHandshake(handshake, on: connection, deadline: deadline)
                    .map { connection }
                    .flatMapError { error in
                        connection.close().flatMapThrowing { throw error }
                    }
            }
    }

    /// AUTH and SELECT when configured; a PING otherwise, so TLS and reachability are proven.
    private var handshakeCommands: [RESPCommand] {
        var commands: [RESPCommand] = []
        if let password = configuration.password {
            if let username = configuration.username {
                commands.append(RESPCommand(["AUTH", username, password]))
            } else {
                commands.append(RESPCommand(["AUTH", password]))
            }
        }
        if configuration.database != 0 {
            commands.append(RESPCommand([.string("SELECT"), .integer(Int64(configuration.database))]))
        }
        if commands.isEmpty { commands.append(RESPCommand(["PING"])) }
        return commands
    }

    /// Sends the handshake pipelined and fails on the first error reply.
    private static func runHandshake(
        _ commands: [RESPCommand],
        on connection: RedisConnection,
        deadline: NIODeadline
    ) -> EventLoopFuture<Void> {
        let eventLoop = connection.channel.eventLoop
        let futures = commands.map { command in
            let name = command.name
            return connection.sendFuture(command, deadline: deadline).flatMapThrowing { reply in
                if case .error(let message) = reply {
                    throw RedisClientError.server("\(name): \(message)")
                }
            }
        }
        return EventLoopFuture.andAllSucceed(futures, on: eventLoop)
    }
}
