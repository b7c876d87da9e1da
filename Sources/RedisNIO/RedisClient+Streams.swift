/// One stream entry as XREADGROUP / XAUTOCLAIM return it.
public struct RedisStreamEntry: Sendable, Hashable {
    /// The entry id, e.g. `1700000000000-0`.
    public var id: String
    /// Field → value; empty for an entry deleted while pending.
    public var fields: [String: String]

    /// Builds an entry (tests and fakes need it too).
    public init(id: String, fields: [String: String]) {
        self.id = id
        self.fields = fields
    }
}

/// `XPENDING stream group` summary: what a consumer group still owes.
public struct RedisPendingSummary: Sendable, Hashable {
    /// Entries delivered and not acknowledged.
    public var count: Int64
    /// Smallest and largest pending id; `nil` when nothing is pending.
    public var smallestID: String?
    /// Largest pending id; `nil` when nothing is pending.
    public var largestID: String?
    /// Pending entries per consumer name.
    public var consumers: [String: Int64]
}

/// One line of the extended `XPENDING stream group start end count` form.
public struct RedisPendingEntry: Sendable, Hashable {
    /// The entry id.
    public var id: String
    /// The consumer that holds it.
    public var consumer: String
    /// Milliseconds since it was last delivered.
    public var idleMilliseconds: Int64
    /// How many times it was delivered.
    public var deliveries: Int64
}

/// The result of XAUTOCLAIM: entries now owned by the caller and where to continue scanning.
public struct RedisAutoClaim: Sendable, Hashable {
    /// Cursor for the next XAUTOCLAIM call; `0-0` when the scan is complete.
    public var nextStartID: String
    /// Entries claimed by this call.
    public var entries: [RedisStreamEntry]
    /// Ids that were pending but no longer exist in the stream (Redis 7+), now removed from the PEL.
    public var deletedIDs: [String]
}

/// Stream helpers for the claim queue (grab path → stream → consumer group → Postgres).
extension RedisClient {
    /// `XADD stream [MAXLEN ~ n] id field value...`: the id Redis assigned.
    @discardableResult
    public func xadd(
        _ stream: String,
        fields: [(field: String, value: String)],
        id: String = "*",
        approximateMaxLength: Int64? = nil
    ) async throws -> String {
        precondition(!fields.isEmpty, "XADD needs at least one field")
        var command: [RESPArgument] = [.string("XADD"), .string(stream)]
        if let approximateMaxLength { command += [.string("MAXLEN"), .string("~"), .integer(approximateMaxLength)] }
        command.append(.string(id))
        for (field, value) in fields { command += [.string(field), .string(value)] }
        let reply = try await send(RESPCommand(command)).checked()
        guard case .bulk = reply, let assigned = reply.string else { throw RedisClientError.unexpectedReply(reply) }
        return assigned
    }

    /// `XGROUP CREATE stream group id MKSTREAM`: `true` if created, `false` if it already existed
    /// (BUSYGROUP is tolerated so every instance can call this at startup).
    @discardableResult
    public func xgroupCreate(_ stream: String, group: String, startID: String = "$") async throws -> Bool {
        let reply = try await send(RESPCommand(["XGROUP", "CREATE", stream, group, startID, "MKSTREAM"]))
        if case .error(let message) = reply, message.hasPrefix("BUSYGROUP") { return false }
        _ = try reply.checked()
        return true
    }

    /// `XREADGROUP GROUP group consumer COUNT n [BLOCK ms] STREAMS stream id`. `id` is `>` for new
    /// entries or `0` for this consumer's pending ones. Blocking calls get a deadline of the block
    /// time plus `commandTimeout`. Returns `[]` when nothing arrived.
    public func xreadgroup(
        group: String,
        consumer: String,
        stream: String,
        count: Int,
        blockMilliseconds: Int64? = nil,
        id: String = ">"
    ) async throws -> [RedisStreamEntry] {
        var command: [RESPArgument] = [
            .string("XREADGROUP"), .string("GROUP"), .string(group), .string(consumer),
            .string("COUNT"), .integer(Int64(count)),
        ]
        var timeout = configuration.commandTimeout
        if let blockMilliseconds {
            command += [.string("BLOCK"), .integer(blockMilliseconds)]
            timeout += .milliseconds(blockMilliseconds)
        }
        command += [.string("STREAMS"), .string(stream), .string(id)]
        let reply = try await send(RESPCommand(command), timeout: timeout).checked()
        switch reply {
        case .null:
            return []
        case .array(let streams):
            var entries: [RedisStreamEntry] = []
            for streamReply in streams {
                guard let pair = streamReply.array, pair.count == 2, let list = pair[1].array else {
                    throw RedisClientError.unexpectedReply(reply)
                }
                entries += try Self.entries(list, in: reply)
            }
            return entries
        default:
            throw RedisClientError.unexpectedReply(reply)
        }
    }

    /// `XACK stream group id...`: how many were acknowledged.
    @discardableResult
    public func xack(_ stream: String, group: String, ids: [String]) async throws -> Int64 {
        precondition(!ids.isEmpty, "XACK needs at least one id")
        return try await integer(RESPCommand(["XACK", stream, group] + ids))
    }

