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
    public func load(_ script: RedisScript) async throws {
        let reply = try await send(RESPCommand(["SCRIPT", "LOAD", script.source]))
        guard try reply.checked().string == script.sha1 else { throw RedisClientError.unexpectedReply(reply) }
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
