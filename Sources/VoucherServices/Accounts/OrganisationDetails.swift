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
    /// 上市板块 when `listed`: a `DetailChoice.listingBoards` code.
    package var listingBoard: String?
    /// 是否有上市计划.
    package var listingPlanned: Bool?
    /// 计划上市时间 when `listingPlanned`, `YYYY-MM-DD`.
    package var plannedListingOn: String?
    /// 计划上市版块 when `listingPlanned`: a `DetailChoice.listingBoards` code.
    package var plannedListingBoard: String?
    /// 所属重点产业链.
    package var keyIndustryChain: String?
    /// 核心产品名称2 (not required).
    package var coreProduct2: String?
    /// 企业客户种类: one or more `DetailChoice.customerKinds` codes.
    package var customerKinds: [String]?
    /// 3年内有交易的企业客户数量, in enterprises.
    package var enterpriseCustomersIn3Years: Int?
    /// 1年内有交易的C端(个人)客户数量, in persons.
    package var consumerCustomersIn1Year: Int?
    /// 近三年平均年制造产值, in fen.
    package var manufacturingOutputAverageFen: Int64?
    /// 所属区域.
    package var region: String?
    /// 注册地址's 详细地址 (not required).
    package var registeredAddressDetail: String?
    /// 企业地址's 详细地址 (not required).
    package var businessAddressDetail: String?
    /// 通过高新技术企业认定时间 when `highTech`, `YYYY-MM-DD`.
    package var highTechCertifiedOn: String?
    /// 是否拥有省级以上知名品牌/商标.
    package var famousBrand: Bool?
    /// 是否省级以上认定“单项冠军”企业.
    package var singleChampion: Bool?
    /// 近三年获取政策各种补助的总次数.
    package var subsidyCountIn3Years: Int?
    /// 近三年获取政策补助的总金额, in fen.
    package var subsidyTotalIn3YearsFen: Int64?
    /// 近三年获取政策补助的级别范围: a `DetailChoice.subsidyLevels` code.
    package var subsidyLevel: String?
    /// 是否是专精特新小巨人企业.
    package var specialisedGiant: Bool?
    /// 获得省级以上奖项、荣誉.
    package var provincialAwards: Bool?
    /// The eleven further groups of fig 2-7 (运营, 人员, 信息数字化 …) by their `EnterpriseGroup`
    /// code, each an object of fields with typed values (`EnterpriseGroup.validate`).
    package var groups: [String: [String: JSONValue]]?
    /// Background fields not typed yet, kept as given. A group sent here under its Chinese name
    /// or its code (as clients did before `groups`) is moved into `groups` on saving.
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

