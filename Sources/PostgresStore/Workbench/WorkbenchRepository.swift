import Foundation
import Logging
import PostgresNIO
import VoucherCore

/// The organisation a workbench belongs to, as its header shows it (角色信息, 服务商认证情况).
public struct WorkbenchOrganisation: Sendable, Equatable {
    public let id: String
    public let name: String
    /// enterprise, provider or platform.
    public let kind: String
    /// draft, under_review, certified or rejected.
    public let certification: String
}

/// The counts of the workbench's 待办 panel (guide §1.4.1, §2.4.1: 待我审批 and 我的申请).
public struct WorkbenchInboxCounts: Sendable, Equatable {
    /// Pending applications whose current stage is the reader's to decide.
    public let waiting: Int
    /// The reader's own applications still pending.
    public let minePending: Int
}

/// The few reads of the workbench summary; lists live with their features.
public struct WorkbenchRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// The organisation of the reader, nil if it is gone.
    public func organisation(id: String) async throws -> WorkbenchOrganisation? {
        let rows = try await client.query("SELECT id, name, kind, certification FROM organisations WHERE id = \(id)", logger: logger)
        for try await (id, name, kind, certification) in rows.decode((String, String, String, String).self) {
            return WorkbenchOrganisation(id: id, name: name, kind: kind, certification: certification)
        }
        return nil
    }

    /// The two counts of the 待办 panel, as `ApprovalsRepository.list` counts its boxes: waiting is
    /// by the stage's role, and for an organisation's role (a provider confirming its payment)
    /// only that organisation's applications.
    public func inboxCounts(userID: String, role: String, orgID: String, organisationScoped: Bool) async throws -> WorkbenchInboxCounts {
        let scope: String? = organisationScoped ? orgID : nil
        let rows = try await client.query(
            """
            SELECT
                (SELECT count(*)::int FROM approval_applications a
                 WHERE a.status = 'pending' AND a.stage_roles[a.current_stage + 1] = \(role)
                   AND (\(scope)::text IS NULL OR a.org_id = \(scope))),
                (SELECT count(*)::int FROM approval_applications a WHERE a.status = 'pending' AND a.applicant_user_id = \(userID))
            """, logger: logger)
        for try await (waiting, mine) in rows.decode((Int, Int).self) { return WorkbenchInboxCounts(waiting: waiting, minePending: mine) }
        return WorkbenchInboxCounts(waiting: 0, minePending: 0)
    }
}
