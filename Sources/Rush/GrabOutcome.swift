import RedisNIO

/// What the grab script decided, typed. Pure: parsed from the reply, no I/O.
public enum GrabOutcome: Sendable, Equatable {
    /// A new voucher; `remaining` is the lot's stock after this grab.
    case won(voucherID: String, grantedAtMs: Int64, remaining: Int64)
    /// The enterprise retried; this is the voucher it already has.
    case again(voucherID: String, grantedAtMs: Int64)
    case soldOut
    case notOpen(startMs: Int64, endMs: Int64)
    case ended(startMs: Int64, endMs: Int64)
    case limitReached(held: Int64)
    /// Redis does not know the lot (not published, or its keys were lost).
    case unknownLot

    /// Reads the script's reply; anything else is a bug or a foreign key, reported as such.
    public init(reply: RESPValue) throws {
        guard let parts = reply.array, let tag = parts.first?.string else { throw RedisClientError.unexpectedReply(reply) }
        func int(_ index: Int) throws -> Int64 {
            guard index < parts.count, let value = parts[index].int64 else { throw RedisClientError.unexpectedReply(reply) }
            return value
        }
        func text(_ index: Int) throws -> String {
            guard index < parts.count, let value = parts[index].string else { throw RedisClientError.unexpectedReply(reply) }
            return value
        }
        switch tag {
        case "won": self = .won(voucherID: try text(1), grantedAtMs: try int(2), remaining: try int(3))
        case "again": self = .again(voucherID: try text(1), grantedAtMs: try int(2))
        case "sold_out": self = .soldOut
        case "not_open": self = .notOpen(startMs: try int(1), endMs: try int(2))
        case "ended": self = .ended(startMs: try int(1), endMs: try int(2))
        case "limit_reached": self = .limitReached(held: try int(1))
        case "unknown_lot": self = .unknownLot
        default: throw RedisClientError.unexpectedReply(reply)
        }
    }

    /// Whether the answer hands the client a voucher (new or repeated): what a replica must hold
    /// before the client hears it on a cluster (`GrabReplication`).
    public var grantsVoucher: Bool {
        switch self {
        case .won, .again: return true
        case .soldOut, .notOpen, .ended, .limitReached, .unknownLot: return false
        }
    }

    /// A bounded label for metrics.
    public var label: String {
        switch self {
        case .won: return "won"
        case .again: return "again"
        case .soldOut: return "sold_out"
        case .notOpen: return "not_open"
        case .ended: return "ended"
        case .limitReached: return "limit_reached"
        case .unknownLot: return "unknown_lot"
        }
    }
}
