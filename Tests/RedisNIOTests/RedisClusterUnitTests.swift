import Logging
import NIOCore
import NIOEmbedded
import Testing

@testable import RedisNIO

/// Cluster mode's pure parts, with no server: the slot of a key (CRC16-XMODEM of its hash tag),
/// the redirect replies, both slot-map replies, which argument a command is routed by, and — on
/// an `EmbeddedChannel` — that `ASKING` and its command leave back to back with their replies
/// matched in order.
@Suite("Redis Cluster rules")
struct RedisClusterUnitTests {
    /// The cluster specification's test vector: CRC16-XMODEM("123456789") = 0x31C3.
    @Test func crc16MatchesTheSpecificationsVector() {
        #expect(RedisClusterHash.crc16("123456789") == 0x31C3)
        #expect(RedisClusterHash.crc16("") == 0)
    }

    /// Slots of keys as `CLUSTER KEYSLOT` of Redis 7.0 reports them, hash-tag rules included:
    /// the first `{` and the next `}`, an empty tag hashes the whole key.
    @Test(arguments: [
        ("foo", 12182), ("123456789", 12739), ("{user1000}.following", 3443), ("foo{}{bar}", 8363),
        ("foo{{bar}}zap", 4015), ("foo{bar}{zap}", 5061), ("{", 4092), ("a{b", 13340),
        ("vr:{c:camp-1}:lot:l1", 9199), ("vr:{c:camp-1}:claims", 9199), ("c:camp-1", 9199),
    ])
    func slotsMatchRedis(key: String, slot: Int) {
        #expect(RedisClusterHash.slot(of: key) == slot)
        #expect(RedisClusterHash.slot(of: RESPArgument.bytes(ByteBuffer(string: key))) == slot)
    }

    /// Every key of one grab-script call carries the campaign's tag, so they share one slot.
    @Test func keysWithOneTagShareASlot() {
        let slot = RedisClusterHash.slot(of: "vr:{c:42}:lot:7")
        for key in ["vr:{c:42}:claims", "vr:{c:42}:dead", "vr:{c:42}:lot:8", "x{c:42}y"] {
            #expect(RedisClusterHash.slot(of: key) == slot)
        }
    }

