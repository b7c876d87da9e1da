import Foundation
import Logging
import PostgresNIO
import PostgresStore
import VoucherConfig
import VoucherCore

/// The account flows for the admin CLI: operator-side accounts (`voucherctl user create`, never
/// self-registration) and the demo seed, which registers and certifies through the same code the
/// routes run, so the demo cannot drift from the rules.
public struct AccountsProvisioning: Sendable {
    package let env: AccountsEnvironment

    /// The organisation that operator-side accounts belong to.
    public static let platformOrgID = "org_platform"
    /// Its name.
    public static let platformName = "数字化转型公共服务平台"
    /// Roles created by the CLI only.
    public static let platformRoles: [Role] = [.operator, .expert, .authority, .auditor, .finance]

    public init(config: AppConfig, postgres: PostgresClient, logger: Logger) async {
        let tokens = await TokenService(config: config.jwt)
        env = .live(config: config, postgres: postgres, tokens: tokens, logger: logger)
    }

    /// Provisioning over a given environment (tests pass theirs, with its clock and files).
    public init(environment: AccountsEnvironment) {
        env = environment
    }

    /// Why provisioning refused; the message says what to change.
    public struct Refusal: Error, CustomStringConvertible {
        public let description: String
    }

    /// Creates an operator-side account under the platform organisation, with the full password
    /// policy. Returns false when the username exists already (nothing is changed then).
    @discardableResult
    public func createPlatformUser(role: Role, username: String, phone: String, password: String) async throws -> Bool {
        guard Self.platformRoles.contains(role) else {
            throw Refusal(
                description:
                    "role must be one of \(Self.platformRoles.map(\.rawValue).joined(separator: ", ")); enterprises and providers register themselves"
            )
        }
        if try await env.accounts.user(username: username) != nil { return false }
        let name: SubAccountUsername
        let number: PhoneNumber
        do {
            name = try SubAccountUsername(validating: username)
            number = try PhoneNumber(validating: phone)
            try PasswordPolicy.check(password, username: name.value, phone: number)
        } catch let error as any DomainErrorConvertible {
            throw Refusal(description: error.detail)
        }
        let platform = OrganisationRecord(id: Self.platformOrgID, kind: .platform, name: Self.platformName, uscc: nil, certification: .certified)
        let user = UserRecord(
            id: OpaqueID.make(prefix: Registration.userPrefix), orgID: platform.id, username: name.value, phone: number.digits,
            passwordHash: try await Passwords(env: env).hash(password), role: role.rawValue, isMain: false, permissions: [Identity.allPermissions])
        try await env.registration.ensurePlatform(platform, now: env.clock.now())
        do {
            try await env.subAccounts.create(user, now: env.clock.now())
        } catch AccountsStoreError.usernameTaken {
            return false
        } catch let error as AccountsStoreError {
            throw Refusal(description: "\(error)")
        }
        return true
    }

    /// What the demo seed registers for one organisation.
    public struct DemoOrganisation: Sendable {
        public let role: Role
        public let username: String
        public let password: String
        public let phone: String
        public let name: String
        public let uscc: String

        public init(role: Role, username: String, password: String, phone: String, name: String, uscc: String) {
            self.role = role
            self.username = username
            self.password = password
            self.phone = phone
            self.name = name
            self.uscc = uscc
        }
    }

    /// Registers, fills in, answers the survey, submits and has `operatorUsername` approve, each
    /// step through the rules the routes run (`Registration`, `OrganisationDetails`, the
    /// approvals chain). Idempotent: an existing account is carried on to certification from
    /// wherever it stopped. Returns false when the account existed.
    @discardableResult
    public func registerAndCertify(_ demo: DemoOrganisation, operatorUsername: String) async throws -> Bool {
        let registration = Registration(env: env)
        var created = false
        if try await env.accounts.user(username: demo.username) == nil {
            // The admin CLI vouches for the demo phone, so no SMS code is asked for (seed only).
            _ = try await registration.register(
                role: demo.role.rawValue, username: demo.username, phone: demo.phone, password: demo.password,
                passwordConfirmation: demo.password, consent: true)
            created = true
        }
        guard let user = try await env.accounts.user(username: demo.username),
            let organisation = try await env.accounts.organisation(id: user.orgID)
        else {
            throw Refusal(description: "the account \(demo.username) exists but cannot be read back")
        }
        if organisation.certification.isEditable {
            try await fillIn(demo, orgID: user.orgID)
            _ = try await registration.submit(orgID: user.orgID, userID: user.id)
        }
        if try await env.accounts.organisation(id: user.orgID)?.certification == .underReview {
            try await approveCertification(of: user.orgID, operatorUsername: operatorUsername)
        }
        return created
    }

