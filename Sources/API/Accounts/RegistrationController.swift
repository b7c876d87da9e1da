import Foundation
import Hummingbird
import NIOCore
import PostgresStore
import VoucherCore
import VoucherServices

/// Self-registration of enterprises and providers in two resumable steps, the demand survey, and
/// submission for certification (SPEC §7).
///
/// - `POST /v1/registrations/sms` (anyone) a code to the phone being registered (limited per phone and address)
/// - `POST /v1/registrations` (anyone) step one, with that code: account → organisation in `draft` + tokens
/// - `GET /v1/registrations/me` (main account) the draft, what is missing, the certification state
/// - `PUT /v1/registrations/me/details` (main account) save step two (partial saves allowed)
/// - `PUT /v1/registrations/me/licence` (main account) the licence image, raw JPG/PNG ≤ 10 MB
/// - `POST /v1/registrations/me/submit` (main account) → `under_review` + a certification application
/// - `PUT /v1/organisations/me/survey` (enterprise main account) the demand survey (企业需求收集)
/// - `GET /v1/organisations/me/survey` (enterprise, menu organisation)
/// - `GET /v1/organisations/me` (enterprise/provider, menu organisation) 我的企业: the organisation, its state, 认证信息,
///   基本信息 and 企业诊断信息
struct RegistrationController {
    let env: AccountsEnvironment

    struct RegisterRequest: Decodable {
        let role: String
        let username: String
        let phone: String
        let password: String
        let passwordConfirmation: String
        let consent: Bool
        /// The code `POST /v1/registrations/sms` sent to `phone` (proves the phone).
        let smsCode: String?
    }

    struct RegisterResponse: ResponseEncodable {
        let organisationId: String
        let userId: String
        let certification: String
        let session: TokenResponse
    }

    struct DraftResponse: ResponseEncodable {
        let organisationId: String
        let kind: String
        let certification: String
        let details: OrganisationDetails
        let licence: LicenceInfo?
        let surveyAnswered: Bool
        /// Fields still needed before submitting (the survey counts for enterprises).
        let missing: [String]
        let submittedAt: Date?
    }

    struct LicenceInfo: Encodable, Sendable {
        let sha256: String
    }

    struct SubmitResponse: ResponseEncodable {
        let applicationId: String
        let certification: String
    }

    struct SurveyBody: Codable, Sendable, ResponseEncodable {
        let companyName: String
        let city: String
        let companyType: String
        let answers: [String: JSONValue]?
    }

    /// 我的企业 (guide §2.4.3): the organisation and its state as before, plus its three tabs.
    struct OrganisationResponse: ResponseEncodable {
        let id: String
        let kind: String
        let name: String
        let unifiedSocialCreditCode: String?
        let certification: String
        /// The sentence the workbench shows while certification is pending.
        let statusText: String
        /// 认证信息: the certification state, when it was submitted, the licence, what is missing.
        let certificationInfo: CertificationInfo
        /// 基本信息: the registration details as saved.
        let basicInfo: OrganisationDetails
        /// 企业诊断信息 (enterprises): the demand survey; absent for providers.
        let diagnosis: DiagnosisInfo?
    }

    struct CertificationInfo: Encodable, Sendable {
        let certification: String
        let statusText: String
        let submittedAt: Date?
        let licence: LicenceInfo?
        /// Fields still needed before (re)submitting.
        let missing: [String]
    }

    /// What the platform recorded of the enterprise's needs: today the demand survey
    /// (企业需求收集); nil until it is answered.
    struct DiagnosisInfo: Encodable, Sendable {
        let survey: SurveyBody?
        let surveyAnsweredAt: Date?
    }

    /// Id prefixes.
    static let orgPrefix = Registration.orgPrefix
    static let userPrefix = Registration.userPrefix

    /// The seven company types of the survey (企业类型).
    static let companyTypes = ["private", "foreign", "collective", "state_owned", "joint_stock", "hk_macao_taiwan", "joint_venture"]

    var endpoints: RouteCollection<AppRequestContext> {
        RouteCollection(context: AppRequestContext.self)
            .post("registrations/sms", use: sendCode)
            .post("registrations", use: startRegistration)
            .get("registrations/me", use: showDraft)
            .put("registrations/me/details", use: saveDetails)
            .put("registrations/me/licence", use: uploadLicence)
            .post("registrations/me/submit", use: submitDraft)
            .put("organisations/me/survey", use: saveSurvey)
            .get("organisations/me/survey", use: survey)
            .get("organisations/me", use: organisation)
    }

    func startRegistration(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        var request = request
        let body = try await request.decodeJSON(as: RegisterRequest.self, context: context)
        let response = try await register(body, address: LoginThrottle.clientAddress(request, context))
        return try response.response(from: request, context: context).with(status: .created)
    }

    func showDraft(_ request: Request, _ context: AppRequestContext) async throws -> DraftResponse {
        try await draft(try mainAccount(context))
    }

    func saveDetails(_ request: Request, _ context: AppRequestContext) async throws -> DraftResponse {
        let identity = try mainAccount(context)
        var request = request
        try await save(try await request.decodeJSON(as: OrganisationDetails.self, context: context), identity: identity)
        return try await draft(identity)
    }

