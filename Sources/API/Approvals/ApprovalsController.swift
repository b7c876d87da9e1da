import Foundation
import Hummingbird
import PostgresStore
import VoucherCore
import VoucherServices

/// The inbox (我的待办) over the generic approvals module.
///
/// - `GET /v1/approvals/waiting` pending applications whose current stage is my role (待我审批)
/// - `GET /v1/approvals/mine` applications I filed (我的申请)
/// - `GET /v1/approvals/history` applications I decided on or withdrew
///   (all three: `createdFrom`, `createdTo` RFC 3339, `title`, `applicant`, `page`, `pageSize`)
/// - `GET /v1/approvals/{id}` one application with its stages, decisions and a snapshot of its subject
///   (registration details and licence; order, amounts and proofs; batch, usages and archive)
/// - `GET /v1/approvals/{id}/files/{fileId}` one file of the subject (`fileId` is its SHA-256, as the snapshot lists it)
/// - `POST /v1/approvals/{id}/approve` `{reason?}` (the current stage's role; a provider only its own 支付确认)
/// - `POST /v1/approvals/{id}/reject` `{reason}` (the current stage's role; reason required)
/// - `POST /v1/approvals/{id}/withdraw` (撤销; the applicant, while pending)
///
/// Every route needs the inbox menu. An application is visible to its organisation and to the
/// roles of its chain; anyone else gets 404, for the application and for its files alike.
/// Every item names its subject (`subjectType`, `subjectId`) and organisation (企业名称).
struct ApprovalsController {
    let env: AccountsEnvironment
    let platform: PlatformEnvironment

    struct Item: ResponseEncodable, Sendable {
        let id: String
        let type: String
        let title: String
        let status: String
        let applicant: String
        let applicantId: String
        let organisationId: String
        let organisationName: String
        let subjectType: String
        let subjectId: String
        let stages: [String]
        let currentStage: Int
        let waitingForRole: String?
        let createdAt: Date
        let updatedAt: Date
        let closedAt: Date?
        let decisions: [Decision]?
        /// What is decided, only on the detail.
        let subject: ApprovalSubjectDTO?

        init(_ record: ApprovalRecord, decisions: [ApprovalDecisionRecord]? = nil, subject: ApprovalSnapshot? = nil) {
            id = record.id
            type = record.type
            title = record.title
            status = record.status.rawValue
            applicant = record.applicantName
            applicantId = record.applicantUserID
            organisationId = record.orgID
            organisationName = record.organisationName
            subjectType = ApprovalSubject(approvalType: record.type).name
            subjectId = record.subjectID
            stages = record.stageRoles
            currentStage = record.currentStage
            waitingForRole = record.waitingForRole
            createdAt = record.createdAt
            updatedAt = record.updatedAt
            closedAt = record.closedAt
            self.decisions = decisions?.map(Decision.init)
            self.subject = subject.map { ApprovalSubjectDTO($0, application: record) }
        }
    }

    struct Decision: Encodable, Sendable {
        let stage: Int
        let role: String
        let decider: String
        let decision: String
        let reason: String?
        let decidedAt: Date

        init(_ record: ApprovalDecisionRecord) {
            stage = record.stage
            role = record.role
            decider = record.deciderName
            decision = record.decision.rawValue
            reason = record.reason
            decidedAt = record.decidedAt
        }
    }

    struct DecisionRequest: Decodable {
        let reason: String?
    }

    /// Roles that decide applications; they work for the platform, across organisations.
    static let deciderRoles: [Role] = [.operator, .expert, .authority, .auditor, .finance]
    /// Roles that decide only their own organisation's applications: a provider's 支付确认
    /// (`PaymentConfirmationEffect`), approved (通过) or rejected (a dispute with its reason).
    static let confirmingRoles: [Role] = [.provider]

    var endpoints: RouteCollection<AppRequestContext> {
        RouteCollection(context: AppRequestContext.self)
            .get("approvals/waiting", use: waiting)
            .get("approvals/mine", use: mine)
            .get("approvals/history", use: history)
            .get("approvals/:id", use: detail)
            .get("approvals/:id/files/:fileId", use: file)
            .post("approvals/:id/approve", use: approve)
            .post("approvals/:id/reject", use: reject)
            .post("approvals/:id/withdraw", use: withdraw)
    }

