import API
import Synchronization
import VoucherCore
import VoucherServices

/// An SMS sender that keeps the codes for the test to read.
public final class CapturingSMS: SMSSender {
    private let sent = Mutex<[(phone: String, code: String)]>([])

    public init() {}

    public func sendLoginCode(_ code: String, to phone: PhoneNumber) async throws {
        sent.withLock { $0.append((phone.digits, code)) }
    }

    /// The newest code sent to `phone` (its 11 digits).
    public func lastCode(for phone: String) -> String? {
        sent.withLock { list in list.last { $0.phone == phone }?.code }
    }

    public var count: Int { sent.withLock { $0.count } }
}
