import Foundation
import PostgresStore
import VoucherCore

/// Step two of registration: the organisation's details (SPEC §7; the guide's §1.3.1 for
/// providers and §2.3.2 for enterprises). Every field is optional while the draft is saved, so a
/// person can stop and resume; submitting requires the fields of the organisation's kind.
package struct OrganisationDetails: Codable, Sendable, Equatable {
    // Both kinds.
    package var name: String?
    /// 统一社会信用代码, checked with its GB 32100 check character.
    package var unifiedSocialCreditCode: String?
    package var contactName: String?
    package var contactPhone: String?
    /// 所属行业.
    package var industry: String?

    // Enterprise background (企业背景).
    package var legalRepresentative: String?
    package var legalRepresentativePhone: String?
    /// 职务 of the contact.
    package var contactTitle: String?
    package var email: String?
    package var postCode: String?
    /// 注册成立时间, `YYYY-MM-DD`.
    package var foundedOn: String?
    /// 企业登记注册类型.
    package var registrationType: String?
    /// 纳税信用等级.
    package var taxCreditRating: String?
    package var listed: Bool?
    package var coreProduct: String?
    package var employeeCount: Int?
    package var registeredAddress: String?
    package var businessAddress: String?
    package var highTech: Bool?
    package var introduction: String?
    /// The guide's other groups (运营, 人员, 信息数字化, 固定资产, 生产, 供应链, 客户服务, 安全环保,
    /// 融资条件, 融资状况, 创新研发) and any further background field, kept as given.
    package var extra: [String: JSONValue]?

    // Provider (服务商).
    /// 服务商服务范围: some of the eight `ServiceScope` codes.
    package var serviceScopes: [String]?
    /// 核心产品和解决方案.
    package var coreProducts: String?
    /// 服务行业.
    package var servedIndustries: [String]?
    /// 工业客户累计数量.
    package var industrialCustomerCount: Int?
    /// 起始运行时间, `YYYY-MM-DD`.
    package var operatingSince: String?
    /// 2020/2021/2022年收入: one entry per year, in fen.
    package var annualRevenues: [AnnualRevenue]?
    /// 近三年工业领域年平均销售额, in fen.
    package var industrialSalesAverageFen: Int64?
    /// 近三年年平均销售额, in fen.
    package var salesAverageFen: Int64?
    /// 申报方案(总)年销售额占工业年销售额的平均占比, whole percent.
    package var solutionSalesSharePercent: Int?

    package struct AnnualRevenue: Codable, Sendable, Equatable {
        package let year: Int
        package let amountFen: Int64
    }
}

/// The eight service scopes of a provider (SPEC §7).
package enum ServiceScope: String, CaseIterable {
    case diagnosticConsulting = "diagnostic_consulting"  // 诊断咨询
    case softwareProducts = "software_products"  // 软件应用产品
    case digitalProducts = "digital_products"  // 数字化应用产品
    case networkPlatforms = "network_platforms"  // 网络平台建设
    case dataManagementStandard = "data_management_standard"  // 数据管理贯标
    case trainingAndBranding = "training_and_branding"  // 培训与品牌推广
    case digitalTransformationStandard = "digital_transformation_standard"  // 数字化转型贯标
    case cloudAdoption = "cloud_adoption"  // 上云用云
}

/// The bounds of the registration form, as the guide's counters show them (0 / 100 …).
package enum DetailLimits {
    package static let nameMax = 100
    package static let personNameMax = 30
    package static let contactPhoneMax = 13
    package static let legalPhoneMax = 30
    package static let titleMax = 64
    package static let postCodeMax = 25
    package static let shortTextMax = 100
    package static let coreProductMax = 64
    package static let longTextMax = 2000
    package static let listItemsMax = 20
    package static let revenueYears = 3
    package static let countMax = 100_000_000
    package static let amountFenMax: Int64 = 1_000_000_000_000_000
}

