import Logging
import VoucherCore

/// Sends login codes by SMS. A protocol because the gateway is a deployment choice (SPEC §7);
/// development logs the code instead.
public protocol SMSSender: Sendable {
    func sendLoginCode(_ code: String, to phone: PhoneNumber) async throws
}

/// The development sender: writes the code to the log, where a developer reads it.
public struct LoggingSMSSender: SMSSender {
    package let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    public func sendLoginCode(_ code: String, to phone: PhoneNumber) async throws {
        logger.notice("sms.login_code", metadata: ["sms.phone": "\(phone.digits)", "sms.code": "\(code)"])
    }
}
