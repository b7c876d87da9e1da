import NIOCore

/// Which of Redis Cluster's 16384 hash slots a key lives in: CRC16-XMODEM of the key's hash tag
/// (the text between the first `{` and the next `}`, when not empty) or of the whole key, modulo
/// 16384 — the cluster specification's `HASH_SLOT`. Pure, so it is tested against the spec's
/// vectors without a server.
public enum RedisClusterHash {
    /// Number of hash slots of every Redis Cluster.
    public static let slotCount = 16384

    /// The slot of a key given as text.
    public static func slot(of key: String) -> Int {
        var key = key
        return key.withUTF8 { slot(ofBytes: $0) }
    }

    /// The slot of a command argument (the key of a routed command).
    static func slot(of argument: RESPArgument) -> Int {
        switch argument {
        case .string(let text): return slot(of: text)
        case .bytes(let buffer): return buffer.withUnsafeReadableBytes { $0.withMemoryRebound(to: UInt8.self) { slot(ofBytes: $0) } }
        case .integer(let value): return slot(of: String(value))
        }
    }

    /// The slot of a key given as bytes.
    public static func slot(ofBytes key: UnsafeBufferPointer<UInt8>) -> Int {
        let tagged = hashTag(key)
        return Int(crc16(UnsafeBufferPointer(rebasing: key[tagged])) & 0x3FFF)
    }

    /// The part of `key` that is hashed: the hash tag when the key has a non-empty one, else all.
    static func hashTag(_ key: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        guard let open = key.firstIndex(of: UInt8(ascii: "{")) else { return 0..<key.count }
        guard let close = key[(open + 1)...].firstIndex(of: UInt8(ascii: "}")), close > open + 1 else { return 0..<key.count }
        return (open + 1)..<close
    }

    /// CRC16-CCITT in the XMODEM variant (polynomial 0x1021, initial value 0, no reflection), the
    /// checksum the cluster specification names; "123456789" gives 0x31C3.
    public static func crc16(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt16 {
        var crc: UInt16 = 0
        for byte in bytes {
            crc = (crc << 8) ^ table[Int(UInt8(truncatingIfNeeded: crc >> 8) ^ byte)]
        }
        return crc
    }

    /// `crc16` of text.
    public static func crc16(_ text: String) -> UInt16 {
        var text = text
        return text.withUTF8 { crc16($0) }
    }

    /// The byte-wise lookup table of the polynomial 0x1021.
    private static let table: [UInt16] = (0..<256).map { index in
        var crc = UInt16(index) << 8
        for _ in 0..<8 {
            crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1
        }
        return crc
    }
}
