import Foundation
import PostgresStore
import VoucherCore

/// Self-registration's rules (SPEC §7), shared by the routes and the demo seed so the seed
/// cannot drift from what a person goes through: step one makes the organisation in `draft`
/// with its main account; submitting opens the certification application once nothing is
/// missing. Refusals are domain errors or the store's.
package struct Registration: Sendable {
    package let env: AccountsEnvironment

    package init(env: AccountsEnvironment) {
        self.env = env
    }

    /// Id prefixes of the organisations and users registration creates.
    package static let orgPrefix = "org"
    package static let userPrefix = "usr"

    /// Step one: checks role, username, phone, both passwords and consent, has `provePhone`
    /// check that the person holds the phone (the route's SMS code; the demo seed vouches for
    /// its own), then stores the organisation (`draft`, named by the username until step two)
    /// and its main account.
    package func register(
        role text: String, username: String, phone: String, password: String, passwordConfirmation: String, consent: Bool,
        provePhone: (PhoneNumber) async throws -> Void = { _ in }
    ) async throws -> UserRecord {
        guard let role = Role(rawValue: text), role == .enterprise || role == .provider else {
            throw AccountsError.invalid("role_invalid", "role must be enterprise or provider; operator-side accounts are created by the platform.")
        }
        let name: SubAccountUsername
        let number: PhoneNumber
        do { name = try SubAccountUsername(validating: username) } catch { throw AccountsError.from(error) }
        do { number = try PhoneNumber(validating: phone) } catch { throw AccountsError.from(error) }
        let passwords = Passwords(env: env)
        try await passwords.checkNew(password, confirmation: passwordConfirmation, username: name.value, phone: number, userID: nil)
        guard consent else { throw AccountsError.consentRequired }
        try await provePhone(number)
        let orgID = OpaqueID.make(prefix: Self.orgPrefix)
        let user = UserRecord(
            id: OpaqueID.make(prefix: Self.userPrefix), orgID: orgID, username: name.value, phone: number.digits,
            passwordHash: try await passwords.hash(password), role: role.rawValue, isMain: true)
        let organisation = OrganisationRecord(
            id: orgID, kind: role == .enterprise ? .enterprise : .provider, name: name.value, uscc: nil, certification: .draft)
        try await env.registration.register(organisation, mainUser: user, now: env.clock.now())
        return user
    }

    /// The saved details, and what is still missing before submission (`survey` included).
    package func draft(
        orgID: String
    ) async throws -> (
        organisation: OrganisationRecord, details: OrganisationDetails,
        profile: ProfileRecord?, surveyAnswered: Bool, missing: [String]
    ) {
        guard let organisation = try await env.accounts.organisation(id: orgID) else { throw AccountsError.notFound }
        let profile = try await env.registration.profile(orgID: orgID)
        let details = try profile.map { try StoredJSON.decode(OrganisationDetails.self, from: $0.detailsJSON) } ?? OrganisationDetails()
        let answered = organisation.kind == .enterprise ? try await env.registration.survey(orgID: orgID) != nil : true
        var missing = details.missingFields(kind: organisation.kind, hasLicence: profile?.licenceSHA256 != nil)
        if !answered { missing.append("survey") }
        return (organisation, details, profile, answered, missing)
    }

    /// Submits for certification once nothing is missing; returns the application's id.
    package func submit(orgID: String, userID: String) async throws -> String {
        let draft = try await draft(orgID: orgID)
        guard draft.missing.isEmpty else {
            if draft.missing == ["survey"] { throw AccountsStoreError.surveyMissing }
            throw DomainError(
                code: "registration_incomplete", kind: .unprocessable,
                detail: "Some details are missing: \(draft.missing.joined(separator: ", ")). Save them, then submit again.")
        }
        guard let user = try await env.accounts.user(id: userID) else { throw AccountsError.notFound }
        let title = "企业认证 " + (draft.details.name ?? user.username)
        let application = NewApproval(
            type: CertificationEffect.type, title: String(title.prefix(100)), applicantUserID: user.id, applicantName: user.username,
            orgID: orgID, subjectID: orgID, stageRoles: CertificationEffect.stageRoles)
        return try await env.registration.submit(orgID: orgID, application: application, now: env.clock.now())
    }
}