/// A closed set of choices of the registration form (a 请选择 of fig 2-7): stable codes with the
/// labels the pages show. A value outside the set is 400 `choice_invalid` naming the field.
package struct DetailChoice: Sendable {
    package let options: [(code: String, label: String)]

    package var codes: String { options.map(\.code).joined(separator: ", ") }

    package func label(_ code: String?) -> String? {
        guard let code else { return nil }
        return options.first { $0.code == code }?.label
    }

    /// The code of a code or a label (what a page or an old draft may hold).
    package func code(of value: String) -> String? {
        options.first { $0.code == value || $0.label == value }?.code
    }

    package func check(_ value: String?, _ field: String) throws {
        guard let value else { return }
        guard options.contains(where: { $0.code == value }) else {
            throw AccountsError.invalid("choice_invalid", "\(field) must be one of: \(codes).")
        }
    }

    /// 企业登记注册类型.
    package static let registrationTypes = DetailChoice(options: [
        ("state_owned", "国有企业"), ("collective", "集体企业"), ("limited_liability", "有限责任公司"), ("joint_stock", "股份有限公司"),
        ("private", "私营企业"), ("hk_macao_taiwan", "港澳台商投资企业"), ("foreign", "外商投资企业"), ("other", "其他企业"),
    ])
    /// 纳税信用等级 (the tax authority's five levels).
    package static let taxCreditRatings = DetailChoice(options: [("A", "A级"), ("B", "B级"), ("M", "M级"), ("C", "C级"), ("D", "D级")])
    /// 上市板块 and 计划上市版块.
    package static let listingBoards = DetailChoice(options: [
        ("main_board", "主板"), ("star_market", "科创板"), ("chinext", "创业板"), ("bse", "北交所"), ("neeq", "新三板"),
        ("regional_equity", "区域性股权市场"), ("overseas", "境外上市"),
    ])
    /// 企业客户种类.
    package static let customerKinds = DetailChoice(options: [
        ("government", "政府及事业单位"), ("large_enterprise", "大型企业"), ("sme", "中小企业"), ("individual", "个人消费者"),
        ("overseas", "境外客户"),
    ])
    /// 服务商服务范围 (guide §1.3.1 fig 1-4): the eight `ServiceScope` codes with their labels.
    package static let serviceScopes = DetailChoice(options: [
        (ServiceScope.diagnosticConsulting.rawValue, "诊断咨询"), (ServiceScope.softwareProducts.rawValue, "软件应用产品"),
        (ServiceScope.digitalProducts.rawValue, "数字化应用产品"), (ServiceScope.networkPlatforms.rawValue, "网络平台建设"),
        (ServiceScope.dataManagementStandard.rawValue, "数据管理贯标"), (ServiceScope.trainingAndBranding.rawValue, "培训与品牌推广"),
        (ServiceScope.digitalTransformationStandard.rawValue, "数字化转型贯标"), (ServiceScope.cloudAdoption.rawValue, "上云用云"),
    ])
    /// 近三年获取政策补助的级别范围 (the highest level reached).
    package static let subsidyLevels = DetailChoice(options: [
        ("none", "无"), ("district", "区县级"), ("municipal", "市级"), ("provincial", "省级"), ("national", "国家级"),
    ])
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
        try DetailChoice.registrationTypes.check(registrationType, "registrationType")
        try DetailChoice.taxCreditRatings.check(taxCreditRating, "taxCreditRating")
        try DetailChoice.listingBoards.check(listingBoard, "listingBoard")
        try DetailChoice.listingBoards.check(plannedListingBoard, "plannedListingBoard")
        try DetailChoice.subsidyLevels.check(subsidyLevel, "subsidyLevel")
        if let customerKinds {
            guard !customerKinds.isEmpty, Set(customerKinds).count == customerKinds.count else {
                throw AccountsError.invalid(
                    "choice_invalid", "customerKinds must list one or more distinct values of: \(DetailChoice.customerKinds.codes).")
            }
            for kind in customerKinds { try DetailChoice.customerKinds.check(kind, "customerKinds") }
        }
        try Self.text(keyIndustryChain, "keyIndustryChain", max: DetailLimits.shortTextMax)
        try Self.text(coreProduct2, "coreProduct2", max: DetailLimits.coreProductMax)
        try Self.text(region, "region", max: DetailLimits.shortTextMax)
        try Self.text(registeredAddressDetail, "registeredAddressDetail", max: DetailLimits.shortTextMax)
        try Self.text(businessAddressDetail, "businessAddressDetail", max: DetailLimits.shortTextMax)
        try Self.date(plannedListingOn, "plannedListingOn")
        try Self.date(highTechCertifiedOn, "highTechCertifiedOn")
        try Self.count(enterpriseCustomersIn3Years, "enterpriseCustomersIn3Years")
        try Self.count(consumerCustomersIn1Year, "consumerCustomersIn1Year")
        try Self.count(subsidyCountIn3Years, "subsidyCountIn3Years")
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
        for (value, field) in [
            (industrialSalesAverageFen, "industrialSalesAverageFen"), (salesAverageFen, "salesAverageFen"),
            (manufacturingOutputAverageFen, "manufacturingOutputAverageFen"), (subsidyTotalIn3YearsFen, "subsidyTotalIn3YearsFen"),
        ] {
            if let value, !(0...DetailLimits.amountFenMax).contains(value) {
                throw AccountsError.invalid("field_invalid", "\(field) must be a non-negative amount in fen.")
            }
        }
        if let share = solutionSalesSharePercent, !(0...100).contains(share) {
            throw AccountsError.invalid("field_invalid", "solutionSalesSharePercent must be a whole percent from 0 to 100.")
        }
        for (code, fields) in groups ?? [:] { try EnterpriseGroup.validate(code: code, fields) }
        if let groups, try StoredJSON.encode(groups).utf8.count > AccountsLimits.flexibleSectionBytesMax {
            throw AccountsError.invalid("field_invalid", "groups is larger than \(AccountsLimits.flexibleSectionBytesMax) bytes; shorten it.")
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
            need(registrationType != nil, "registrationType")
            need(taxCreditRating != nil, "taxCreditRating")
            need(listed != nil, "listed")
            if listed == true { need(listingBoard != nil, "listingBoard") }
            need(listingPlanned != nil, "listingPlanned")
            if listingPlanned == true {
                need(plannedListingOn != nil, "plannedListingOn")
                need(plannedListingBoard != nil, "plannedListingBoard")
            }
            need(keyIndustryChain != nil, "keyIndustryChain")
            need(coreProduct != nil, "coreProduct")
            need(customerKinds != nil, "customerKinds")
            need(enterpriseCustomersIn3Years != nil, "enterpriseCustomersIn3Years")
            need(consumerCustomersIn1Year != nil, "consumerCustomersIn1Year")
            need(manufacturingOutputAverageFen != nil, "manufacturingOutputAverageFen")
            need(employeeCount != nil, "employeeCount")
            need(region != nil, "region")
            need(registeredAddress != nil, "registeredAddress")
            need(businessAddress != nil, "businessAddress")
            need(highTech != nil, "highTech")
            if highTech == true { need(highTechCertifiedOn != nil, "highTechCertifiedOn") }
            need(famousBrand != nil, "famousBrand")
            need(singleChampion != nil, "singleChampion")
            need(subsidyCountIn3Years != nil, "subsidyCountIn3Years")
            need(subsidyTotalIn3YearsFen != nil, "subsidyTotalIn3YearsFen")
            need(subsidyLevel != nil, "subsidyLevel")
            need(specialisedGiant != nil, "specialisedGiant")
            need(provincialAwards != nil, "provincialAwards")
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
        // The shape first: Foundation's parser also takes 2019/04/01.
        let bytes = Array(value.utf8)
        let shaped =
            bytes.count == 10
            && bytes.enumerated().allSatisfy { index, byte in index == 4 || index == 7 ? byte == UInt8(ascii: "-") : (0x30...0x39).contains(byte) }
        guard shaped, formatter.date(from: value) != nil else {
            throw AccountsError.invalid("field_invalid", "\(field) must be a date written YYYY-MM-DD.")
        }
    }

    package static func count(_ value: Int?, _ field: String) throws {
        if let value, !(0...DetailLimits.countMax).contains(value) {
            throw AccountsError.invalid("field_invalid", "\(field) must be a whole number from 0 to \(DetailLimits.countMax).")
        }
    }
}

