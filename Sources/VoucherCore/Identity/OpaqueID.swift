/// Opaque string ids (SPEC §9: "ids are opaque strings"), such as `vch_5k2m…`.
///
/// A short type prefix tells people and logs what an id names; 16 random bytes make ids
/// unguessable (one organisation cannot enumerate another's) and collision-free without a
/// central counter, so the grab path can mint ids before the database sees them.
public enum OpaqueID {
    /// Random bytes per id: 128 bits.
    public static let randomByteCount = 16
    /// The longest type prefix (`vch`, `ord`, `batch`…).
    public static let prefixLengthMax = 8
    /// Separates the prefix from the random part.
    public static let separator = "_"
    /// Crockford's base32 alphabet in lower case: no `i`, `l`, `o`, `u`, so ids read aloud or
    /// copied by hand are not misread.
    public static let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz".utf8)
    /// Characters of the random part: ⌈128 / 5⌉.
    public static let encodedLength = (randomByteCount * 8 + bitsPerCharacter - 1) / bitsPerCharacter
    /// Bits one base32 character carries.
    static let bitsPerCharacter = 5
    /// The longest id this helper can produce; longer path parameters are rejected unread.
    public static let lengthMax = prefixLengthMax + separator.utf8.count + encodedLength

    /// A fresh id with the system's cryptographically secure generator.
    public static func make(prefix: String) -> String {
        var generator = SystemRandomNumberGenerator()
        return make(prefix: prefix, using: &generator)
    }

    /// A fresh id from the given generator, so tests can be deterministic.
    ///
    /// A prefix that is not 1…8 lower-case ASCII letters is a programmer error: prefixes are constants.
    public static func make(prefix: String, using generator: inout some RandomNumberGenerator) -> String {
        precondition(isValidPrefix(prefix), "id prefix must be 1...\(prefixLengthMax) lower-case letters: \(prefix)")
        var bytes: [UInt8] = []
        bytes.reserveCapacity(randomByteCount)
        for _ in 0..<randomByteCount {
            bytes.append(UInt8.random(in: .min ... .max, using: &generator))
        }
        return prefix + separator + base32(bytes)
    }

    /// Whether `id` has the shape of an id minted with `prefix`; lets the API answer 400
    /// `id_malformed` for garbage without a database round trip.
    public static func isWellFormed(_ id: String, prefix: String) -> Bool {
        let bytes = Array(id.utf8)
        let head = Array((prefix + separator).utf8)
        guard bytes.count == head.count + encodedLength, bytes.starts(with: head) else { return false }
        return bytes.dropFirst(head.count).allSatisfy(alphabet.contains)
    }

    /// Throws `OpaqueIDError.malformed` unless `isWellFormed(id, prefix:)`.
    public static func validate(_ id: String, prefix: String) throws(OpaqueIDError) {
        guard isWellFormed(id, prefix: prefix) else { throw .malformed(prefix: prefix) }
    }

    /// True for 1…`prefixLengthMax` lower-case ASCII letters.
    static func isValidPrefix(_ prefix: String) -> Bool {
        let bytes = Array(prefix.utf8)
        return (1...prefixLengthMax).contains(bytes.count) && bytes.allSatisfy(ASCII.isLowerLetter)
    }

    /// RFC 4648 bit order over Crockford's alphabet, no padding; the last character carries the
    /// remaining bits shifted left.
    static func base32(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count * 8 + bitsPerCharacter - 1) / bitsPerCharacter)
        var buffer: UInt32 = 0
        var bitCount = 0
        let mask: UInt32 = (1 << bitsPerCharacter) - 1
        for byte in bytes {
            buffer = (buffer << 8) | UInt32(byte)
            bitCount += 8
            while bitCount >= bitsPerCharacter {
                bitCount -= bitsPerCharacter
                output.append(alphabet[Int((buffer >> UInt32(bitCount)) & mask)])
            }
        }
        if bitCount > 0 {
            output.append(alphabet[Int((buffer << UInt32(bitsPerCharacter - bitCount)) & mask)])
        }
        return String(decoding: output, as: UTF8.self)
    }
}

/// Why an id from a request was rejected.
public enum OpaqueIDError: DomainErrorConvertible, Hashable {
    /// Not an id of the expected kind.
    case malformed(prefix: String)
    /// The path parameter `name` is not an id at all (empty, too long, or a character no id has).
    case malformedParameter(name: String)

    /// `id_malformed`.
    public var code: String { ErrorCode.idMalformed }
    /// A malformed id is the request's fault whatever exists (400, the same on every route); a
    /// well-formed id that is missing or another organisation's is 404, so no request can learn
    /// that such an id exists (SPEC §8).
    public var kind: DomainError.Kind { .invalidInput }
    /// What to fix.
    public var detail: String {
        switch self {
        case .malformed(let prefix):
            "The id is not a valid \(prefix) id; use an id exactly as the API returned it."
        case .malformedParameter(let name):
            "\(name) is not a valid id: use the id exactly as the API returned it."
        }
    }
}
