import Foundation
import VoucherCore

/// What a decider (or the applicant, withdrawing) did at one stage.
public enum ApprovalDecisionKind: String, Sendable, Codable {
    case approved, rejected, withdrawn
}

/// An application to be filed: every workflow builds one of these (certification now; listings,
/// payments and redemptions later) and the approvals module walks it through its stages.
public struct NewApproval: Sendable, Equatable {
    /// Workflow name (`certification`, `listing`…), which picks the effect run on closing.
    public let type: String
    /// 申请名称, shown and filtered in the inbox.
    public let title: String
    public let applicantUserID: String
    public let applicantName: String
    public let orgID: String
    /// What the application is about; one live application per type and subject.
    public let subjectID: String
    /// Roles deciding in order (`["operator"]`, `["operator", "expert", "authority"]`).
    public let stageRoles: [String]
    /// Free JSON object (text) the workflow keeps with the application.
    public let payloadJSON: String

    /// How many stages a chain may have; matches the table's CHECK.
    public static let stageCountMax = 8

    public init(
        type: String, title: String, applicantUserID: String, applicantName: String, orgID: String,
        subjectID: String, stageRoles: [String], payloadJSON: String = "{}"
    ) {
        precondition((1...NewApproval.stageCountMax).contains(stageRoles.count), "a chain has 1...\(NewApproval.stageCountMax) stages")
        self.type = type
        self.title = title
        self.applicantUserID = applicantUserID
        self.applicantName = applicantName
        self.orgID = orgID
        self.subjectID = subjectID
        self.stageRoles = stageRoles
        self.payloadJSON = payloadJSON
    }
}

/// An application as stored.
public struct ApprovalRecord: Sendable, Equatable {
    public let id: String
    public let type: String
    public let title: String
    public let applicantUserID: String
    public let applicantName: String
    public let orgID: String
    /// The organisation's name now (企业名称, the inbox's column), read with the application.
    public let organisationName: String
    public let subjectID: String
    public let stageRoles: [String]
    public let currentStage: Int
    public let status: ApprovalStatus
    public let payloadJSON: String
    public let createdAt: Date
    public let updatedAt: Date
    public let closedAt: Date?

    /// The role that must decide next, while pending.
    public var waitingForRole: String? {
        status == .pending && stageRoles.indices.contains(currentStage) ? stageRoles[currentStage] : nil
    }
}

/// One decision in an application's history.
public struct ApprovalDecisionRecord: Sendable, Equatable {
    public let stage: Int
    public let role: String
    public let deciderUserID: String
    public let deciderName: String
    public let decision: ApprovalDecisionKind
    public let reason: String?
    public let decidedAt: Date
}

/// The inbox filters of the guide (创建时间区间, 申请名称, 申请人) and the page asked for.
public struct ApprovalFilter: Sendable, Equatable {
    public var createdFrom: Date?
    public var createdTo: Date?
    /// Substring of the title, case-insensitive.
    public var title: String?
    /// Substring of the applicant's name, case-insensitive.
    public var applicant: String?
    /// Page number from 1.
    public var page: Int
    public var pageSize: Int

    public init(createdFrom: Date? = nil, createdTo: Date? = nil, title: String? = nil, applicant: String? = nil, page: Int = 1, pageSize: Int = 10) {
        precondition(page >= 1 && pageSize >= 1, "pages are validated by the API")
        self.createdFrom = createdFrom
        self.createdTo = createdTo
        self.title = title
        self.applicant = applicant
        self.page = page
        self.pageSize = pageSize
    }
}

/// Why a decision or withdrawal was refused.
public enum ApprovalsStoreError: Error, Sendable, Equatable {
    /// No such application.
    case notFound
    /// The application is closed already (approved, rejected or withdrawn).
    case notPending(ApprovalStatus)
    /// The current stage belongs to another role.
    case notYourStage(waitingFor: String)
    /// Only the applicant may withdraw.
    case notApplicant
    /// Another live application exists for the same subject and type.
    case alreadyPending
    /// The decider approved an earlier stage of this application (four-eyes: another person must).
    case sameApprover(approvedStage: Int)
}