/// The eleven groups of the enterprise form after 企业背景 (guide §2.3.2 fig 2-7), with their
/// stable codes, Chinese labels and the number of fields the guide shows for each. The guide
/// names the groups and counts their fields but does not list them, so each group is an object
/// of named fields whose values are typed by rule rather than by a field list:
///
/// - a number is an integer (no fractions: counts, people, percentages, fen), at most 10^15 in
///   size; a field whose name ends in `Fen` is money and not negative;
/// - a field whose name ends in `On` is a date written YYYY-MM-DD;
/// - otherwise text of 1 to 200 characters, a yes/no as a boolean, or a choice of several as a
///   list of 1 to 20 texts; null and nested objects are refused;
/// - a group has at most as many fields as the guide shows.
package enum EnterpriseGroup: String, CaseIterable, Sendable {
    case operations, personnel, digitalisation, fixedAssets, production, supplyChain, customerService, safetyEnvironment
    case financingConditions, financingStatus, innovation

    package var label: String {
        switch self {
        case .operations: "运营"
        case .personnel: "人员"
        case .digitalisation: "信息数字化"
        case .fixedAssets: "固定资产"
        case .production: "生产"
        case .supplyChain: "供应链"
        case .customerService: "客户服务"
        case .safetyEnvironment: "安全环保"
        case .financingConditions: "融资条件"
        case .financingStatus: "融资状况"
        case .innovation: "创新研发"
        }
    }

    /// Fields the guide shows for the group: 运营 (16), 人员 (15) …
    package var fieldsMax: Int {
        switch self {
        case .operations, .innovation: 16
        case .personnel: 15
        case .digitalisation, .fixedAssets: 12
        case .production, .supplyChain: 5
        case .customerService: 1
        case .safetyEnvironment: 3
        case .financingConditions: 11
        case .financingStatus: 14
        }
    }

    package static let integerMagnitudeMax = 1_000_000_000_000_000.0
    package static let textMax = 200
    package static let fieldNameMax = 64
    package static let listItemsMax = 20

    /// The group of a code or a Chinese label.
    package static func named(_ name: String) -> EnterpriseGroup? {
        EnterpriseGroup(rawValue: name) ?? allCases.first { $0.label == name }
    }

    /// Checks one group sent under `code`; throws `field_invalid` naming the group and field.
    package static func validate(code: String, _ fields: [String: JSONValue]) throws {
        guard let group = EnterpriseGroup(rawValue: code) else {
            throw AccountsError.invalid(
                "field_invalid",
                "groups.\(code) is not a group; use one of \(allCases.map { "\($0.rawValue) (\($0.label))" }.joined(separator: ", ")).")
        }
        guard fields.count <= group.fieldsMax else {
            throw AccountsError.invalid(
                "field_invalid", "groups.\(code) has \(fields.count) fields; the guide's \(group.label) has \(group.fieldsMax).")
        }
        for (name, value) in fields {
            let path = "groups.\(code).\(name)"
            guard !name.trimmingCharacters(in: .whitespaces).isEmpty, name.count <= fieldNameMax else {
                throw AccountsError.invalid("field_invalid", "Field names in groups.\(code) must be 1 to \(fieldNameMax) characters.")
            }
            if name.hasSuffix("Fen"), case .number = value {
            } else if name.hasSuffix("Fen") {
                throw AccountsError.invalid("field_invalid", "\(path) is an amount in fen: send a whole number.")
            }
            switch value {
            case .number(let number):
                guard number.rounded() == number, abs(number) <= integerMagnitudeMax else {
                    throw AccountsError.invalid("field_invalid", "\(path) must be a whole number (counts, people, percent or fen), not \(number).")
                }
                if name.hasSuffix("Fen"), number < 0 {
                    throw AccountsError.invalid("field_invalid", "\(path) is an amount in fen and cannot be negative.")
                }
            case .string(let text):
                if name.hasSuffix("On") {
                    try OrganisationDetails.date(text, path)
                } else {
                    try OrganisationDetails.text(text, path, max: textMax)
                }
            case .bool:
                if name.hasSuffix("On") { throw AccountsError.invalid("field_invalid", "\(path) must be a date written YYYY-MM-DD.") }
            case .array(let items):
                guard (1...listItemsMax).contains(items.count) else {
                    throw AccountsError.invalid("field_invalid", "\(path) must list 1 to \(listItemsMax) choices.")
                }
                for item in items {
                    guard case .string(let text) = item else {
                        throw AccountsError.invalid("field_invalid", "\(path) must list its choices as texts.")
                    }
                    try OrganisationDetails.text(text, path, max: DetailLimits.shortTextMax)
                }
            case .null, .object:
                throw AccountsError.invalid(
                    "field_invalid",
                    "\(path) must be a whole number, a text, a date YYYY-MM-DD, true/false or a list of texts; leave it out if unknown.")
            }
        }
    }
}

