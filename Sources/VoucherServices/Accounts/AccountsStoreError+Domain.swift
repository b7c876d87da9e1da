import PostgresStore
import VoucherCore

// The accounts and approvals stores' refusals as domain errors: one sentence each, saying what
// to do; the API maps their kinds to statuses like every other domain error.

extension AccountsStoreError: DomainErrorConvertible {
    public var domainError: DomainError {
        switch self {
        case .usernameTaken:
            DomainError(code: "username_taken", kind: .conflict, detail: "The username is taken. Choose another username.")
        case .phoneTaken:
            DomainError(
                code: "phone_taken", kind: .conflict, detail: "The phone number is already used by another account. Use another phone number.")
        case .usccTaken:
            DomainError(
                code: "credit_code_taken", kind: .conflict,
                detail: "Another organisation is registered with this unified social credit code. Check the code on your business licence.")
        case .wrongCertificationState(let current):
            DomainError(
                code: "certification_state_conflict", kind: .conflict,
                detail: "The organisation's certification is \(current), which does not allow this step. Wait for the review to finish.")
        case .surveyMissing:
            DomainError(
                code: "survey_required", kind: .conflict,
                detail: "The enterprise has not answered the demand survey (企业需求收集). Answer it at PUT /v1/organisations/me/survey first.")
        case .profileMissing:
            DomainError(
                code: "details_missing", kind: .conflict,
                detail: "No organisation details are saved. Save them at PUT /v1/registrations/me/details first.")
        case .notFound:
            AccountsError.notFound
        }
    }

    public var code: String { domainError.code }
    public var kind: DomainError.Kind { domainError.kind }
    public var detail: String { domainError.detail }
}

extension ApprovalsStoreError: DomainErrorConvertible {
    public var domainError: DomainError {
        switch self {
        case .notFound:
            DomainError(code: "not_found", kind: .notFound, detail: "No such application for you. Check the id.")
        case .notPending(let status):
            DomainError(
                code: "application_closed", kind: .conflict,
                detail: "The application is \(status.rawValue) already; nothing more can be decided on it.")
        case .notYourStage(let role):
            DomainError(code: "not_your_stage", kind: .forbidden, detail: "The application waits for a decision by the \(role) role, not yours.")
        case .notApplicant:
            DomainError(code: "not_applicant", kind: .forbidden, detail: "Only the applicant may withdraw an application. Log in as the applicant.")
        case .alreadyPending:
            DomainError(
                code: "application_pending", kind: .conflict,
                detail: "An application for this is already pending. Wait for its decision or withdraw it.")
        case .sameApprover(let stage):
            DomainError(
                code: "four_eyes_required", kind: .conflict,
                detail: "You approved stage \(stage + 1) of this application; another person must approve this stage (four-eyes rule).")
        }
    }

    public var code: String { domainError.code }
    public var kind: DomainError.Kind { domainError.kind }
    public var detail: String { domainError.detail }
}