    /// Step two's save, for the JSON route and the registration pages: labelled fields and groups
    /// out of `extra`, every format checked, then the whole draft stored (a partial one too).
    func save(_ sent: OrganisationDetails, identity: Identity) async throws {
        let details = sent.movingGroupsOutOfExtra()
        try details.validateFormats()
        let uscc = try details.unifiedSocialCreditCode.map { code in
            do { return try SocialCreditCode(validating: code).value } catch let error as any DomainErrorConvertible {
                throw AccountsError.from(error)
            }
        }
        var stored = details
        stored.unifiedSocialCreditCode = uscc
        try await env.registration.saveProfile(
            orgID: identity.orgID,
            ProfileRecord(
                name: stored.name, uscc: uscc, contactName: stored.contactName, contactPhone: stored.contactPhone,
                licenceSHA256: nil, detailsJSON: try StoredJSON.encode(stored)), now: env.clock.now())
    }

    func uploadLicence(_ request: Request, _ context: AppRequestContext) async throws -> StoredFile {
        let identity = try mainAccount(context)
        var request = request
        return try await recordLicence(try await storeImage(&request, licenceOf: identity.orgID), identity: identity)
    }

    /// The licence image of the JSON route or the registration page, checked by content and
    /// stored, becomes the draft's licence; the one it replaces goes unless referenced.
    func storeLicence(_ bytes: [UInt8], identity: Identity) async throws -> StoredFile {
        guard !bytes.isEmpty else { throw DomainError(code: "file_empty", kind: .invalidInput, detail: "The licence file is empty.") }
        guard bytes.count <= AccountsLimits.uploadBytesMax else { throw AccountsError.fileTooLarge }
        guard let mediaType = ImageFormat.sniff(bytes) else { throw AccountsError.licenceTypeUnsupported }
        let stored = try await env.storage.store(bytes, mediaType: mediaType, orgID: identity.orgID, replacingLicence: true)
        return try await recordLicence(stored, identity: identity)
    }

    private func recordLicence(_ stored: StoredFile, identity: Identity) async throws -> StoredFile {
        let replaced = try await env.cleanup.references.licence(orgID: identity.orgID)
        try await env.registration.recordFile(sha256: stored.sha256, mediaType: stored.mediaType, sizeBytes: stored.sizeBytes)
        try await env.registration.setLicence(orgID: identity.orgID, sha256: stored.sha256, now: env.clock.now())
        if replaced != stored.sha256 { await env.cleanup.deleteIfUnreferenced(replaced) }
        return stored
    }

    func submitDraft(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try mainAccount(context)
        let response = try await submit(identity)
        return try response.response(from: request, context: context).with(status: .accepted)
    }

    func saveSurvey(_ request: Request, _ context: AppRequestContext) async throws -> SurveyBody {
        let identity = try mainAccount(context, roles: .enterprise)
        var request = request
        let body = try await request.decodeJSON(as: SurveyBody.self, context: context)
        try OrganisationDetails.text(body.companyName, "companyName", max: DetailLimits.nameMax)
        try OrganisationDetails.text(body.city, "city", max: 50)
        guard Self.companyTypes.contains(body.companyType) else {
            throw AccountsError.invalid("company_type_invalid", "companyType must be one of: \(Self.companyTypes.joined(separator: ", ")).")
        }
        let answers = try StoredJSON.encode(body.answers ?? [:])
        guard answers.utf8.count <= AccountsLimits.flexibleSectionBytesMax else {
            throw AccountsError.invalid("field_invalid", "answers is larger than \(AccountsLimits.flexibleSectionBytesMax) bytes; shorten it.")
        }
        try await env.registration.saveSurvey(
            orgID: identity.orgID,
            SurveyRecord(
                companyName: body.companyName, city: body.city, companyType: body.companyType, answersJSON: answers, answeredAt: env.clock.now()))
        return body
    }

    func survey(_ request: Request, _ context: AppRequestContext) async throws -> SurveyBody {
        let identity = try context.requireMenu(.organisation, roles: .enterprise)
        guard let survey = try await env.registration.survey(orgID: identity.orgID) else { throw AccountsError.notFound }
        return SurveyBody(
            companyName: survey.companyName, city: survey.city, companyType: survey.companyType,
            answers: try StoredJSON.decode([String: JSONValue].self, from: survey.answersJSON))
    }

    func organisation(_ request: Request, _ context: AppRequestContext) async throws -> OrganisationResponse {
        let identity = try context.requireMenu(.organisation, roles: .enterprise, .provider)
        let draft = try await Registration(env: env).draft(orgID: identity.orgID)
        let organisation = draft.organisation
        var diagnosis: DiagnosisInfo?
        if organisation.kind == .enterprise {
            let survey = try await env.registration.survey(orgID: identity.orgID)
            diagnosis = DiagnosisInfo(
                survey: try survey.map {
                    SurveyBody(
                        companyName: $0.companyName, city: $0.city, companyType: $0.companyType,
                        answers: try StoredJSON.decode([String: JSONValue].self, from: $0.answersJSON))
                }, surveyAnsweredAt: survey?.answeredAt)
        }
        let statusText = Self.statusText(organisation.certification)
        return OrganisationResponse(
            id: organisation.id, kind: organisation.kind.rawValue, name: organisation.name, unifiedSocialCreditCode: organisation.uscc,
            certification: organisation.certification.rawValue, statusText: statusText,
            certificationInfo: CertificationInfo(
                certification: organisation.certification.rawValue, statusText: statusText, submittedAt: draft.profile?.submittedAt,
                licence: draft.profile?.licenceSHA256.map(LicenceInfo.init), missing: draft.missing),
            basicInfo: draft.details, diagnosis: diagnosis)
    }

