import Foundation
import Logging
import PostgresNIO
import VoucherCore

/// What a workflow does when one of its applications closes, inside the transaction that closes
/// it, so the application and its subject never disagree (a certification approved but the
/// organisation still under review). Throwing rolls the decision back.
public protocol ApprovalEffect: Sendable {
    func closed(_ application: ApprovalRecord, as status: ApprovalStatus, on connection: PostgresConnection, logger: Logger) async throws
}

/// Applications and decisions in PostgreSQL, with the effects of each workflow type.
public struct ApprovalsRepository: Sendable {
    let client: PostgresClient
    let logger: Logger
    let effects: [String: any ApprovalEffect]

    /// Id prefix of applications.
    public static let idPrefix = "apl"

    public init(client: PostgresClient, logger: Logger, effects: [String: any ApprovalEffect]) {
        self.client = client
        self.logger = logger
        self.effects = effects
    }

    static let columns = """
        id, type, title, applicant_user_id, applicant_name, org_id, subject_id, stage_roles, current_stage, status,
        payload::text, created_at, updated_at, closed_at, (SELECT o.name FROM organisations o WHERE o.id = org_id)
        """

    static func decode(_ rows: PostgresRowSequence) async throws -> [ApprovalRecord] {
        var result: [ApprovalRecord] = []
        for try await (id, type, title, applicant, name, org, subject, stages, stage, status, payload, created, updated, closed, orgName)
            in rows.decode((String, String, String, String, String, String, String, [String], Int, String, String, Date, Date, Date?, String).self)
        {
            result.append(
                ApprovalRecord(
                    id: id, type: type, title: title, applicantUserID: applicant, applicantName: name, orgID: org,
                    organisationName: orgName, subjectID: subject, stageRoles: stages, currentStage: stage,
                    status: try StoredValue.decode(ApprovalStatus.self, status, column: "approval_applications.status"),
                    payloadJSON: payload, createdAt: created, updatedAt: updated, closedAt: closed))
        }
        return result
    }

    /// Files an application on an open transaction (the workflow's own), returning its id.
    public static func file(_ new: NewApproval, now: Date, on tx: PostgresConnection, logger: Logger) async throws -> String {
        let id = OpaqueID.make(prefix: idPrefix)
        do {
            try await tx.query(
                """
                INSERT INTO approval_applications (id, type, title, applicant_user_id, applicant_name, org_id, subject_id,
                    stage_roles, payload, created_at, updated_at)
                VALUES (\(id), \(new.type), \(new.title), \(new.applicantUserID), \(new.applicantName), \(new.orgID), \(new.subjectID),
                    \(new.stageRoles), \(new.payloadJSON)::jsonb, \(now), \(now))
                """, logger: logger)
        } catch let error as PSQLError where error.violatedUniqueConstraint == "approval_applications_live_key" {
            throw ApprovalsStoreError.alreadyPending
        }
        return id
    }

    /// The application and its decisions, oldest first.
    public func application(id: String) async throws -> (ApprovalRecord, [ApprovalDecisionRecord])? {
        let rows = try await client.query("SELECT \(unescaped: Self.columns) FROM approval_applications WHERE id = \(id)", logger: logger)
        guard let record = try await Self.decode(rows).first else { return nil }
        let decisionRows = try await client.query(
            """
            SELECT stage, role, decider_user_id, decider_name, decision, reason, decided_at
            FROM approval_decisions WHERE application_id = \(id) ORDER BY id
            """, logger: logger)
        var decisions: [ApprovalDecisionRecord] = []
        for try await (stage, role, user, name, decision, reason, at) in decisionRows.decode(
            (Int, String, String, String, String, String?, Date).self)
        {
            decisions.append(
                ApprovalDecisionRecord(
                    stage: stage, role: role, deciderUserID: user, deciderName: name,
                    decision: try StoredValue.decode(ApprovalDecisionKind.self, decision, column: "approval_decisions.decision"), reason: reason,
                    decidedAt: at))
        }
        return (record, decisions)
    }

    /// Which list of the inbox.
    public enum Box: Sendable {
        /// Pending applications whose current stage belongs to this role; with `orgID` (an
        /// organisation's role, such as a provider confirming its payment) only that organisation's.
        case waiting(role: String, orgID: String? = nil)
        /// Applications this user filed.
        case mine(userID: String)
        /// Applications this user decided on, newest first.
        case history(userID: String)
    }

    /// One page of a box with the filters applied, and the total number of matches.
    public func list(_ box: Box, filter: ApprovalFilter) async throws -> (items: [ApprovalRecord], total: Int) {
        var binds = PostgresBindings()
        var conditions: [String] = []
        func bind(_ value: some PostgresDynamicTypeEncodable) -> String {
            binds.append(value)
            return "$\(binds.count)"
        }
        switch box {
        case .waiting(let role, let orgID):
            conditions.append("a.status = 'pending' AND a.stage_roles[a.current_stage + 1] = \(bind(role))")
            if let orgID { conditions.append("a.org_id = \(bind(orgID))") }
        case .mine(let userID):
            conditions.append("a.applicant_user_id = \(bind(userID))")
        case .history(let userID):
            conditions.append("EXISTS (SELECT 1 FROM approval_decisions d WHERE d.application_id = a.id AND d.decider_user_id = \(bind(userID)))")
        }
        if let from = filter.createdFrom { conditions.append("a.created_at >= \(bind(from))") }
        if let to = filter.createdTo { conditions.append("a.created_at <= \(bind(to))") }
        if let title = filter.title { conditions.append("strpos(lower(a.title), lower(\(bind(title)))) > 0") }
        if let applicant = filter.applicant { conditions.append("strpos(lower(a.applicant_name), lower(\(bind(applicant)))) > 0") }
        let whereClause = conditions.joined(separator: " AND ")
        let countRows = try await client.query(
            PostgresQuery(unsafeSQL: "SELECT count(*) FROM approval_applications a WHERE \(whereClause)", binds: binds), logger: logger)
        var total = 0
        for try await count in countRows.decode(Int.self) { total = count }
        let limit = bind(filter.pageSize)
        let offset = bind((filter.page - 1) * filter.pageSize)
        let sql = """
            SELECT \(Self.columns)
            FROM approval_applications a WHERE \(whereClause) ORDER BY a.created_at DESC, a.id LIMIT \(limit) OFFSET \(offset)
            """
        let rows = try await client.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
        return (try await Self.decode(rows), total)
    }

