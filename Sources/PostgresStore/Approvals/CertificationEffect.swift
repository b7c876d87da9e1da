import Foundation
import Logging
import PostgresNIO
import VoucherCore

/// Certification (企业认证) as an approvals workflow: the organisation's state follows its
/// application — certified when approved, rejected (may resubmit) when rejected, back to draft
/// when the applicant withdraws.
public struct CertificationEffect: ApprovalEffect {
    /// The application type of certification.
    public static let type = "certification"
    /// Who decides a certification (SPEC §1: the operator certifies organisations).
    public static let stageRoles = ["operator"]

    public init() {}

    public func closed(_ application: ApprovalRecord, as status: ApprovalStatus, on connection: PostgresConnection, logger: Logger) async throws {
        let orgID = application.subjectID
        let state: String
        switch status {
        case .approved:
            // SPEC §7: an enterprise must have answered the demand survey before it is certified.
            let rows = try await connection.query(
                """
                SELECT o.kind = 'enterprise', EXISTS (SELECT 1 FROM enterprise_surveys s WHERE s.org_id = o.id)
                FROM organisations o WHERE o.id = \(orgID)
                """, logger: logger)
            for try await (isEnterprise, answered) in rows.decode((Bool, Bool).self) where isEnterprise && !answered {
                throw AccountsStoreError.surveyMissing
            }
            state = "certified"
        case .rejected: state = "rejected"
        case .withdrawn: state = "draft"
        case .pending: return
        }
        try await connection.query(
            """
            UPDATE organisations SET certification = \(state), updated_at = now() WHERE id = \(orgID) AND certification = 'under_review'
            """, logger: logger)
    }
}
