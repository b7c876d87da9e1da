import NIOCore

/// One argument of a command: text, raw bytes or an integer, so callers never pre-render to
/// `String` what is already bytes or a number.
public enum RESPArgument: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    /// UTF-8 text, written as its bytes.
    case string(String)
    /// Raw bytes, written as they are (binary-safe).
    case bytes(ByteBuffer)
    /// An integer, written in decimal.
    case integer(Int64)

    /// Lets command builders write `"GET"` for `.string("GET")`.
    public init(stringLiteral value: String) { self = .string(value) }

    /// Lets command builders write `3` for `.integer(3)`.
    public init(integerLiteral value: Int64) { self = .integer(value) }
}

/// A command as its arguments (name first), ready to be written as a RESP array of bulk strings.
///
/// Encoding happens straight into the connection's outgoing `ByteBuffer`: no intermediate C
/// string, no copy per command beyond the bytes themselves.
public struct RESPCommand: Sendable, Hashable {
    /// The command name followed by its arguments.
    public var arguments: [RESPArgument]

    /// Builds a command from mixed arguments, e.g. `RESPCommand(["SET", .bytes(key), .integer(3)])`.
    public init(_ arguments: [RESPArgument]) {
        precondition(!arguments.isEmpty, "a Redis command needs at least its name")
        self.arguments = arguments
    }

    /// Builds a command from text arguments, the common case.
    public init(_ arguments: [String]) {
        self.init(arguments.map { RESPArgument.string($0) })
    }

    /// Builds a command from binary arguments.
    public init(_ arguments: [ByteBuffer]) {
        self.init(arguments.map { RESPArgument.bytes($0) })
    }

    /// The command name, for logs (arguments may hold secrets such as AUTH passwords).
    var name: String {
        switch arguments[0] {
        case .string(let text): return text
        case .bytes(let buffer): return String(buffer: buffer)
        case .integer(let value): return String(value)
        }
    }
}

extension ByteBuffer {
    /// Writes `command` as RESP (`*N\r\n$len\r\n<bytes>\r\n...`): what `redisFormatCommandArgv`
    /// produces, without its malloc and copy.
    mutating func writeRESPCommand(_ command: RESPCommand) {
        writeInteger(UInt8(ascii: "*"))
        writeDecimal(Int64(command.arguments.count))
        writeCRLF()
        for argument in command.arguments {
            switch argument {
            case .string(let text):
                writeBulkHeader(text.utf8.count)
                writeString(text)
            case .bytes(let buffer):
                writeBulkHeader(buffer.readableBytes)
                writeImmutableBuffer(buffer)
            case .integer(let value):
                writeBulkHeader(Self.decimalLength(value))
                writeDecimal(value)
            }
            writeCRLF()
        }
    }

    private mutating func writeBulkHeader(_ count: Int) {
        writeInteger(UInt8(ascii: "$"))
        writeDecimal(Int64(count))
        writeCRLF()
    }

    private mutating func writeCRLF() {
        writeInteger(UInt16(0x0D0A), endianness: .big)
    }

    /// How many characters `writeDecimal(value)` writes, so the bulk header can precede it.
    static func decimalLength(_ value: Int64) -> Int {
        var magnitude = value.magnitude
        var count = value < 0 ? 2 : 1
        while magnitude >= 10 {
            magnitude /= 10
            count += 1
        }
        return count
    }

    /// Writes `value` in decimal ASCII without going through `String`.
    mutating func writeDecimal(_ value: Int64) {
        if value == 0 {
            writeInteger(UInt8(ascii: "0"))
            return
        }
        if value < 0 { writeInteger(UInt8(ascii: "-")) }
        // Magnitude as UInt64 so Int64.min does not overflow.
        var magnitude = value.magnitude
        var scratch: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes >= 20 digits
        var count = 0
        withUnsafeMutableBytes(of: &scratch) { raw in
            while magnitude > 0 {
                count += 1
                raw[raw.count - count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            }
            writeBytes(UnsafeRawBufferPointer(rebasing: raw[(raw.count - count)...]))
        }
    }
}
