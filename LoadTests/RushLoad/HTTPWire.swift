import NIOCore

/// What a response meant for the load test. Grabs and the trivial endpoint share the scale so one
/// report shape serves both.
enum Outcome: Int, CaseIterable, Sendable, Codable {
    /// 201: a voucher was issued by this request.
    case won
    /// 200 on a grab: the same voucher again (a retry), or a 200 of the trivial endpoint.
    case again
    case soldOut
    case limitReached
    case notOpen
    case ended
    case rateLimited
    case other4xx
    case server5xx
    /// No response before the request's deadline.
    case timeout
    /// The connection failed under the request (reset, refused, protocol error).
    case connectionError
    /// Open model: the arrival found no free connection and a full backlog; never sent.
    case dropped

    /// The key in JSON reports.
    var key: String {
        switch self {
        case .won: "won"
        case .again: "retry_same_voucher"
        case .soldOut: "sold_out"
        case .limitReached: "limit_reached"
        case .notOpen: "not_open"
        case .ended: "ended"
        case .rateLimited: "rate_limited"
        case .other4xx: "other_4xx"
        case .server5xx: "server_5xx"
        case .timeout: "timeout"
        case .connectionError: "connection_error"
        case .dropped: "dropped"
        }
    }

    /// Answers the server gave (as opposed to failures to get one).
    var isAnswer: Bool { rawValue <= Outcome.server5xx.rawValue }
}

/// One parsed response, reduced to what the counters need. Only a win carries a string.
struct ParsedResponse {
    var status: Int
    var outcome: Outcome
    /// The `code` of a problem answer, or nil; interned against the known codes when possible.
    var problemCode: String?
    /// The voucher id of a 201 or 200 grab answer.
    var voucherID: String?
    var closeAfter: Bool
}

/// The HTTP/1.1 subset the server speaks to us: status line, headers, Content-Length body.
/// A hand-written scanner instead of a general decoder keeps the generator's CPU per response to
/// a few hundred nanoseconds, so the machine's two cores go to the server under test.
enum HTTPWire {
    enum ParseError: Error { case malformed, chunkedUnsupported, tooLarge }

    /// The complete request, built once per token and reused for every send (no per-request work).
    static func request(method: String, path: String, port: Int, bearer: String?) -> ByteBuffer {
        var text = "\(method) \(path) HTTP/1.1\r\nHost: \(Limits.host):\(port)\r\n"
        if let bearer { text += "Authorization: Bearer \(bearer)\r\n" }
        if method == "POST" { text += "Content-Length: 0\r\n" }
        text += "\r\n"
        return ByteBuffer(string: text)
    }

    private static let headerEnd: [UInt8] = Array("\r\n\r\n".utf8)
    private static let contentLength: [UInt8] = Array("content-length:".utf8)
    private static let transferEncoding: [UInt8] = Array("transfer-encoding:".utf8)
    private static let connectionClose: [UInt8] = Array("connection: close".utf8)
    private static let codeKey: [UInt8] = Array("\"code\":\"".utf8)
    private static let voucherKey: [UInt8] = Array("\"voucherId\":\"".utf8)

    /// Takes one complete response off the front of `buffer`, or returns nil if it is not all here.
    static func parse(_ buffer: inout ByteBuffer, isGrab: Bool) throws -> ParsedResponse? {
        let result: (ParsedResponse, Int)? = try buffer.withUnsafeReadableBytes { bytes in
            guard let end = find(headerEnd, in: bytes, from: 0) else {
                if bytes.count > Limits.responseBytesMax { throw ParseError.tooLarge }
                return nil
            }
            guard bytes.count >= 12, bytes[0] == UInt8(ascii: "H") else { throw ParseError.malformed }
            let status = try statusCode(bytes)
            var length = -1
            var close = false
            var lineStart = find([13, 10], in: bytes, from: 0).map { $0 + 2 } ?? end
            while lineStart < end {
                let lineEnd = find([13, 10], in: bytes, from: lineStart) ?? end
                if startsCaseless(contentLength, in: bytes, at: lineStart) {
                    length = try integer(bytes, from: lineStart + contentLength.count, to: lineEnd)
                } else if startsCaseless(transferEncoding, in: bytes, at: lineStart) {
                    throw ParseError.chunkedUnsupported
                } else if startsCaseless(connectionClose, in: bytes, at: lineStart) {
                    close = true
                }
                lineStart = lineEnd + 2
            }
            guard length >= 0 else { throw ParseError.malformed }
            guard length <= Limits.responseBytesMax else { throw ParseError.tooLarge }
            let bodyStart = end + 4
            guard bytes.count >= bodyStart + length else { return nil }
            let body = UnsafeRawBufferPointer(rebasing: bytes[bodyStart..<(bodyStart + length)])
            var parsed = classify(status: status, body: body, isGrab: isGrab)
            parsed.closeAfter = close
            return (parsed, bodyStart + length)
        }
        guard let (parsed, consumed) = result else { return nil }
        buffer.moveReaderIndex(forwardBy: consumed)
        return parsed
    }

