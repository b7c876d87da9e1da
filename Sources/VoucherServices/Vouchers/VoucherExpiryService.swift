import Foundation
import Logging
import PostgresNIO
import PostgresStore
import ServiceLifecycle
import VoucherCore

/// The expiry job as a background service of every server: once a minute, what is left on
/// vouchers past their validity moves to `expired` (`VoucherExpiry`). Several servers may run it
/// at once: each batch locks its rows with SKIP LOCKED, so they share the work.
public struct VoucherExpiryService: Service {
    /// How often the job runs; a voucher is usable until `valid_until` regardless (the checkout
    /// checks validity itself), so this only bounds how long a balance shows as available.
    public static let interval: Duration = .seconds(60)
    /// One run may take this long before it is given up (and retried at the next interval).
    public static let runDeadline: Duration = .seconds(120)

    let expiry: VoucherExpiry
    let logger: Logger

    public init(postgres: PostgresClient, logger: Logger) {
        self.expiry = VoucherExpiry(client: postgres, logger: logger)
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    // Bounded like the claim sink's calls: a query lost by postgres-nio when the
                    // server stopped must not stop the job, nor the server's graceful shutdown.
                    let expiry = self.expiry
                    _ = try await withDeadline(Self.runDeadline) { try await expiry.run(now: Date()) }
                } catch {
                    logger.warning("vouchers.expiry_failed", metadata: ["error": "\(String(reflecting: error))"])
                }
                try? await Task.sleep(for: Self.interval)
            }
        }
    }
}