    func waiting(_ request: Request, _ context: AppRequestContext) async throws -> Page<Item> {
        let identity = try context.requireMenu(.inbox)
        return try await list(Self.waitingBox(identity), request)
    }

    /// 待我审批 of `identity`: its role's stage; an organisation's roles only their own organisation's
    /// (the JSON list and the 我的待办 page share this).
    static func waitingBox(_ identity: Identity) -> ApprovalsRepository.Box {
        let organisationScoped = confirmingRoles.contains(identity.role) || identity.role == .enterprise
        return .waiting(role: identity.role.rawValue, orgID: organisationScoped ? identity.orgID : nil)
    }

    func mine(_ request: Request, _ context: AppRequestContext) async throws -> Page<Item> {
        let identity = try context.requireMenu(.inbox)
        return try await list(.mine(userID: identity.userID), request)
    }

    func history(_ request: Request, _ context: AppRequestContext) async throws -> Page<Item> {
        let identity = try context.requireMenu(.inbox)
        return try await list(.history(userID: identity.userID), request)
    }

    func detail(_ request: Request, _ context: AppRequestContext) async throws -> Item {
        let identity = try context.requireMenu(.inbox)
        let (record, decisions) = try await visible(context, identity)
        return Item(record, decisions: decisions, subject: try await platform.subjects.snapshot(of: record))
    }