    private static func classify(status: Int, body: UnsafeRawBufferPointer, isGrab: Bool) -> ParsedResponse {
        var response = ParsedResponse(status: status, outcome: .other4xx, problemCode: nil, voucherID: nil, closeAfter: false)
        switch status {
        case 201:
            response.outcome = .won
            response.voucherID = stringValue(after: voucherKey, in: body)
        case 200...299:
            response.outcome = .again
            if isGrab { response.voucherID = stringValue(after: voucherKey, in: body) }
        case 429:
            response.outcome = .rateLimited
            response.problemCode = "rate_limited"
        case 400...499, 500...599:
            let code = stringValue(after: codeKey, in: body)
            response.problemCode = code
            response.outcome = status >= 500 ? .server5xx : outcome(ofProblem: code)
        default:
            response.outcome = .server5xx
        }
        return response
    }

    private static func outcome(ofProblem code: String?) -> Outcome {
        switch code {
        case "sold_out": .soldOut
        case "limit_reached": .limitReached
        case "not_open": .notOpen
        case "ended": .ended
        case "rate_limited": .rateLimited
        default: .other4xx
        }
    }

    private static func statusCode(_ bytes: UnsafeRawBufferPointer) throws -> Int {
        // "HTTP/1.1 201 Created": the code is bytes 9, 10 and 11.
        var code = 0
        for index in 9..<12 {
            let digit = Int(bytes[index]) - 48
            guard (0...9).contains(digit) else { throw ParseError.malformed }
            code = code * 10 + digit
        }
        return code
    }

    private static func integer(_ bytes: UnsafeRawBufferPointer, from start: Int, to end: Int) throws -> Int {
        var value = 0
        var seen = false
        for index in start..<end {
            let byte = bytes[index]
            if byte == 32 || byte == 9 { continue }
            let digit = Int(byte) - 48
            guard (0...9).contains(digit), value < Limits.responseBytesMax * 10 else { throw ParseError.malformed }
            value = value * 10 + digit
            seen = true
        }
        guard seen else { throw ParseError.malformed }
        return value
    }

    /// The JSON string value after `key` (no escapes in our ids, so the next quote ends it).
    private static func stringValue(after key: [UInt8], in body: UnsafeRawBufferPointer) -> String? {
        guard let at = find(key, in: body, from: 0) else { return nil }
        let start = at + key.count
        var end = start
        while end < body.count, body[end] != UInt8(ascii: "\"") { end += 1 }
        guard end < body.count else { return nil }
        return String(decoding: UnsafeRawBufferPointer(rebasing: body[start..<end]), as: UTF8.self)
    }

    /// Naive search: our haystacks are a few hundred bytes and the needles start with rare bytes.
    static func find(_ needle: [UInt8], in haystack: UnsafeRawBufferPointer, from start: Int) -> Int? {
        let last = haystack.count - needle.count
        guard start <= last, let first = needle.first else { return nil }
        var index = start
        while index <= last {
            if haystack[index] == first {
                var matched = 1
                while matched < needle.count, haystack[index + matched] == needle[matched] { matched += 1 }
                if matched == needle.count { return index }
            }
            index += 1
        }
        return nil
    }

    /// Header names are case-insensitive; `needle` is lower case.
    private static func startsCaseless(_ needle: [UInt8], in bytes: UnsafeRawBufferPointer, at start: Int) -> Bool {
        guard start + needle.count <= bytes.count else { return false }
        for offset in 0..<needle.count {
            var byte = bytes[start + offset]
            if byte >= 65 && byte <= 90 { byte += 32 }
            if byte != needle[offset] { return false }
        }
        return true
    }
}
