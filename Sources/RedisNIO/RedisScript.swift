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
        try await evalsha(script, command: .evalsha(script, keys: keys, arguments: arguments), timeout: timeout)
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
        let sequence = [
            RESPCommand.evalsha(script, keys: keys, arguments: arguments), .wait(replicas: replicas, timeoutMilliseconds: timeoutMilliseconds),
        ]
        let timeout = configuration.commandTimeout + .milliseconds(timeoutMilliseconds)
        var replies = try await sendSequence(sequence, timeout: timeout)
        if replies[0].isNoScriptError {
            logger.info("redis.script.reload", metadata: ["redis.script": "\(script.sha1)"])
            try await load(script)
            replies = try await sendSequence(sequence, timeout: timeout)
        }
        return (try replies[0].checked(), try Self.acknowledgedReplicas(replies[1]))
    }

    private func evalsha(_ script: RedisScript, command: RESPCommand, timeout: Duration?) async throws -> RESPValue {
        let reply = try await send(command, timeout: timeout)
        if reply.isNoScriptError {
            logger.info("redis.script.reload", metadata: ["redis.script": "\(script.sha1)"])
            try await load(script)
            return try await send(command, timeout: timeout).checked()
        }
        return try reply.checked()
    }
}

extension RESPCommand {
    /// `EVALSHA sha numkeys keys… arguments…`: `script` by its SHA-1.
    public static func evalsha(_ script: RedisScript, keys: [String], arguments: [String]) -> RESPCommand {
        var command: [RESPArgument] = [.string("EVALSHA"), .string(script.sha1), .integer(Int64(keys.count))]
        command.reserveCapacity(3 + keys.count + arguments.count)
        for key in keys { command.append(.string(key)) }
        for argument in arguments { command.append(.string(argument)) }
        return RESPCommand(command)
    }

    /// `WAIT replicas timeoutMilliseconds`: sent right after a write on the same connection, it
    /// answers how many replicas hold what that connection wrote (see `acknowledgedReplicas`).
    public static func wait(replicas: Int, timeoutMilliseconds: Int64) -> RESPCommand {
        RESPCommand([.string("WAIT"), .integer(Int64(replicas)), .integer(timeoutMilliseconds)])
    }
}

extension RedisClient {
    /// The replica count a `WAIT` answered.
    static func acknowledgedReplicas(_ reply: RESPValue) throws -> Int64 {
        guard case .integer(let acknowledged) = try reply.checked() else { throw RedisClientError.unexpectedReply(reply) }
        return acknowledged
    }
}

extension RESPValue {
    /// Redis's NOSCRIPT error: it does not know the script (a restart, `SCRIPT FLUSH`, another
    /// cluster node); load it and send the call again.
    public var isNoScriptError: Bool {
        if case .error(let message) = self { return message.hasPrefix("NOSCRIPT") }
        return false
    }
}
