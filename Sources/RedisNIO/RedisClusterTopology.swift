/// The cluster's slot map as one node reported it: for every hash slot, which master serves it.
/// Built from `CLUSTER SHARDS` (Redis 7) or, on older servers, `CLUSTER SLOTS`; pure, so both
/// reply formats are tested without a server.
struct RedisClusterTopology: Sendable, Hashable {
    /// Marks a slot no master serves.
    static let unassigned: Int16 = -1
    /// The masters, each once; `owners` holds indices into it.
    private(set) var masters: [RedisNodeAddress] = []
    /// For each of the 16384 slots, the index of its master in `masters`, or `unassigned`.
    private(set) var owners = [Int16](repeating: unassigned, count: RedisClusterHash.slotCount)

    /// An empty map (every slot unassigned).
    init() {}

    /// The master serving `slot`, or `nil` when none does.
    func master(of slot: Int) -> RedisNodeAddress? {
        let owner = owners[slot]
        return owner == Self.unassigned ? nil : masters[Int(owner)]
    }

    /// How many slots have a master (16384 on a healthy cluster).
    var assignedSlotCount: Int { owners.reduce(0) { $0 + ($1 == Self.unassigned ? 0 : 1) } }

    /// Records that `address` serves `slots` (what a MOVED reply says about one slot).
    mutating func assign(_ slots: ClosedRange<Int>, to address: RedisNodeAddress) {
        precondition(slots.lowerBound >= 0 && slots.upperBound < RedisClusterHash.slotCount, "slot out of range")
        let index: Int
        if let known = masters.firstIndex(of: address) {
            index = known
        } else {
            index = masters.count
            masters.append(address)
        }
        precondition(index < Int(Int16.max), "more masters than a cluster can have")
        for slot in slots { owners[slot] = Int16(index) }
    }

    /// Parses `CLUSTER SHARDS`: an array of shards, each a flat map with `slots` (start, end
    /// pairs) and `nodes` (flat maps with `ip`, `endpoint`, `port`, `role`, `health`). The
    /// master's `endpoint` is used unless it is `?` or empty, then its `ip`.
    static func parse(shards reply: RESPValue) throws(RedisClientError) -> RedisClusterTopology {
        guard let shards = reply.array else { throw .unexpectedReply(reply) }
        var topology = RedisClusterTopology()
        for shard in shards {
            guard let fields = shard.array else { throw .unexpectedReply(reply) }
            let map = try flatMap(fields, in: reply)
            guard let slots = map["slots"]?.array, slots.count % 2 == 0, let nodes = map["nodes"]?.array else {
                throw .unexpectedReply(reply)
            }
            guard !slots.isEmpty else { continue }
            var master: RedisNodeAddress?
            for node in nodes {
                guard let nodeFields = node.array else { throw .unexpectedReply(reply) }
                let info = try flatMap(nodeFields, in: reply)
                guard info["role"]?.string == "master", info["health"]?.string ?? "online" == "online" else { continue }
                let endpoint = info["endpoint"]?.string
                let host = endpoint.flatMap { $0.isEmpty || $0 == "?" ? nil : $0 } ?? info["ip"]?.string
                guard let host, let port = info["port"]?.int64 else { throw .unexpectedReply(reply) }
                master = RedisNodeAddress(host: host, port: Int(port))
            }
            guard let master else { continue }
            var index = 0
            while index < slots.count {
                guard let start = slots[index].int64, let end = slots[index + 1].int64, 0 <= start, start <= end,
                    end < RedisClusterHash.slotCount
                else { throw .unexpectedReply(reply) }
                topology.assign(Int(start)...Int(end), to: master)
                index += 2
            }
        }
        return topology
    }

    /// Parses `CLUSTER SLOTS`: an array of `[start, end, [host, port, id, ...], replicas...]`.
    static func parse(slots reply: RESPValue) throws(RedisClientError) -> RedisClusterTopology {
        guard let ranges = reply.array else { throw .unexpectedReply(reply) }
        var topology = RedisClusterTopology()
        for range in ranges {
            guard let parts = range.array, parts.count >= 3, let start = parts[0].int64, let end = parts[1].int64,
                0 <= start, start <= end, end < RedisClusterHash.slotCount,
                let node = parts[2].array, node.count >= 2, let host = node[0].string, let port = node[1].int64
            else { throw .unexpectedReply(reply) }
            topology.assign(Int(start)...Int(end), to: RedisNodeAddress(host: host, port: Int(port)))
        }
        return topology
    }

    private static func flatMap(_ fields: [RESPValue], in reply: RESPValue) throws(RedisClientError) -> [String: RESPValue] {
        guard fields.count % 2 == 0 else { throw .unexpectedReply(reply) }
        var map: [String: RESPValue] = [:]
        var index = 0
        while index < fields.count {
            guard let name = fields[index].string else { throw .unexpectedReply(reply) }
            map[name] = fields[index + 1]
            index += 2
        }
        return map
    }
}
