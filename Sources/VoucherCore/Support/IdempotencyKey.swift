/// The `Idempotency-Key` a client sends with a request that creates something (SPEC §9): 1 to
/// `lengthMax` visible ASCII characters. Every route that takes the header validates it here, so
/// one rule and one answer (400 `idempotency_key_invalid`) hold for grabs, orders and batches.
public struct IdempotencyKey: Sendable, Hashable {
    /// The longest key, in bytes (every byte is one ASCII character).
    public static let lengthMax = 64
    /// The bytes the grab script uses as separators in Redis, so a grab key may not hold them.
    public static let grabReserved: [UInt8] = [UInt8(ascii: "|"), UInt8(ascii: ":")]

    /// The key as the client sent it.
    public let value: String

    /// Accepts 1 to `lengthMax` visible ASCII characters (0x21…0x7E), none of them in `reserved`.
    public init(validating text: String, reserved: [UInt8] = []) throws(IdempotencyKeyError) {
        let bytes = text.utf8
        guard (1...Self.lengthMax).contains(bytes.count), bytes.allSatisfy({ Self.isVisible($0) && !reserved.contains($0) }) else {
            throw .invalid(reserved: reserved)
        }
        value = text
    }

    /// The header's key, or nil when the request sent none (each route decides whether that is allowed).
    public static func validated(_ header: String?, reserved: [UInt8] = []) throws(IdempotencyKeyError) -> IdempotencyKey? {
        guard let header else { return nil }
        return try IdempotencyKey(validating: header, reserved: reserved)
    }

    /// Visible ASCII: no space, no control, nothing past 0x7E.
    static func isVisible(_ byte: UInt8) -> Bool {
        byte > 0x20 && byte < 0x7F
    }
}

/// Why an `Idempotency-Key` header was refused.
public enum IdempotencyKeyError: DomainErrorConvertible, Hashable {
    /// Empty, too long, or holding a byte that is not visible ASCII or is reserved by the route.
    case invalid(reserved: [UInt8])

    /// `idempotency_key_invalid`.
    public var code: String { ErrorCode.idempotencyKeyInvalid }
    public var kind: DomainError.Kind { .invalidInput }
    public var detail: String {
        switch self {
        case .invalid(let reserved) where reserved.isEmpty:
            "The Idempotency-Key must be 1 to \(IdempotencyKey.lengthMax) visible ASCII characters."
        case .invalid(let reserved):
            "Idempotency-Key must be 1 to \(IdempotencyKey.lengthMax) printable ASCII characters without "
                + reserved.map { "'\(Character(Unicode.Scalar($0)))'" }.joined(separator: " or ") + "."
        }
    }
}
