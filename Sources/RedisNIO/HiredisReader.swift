import CHiredis
import NIOCore

/// Owns one hiredis `redisReader`: bytes from the socket go in, typed replies come out.
///
/// Confined to its channel's event loop (the handler is its only user), so it is not `Sendable`;
/// `deinit` frees the C reader, so there is exactly one owner of the pointer.
final class HiredisReader {
    private let reader: UnsafeMutablePointer<redisReader>

    /// Fails only when hiredis cannot allocate its reader.
    init() throws(RedisClientError) {
        guard let reader = redisReaderCreate() else {
            throw RedisClientError.protocolError("hiredis could not allocate a reader")
        }
        self.reader = reader
    }

    deinit {
        redisReaderFree(reader)
    }

    /// Hands bytes to hiredis (it copies them into its own buffer).
    func feed(_ buffer: ByteBuffer) throws(RedisClientError) {
        let status = buffer.withUnsafeReadableBytes { bytes -> Int32 in
            guard let base = bytes.baseAddress, bytes.count > 0 else { return REDIS_OK }
            return redisReaderFeed(reader, base.assumingMemoryBound(to: CChar.self), bytes.count)
        }
        if status != REDIS_OK { throw protocolError() }
    }

    /// The next complete reply, or `nil` when more bytes are needed.
    func next(allocator: ByteBufferAllocator) throws(RedisClientError) -> RESPValue? {
        var raw: UnsafeMutableRawPointer?
        guard redisReaderGetReply(reader, &raw) == REDIS_OK else { throw protocolError() }
        guard let raw else { return nil }
        defer { freeReplyObject(raw) }
        return Self.convert(raw.assumingMemoryBound(to: redisReply.self), allocator: allocator)
    }

    private func protocolError() -> RedisClientError {
        let message = withUnsafeBytes(of: reader.pointee.errstr) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        return .protocolError(message)
    }

    /// Copies a hiredis reply tree into Swift values (the tree is freed by the caller).
    private static func convert(_ reply: UnsafeMutablePointer<redisReply>, allocator: ByteBufferAllocator) -> RESPValue {
        let node = reply.pointee
        switch node.type {
        case REDIS_REPLY_STRING:
            return .bulk(allocator.buffer(bytes: Self.bytes(node)))
        case REDIS_REPLY_STATUS:
            return .status(String(decoding: Self.bytes(node), as: UTF8.self))
        case REDIS_REPLY_ERROR:
            return .error(String(decoding: Self.bytes(node), as: UTF8.self))
        case REDIS_REPLY_INTEGER:
            return .integer(Int64(node.integer))
        case REDIS_REPLY_ARRAY:
            var elements: [RESPValue] = []
            elements.reserveCapacity(node.elements)
            for index in 0..<node.elements {
                if let child = node.element?[index] {
                    elements.append(convert(child, allocator: allocator))
                } else {
                    elements.append(.null)
                }
            }
            return .array(elements)
        default:
            // REDIS_REPLY_NIL, and anything a newer hiredis might add that RESP2 cannot send.
            return .null
        }
    }

    private static func bytes(_ node: redisReply) -> UnsafeRawBufferPointer {
        guard let str = node.str, node.len > 0 else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: str, count: node.len)
    }
}