    /// One file of the subject, for those who see the application; a file the snapshot does not
    /// list is 404 `file_not_found` even when it exists (another subject's file is not reachable here).
    func file(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.requireMenu(.inbox)
        let (record, _) = try await visible(context, identity)
        guard let fileID = context.parameters.get("fileId"), StoredFile.isSHA256(fileID) else {
            throw OpaqueIDError.malformedParameter(name: "fileId")
        }
        let files = try await platform.subjects.snapshot(of: record).files
        guard let file = files.first(where: { $0.sha256 == fileID }), let bytes = try await platform.files.read(sha256: fileID) else {
            throw Self.fileNotFound
        }
        let name = "\(file.purpose)-\(fileID.prefix(12))"
        return Response(
            status: .ok, headers: [.contentType: file.mediaType, .contentDisposition: "attachment; filename=\"\(name)\""],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static let fileNotFound = DomainError(
        code: "file_not_found", kind: .notFound, detail: "This application has no such file. Take the file's id from the application's subject.")

    func approve(_ request: Request, _ context: AppRequestContext) async throws -> Item {
        try await decide(request, context, approve: true)
    }

    func reject(_ request: Request, _ context: AppRequestContext) async throws -> Item {
        try await decide(request, context, approve: false)
    }

    func withdraw(_ request: Request, _ context: AppRequestContext) async throws -> Item {
        let identity = try context.requireMenu(.inbox)
        let (record, _) = try await visible(context, identity)
        let actor = try await actor(identity)
        return Item(await ended(try await env.approvals.withdraw(id: record.id, by: actor, now: env.clock.now())))
    }

    func list(_ box: ApprovalsRepository.Box, _ request: Request) async throws -> Page<Item> {
        let query = PageRequest.query(request)
        let page = try PageRequest(query)
        let filter = ApprovalFilter(
            createdFrom: try Self.time(query["createdFrom"], "createdFrom"), createdTo: try Self.time(query["createdTo"], "createdTo"),
            title: try Self.text(query["title"], "title"), applicant: try Self.text(query["applicant"], "applicant"),
            page: page.page, pageSize: page.pageSize)
        let result = try await env.approvals.list(box, filter: filter)
        return Page(items: result.items.map { Item($0) }, page: page.page, pageSize: page.pageSize, total: result.total)
    }

    func decide(_ request: Request, _ context: AppRequestContext, approve: Bool) async throws -> Item {
        let identity = try context.requireMenu(.inbox)
        guard Self.deciderRoles.contains(identity.role) || Self.confirmingRoles.contains(identity.role) else {
            throw AuthProblem.wrongRole(Self.deciderRoles + Self.confirmingRoles)
        }
        var request = request
        let body = try await request.decodeJSON(as: DecisionRequest.self, context: context)
        let reason = try Self.reason(body.reason, approve: approve)
        let (record, _) = try await visible(context, identity)
        return Item(try await decide(record, identity, approve: approve, reason: reason))
    }

    /// A decision's reason, trimmed (nil when blank): at most `reasonLengthMax` characters, and
    /// required to reject.
    static func reason(_ text: String?, approve: Bool) throws -> String? {
        let reason = text?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let reason, reason.count > AccountsLimits.reasonLengthMax {
            throw AccountsError.invalid("reason_too_long", "The reason is longer than \(AccountsLimits.reasonLengthMax) characters; shorten it.")
        }
        if !approve, reason?.isEmpty ?? true {
            throw AccountsError.invalid("reason_missing", "A rejection needs a reason the applicant can act on; send it in reason.")
        }
        return (reason?.isEmpty ?? true) ? nil : reason
    }

    /// Approves or rejects `record` (already visible to `identity`) as `identity`: the JSON route
    /// and the 我的待办 page's buttons both end here.
    func decide(_ record: ApprovalRecord, _ identity: Identity, approve: Bool, reason: String?) async throws -> ApprovalRecord {
        guard Self.deciderRoles.contains(identity.role) || Self.confirmingRoles.contains(identity.role) else {
            throw AuthProblem.wrongRole(Self.deciderRoles + Self.confirmingRoles)
        }
        // An organisation's role decides only its 支付确认; any other application is the platform's.
        guard Self.deciderRoles.contains(identity.role) || record.type == PaymentConfirmationEffect.type else {
            throw AuthProblem.wrongRole(Self.deciderRoles)
        }
        let actor = try await actor(identity)
        let decided = try await env.approvals.decide(id: record.id, by: actor, approve: approve, reason: reason, now: env.clock.now())
        return await ended(decided)
    }

    /// A redemption batch refused in its chain (rejected or withdrawn) leaves no archive on disk.
    func ended(_ record: ApprovalRecord) async -> ApprovalRecord {
        let batchTypes = [RedemptionBatchEffect.type, RedemptionBatchEffect.generalType]
        if batchTypes.contains(record.type), record.status == .rejected || record.status == .withdrawn {
            await env.cleanup.batchEnded(record.subjectID)
        }
        return record
    }

    /// The application named in the path if the caller may see it: its own organisation's, or
    /// one whose chain includes the caller's role. Otherwise 404, as for a missing one; 400 for a malformed id.
    func visible(_ context: AppRequestContext, _ identity: Identity) async throws -> (ApprovalRecord, [ApprovalDecisionRecord]) {
        guard let id = context.parameters.get("id"), OpaqueID.isWellFormed(id, prefix: ApprovalsRepository.idPrefix) else {
            throw OpaqueIDError.malformed(prefix: ApprovalsRepository.idPrefix)
        }
        return try await visible(id: id, identity)
    }

    /// The application `id` (well formed) if `identity` may see it, else 404 as for a missing one.
    func visible(id: String, _ identity: Identity) async throws -> (ApprovalRecord, [ApprovalDecisionRecord]) {
        guard let (record, decisions) = try await env.approvals.application(id: id) else { throw ApprovalsStoreError.notFound }
        let ownOrganisation = record.orgID == identity.orgID
        let inChain = Self.deciderRoles.contains(identity.role) && record.stageRoles.contains(identity.role.rawValue)
        guard ownOrganisation || inChain else { throw ApprovalsStoreError.notFound }
        return (record, decisions)
    }

    func actor(_ identity: Identity) async throws -> ApprovalsRepository.Actor {
        guard let user = try await env.accounts.user(id: identity.userID) else { throw AuthProblem.invalidToken }
        return ApprovalsRepository.Actor(userID: user.id, name: user.username, role: identity.role.rawValue)
    }

    static func time(_ text: String?, _ field: String) throws -> Date? {
        guard let text else { return nil }
        guard let date = RFC3339.parse(text) else {
            throw AccountsError.invalid("time_invalid", "\(field) must be an RFC 3339 time with an offset, such as 2026-12-01T10:00:00+08:00.")
        }
        return date
    }

    static func text(_ text: String?, _ field: String) throws -> String? {
        guard let text, !text.isEmpty else { return nil }
        guard text.count <= AccountsLimits.filterTextLengthMax else {
            throw AccountsError.invalid("filter_invalid", "\(field) is longer than \(AccountsLimits.filterTextLengthMax) characters; shorten it.")
        }
        return text
    }
}
