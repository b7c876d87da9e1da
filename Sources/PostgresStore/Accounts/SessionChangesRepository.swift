import Foundation
import Logging
import PostgresNIO

/// One row of the session-change feed (migration 0019): the user whose logins changed, and the
/// login (refresh-token family) when only that one was revoked.
public struct SessionChange: Sendable, Equatable {
    public let id: Int64
    public let userID: String
    /// Nil: every login of the user (permissions, password, disabled or deleted).
    public let familyID: String?
    /// The writing transaction's id, so a reader can forget rows it will not read again.
    public let txid: UInt64
}

/// What one read of the feed found, and where the next read starts.
public struct SessionChangeRead: Sendable, Equatable {
    public let changes: [SessionChange]
    /// The read's snapshot xmin: every transaction below it had ended, so its rows (if committed)
    /// were in this read or an earlier one; the next read asks for `txid >=` this.
    public let nextTxid: UInt64
}

/// Why a read of the feed gave no answer the feed may use.
public enum SessionChangeReadError: Error, Equatable {
    /// More rows than `rowsMax` are pending (a long transaction holds the snapshot back while many
    /// changes are written): reading a part would skip the rest, so the reader must not trust it.
    case tooManyRows(Int)
    /// PostgreSQL answered something that is not a transaction id.
    case badTxid(String)
}

/// Reads the feed that the triggers of migration 0019 write with every change that can end a
/// login or narrow its permissions, and purges what no server needs any more.
public struct SessionChangesRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// The rows of every transaction at or after `sinceTxid` (the previous read's `nextTxid`), or,
    /// for a first read (nil), the rows changed in the last `windowSeconds` (by PostgreSQL's clock):
    /// a server that starts must know what happened to the tokens still alive. One query.
    public func read(sinceTxid: UInt64?, windowSeconds: Int, rowsMax: Int) async throws -> SessionChangeRead {
        let limit = rowsMax + 1
        let rows: PostgresRowSequence
        if let sinceTxid {
            rows = try await client.query(
                """
                SELECT s.xmin::text, c.id, c.user_id, c.family_id, c.txid::text
                FROM (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin) s
                LEFT JOIN session_changes c ON c.txid >= \(String(sinceTxid))::xid8
                ORDER BY c.id LIMIT \(limit)
                """, logger: logger)
        } else {
            rows = try await client.query(
                """
                SELECT s.xmin::text, c.id, c.user_id, c.family_id, c.txid::text
                FROM (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin) s
                LEFT JOIN session_changes c ON c.changed_at > now() - make_interval(secs => \(Double(windowSeconds)))
                ORDER BY c.id LIMIT \(limit)
                """, logger: logger)
        }
        var xmin: String?
        var changes: [SessionChange] = []
        for try await (snapshotXmin, id, userID, familyID, txid) in rows.decode((String, Int64?, String?, String?, String?).self) {
            xmin = snapshotXmin
            guard let id, let userID, let txid else { continue }
            guard let parsed = UInt64(txid) else { throw SessionChangeReadError.badTxid(txid) }
            changes.append(SessionChange(id: id, userID: userID, familyID: familyID, txid: parsed))
        }
        guard changes.count <= rowsMax else { throw SessionChangeReadError.tooManyRows(changes.count) }
        guard let xmin, let next = UInt64(xmin) else { throw SessionChangeReadError.badTxid(xmin ?? "") }
        return SessionChangeRead(changes: changes, nextTxid: next)
    }

    /// Deletes rows older than `olderThanSeconds` (PostgreSQL's clock); several servers may purge
    /// at once. Returns how many went.
    @discardableResult
    public func purge(olderThanSeconds: Int) async throws -> Int {
        let rows = try await client.query(
            "DELETE FROM session_changes WHERE changed_at < now() - make_interval(secs => \(Double(olderThanSeconds))) RETURNING id", logger: logger)
        var count = 0
        for try await _ in rows { count += 1 }
        return count
    }
}