    /// MOVED and ASK name a slot and an address; TRYAGAIN and CLUSTERDOWN are retryable; other
    /// errors are the caller's.
    @Test func redirectsParse() {
        let address = RedisNodeAddress(host: "127.0.0.1", port: 7002)
        #expect(RedisClusterRedirect(errorMessage: "MOVED 3999 127.0.0.1:7002") == .moved(slot: 3999, address: address))
        #expect(RedisClusterRedirect(errorMessage: "ASK 3999 127.0.0.1:7002") == .ask(slot: 3999, address: address))
        #expect(
            RedisClusterRedirect(errorMessage: "MOVED 1 ::1:7002") == .moved(slot: 1, address: RedisNodeAddress(host: "::1", port: 7002)))
        #expect(RedisClusterRedirect(errorMessage: "TRYAGAIN Multiple keys request during rehashing of slot") == .tryAgain)
        #expect(RedisClusterRedirect(errorMessage: "CLUSTERDOWN The cluster is down") == .clusterDown)
        #expect(RedisClusterRedirect(errorMessage: "NOSCRIPT No matching script") == nil)
        #expect(RedisClusterRedirect(errorMessage: "MOVED 16384 127.0.0.1:7002") == nil)
        #expect(RedisClusterRedirect(errorMessage: "MOVED 1 127.0.0.1") == nil)
        #expect(RedisClusterRedirect(errorMessage: "ERR MOVED 1 127.0.0.1:7002") == nil)
    }

    /// `CLUSTER SHARDS` as Redis 7.0 sends it in RESP2: masters' slot ranges are kept, replicas and
    /// slotless shards are not, and a `?` endpoint falls back to the ip.
    @Test func shardsReplyParses() throws {
        func node(_ port: Int64, _ role: String, endpoint: String = "127.0.0.1", health: String = "online") -> RESPValue {
            .array([
                .bulk(ByteBuffer(string: "id")), .bulk(ByteBuffer(string: "n\(port)")), .bulk(ByteBuffer(string: "port")), .integer(port),
                .bulk(ByteBuffer(string: "ip")), .bulk(ByteBuffer(string: "10.0.0.1")), .bulk(ByteBuffer(string: "endpoint")),
                .bulk(ByteBuffer(string: endpoint)), .bulk(ByteBuffer(string: "role")), .bulk(ByteBuffer(string: role)),
                .bulk(ByteBuffer(string: "replication-offset")), .integer(14), .bulk(ByteBuffer(string: "health")),
                .bulk(ByteBuffer(string: health)),
            ])
        }
        func shard(_ slots: [Int64], _ nodes: [RESPValue]) -> RESPValue {
            .array([.bulk(ByteBuffer(string: "slots")), .array(slots.map { .integer($0) }), .bulk(ByteBuffer(string: "nodes")), .array(nodes)])
        }
        let reply = RESPValue.array([
            shard([0, 5460, 16000, 16383], [node(7001, "master"), node(7004, "replica")]),
            shard([5461, 15999], [node(7005, "replica"), node(7002, "master", endpoint: "?")]),
            shard([], [node(7003, "master")]),
        ])
        let topology = try RedisClusterTopology.parse(shards: reply)
        #expect(topology.masters == [RedisNodeAddress(host: "127.0.0.1", port: 7001), RedisNodeAddress(host: "10.0.0.1", port: 7002)])
        #expect(topology.master(of: 0)?.port == 7001)
        #expect(topology.master(of: 5460)?.port == 7001)
        #expect(topology.master(of: 5461)?.port == 7002)
        #expect(topology.master(of: 15999)?.port == 7002)
        #expect(topology.master(of: 16383)?.port == 7001)
        #expect(topology.assignedSlotCount == RedisClusterHash.slotCount)
        #expect(throws: RedisClientError.self) { try RedisClusterTopology.parse(shards: .array([shard([1], [])])) }
    }

    /// `CLUSTER SLOTS`, the fallback: `[start, end, [host, port, id], replicas...]`; gaps stay unassigned.
    @Test func slotsReplyParses() throws {
        func range(_ start: Int64, _ end: Int64, _ port: Int64) -> RESPValue {
            .array([
                .integer(start), .integer(end), .array([.bulk(ByteBuffer(string: "127.0.0.1")), .integer(port), .bulk(ByteBuffer(string: "id"))]),
                .array([.bulk(ByteBuffer(string: "127.0.0.1")), .integer(port + 3), .bulk(ByteBuffer(string: "id2"))]),
            ])
        }
        let topology = try RedisClusterTopology.parse(slots: .array([range(0, 99, 7001), range(200, 16383, 7002)]))
        #expect(topology.master(of: 99)?.port == 7001)
        #expect(topology.master(of: 100) == nil)
        #expect(topology.master(of: 200)?.port == 7002)
        #expect(topology.assignedSlotCount == RedisClusterHash.slotCount - 100)
    }

    /// Commands are routed by their first key: after `STREAMS` for stream reads, after the
    /// subcommand for XGROUP/XINFO, the first KEYS entry for scripts; keyless ones by none.
    @Test func commandsAreRoutedByTheirFirstKey() {
        func key(_ arguments: [RESPArgument]) -> RESPArgument? { RESPCommand(arguments).routingKey }
        #expect(key(["GET", "k"]) == "k")
        #expect(key(["EVALSHA", "sha", 2, "k1", "k2", "a"]) == "k1")
        #expect(key(["evalsha", "sha", "0", "a"]) == nil)
        #expect(key(["XREADGROUP", "GROUP", "g", "c", "COUNT", 5, "STREAMS", "s", ">"]) == "s")
        #expect(key(["XGROUP", "CREATE", "s", "g", "0", "MKSTREAM"]) == "s")
        #expect(key(["XINFO", "GROUPS", "s"]) == "s")
        #expect(key(["PING"]) == nil)
        #expect(key(["SCRIPT", "LOAD", "return 1"]) == nil)
        #expect(key(["WAIT", 1, 100]) == nil)
    }

    /// A sequence (ASKING, then the command) is written as one unit, and its two replies go to
    /// their two waiters in order, a command enqueued afterwards after them.
    @Test func sequenceLeavesBackToBack() throws {
        let rig = try RESPChannelHandlerTests.Rig()
        let asking = rig.channel.eventLoop.makePromise(of: RESPValue.self)
        let get = rig.channel.eventLoop.makePromise(of: RESPValue.self)
        _ = try rig.queue.enqueue(
            [RESPCommand(["ASKING"]), RESPCommand(["GET", "k"])], waiters: [.promise(asking), .promise(get)], deadline: .now() + .hours(1))
        let later = try rig.send(["PING"])
        rig.handler.drain()
        #expect(try rig.written() == "*1\r\n$6\r\nASKING\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n*1\r\n$4\r\nPING\r\n")
        try rig.reply("+OK\r\n$1\r\nv\r\n+PONG\r\n")
        #expect(try RESPChannelHandlerTests.result(asking.futureResult)?.get() == .status("OK"))
        #expect(try RESPChannelHandlerTests.result(get.futureResult)?.get() == .bulk(ByteBuffer(string: "v")))
        #expect(try RESPChannelHandlerTests.result(later)?.get() == .status("PONG"))
        #expect(rig.queue.inFlightCount == 0)
        _ = try rig.channel.finish()
    }

    /// A sequence that does not fit under the backpressure bound is refused whole.
    @Test func sequenceOverTheBoundIsRefusedWhole() throws {
        let rig = try RESPChannelHandlerTests.Rig(pendingMax: 2)
        _ = try rig.send(["PING"])
        let promises = (0..<2).map { _ in rig.channel.eventLoop.makePromise(of: RESPValue.self) }
        #expect(throws: RedisClientError.backpressure(pendingCommandsMax: 2)) {
            _ = try rig.queue.enqueue(
                [RESPCommand(["ASKING"]), RESPCommand(["GET", "k"])], waiters: promises.map { .promise($0) }, deadline: .now() + .hours(1))
        }
        for promise in promises { promise.fail(RedisClientError.shutdown) }
        #expect(rig.queue.inFlightCount == 1)
        _ = try rig.channel.finish()
    }
}
