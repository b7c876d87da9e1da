import Logging
import PostgresNIO
import VoucherCore

extension PostgresClient {
    /// `withTransaction`, but a failure of the body reaches the caller as itself: postgres-nio
    /// wraps it in `PostgresTransactionError`, which would hide a domain error (a state conflict,
    /// a 409) behind a generic database failure. Begin, commit and rollback failures stay wrapped.
    public func transaction<Result>(
        logger: Logger,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresConnection) async throws -> sending Result
    ) async throws -> sending Result {
        do {
            return try await withTransaction(logger: logger, isolation: isolation, body)
        } catch let error as PostgresTransactionError {
            if let closureError = error.closureError, error.rollbackError == nil { throw closureError }
            throw error
        }
    }
}