    static func statusText(_ state: OrganisationRecord.Certification) -> String {
        switch state {
        case .draft: "Registration is not submitted yet; complete the details and submit them."
        case .underReview: "您的企业认证正在审批中，请耐心等待 (certification is under review)."
        case .certified: "Certified."
        case .rejected: "Certification was rejected; see the reason in the inbox, correct the details and submit again."
        }
    }

    /// An enterprise or provider main account, or 401/403.
    func mainAccount(_ context: AppRequestContext, roles: Role...) throws -> Identity {
        let identity = try context.requireIdentity()
        let allowed = roles.isEmpty ? [Role.enterprise, .provider] : roles
        guard allowed.contains(identity.role) else { throw AuthProblem.wrongRole(allowed) }
        guard identity.isMainAccount else { throw AccountsError.mainAccountOnly }
        return identity
    }

    /// A registration code to the phone, within the per-phone and per-address limits.
    func sendCode(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        var request = request
        let body = try await request.decodeJSON(as: AuthController.SMSSendRequest.self, context: context)
        try await sendRegistrationCode(to: body.phone, address: LoginThrottle.clientAddress(request, context))
        return try AuthController.SMSSendResponse(sent: true, expiresIn: AccountsLimits.smsCodeLifetimeSeconds)
            .response(from: request, context: context).with(status: .accepted)
    }

    /// A registration code to `phone` within the per-phone and per-address limits (the JSON route
    /// and the registration page).
    func sendRegistrationCode(to text: String, address: String?) async throws {
        let phone: PhoneNumber
        do { phone = try PhoneNumber(validating: text) } catch { throw AccountsError.from(error) }
        let guardian = RegistrationGuard(env: env)
        try await guardian.check(address: address)
        try await AuthController.issueCode(env, to: phone, deliver: true)
        try await guardian.record(address: address)
    }

    /// Step one. `phoneProven` is for the admin CLI's seed only, which vouches for the phone; the
    /// route always asks for the SMS code.
    func register(_ body: RegisterRequest, address: String?, phoneProven: Bool = false) async throws -> RegisterResponse {
        let user = try await registerUser(body, address: address, phoneProven: phoneProven)
        let session = try await Sessions(env: env).start(for: user)
        return RegisterResponse(organisationId: user.orgID, userId: user.id, certification: "draft", session: session)
    }

    /// Step one without a JSON login: the account and its organisation in `draft` (the
    /// registration page then starts a web session).
    func registerUser(_ body: RegisterRequest, address: String?, phoneProven: Bool = false) async throws -> UserRecord {
        let guardian = RegistrationGuard(env: env)
        let user = try await Registration(env: env).register(
            role: body.role, username: body.username, phone: body.phone, password: body.password,
            passwordConfirmation: body.passwordConfirmation, consent: body.consent
        ) { phone in
            guard !phoneProven else { return }
            try await guardian.check(address: address)
            try await guardian.provePhone(phone, code: body.smsCode)
        }
        try await guardian.record(address: address)
        return user
    }

    func draft(_ identity: Identity) async throws -> DraftResponse {
        let draft = try await Registration(env: env).draft(orgID: identity.orgID)
        return DraftResponse(
            organisationId: draft.organisation.id, kind: draft.organisation.kind.rawValue,
            certification: draft.organisation.certification.rawValue, details: draft.details,
            licence: draft.profile?.licenceSHA256.map(LicenceInfo.init), surveyAnswered: draft.surveyAnswered, missing: draft.missing,
            submittedAt: draft.profile?.submittedAt)
    }

    func submit(_ identity: Identity) async throws -> SubmitResponse {
        let id = try await Registration(env: env).submit(orgID: identity.orgID, userID: identity.userID)
        return SubmitResponse(applicationId: id, certification: "under_review")
    }

    /// Reads an image body of at most 10 MB, checks it is JPG or PNG by content, stores it.
    func storeImage(_ request: inout Request, licenceOf orgID: String) async throws -> StoredFile {
        let upload = try await Upload.read(
            request, bytesMax: AccountsLimits.uploadBytesMax, sniff: ImageFormat.sniff, tooLarge: AccountsError.fileTooLarge,
            emptyDetail: "The body is empty. Send the licence image as the request body.",
            unsupported: AccountsError.licenceTypeUnsupported)
        return try await env.storage.store(upload.bytes, mediaType: upload.mediaType, orgID: orgID, replacingLicence: true)
    }
}

extension StoredFile: ResponseEncodable {}