    private func fillIn(_ demo: DemoOrganisation, orgID: String) async throws {
        var details = OrganisationDetails(
            name: demo.name, unifiedSocialCreditCode: demo.uscc, contactName: "张三", contactPhone: demo.phone, industry: "制造业")
        if demo.role == .enterprise {
            details.legalRepresentative = "李四"
            details.legalRepresentativePhone = demo.phone
            details.contactTitle = "总经理"
            details.email = "\(demo.username)@example.com"
            details.postCode = "100000"
            details.foundedOn = "2015-06-01"
            details.employeeCount = 85
            details.registrationType = "limited_liability"
            details.taxCreditRating = "A"
            details.listed = false
            details.listingPlanned = true
            details.plannedListingOn = "2028-06-30"
            details.plannedListingBoard = "bse"
            details.keyIndustryChain = "智能制造装备"
            details.coreProduct = "数控机床零部件"
            details.customerKinds = ["large_enterprise", "sme"]
            details.enterpriseCustomersIn3Years = 60
            details.consumerCustomersIn1Year = 0
            details.manufacturingOutputAverageFen = 8_000_000_000
            details.region = "北京市海淀区"
            details.registeredAddress = "北京市海淀区"
            details.businessAddress = "北京市海淀区"
            details.businessAddressDetail = "中关村大街 1 号"
            details.highTech = true
            details.highTechCertifiedOn = "2021-11-30"
            details.famousBrand = false
            details.singleChampion = false
            details.subsidyCountIn3Years = 3
            details.subsidyTotalIn3YearsFen = 50_000_000
            details.subsidyLevel = "municipal"
            details.specialisedGiant = false
            details.provincialAwards = true
            details.groups = [
                EnterpriseGroup.operations.rawValue: ["revenueLastYearFen": .number(3_000_000_000), "hasErp": .bool(true)],
                EnterpriseGroup.personnel.rawValue: ["engineerCount": .number(12), "itStaffCount": .number(2)],
                EnterpriseGroup.innovation.rawValue: ["patentCount": .number(3), "firstPatentOn": .string("2019-04-01")],
            ]
            try await env.registration.saveSurvey(
                orgID: orgID,
                SurveyRecord(
                    companyName: demo.name, city: "北京市", companyType: "private", answersJSON: "{}", answeredAt: env.clock.now()))
        } else {
            details.serviceScopes = [ServiceScope.diagnosticConsulting.rawValue, ServiceScope.cloudAdoption.rawValue]
            details.coreProducts = "数字化诊断咨询、上云用云解决方案"
            details.servedIndustries = ["制造业"]
            details.industrialCustomerCount = 120
            details.operatingSince = "2016-03-01"
            details.annualRevenues = [
                .init(year: 2020, amountFen: 1_000_000_000), .init(year: 2021, amountFen: 1_200_000_000),
                .init(year: 2022, amountFen: 1_500_000_000),
            ]
            details.industrialSalesAverageFen = 800_000_000
            details.salesAverageFen = 1_200_000_000
            details.solutionSalesSharePercent = 60
        }
        try details.validateFormats()
        try await env.registration.saveProfile(
            orgID: orgID,
            ProfileRecord(
                name: details.name, uscc: details.unifiedSocialCreditCode, contactName: details.contactName,
                contactPhone: details.contactPhone, licenceSHA256: nil, detailsJSON: try StoredJSON.encode(details)), now: env.clock.now())
        let stored = try await env.files.store(Self.demoLicencePNG, mediaType: "image/png")
        try await env.registration.recordFile(sha256: stored.sha256, mediaType: stored.mediaType, sizeBytes: stored.sizeBytes)
        try await env.registration.setLicence(orgID: orgID, sha256: stored.sha256, now: env.clock.now())
    }

    private func approveCertification(of orgID: String, operatorUsername: String) async throws {
        guard let reviewer = try await env.accounts.user(username: operatorUsername), reviewer.role == Role.operator.rawValue else {
            throw Refusal(description: "no operator account \(operatorUsername) to approve the certification; create it first")
        }
        let pending = try await env.approvals.list(
            .waiting(role: Role.operator.rawValue), filter: ApprovalFilter(pageSize: AccountsLimits.pageSizeMax))
        for application in pending.items where application.type == CertificationEffect.type && application.subjectID == orgID {
            _ = try await env.approvals.decide(
                id: application.id, by: .init(userID: reviewer.id, name: reviewer.username, role: reviewer.role),
                approve: true, reason: "演示数据自动审核通过 (demo seed)", now: env.clock.now())
        }
    }

    /// A 1×1 PNG standing in for a business licence in the demo.
    package static let demoLicencePNG: [UInt8] = [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
        0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
        0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0,
        0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
        0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ]
}
