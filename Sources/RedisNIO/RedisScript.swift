/// A Lua script named by its SHA-1, so the hot path sends `EVALSHA sha` (40 bytes) instead of the
/// whole source, and the client can reload it by itself after `SCRIPT FLUSH` or a Redis restart.
public struct RedisScript: Sendable, Hashable {
    /// The Lua source, kept for `SCRIPT LOAD` when Redis answers NOSCRIPT.
    public let source: String
    /// Lower-case hex SHA-1 of `source`, the name Redis gives the script.
    public let sha1: String

    /// Computes the SHA-1 locally; no round trip needed.
    public init(_ source: String) {
        self.source = source
        self.sha1 = SHA1.hexDigest(source.utf8)
    }
}

extension RedisClient {
    /// Loads `script` into the server's script cache (`SCRIPT LOAD`), e.g. at startup so the first
    /// call does not pay the NOSCRIPT round trip. Checks that Redis names it as we do.
    /// In cluster mode every master loads it: a script is cached per node, and the grab script
    /// of a campaign runs on whichever master holds the campaign's slot.
    public func load(_ script: RedisScript) async throws {
        for reply in try await sendToEveryMaster(RESPCommand(["SCRIPT", "LOAD", script.source])) {
            guard try reply.checked().string == script.sha1 else { throw RedisClientError.unexpectedReply(reply) }
        }
    }

    /// Runs `script` with `EVALSHA`; on NOSCRIPT, loads it and retries once. Returns the raw reply
    /// (error replies from the script itself throw `.server`).
    public func evalsha(
        _ script: RedisScript,
        keys: [String] = [],
        arguments: [String] = [],
        timeout: Duration? = nil
    ) async throws -> RESPValue {
        var command: [RESPArgument] = [.string("EVALSHA"), .string(script.sha1), .integer(Int64(keys.count))]
        command.reserveCapacity(3 + keys.count + arguments.count)
        for key in keys { command.append(.string(key)) }
        for argument in arguments { command.append(.string(argument)) }
        return try await evalsha(script, command: RESPCommand(command), timeout: timeout)
    }

    /// `evalsha` with binary keys and arguments.
    public func evalsha(
        _ script: RedisScript,
        keys: [RESPArgument],
        arguments: [RESPArgument],
        timeout: Duration? = nil
    ) async throws -> RESPValue {
        let command = [.string("EVALSHA"), .string(script.sha1), .integer(Int64(keys.count))] + keys + arguments
        return try await evalsha(script, command: RESPCommand(command), timeout: timeout)
    }

    /// Runs `script` and then `WAIT replicas timeoutMilliseconds` back to back on one connection
    /// (in cluster mode: of the master of the first key), so the WAIT covers the script's writes.
    /// Returns the script's reply and how many replicas acknowledged them in time (fewer than
    /// `replicas` when the timeout passed). NOSCRIPT loads the script and retries once.
    public func evalsha(
        _ script: RedisScript,
        keys: [String],
        arguments: [String],
        thenWaitForReplicas replicas: Int,
        timeoutMilliseconds: Int64
    ) async throws -> (reply: RESPValue, acknowledged: Int64) {
        var command: [RESPArgument] = [.string("EVALSHA"), .string(script.sha1), .integer(Int64(keys.count))]
        command.reserveCapacity(3 + keys.count + arguments.count)
        for key in keys { command.append(.string(key)) }
        for argument in arguments { command.append(.string(argument)) }
        let sequence = [RESPCommand(command), RESPCommand([.string("WAIT"), .integer(Int64(replicas)), .integer(timeoutMilliseconds)])]
        let timeout = configuration.commandTimeout + .milliseconds(timeoutMilliseconds)
        var replies = try await sendSequence(sequence, timeout: timeout)
        if case .error(let message) = replies[0], message.hasPrefix("NOSCRIPT") {
            logger.info("redis.script.reload", metadata: ["redis.script": "\(script.sha1)"])
            try await load(script)
            replies = try await sendSequence(sequence, timeout: timeout)
        }
        let reply = try replies[0].checked()
        guard case .integer(let acknowledged) = try replies[1].checked() else { throw RedisClientError.unexpectedReply(replies[1]) }
        return (reply, acknowledged)
    }

    private func evalsha(_ script: RedisScript, command: RESPCommand, timeout: Duration?) async throws -> RESPValue {
        let reply = try await send(command, timeout: timeout)
        if case .error(let message) = reply, message.hasPrefix("NOSCRIPT") {
            logger.info("redis.script.reload", metadata: ["redis.script": "\(script.sha1)"])
            try await load(script)
            return try await send(command, timeout: timeout).checked()
        }
        return try reply.checked()
    }
}
