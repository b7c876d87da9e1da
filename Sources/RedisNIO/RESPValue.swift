import NIOCore

/// One reply from Redis, typed, so callers match on what the server meant instead of on bytes.
///
/// Bulk payloads stay `ByteBuffer`s because values may be binary; `string` decodes them when the
/// caller knows they are text.
public enum RESPValue: Sendable, Hashable {
    /// A simple-string reply such as `OK` or `PONG` (RESP `+`).
    case status(String)
    /// An error reply (RESP `-`); kept as a value so `send` can return it and helpers can throw it.
    case error(String)
    /// An integer reply (RESP `:`).
    case integer(Int64)
    /// A bulk-string reply (RESP `$`); may be empty, never nil (nil is `.null`).
    case bulk(ByteBuffer)
    /// A nil bulk or nil array (`$-1`, `*-1`): "no such key" and friends.
    case null
    /// An array reply (RESP `*`), possibly nested.
    case array([RESPValue])
}

extension RESPValue {
    /// The reply as text, for helpers that know the value is text: status, bulk and integer
    /// replies convert; error, nil and array replies give `nil`.
    public var string: String? {
        switch self {
        case .status(let text): return text
        case .bulk(let buffer): return String(buffer: buffer)
        case .integer(let value): return String(value)
        case .error, .null, .array: return nil
        }
    }

    /// The reply as an integer: integer replies, and bulk/status replies holding decimal digits
    /// (Lua scripts and `GET` of a counter return those).
    public var int64: Int64? {
        switch self {
        case .integer(let value): return value
        case .bulk(let buffer): return Int64(String(buffer: buffer))
        case .status(let text): return Int64(text)
        case .error, .null, .array: return nil
        }
    }

    /// The elements of an array reply, or `nil` for any other reply.
    public var array: [RESPValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// Whether this is the nil reply, which many commands use for "absent".
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}

extension RESPValue {
    /// The reply itself, or `RedisClientError.server` if it is an error reply: how helpers turn
    /// "Redis said no" into a thrown error.
    public func checked() throws(RedisClientError) -> RESPValue {
        if case .error(let message) = self { throw .server(message) }
        return self
    }
}
