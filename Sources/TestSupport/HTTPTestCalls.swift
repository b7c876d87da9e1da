import API
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Synchronization
import VoucherCore
import VoucherServices

/// A clock the tests can move; starts at the wall clock because tokens are checked against it.
/// It is both the accounts' calendar clock and the grab path's monotonic clock, and stands still
/// until the test advances it (so no step of a test depends on how long the machine took).
public final class TestClock: WallClock, MonotonicClock {
    /// Starts at a whole second: PostgreSQL keeps microseconds and rounds, so a start with a
    /// sub-microsecond fraction made a send stored at `t` read back as `t + 0.4 µs`, and a rule
    /// checked exactly 60 s later ("a code a minute") saw 59.9999996 s and refused it.
    private let current = Mutex((date: Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down)), instant: ContinuousClock.now))

    public init() {}

    public func now() -> Date { current.withLock { $0.date } }

    public func instant() -> ContinuousClock.Instant { current.withLock { $0.instant } }

    /// Moves the clock on (expiry and windows tested without waiting; records written one after
    /// the other get distinct times).
    public func advance(seconds: TimeInterval) {
        current.withLock { $0 = ($0.date.addingTimeInterval(seconds), $0.instant.advanced(by: .seconds(seconds))) }
    }

    /// `advance(seconds:)` for the whole-second limits the accounts rules are written in.
    public func advance(seconds: Int) { advance(seconds: TimeInterval(seconds)) }
}

/// One HTTP answer, decoded as a JSON object when it is one.
public struct Answer: Sendable {
    public let status: HTTPResponse.Status
    public let headers: HTTPFields
    public let body: [UInt8]

    public init(status: HTTPResponse.Status, headers: HTTPFields = [:], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The body as any JSON value (an array, a string …), `[:]` when it is not JSON.
    public var value: Any { (try? JSONSerialization.jsonObject(with: Data(body), options: .fragmentsAllowed)) ?? [String: Any]() }
    /// The body as a JSON object, `[:]` when it is something else.
    public var json: [String: Any] { value as? [String: Any] ?? [:] }
    public var code: String? { json["code"] as? String }
    public func string(_ key: String) -> String? { json[key] as? String }
    public func fen(_ key: String) -> Int64? { (json[key] as? NSNumber)?.int64Value }
    public var items: [[String: Any]] { json["items"] as? [[String: Any]] ?? [] }
}

extension TestClientProtocol {
    /// One request with a bearer token; `json` bodies are serialised, `raw` bodies sent as they are.
    public func call(
        _ method: HTTPRequest.Method, _ path: String, token: String?, json: [String: Any]? = nil, raw: [UInt8]? = nil,
        headers extra: HTTPFields = [:]
    ) async throws -> Answer {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        var buffer: ByteBuffer?
        if let json {
            headers[.contentType] = "application/json"
            buffer = ByteBuffer(data: try JSONSerialization.data(withJSONObject: json))
        } else if let raw {
            headers[.contentType] = "application/octet-stream"
            buffer = ByteBuffer(bytes: raw)
        }
        return try await execute(uri: path, method: method, headers: headers, body: buffer) { response in
            Answer(status: response.status, headers: response.headers, body: Array(response.body.readableBytesView))
        }
    }
}
