import Hummingbird
import Ledger
import VoucherCore

/// The problems of accounts, registration, sub-accounts and approvals, with their stable codes.
enum AccountsProblem {
    /// A core rule's error as a problem, through the API's one mapping of kinds to statuses.
    static func from(_ error: some DomainErrorConvertible) -> Problem {
        Problem(domain: error.domainError)
    }

    /// 400 for one field that breaks a rule; `detail` says what to fix.
    static func invalid(_ code: String, _ detail: String) -> Problem {
        Problem(.badRequest, code: code, detail: detail)
    }

    static let passwordMismatch = invalid("password_mismatch", "The two passwords differ; type the same password in both fields.")
    static let consentRequired = invalid("consent_required", "Registration needs consent to the user agreement and privacy statement; set consent to true.")
    static let notFound = Problem(.notFound, code: "not_found", detail: "No such resource in your organisation. Check the id.")
    static let mainAccountOnly = Problem(
        .forbidden, code: "main_account_only",
        detail: "Only the organisation's main account may do this. Log in with the main account.")
    static let certificationRequired = Problem(
        .forbidden, code: "certification_required",
        detail: "Your organisation is not certified yet. Wait for the operator's approval, then refresh your token or log in again.")
    static func menuForbidden(_ menu: MenuPermission) -> Problem {
        Problem(.forbidden, code: "permission_denied",
                detail: "Your account lacks the \(menu.rawValue) menu permission. Ask your organisation's main account to grant it.")
    }
    static let wrongCurrentPassword = Problem(
        .badRequest, code: "current_password_wrong", detail: "The current password is wrong. Type your current password to change it.")
}

extension AccountsLedgerError: ProblemConvertible {
    var problem: Problem {
        switch self {
        case .usernameTaken:
            Problem(.conflict, code: "username_taken", detail: "The username is taken. Choose another username.")
        case .phoneTaken:
            Problem(.conflict, code: "phone_taken", detail: "The phone number is already used by another account. Use another phone number.")
        case .usccTaken:
            Problem(.conflict, code: "credit_code_taken",
                    detail: "Another organisation is registered with this unified social credit code. Check the code on your business licence.")
        case .wrongCertificationState(let current):
            Problem(.conflict, code: "certification_state_conflict",
                    detail: "The organisation's certification is \(current), which does not allow this step. Wait for the review to finish.")
        case .surveyMissing:
            Problem(.conflict, code: "survey_required",
                    detail: "The enterprise has not answered the demand survey (企业需求收集). Answer it at PUT /v1/organisations/me/survey first.")
        case .profileMissing:
            Problem(.conflict, code: "details_missing",
                    detail: "No organisation details are saved. Save them at PUT /v1/registrations/me/details first.")
        case .notFound:
            AccountsProblem.notFound
        }
    }
}

extension ApprovalsLedgerError: ProblemConvertible {
    var problem: Problem {
        switch self {
        case .notFound:
            Problem(.notFound, code: "not_found", detail: "No such application for you. Check the id.")
        case .notPending(let status):
            Problem(.conflict, code: "application_closed", detail: "The application is \(status.rawValue) already; nothing more can be decided on it.")
        case .notYourStage(let role):
            Problem(.forbidden, code: "not_your_stage", detail: "The application waits for a decision by the \(role) role, not yours.")
        case .notApplicant:
            Problem(.forbidden, code: "not_applicant", detail: "Only the applicant may withdraw an application. Log in as the applicant.")
        case .alreadyPending:
            Problem(.conflict, code: "application_pending", detail: "An application for this is already pending. Wait for its decision or withdraw it.")
        case .sameApprover(let stage):
            Problem(.conflict, code: "four_eyes_required",
                    detail: "You approved stage \(stage + 1) of this application; another person must approve this stage (four-eyes rule).")
        }
    }
}