/// The 企业背景 fields a client or an old draft may still hold in `extra` under their Chinese
/// labels (fig 2-7), with the typed field each becomes (migration 0020 holds the same table).
package enum BackgroundLabel {
    package enum Kind: Sendable {
        case text(max: Int), flag, count, date, choice(DetailChoice)
    }

    package static let all: [(label: String, key: String, kind: Kind)] = [
        ("企业登记注册类型", "registrationType", .choice(DetailChoice.registrationTypes)),
        ("纳税信用等级", "taxCreditRating", .choice(DetailChoice.taxCreditRatings)),
        ("是否已上市", "listed", .flag),
        ("上市板块", "listingBoard", .choice(DetailChoice.listingBoards)),
        ("是否有上市计划", "listingPlanned", .flag),
        ("计划上市时间", "plannedListingOn", .date),
        ("计划上市版块", "plannedListingBoard", .choice(DetailChoice.listingBoards)),
        ("所属重点产业链", "keyIndustryChain", .text(max: DetailLimits.shortTextMax)),
        ("核心产品名称", "coreProduct", .text(max: DetailLimits.coreProductMax)),
        ("核心产品名称2", "coreProduct2", .text(max: DetailLimits.coreProductMax)),
        ("3年内有交易的企业客户数量", "enterpriseCustomersIn3Years", .count),
        ("1年内有交易的C端(个人)客户数量", "consumerCustomersIn1Year", .count),
        ("员工总数(人)", "employeeCount", .count),
        ("所属区域", "region", .text(max: DetailLimits.shortTextMax)),
        ("注册地址", "registeredAddress", .text(max: DetailLimits.shortTextMax)),
        ("企业地址", "businessAddress", .text(max: DetailLimits.shortTextMax)),
        ("是否为高新技术企业", "highTech", .flag),
        ("通过高新技术企业认定时间", "highTechCertifiedOn", .date),
        ("是否拥有省级以上知名品牌/商标", "famousBrand", .flag),
        ("是否省级以上认定“单项冠军”企业", "singleChampion", .flag),
        ("近三年获取政策各种补助的总次数", "subsidyCountIn3Years", .count),
        ("近三年获取政策补助的级别范围", "subsidyLevel", .choice(DetailChoice.subsidyLevels)),
        ("是否是专精特新小巨人企业", "specialisedGiant", .flag),
        ("获得省级以上奖项、荣誉", "provincialAwards", .flag),
        ("企业简介", "introduction", .text(max: DetailLimits.longTextMax)),
    ]

    /// `value` as the typed field's value, or nil when it does not convert (it then stays in `extra`).
    package static func convert(_ value: JSONValue, _ kind: Kind) -> JSONValue? {
        switch (kind, value) {
        case (.text(let max), .string(let text)):
            return (try? OrganisationDetails.text(text, "", max: max)) == nil ? nil : value
        case (.flag, .bool): return value
        case (.flag, .string(let text)): return text == "是" ? .bool(true) : text == "否" ? .bool(false) : nil
        case (.count, .number(let number)):
            return number.rounded() == number && (0...Double(DetailLimits.countMax)).contains(number) ? value : nil
        case (.count, .string(let text)):
            guard let number = Int(text), (0...DetailLimits.countMax).contains(number) else { return nil }
            return .number(Double(number))
        case (.date, .string(let text)): return (try? OrganisationDetails.date(text, "")) == nil ? nil : value
        case (.choice(let choice), .string(let text)): return choice.code(of: text).map(JSONValue.string)
        default: return nil
        }
    }
}