    /// `XAUTOCLAIM stream group consumer min-idle start COUNT n`: takes over entries another
    /// consumer left pending for at least `minIdleMilliseconds` (e.g. a crashed instance).
    public func xautoclaim(
        _ stream: String,
        group: String,
        consumer: String,
        minIdleMilliseconds: Int64,
        startID: String = "0-0",
        count: Int
    ) async throws -> RedisAutoClaim {
        let command: [RESPArgument] = [
            .string("XAUTOCLAIM"), .string(stream), .string(group), .string(consumer),
            .integer(minIdleMilliseconds), .string(startID), .string("COUNT"), .integer(Int64(count)),
        ]
        let reply = try await send(RESPCommand(command)).checked()
        guard let parts = reply.array, parts.count >= 2, let next = parts[0].string, let list = parts[1].array else {
            throw RedisClientError.unexpectedReply(reply)
        }
        let deleted = parts.count > 2 ? (parts[2].array ?? []).compactMap(\.string) : []
        return RedisAutoClaim(nextStartID: next, entries: try Self.entries(list, in: reply), deletedIDs: deleted)
    }

    /// `XCLAIM stream group consumer 0 ids… JUSTID`, then `WAIT replicas timeoutMilliseconds`, back
    /// to back on one connection (in cluster mode: of the stream's master): which of `ids` are in
    /// `consumer`'s pending list on the node that answered, and how many replicas hold everything
    /// that node wrote up to the claim. Claiming its own entries again changes nothing but their
    /// idle time, yet it is a write that follows the entries, so the `WAIT` covers them: a reader
    /// that acts only on returned ids with enough replicas never acts on an entry a failover can
    /// take back, whichever node it read the entry from. Ids not pending there are left out.
    public func xclaimJustID(
        _ stream: String, group: String, consumer: String, ids: [String], thenWaitForReplicas replicas: Int, timeoutMilliseconds: Int64
    ) async throws -> (ids: [String], acknowledged: Int64) {
        precondition(!ids.isEmpty, "XCLAIM needs at least one id")
        var claim: [RESPArgument] = [.string("XCLAIM"), .string(stream), .string(group), .string(consumer), .integer(0)]
        claim += ids.map { .string($0) }
        claim.append(.string("JUSTID"))
        let replies = try await sendSequence(
            [RESPCommand(claim), .wait(replicas: replicas, timeoutMilliseconds: timeoutMilliseconds)],
            timeout: configuration.commandTimeout + .milliseconds(timeoutMilliseconds))
        guard let claimed = try replies[0].checked().array else { throw RedisClientError.unexpectedReply(replies[0]) }
        let acknowledged = try Self.acknowledgedReplicas(replies[1])
        let ids = try claimed.map { id throws(RedisClientError) in
            guard let text = id.string else { throw .unexpectedReply(replies[0]) }
            return text
        }
        return (ids, acknowledged)
    }

    /// `XPENDING stream group`: the summary form.
    public func xpending(_ stream: String, group: String) async throws -> RedisPendingSummary {
        let reply = try await send(RESPCommand(["XPENDING", stream, group])).checked()
        guard let parts = reply.array, parts.count == 4, let count = parts[0].int64 else {
            throw RedisClientError.unexpectedReply(reply)
        }
        var consumers: [String: Int64] = [:]
        for consumer in parts[3].array ?? [] {
            guard let pair = consumer.array, pair.count == 2, let name = pair[0].string, let pending = pair[1].int64 else {
                throw RedisClientError.unexpectedReply(reply)
            }
            consumers[name] = pending
        }
        return RedisPendingSummary(count: count, smallestID: parts[1].string, largestID: parts[2].string, consumers: consumers)
    }

    /// `XPENDING stream group [IDLE ms] start end count [consumer]`: the detailed form.
    public func xpending(
        _ stream: String,
        group: String,
        minIdleMilliseconds: Int64? = nil,
        startID: String = "-",
        endID: String = "+",
        count: Int,
        consumer: String? = nil
    ) async throws -> [RedisPendingEntry] {
        var command: [RESPArgument] = [.string("XPENDING"), .string(stream), .string(group)]
        if let minIdleMilliseconds { command += [.string("IDLE"), .integer(minIdleMilliseconds)] }
        command += [.string(startID), .string(endID), .integer(Int64(count))]
        if let consumer { command.append(.string(consumer)) }
        let reply = try await send(RESPCommand(command)).checked()
        guard let lines = reply.array else { throw RedisClientError.unexpectedReply(reply) }
        return try lines.map { line throws(RedisClientError) in
            guard let parts = line.array, parts.count == 4, let id = parts[0].string, let owner = parts[1].string,
                let idle = parts[2].int64, let deliveries = parts[3].int64
            else { throw .unexpectedReply(reply) }
            return RedisPendingEntry(id: id, consumer: owner, idleMilliseconds: idle, deliveries: deliveries)
        }
    }

    /// `XLEN stream`: entries in the stream (0 when absent).
    public func xlen(_ stream: String) async throws -> Int64 {
        try await integer(RESPCommand(["XLEN", stream]))
    }

    /// Decodes `[[id, [f, v, ...]], ...]`; a nil field list (entry deleted) gives empty fields.
    static func entries(_ list: [RESPValue], in reply: RESPValue) throws(RedisClientError) -> [RedisStreamEntry] {
        var entries: [RedisStreamEntry] = []
        entries.reserveCapacity(list.count)
        for item in list {
            guard let pair = item.array, pair.count == 2, let id = pair[0].string else { throw .unexpectedReply(reply) }
            let fields = try pair[1].array.map { elements throws(RedisClientError) in try pairs(elements, in: reply) } ?? [:]
            entries.append(RedisStreamEntry(id: id, fields: fields))
        }
        return entries
    }
}