    /// Who decides: the user, their display name and the role they act in.
    public struct Actor: Sendable {
        public let userID: String
        public let name: String
        public let role: String

        public init(userID: String, name: String, role: String) {
            self.userID = userID
            self.name = name
            self.role = role
        }
    }

    /// Approves or rejects the current stage. Approving the last stage closes the application as
    /// approved; rejecting closes it at once. The type's effect runs in the same transaction.
    public func decide(id: String, by actor: Actor, approve: Bool, reason: String?, now: Date) async throws -> ApprovalRecord {
        try await mutate(id: id, now: now) { record, tx in
            guard record.status == .pending else { throw ApprovalsStoreError.notPending(record.status) }
            guard let waiting = record.waitingForRole, waiting == actor.role else {
                throw ApprovalsStoreError.notYourStage(waitingFor: record.waitingForRole ?? "")
            }
            if approve, let stage = try await self.approvedStage(of: id, by: actor.userID, tx) {
                throw ApprovalsStoreError.sameApprover(approvedStage: stage)
            }
            let decision: ApprovalDecisionKind = approve ? .approved : .rejected
            try await insertDecision(id: id, stage: record.currentStage, actor: actor, decision: decision, reason: reason, now: now, tx)
            let last = record.currentStage == record.stageRoles.count - 1
            if approve && !last {
                try await tx.query(
                    """
                    UPDATE approval_applications SET current_stage = current_stage + 1, updated_at = \(now) WHERE id = \(id)
                    """, logger: logger)
                return nil
            }
            return approve ? .approved : .rejected
        }
    }

    /// The applicant withdraws (撤销) a pending application.
    public func withdraw(id: String, by actor: Actor, now: Date) async throws -> ApprovalRecord {
        try await mutate(id: id, now: now) { record, tx in
            guard record.applicantUserID == actor.userID else { throw ApprovalsStoreError.notApplicant }
            guard record.status == .pending else { throw ApprovalsStoreError.notPending(record.status) }
            try await insertDecision(id: id, stage: record.currentStage, actor: actor, decision: .withdrawn, reason: nil, now: now, tx)
            return .withdrawn
        }
    }

    /// Locks the application, lets `step` decide (nil keeps it pending, a status closes it),
    /// runs the effect of a close, and returns the application as it is afterwards.
    private func mutate(
        id: String, now: Date,
        _ step: @escaping @Sendable (ApprovalRecord, PostgresConnection) async throws -> ApprovalStatus?
    ) async throws -> ApprovalRecord {
        return try await client.transaction(logger: logger) { tx in
            let rows = try await tx.query(
                "SELECT \(unescaped: Self.columns) FROM approval_applications WHERE id = \(id) FOR UPDATE", logger: logger)
            guard let record = try await Self.decode(rows).first else { throw ApprovalsStoreError.notFound }
            if let closing = try await step(record, tx) {
                try await tx.query(
                    """
                    UPDATE approval_applications SET status = \(closing.rawValue), updated_at = \(now), closed_at = \(now) WHERE id = \(id)
                    """, logger: logger)
                try await effects[record.type]?.closed(record, as: closing, on: tx, logger: logger)
            }
            let after = try await tx.query("SELECT \(unescaped: Self.columns) FROM approval_applications WHERE id = \(id)", logger: logger)
            guard let updated = try await Self.decode(after).first else { throw ApprovalsStoreError.notFound }
            return updated
        }
    }

    /// The stage `userID` approved on this application, if any (four-eyes: one approval a person;
    /// migration 0010's trigger holds every writer to it).
    private func approvedStage(of id: String, by userID: String, _ tx: PostgresConnection) async throws -> Int? {
        let rows = try await tx.query(
            """
            SELECT stage FROM approval_decisions
            WHERE application_id = \(id) AND decider_user_id = \(userID) AND decision = 'approved' ORDER BY stage LIMIT 1
            """, logger: logger)
        for try await stage in rows.decode(Int.self) { return stage }
        return nil
    }

    private func insertDecision(
        id: String, stage: Int, actor: Actor, decision: ApprovalDecisionKind, reason: String?, now: Date, _ tx: PostgresConnection
    ) async throws {
        try await tx.query(
            """
            INSERT INTO approval_decisions (application_id, stage, role, decider_user_id, decider_name, decision, reason, decided_at)
            VALUES (\(id), \(stage), \(actor.role), \(actor.userID), \(actor.name), \(decision.rawValue), \(reason), \(now))
            """, logger: logger)
    }
}