extension OrganisationDetails {
    /// Moves the groups a client still sends inside `extra` (under a Chinese label or a code)
    /// into `groups`, and the 企业背景 fields sent there under their Chinese labels into their
    /// typed fields (a value that does not convert stays); a group or field already given wins.
    /// Other `extra` fields stay.
    package func movingGroupsOutOfExtra() -> OrganisationDetails {
        guard let extra else { return self }
        var details = self
        var remaining: [String: JSONValue] = [:]
        var groups = self.groups ?? [:]
        var typed: [String: JSONValue] = [:]
        for (name, value) in extra {
            if let group = EnterpriseGroup.named(name), case .object(let fields) = value {
                if groups[group.rawValue] == nil { groups[group.rawValue] = fields }
            } else if let field = BackgroundLabel.all.first(where: { $0.label == name }),
                let converted = BackgroundLabel.convert(value, field.kind)
            {
                typed[field.key] = converted
            } else {
                remaining[name] = value
            }
        }
        details.groups = groups.isEmpty ? nil : groups
        details.extra = remaining.isEmpty ? nil : remaining
        guard !typed.isEmpty else { return details }
        // Through JSON: a typed field already given wins over its label in `extra`.
        guard let data = try? JSONEncoder().encode(details),
            case .object(var fields)? = try? JSONDecoder().decode(JSONValue.self, from: data)
        else { return details }
        for (key, value) in typed where fields[key] == nil || fields[key] == .null { fields[key] = value }
        guard let merged = try? JSONEncoder().encode(JSONValue.object(fields)),
            let result = try? JSONDecoder().decode(OrganisationDetails.self, from: merged)
        else { return details }
        return result
    }
}
