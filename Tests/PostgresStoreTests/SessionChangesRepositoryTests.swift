import Foundation
import PostgresNIO
import PostgresStore
import TestSupport
import Testing

@Suite struct SessionChangesRepositoryTests {
    @Test func aChangeCommittedAfterAReadBeganIsInTheNextRead() async throws {
        // Proves the feed's reads skip no change: a revocation whose transaction is still open when
        // a read takes its snapshot is not in that read but is in the next one (which starts at the
        // earlier snapshot's xmin), although a later change with a higher id committed and was read
        // first; a rotation (used_at only) writes no row, a permission change one row for the whole
        // user, a family revoked at once one row; a read over its bound is refused; the purge works.
        try await TestDatabase.with { postgres, _ in
            let logger = TestEnvironment.logger
            let repository = SessionChangesRepository(client: postgres, logger: logger)
            try await postgres.query("INSERT INTO organisations (id, kind, name) VALUES ('org_feed', 'platform', '平台')")
            try await postgres.query(
                """
                INSERT INTO users (id, org_id, username, password_hash, role) VALUES ('usr_feed', 'org_feed', 'feed_user', 'x', 'operator')
                """)
            for (index, family) in ["fam_a", "fam_a", "fam_b"].enumerated() {
                let id = "rt_\(index)"
                let hash = String(repeating: "a", count: 63) + String(index)
                try await postgres.query(
                    """
                    INSERT INTO refresh_tokens (id, family_id, user_id, token_hash, issued_at, expires_at)
                    VALUES (\(id), \(family), 'usr_feed', \(hash), now(), now() + interval '1 day')
                    """)
            }
            let first = try await repository.read(sinceTxid: nil, windowSeconds: 3600, rowsMax: 10)
            #expect(first.changes.isEmpty)
            try await postgres.query("UPDATE refresh_tokens SET used_at = now() WHERE id = 'rt_0'")
            let rotated = try await repository.read(sinceTxid: first.nextTxid, windowSeconds: 3600, rowsMax: 10)
            #expect(rotated.changes.isEmpty)

            let (during, after) = try await postgres.withConnection { open in
                _ = try await open.query("BEGIN", logger: logger)
                _ = try await open.query("UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = 'fam_a'", logger: logger)
                try await postgres.query("UPDATE users SET permissions = '{inbox}' WHERE id = 'usr_feed'")
                let during = try await repository.read(sinceTxid: rotated.nextTxid, windowSeconds: 3600, rowsMax: 10)
                _ = try await open.query("COMMIT", logger: logger)
                let after = try await repository.read(sinceTxid: during.nextTxid, windowSeconds: 3600, rowsMax: 10)
                return (during, after)
            }
            #expect(during.changes.map(\.userID) == ["usr_feed"])
            #expect(during.changes.map(\.familyID) == [nil])
            let revoked = after.changes.filter { $0.familyID == "fam_a" }
            #expect(revoked.count == 1)
            #expect(revoked.first?.userID == "usr_feed")
            #expect(revoked.first.map { id in during.changes.allSatisfy { $0.id > id.id } } == true, "the late commit has the lower id")

            await #expect(throws: SessionChangeReadError.tooManyRows(2)) {
                try await repository.read(sinceTxid: nil, windowSeconds: 3600, rowsMax: 1)
            }
            #expect(try await repository.purge(olderThanSeconds: 0) == 2)
            #expect(try await repository.read(sinceTxid: nil, windowSeconds: 3600, rowsMax: 10).changes.isEmpty)
        }
    }
}