extension OrganisationDetails {
    /// Checks the format of every field present; throws the first problem found.
    package func validateFormats() throws {
        try Self.text(name, "name", max: DetailLimits.nameMax)
        if let code = unifiedSocialCreditCode {
            do { _ = try SocialCreditCode(validating: code) } catch { throw AccountsError.from(error) }
        }
        try Self.text(contactName, "contactName", max: DetailLimits.personNameMax)
        try Self.text(contactPhone, "contactPhone", max: DetailLimits.contactPhoneMax)
        try Self.text(industry, "industry", max: DetailLimits.shortTextMax)
        try Self.text(legalRepresentative, "legalRepresentative", max: DetailLimits.personNameMax)
        try Self.text(legalRepresentativePhone, "legalRepresentativePhone", max: DetailLimits.legalPhoneMax)
        try Self.text(contactTitle, "contactTitle", max: DetailLimits.titleMax)
        try Self.text(postCode, "postCode", max: DetailLimits.postCodeMax)
        try Self.text(registrationType, "registrationType", max: DetailLimits.shortTextMax)
        try Self.text(taxCreditRating, "taxCreditRating", max: DetailLimits.shortTextMax)
        try Self.text(coreProduct, "coreProduct", max: DetailLimits.coreProductMax)
        try Self.text(registeredAddress, "registeredAddress", max: DetailLimits.shortTextMax)
        try Self.text(businessAddress, "businessAddress", max: DetailLimits.shortTextMax)
        try Self.text(introduction, "introduction", max: DetailLimits.longTextMax)
        try Self.text(coreProducts, "coreProducts", max: DetailLimits.longTextMax)
        if let email { try Self.email(email) }
        try Self.date(foundedOn, "foundedOn")
        try Self.date(operatingSince, "operatingSince")
        try Self.count(employeeCount, "employeeCount")
        try Self.count(industrialCustomerCount, "industrialCustomerCount")
        if let scopes = serviceScopes {
            guard !scopes.isEmpty, Set(scopes).count == scopes.count, scopes.allSatisfy({ ServiceScope(rawValue: $0) != nil }) else {
                throw AccountsError.invalid(
                    "service_scope_invalid",
                    "serviceScopes must list one or more distinct values of: \(ServiceScope.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
        }
        if let industries = servedIndustries {
            guard !industries.isEmpty, industries.count <= DetailLimits.listItemsMax else {
                throw AccountsError.invalid("field_invalid", "servedIndustries must list 1 to \(DetailLimits.listItemsMax) industries.")
            }
            for item in industries { try Self.text(item, "servedIndustries", max: DetailLimits.shortTextMax) }
        }
        if let revenues = annualRevenues {
            guard revenues.count == DetailLimits.revenueYears, Set(revenues.map(\.year)).count == DetailLimits.revenueYears,
                revenues.allSatisfy({ (2000...2100).contains($0.year) && (0...DetailLimits.amountFenMax).contains($0.amountFen) })
            else {
                throw AccountsError.invalid(
                    "field_invalid",
                    "annualRevenues must give \(DetailLimits.revenueYears) distinct years (2020, 2021, 2022) with non-negative amountFen.")
            }
        }
        for (value, field) in [(industrialSalesAverageFen, "industrialSalesAverageFen"), (salesAverageFen, "salesAverageFen")] {
            if let value, !(0...DetailLimits.amountFenMax).contains(value) {
                throw AccountsError.invalid("field_invalid", "\(field) must be a non-negative amount in fen.")
            }
        }
        if let share = solutionSalesSharePercent, !(0...100).contains(share) {
            throw AccountsError.invalid("field_invalid", "solutionSalesSharePercent must be a whole percent from 0 to 100.")
        }
        if let extra, try StoredJSON.encode(extra).utf8.count > AccountsLimits.flexibleSectionBytesMax {
            throw AccountsError.invalid("field_invalid", "extra is larger than \(AccountsLimits.flexibleSectionBytesMax) bytes; shorten it.")
        }
    }

    /// The fields still missing before an organisation of `kind` can submit, in form order.
    package func missingFields(kind: OrganisationRecord.Kind, hasLicence: Bool) -> [String] {
        var missing: [String] = []
        func need(_ present: Bool, _ field: String) { if !present { missing.append(field) } }
        need(name != nil, "name")
        need(unifiedSocialCreditCode != nil, "unifiedSocialCreditCode")
        need(contactPhone != nil, "contactPhone")
        need(industry != nil, "industry")
        need(hasLicence, "licence")
        switch kind {
        case .enterprise:
            need(legalRepresentative != nil, "legalRepresentative")
            need(legalRepresentativePhone != nil, "legalRepresentativePhone")
            need(contactTitle != nil, "contactTitle")
            need(email != nil, "email")
            need(postCode != nil, "postCode")
            need(foundedOn != nil, "foundedOn")
        case .provider:
            need(contactName != nil, "contactName")
            need(serviceScopes != nil, "serviceScopes")
            need(coreProducts != nil, "coreProducts")
            need(servedIndustries != nil, "servedIndustries")
            need(industrialCustomerCount != nil, "industrialCustomerCount")
            need(operatingSince != nil, "operatingSince")
            need(annualRevenues != nil, "annualRevenues")
            need(industrialSalesAverageFen != nil, "industrialSalesAverageFen")
            need(salesAverageFen != nil, "salesAverageFen")
            need(solutionSalesSharePercent != nil, "solutionSalesSharePercent")
        case .platform:
            break
        }
        return missing
    }

    package static func text(_ value: String?, _ field: String, max: Int) throws {
        guard let value else { return }
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, value.count <= max else {
            throw AccountsError.invalid("field_invalid", "\(field) must be 1 to \(max) characters.")
        }
    }

    package static func email(_ value: String) throws {
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        guard value.count <= AccountsLimits.emailLengthMax, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
            !value.contains(where: \.isWhitespace)
        else {
            throw AccountsError.invalid(
                "email_invalid", "The e-mail address is not valid; enter it as name@example.com, at most \(AccountsLimits.emailLengthMax) characters."
            )
        }
    }

    package static func date(_ value: String?, _ field: String) throws {
        guard let value else { return }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
        formatter.dateFormat = "yyyy-MM-dd"
        guard value.utf8.count == 10, formatter.date(from: value) != nil else {
            throw AccountsError.invalid("field_invalid", "\(field) must be a date written YYYY-MM-DD.")
        }
    }

    package static func count(_ value: Int?, _ field: String) throws {
        if let value, !(0...DetailLimits.countMax).contains(value) {
            throw AccountsError.invalid("field_invalid", "\(field) must be a whole number from 0 to \(DetailLimits.countMax).")
        }
    }
}
