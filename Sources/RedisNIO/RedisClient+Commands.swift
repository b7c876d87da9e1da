import NIOCore

/// Typed helpers for the plain commands the service uses; each throws `.server` on an error reply
/// and `.unexpectedReply` when the reply has the wrong shape.
extension RedisClient {
    /// `PING`: a liveness probe through the pool.
    public func ping() async throws {
        let reply = try await send(RESPCommand(["PING"])).checked()
        guard case .status("PONG") = reply else { throw RedisClientError.unexpectedReply(reply) }
    }

    /// `GET key`: the value, or `nil` when the key is absent.
    public func get(_ key: String) async throws -> ByteBuffer? {
        switch try await send(RESPCommand(["GET", key])).checked() {
        case .bulk(let value): return value
        case .null: return nil
        case let reply: throw RedisClientError.unexpectedReply(reply)
        }
    }

    /// `GET key` decoded as UTF-8 text.
    public func getString(_ key: String) async throws -> String? {
        try await get(key).map { String(buffer: $0) }
    }

    /// `SET key value [PX ms] [NX]`: returns `false` only when `onlyIfAbsent` and the key existed.
    @discardableResult
    public func set(
        _ key: String,
        to value: String,
        expireMilliseconds: Int64? = nil,
        onlyIfAbsent: Bool = false
    ) async throws -> Bool {
        var command: [RESPArgument] = [.string("SET"), .string(key), .string(value)]
        if let expireMilliseconds { command += [.string("PX"), .integer(expireMilliseconds)] }
        if onlyIfAbsent { command.append(.string("NX")) }
        switch try await send(RESPCommand(command)).checked() {
        case .status: return true
        case .null: return false
        case let reply: throw RedisClientError.unexpectedReply(reply)
        }
    }

    /// `DEL key...`: how many keys existed.
    @discardableResult
    public func del(_ keys: [String]) async throws -> Int64 {
        try await integer(RESPCommand(["DEL"] + keys))
    }

    /// `INCR key`: the new value.
    @discardableResult
    public func incr(_ key: String) async throws -> Int64 {
        try await integer(RESPCommand(["INCR", key]))
    }

    /// `HSET key field value...`: how many fields were new.
    @discardableResult
    public func hset(_ key: String, fields: [(field: String, value: String)]) async throws -> Int64 {
        precondition(!fields.isEmpty, "HSET needs at least one field")
        var command = ["HSET", key]
        command.reserveCapacity(2 + fields.count * 2)
        for (field, value) in fields { command += [field, value] }
        return try await integer(RESPCommand(command))
    }

    /// `HGETALL key` as a dictionary (empty when the key is absent).
    public func hgetall(_ key: String) async throws -> [String: String] {
        let reply = try await send(RESPCommand(["HGETALL", key])).checked()
        guard let elements = reply.array else { throw RedisClientError.unexpectedReply(reply) }
        return try Self.pairs(elements, in: reply)
    }

    /// `TIME`: the server clock, the one all instances agree on (e.g. for campaign windows).
    public func time() async throws -> RedisTime {
        let reply = try await send(RESPCommand(["TIME"])).checked()
        guard let parts = reply.array, parts.count == 2,
            let seconds = parts[0].int64, let microseconds = parts[1].int64
        else { throw RedisClientError.unexpectedReply(reply) }
        return RedisTime(seconds: seconds, microseconds: microseconds)
    }

    /// Sends a command whose reply must be an integer.
    func integer(_ command: RESPCommand) async throws -> Int64 {
        let reply = try await send(command).checked()
        guard case .integer(let value) = reply else { throw RedisClientError.unexpectedReply(reply) }
        return value
    }

    /// Decodes a flat `[k1, v1, k2, v2...]` reply (HGETALL, stream fields) into a dictionary.
    static func pairs(_ elements: [RESPValue], in reply: RESPValue) throws(RedisClientError) -> [String: String] {
        guard elements.count % 2 == 0 else { throw .unexpectedReply(reply) }
        var result: [String: String] = [:]
        result.reserveCapacity(elements.count / 2)
        var index = 0
        while index < elements.count {
            guard let field = elements[index].string, let value = elements[index + 1].string else {
                throw .unexpectedReply(reply)
            }
            result[field] = value
            index += 2
        }
        return result
    }
}

/// The server clock as `TIME` reports it.
public struct RedisTime: Sendable, Hashable {
    /// Whole seconds since the Unix epoch.
    public var seconds: Int64
    /// Microseconds within the second.
    public var microseconds: Int64

    /// Milliseconds since the Unix epoch, rounded down (the unit campaign windows use).
    public var milliseconds: Int64 { seconds * 1000 + microseconds / 1000 }
}
