import VoucherCore

/// The refusals of accounts, registration, sub-accounts and approvals, with their stable codes:
/// domain errors, which the API maps to problem responses in its one place.
package enum AccountsError {
    /// A core rule's error, unchanged.
    package static func from(_ error: some DomainErrorConvertible) -> DomainError {
        error.domainError
    }

    /// One field that breaks a rule (400); `detail` says what to fix.
    package static func invalid(_ code: String, _ detail: String) -> DomainError {
        DomainError(code: code, kind: .invalidInput, detail: detail)
    }

    package static let passwordMismatch = invalid("password_mismatch", "The two passwords differ; type the same password in both fields.")
    package static let consentRequired = invalid(
        "consent_required", "Registration needs consent to the user agreement and privacy statement; set consent to true.")
    package static let notFound = DomainError(code: "not_found", kind: .notFound, detail: "No such resource in your organisation. Check the id.")
    package static let mainAccountOnly = DomainError(
        code: "main_account_only", kind: .forbidden,
        detail: "Only the organisation's main account may do this. Log in with the main account.")
    package static let certificationRequired = DomainError(
        code: "certification_required", kind: .forbidden,
        detail: "Your organisation is not certified yet. Wait for the operator's approval, then refresh your token or log in again.")
    package static func menuForbidden(_ menu: MenuPermission) -> DomainError {
        DomainError(
            code: "permission_denied", kind: .forbidden,
            detail: "Your account lacks the \(menu.rawValue) menu permission. Ask your organisation's main account to grant it.")
    }
    package static func subAccountLimit(_ max: Int) -> DomainError {
        DomainError(
            code: "subaccount_limit", kind: .conflict, detail: "The organisation has \(max) sub-accounts, the most allowed. Delete one first.")
    }
    package static let fileTooLarge = DomainError(
        code: "file_too_large", kind: .tooLarge, detail: "The file is larger than 10 MB. Send a smaller image.")
    package static let licenceTypeUnsupported = DomainError(
        code: "file_type_unsupported", kind: .unsupportedFormat,
        detail: "The file is not a JPG or PNG image by its content. Send the licence as JPG, JPEG or PNG.")
    package static let wrongCurrentPassword = DomainError(
        code: "current_password_wrong", kind: .invalidInput, detail: "The current password is wrong. Type your current password to change it.")
}
