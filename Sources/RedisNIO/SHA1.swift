import Crypto

/// SHA-1, only to name Lua scripts the way Redis does (`EVALSHA` takes the hex digest of the
/// source), so a script's id is known without a round trip. swift-crypto is in the graph already
/// (jwt-kit needs it), so the digest is its `Insecure.SHA1`, not a hand-written one. Not for
/// anything security-related.
enum SHA1 {
    /// Lower-case hex digest of `bytes`, as `SCRIPT LOAD` returns it.
    static func hexDigest<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String {
        Insecure.SHA1.hash(data: Array(bytes)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 0x10 ? "0" + hex : hex
        }.joined()
    }
}
