extension RESPCommand {
    /// The key a cluster routes this command by (its first key), or `nil` for a command without
    /// keys (PING, TIME, SCRIPT, a script called with no keys), which any master may answer.
    /// Multi-key commands must keep all their keys in one slot (hash tags); the node refuses
    /// them with CROSSSLOT otherwise.
    var routingKey: RESPArgument? {
        guard arguments.count >= 2 else { return nil }
        switch Self.upperCased(arguments[0]) {
        case "EVAL", "EVALSHA", "EVAL_RO", "EVALSHA_RO", "FCALL", "FCALL_RO":
            guard arguments.count >= 4, Self.integer(arguments[2]).map({ $0 > 0 }) == true else { return nil }
            return arguments[3]
        case "XREAD", "XREADGROUP":
            guard let streams = arguments.firstIndex(where: { Self.upperCased($0) == "STREAMS" }), streams + 1 < arguments.count
            else { return nil }
            return arguments[streams + 1]
        case "XGROUP", "XINFO", "OBJECT", "MEMORY":
            return arguments.count >= 3 ? arguments[2] : nil
        case "PING", "TIME", "SCRIPT", "INFO", "CLUSTER", "WAIT", "ASKING", "READONLY", "READWRITE", "FLUSHALL", "FLUSHDB",
            "DBSIZE", "KEYS", "SCAN", "CONFIG", "CLIENT", "HELLO", "AUTH", "SELECT", "ECHO", "PUBLISH", "FUNCTION",
            "RANDOMKEY", "ROLE", "LASTSAVE", "COMMAND":
            return nil
        default:
            return arguments[1]
        }
    }

    private static func upperCased(_ argument: RESPArgument) -> String {
        switch argument {
        case .string(let text): return text.uppercased()
        case .bytes(let buffer): return String(buffer: buffer).uppercased()
        case .integer(let value): return String(value)
        }
    }

    private static func integer(_ argument: RESPArgument) -> Int64? {
        switch argument {
        case .string(let text): return Int64(text)
        case .bytes(let buffer): return Int64(String(buffer: buffer))
        case .integer(let value): return value
        }
    }
}
