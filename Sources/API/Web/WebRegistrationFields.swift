import Foundation
import VoucherCore
import VoucherServices

/// The fields of the registration form in the guide's order — the enterprise's 企业背景 (§2.3.2
/// fig 2-7) and the provider's 企业信息 (§1.3.1 fig 1-4): how a page reads each from a form into the
/// same typed `OrganisationDetails` JSON the API takes, how it shows a saved value, and the
/// sentence next to a field that the use case refused.
struct WebDetailField: Sendable {
    enum Kind: Sendable {
        case text(Int), longText(Int), count(unit: String), yuan, date, flag, choice(DetailChoice), choices(DetailChoice)
        /// Items separated by 、 (or commas), each 1 to the given characters: a JSON list of texts.
        case list(Int)
        /// An amount typed in the guide's larger unit (万元, 亿元), stored exactly in fen: read by
        /// `Money.parse(_:unit:)`, so the yuan grammar (¥ and thousands separators accepted, a
        /// superfluous leading zero refused), with decimals down to one fen and no further.
        case amount(MoneyUnit)
        /// A whole percent from 0 to 100.
        case percent
    }

    let key: String
    let label: String
    /// Starred in the guide (required on submit; the conditional ones only after their 是).
    let required: Bool
    let kind: Kind
    /// 2020/2021/2022年收入: the year of `annualRevenues` this field is (its form key is `revenue<year>`).
    var revenueYear: Int? = nil

    static let enterprise: [WebDetailField] = [
        .init(key: "name", label: "企业名称", required: true, kind: .text(DetailLimits.nameMax)),
        .init(key: "unifiedSocialCreditCode", label: "统一社会信用代码", required: true, kind: .text(18)),
        .init(key: "legalRepresentative", label: "注册法人", required: true, kind: .text(DetailLimits.personNameMax)),
        .init(key: "legalRepresentativePhone", label: "法定代表人手机号码", required: true, kind: .text(DetailLimits.legalPhoneMax)),
        .init(key: "contactName", label: "联系人", required: false, kind: .text(DetailLimits.personNameMax)),
        .init(key: "contactPhone", label: "联系电话", required: true, kind: .text(DetailLimits.contactPhoneMax)),
        .init(key: "contactTitle", label: "职务", required: true, kind: .text(DetailLimits.titleMax)),
        .init(key: "email", label: "邮箱", required: true, kind: .text(AccountsLimits.emailLengthMax)),
        .init(key: "postCode", label: "邮编", required: true, kind: .text(DetailLimits.postCodeMax)),
        .init(key: "foundedOn", label: "注册成立时间", required: true, kind: .date),
        .init(key: "registrationType", label: "企业登记注册类型", required: true, kind: .choice(DetailChoice.registrationTypes)),
        .init(key: "taxCreditRating", label: "纳税信用等级", required: true, kind: .choice(DetailChoice.taxCreditRatings)),
        .init(key: "listed", label: "是否已上市", required: true, kind: .flag),
        .init(key: "listingBoard", label: "上市板块（已上市时必填）", required: false, kind: .choice(DetailChoice.listingBoards)),
        .init(key: "listingPlanned", label: "是否有上市计划", required: true, kind: .flag),
        .init(key: "plannedListingOn", label: "计划上市时间（有计划时必填）", required: false, kind: .date),
        .init(key: "plannedListingBoard", label: "计划上市版块（有计划时必填）", required: false, kind: .choice(DetailChoice.listingBoards)),
        .init(key: "industry", label: "所属行业", required: true, kind: .text(DetailLimits.shortTextMax)),
        .init(key: "keyIndustryChain", label: "所属重点产业链", required: true, kind: .text(DetailLimits.shortTextMax)),
        .init(key: "coreProduct", label: "核心产品名称", required: true, kind: .text(DetailLimits.coreProductMax)),
        .init(key: "coreProduct2", label: "核心产品名称2", required: false, kind: .text(DetailLimits.coreProductMax)),
        .init(key: "customerKinds", label: "企业客户种类", required: true, kind: .choices(DetailChoice.customerKinds)),
        .init(key: "enterpriseCustomersIn3Years", label: "3年内有交易的企业客户数量（家）", required: true, kind: .count(unit: "家")),
        .init(key: "consumerCustomersIn1Year", label: "1年内有交易的C端(个人)客户数量（人）", required: true, kind: .count(unit: "人")),
        .init(key: "manufacturingOutputAverageFen", label: "近三年平均年制造产值（元）", required: true, kind: .yuan),
        .init(key: "employeeCount", label: "员工总数(人)", required: true, kind: .count(unit: "人")),
        .init(key: "region", label: "所属区域", required: true, kind: .text(DetailLimits.shortTextMax)),
        .init(key: "registeredAddress", label: "注册地址", required: true, kind: .text(DetailLimits.shortTextMax)),
        .init(key: "registeredAddressDetail", label: "注册地址·详细地址", required: false, kind: .text(DetailLimits.shortTextMax)),
        .init(key: "businessAddress", label: "企业地址", required: true, kind: .text(DetailLimits.shortTextMax)),
        .init(key: "businessAddressDetail", label: "企业地址·详细地址", required: false, kind: .text(DetailLimits.shortTextMax)),
        .init(key: "highTech", label: "是否为高新技术企业", required: true, kind: .flag),
        .init(key: "highTechCertifiedOn", label: "通过高新技术企业认定时间（高新技术企业必填）", required: false, kind: .date),
        .init(key: "famousBrand", label: "是否拥有省级以上知名品牌/商标", required: true, kind: .flag),
        .init(key: "singleChampion", label: "是否省级以上认定“单项冠军”企业", required: true, kind: .flag),
        .init(key: "subsidyCountIn3Years", label: "近三年获取政策各种补助的总次数（次）", required: true, kind: .count(unit: "次")),
        .init(key: "subsidyTotalIn3YearsFen", label: "近三年获取政策补助的总金额（元）", required: true, kind: .yuan),
        .init(key: "subsidyLevel", label: "近三年获取政策补助的级别范围", required: true, kind: .choice(DetailChoice.subsidyLevels)),
        .init(key: "specialisedGiant", label: "是否是专精特新小巨人企业", required: true, kind: .flag),
        .init(key: "provincialAwards", label: "获得省级以上奖项、荣誉", required: true, kind: .flag),
        .init(key: "introduction", label: "企业简介", required: false, kind: .longText(DetailLimits.longTextMax)),
    ]

    /// The provider's 企业信息 (guide §1.3.1 fig 1-4), in the guide's order; the licence is its own step.
    static let provider: [WebDetailField] = [
        .init(key: "name", label: "企业名称", required: true, kind: .text(DetailLimits.nameMax)),
        .init(key: "contactName", label: "联系人", required: true, kind: .text(DetailLimits.personNameMax)),
        .init(key: "unifiedSocialCreditCode", label: "统一社会信用代码", required: true, kind: .text(18)),
        .init(key: "contactPhone", label: "联系电话", required: true, kind: .text(DetailLimits.contactPhoneMax)),
        .init(key: "serviceScopes", label: "服务商服务范围", required: true, kind: .choices(DetailChoice.serviceScopes)),
        .init(key: "coreProducts", label: "核心产品和解决方案", required: true, kind: .longText(DetailLimits.longTextMax)),
        .init(key: "servedIndustries", label: "服务行业（多个用“、”分隔）", required: true, kind: .list(DetailLimits.shortTextMax)),
        .init(key: "industrialCustomerCount", label: "工业客户累计数量（个）", required: true, kind: .count(unit: "个")),
        .init(key: "operatingSince", label: "起始运行时间", required: true, kind: .date),
        .init(key: "revenue2020", label: "2020年收入（亿元）", required: true, kind: .amount(.yi), revenueYear: 2020),
        .init(key: "revenue2021", label: "2021年收入（亿元）", required: true, kind: .amount(.yi), revenueYear: 2021),
        .init(key: "revenue2022", label: "2022年收入（亿元）", required: true, kind: .amount(.yi), revenueYear: 2022),
        .init(key: "industrialSalesAverageFen", label: "近三年工业领域年平均销售额（万元）", required: true, kind: .amount(.wan)),
        .init(key: "salesAverageFen", label: "近三年年平均销售额（万元）", required: true, kind: .amount(.wan)),
        .init(key: "solutionSalesSharePercent", label: "申报方案（总）年销售额占工业年销售额的平均占比（%）", required: true, kind: .percent),
        .init(key: "industry", label: "所属行业", required: true, kind: .text(DetailLimits.shortTextMax)),
    ]

    /// The form of an organisation of `role`'s kind (a provider's, else an enterprise's).
    static func form(for role: Role) -> [WebDetailField] { role == .provider ? provider : enterprise }

    /// The label of a field `missing` names (营业执照, 需求调研表 and the three years' revenues included).
    static func missingLabel(_ key: String) -> String {
        switch key {
        case "licence": return "营业执照"
        case "survey": return "需求调研表"
        case "annualRevenues": return "2020–2022年收入"
        default: return (enterprise + provider).first { $0.key == key }?.label ?? key
        }
    }

    /// This field's saved value in the draft's JSON fields: a year's revenue is its entry's
    /// `amountFen` in `annualRevenues`.
    func saved(in fields: [String: JSONValue]) -> JSONValue? {
        guard let year = revenueYear else { return fields[key] }
        guard case .array(let entries)? = fields["annualRevenues"] else { return nil }
        for case .object(let entry) in entries where entry["year"] == .number(Double(year)) { return entry["amountFen"] }
        return nil
    }

    /// Puts the values read from a form (`typed`, by form key; a blank field absent) into the
    /// draft's JSON fields: each field replaces its own, and the years' revenues together make
    /// `annualRevenues`.
    static func store(_ typed: [String: JSONValue], into fields: inout [String: JSONValue], form: [WebDetailField]) {
        var revenues: [JSONValue] = []
        for field in form {
            if let year = field.revenueYear {
                if let amount = typed[field.key] { revenues.append(.object(["year": .number(Double(year)), "amountFen": amount])) }
            } else {
                fields[field.key] = typed[field.key]
            }
        }
        if form.contains(where: { $0.revenueYear != nil }) { fields["annualRevenues"] = revenues.isEmpty ? nil : .array(revenues) }
    }

    /// The years' revenues are saved together (the API takes all three or none): when some are
    /// typed, the sentence next to each blank one.
    static func revenueRefusals(_ typed: [String: JSONValue], form: [WebDetailField]) -> [String: String] {
        let years = form.filter { $0.revenueYear != nil }
        let blank = years.filter { typed[$0.key] == nil }
        guard !blank.isEmpty, blank.count < years.count else { return [:] }
        return Dictionary(uniqueKeysWithValues: blank.map { ($0.key, "请同时填写 2020、2021、2022 三年的收入（可填 0）。") })
    }

    /// The form's text for a saved value (money in yuan, flags as true/false, lists comma-joined).
    func text(of value: JSONValue?) -> String {
        switch value {
        case .string(let text)?: return text
        case .bool(let flag)?: return flag ? "true" : "false"
        case .number(let number)?:
            if case .amount(let unit) = kind { return Money(fen: Int64(number)).shortestText(in: unit) }
            guard case .yuan = kind else { return String(Int64(number)) }
            return Money(fen: Int64(number)).yuanText
        case .array(let items)?:
            let texts = items.compactMap { if case .string(let text) = $0 { text } else { nil } }
            if case .list = kind { return texts.joined(separator: "、") }
            return texts.joined(separator: ",")
        default: return ""
        }
    }

    /// What 我的企业 shows for a saved value: labels for choices and flags, yuan for money.
    func display(_ value: JSONValue?) -> String {
        switch (kind, value) {
        case (_, nil), (_, .null?): return "—"
        case (.flag, .bool(let flag)?): return flag ? "是" : "否"
        case (.choice(let choice), .string(let code)?): return choice.label(code) ?? code
        case (.choices(let choice), .array(let items)?):
            return items.compactMap { if case .string(let code) = $0 { choice.label(code) ?? code } else { nil } }.joined(separator: "、")
        case (.yuan, .number(let number)?): return "¥" + Money(fen: Int64(number)).yuanText
        case (.count(let unit), .number(let number)?): return "\(Int64(number)) \(unit)"
        case (.amount(let unit), .number(let number)?): return Money(fen: Int64(number)).shortestText(in: unit) + " " + unit.label
        case (.percent, .number(let number)?): return "\(Int64(number))%"
        default: return text(of: value)
        }
    }

    /// Reads the field from a form: nil when left blank, else the typed JSON value; a number or an
    /// amount that does not parse is refused here with the sentence to show.
    func read(_ form: WebForm) -> Result<JSONValue?, WebFieldRefusal> {
        switch kind {
        case .choices(let choice):
            let codes = choice.options.map(\.code).filter { form["\(key).\($0)"] != nil }
            return .success(codes.isEmpty ? nil : .array(codes.map(JSONValue.string)))
        default: break
        }
        guard let raw = form.text(key) else { return .success(nil) }
        switch kind {
        case .count:
            guard let number = Int(raw), (0...DetailLimits.countMax).contains(number) else { return .failure(refusal("field_invalid")) }
            return .success(.number(Double(number)))
        case .yuan:
            guard let money = try? Money.parse(raw), money.fen <= DetailLimits.amountFenMax, money.fen <= 1 << 53 else {
                return .failure(refusal("field_invalid"))
            }
            return .success(.number(Double(money.fen)))
        case .flag:
            guard raw == "true" || raw == "false" else { return .failure(refusal("choice_invalid")) }
            return .success(.bool(raw == "true"))
        case .amount(let unit):
            guard let money = try? Money.parse(raw, unit: unit), money.fen <= DetailLimits.amountFenMax, money.fen <= 1 << 53 else {
                return .failure(refusal("field_invalid"))
            }
            return .success(.number(Double(money.fen)))
        case .percent:
            guard let percent = Int(raw), (0...100).contains(percent) else { return .failure(refusal("field_invalid")) }
            return .success(.number(Double(percent)))
        case .list(let max):
            let items = raw.split(whereSeparator: { "、，,".contains($0) }).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard (1...DetailLimits.listItemsMax).contains(items.count), items.allSatisfy({ $0.count <= max }) else {
                return .failure(refusal("field_invalid"))
            }
            return .success(.array(items.map(JSONValue.string)))
        default:
            return .success(.string(raw))
        }
    }

    /// The sentence next to this field for a problem `code` the use case answered.
    func refusal(_ code: String) -> WebFieldRefusal {
        let text: String
        switch (code, kind) {
        case ("choice_invalid", _): text = "请从列表中选择。"
        case ("email_invalid", _): text = "邮箱格式不正确，例如 name@example.com。"
        case (let code, _) where code.hasPrefix("credit_code"): text = "统一社会信用代码应为 18 位，且校验位正确，请按营业执照填写。"
        case (_, .date): text = "请按 YYYY-MM-DD 填写日期，例如 2015-06-01。"
        case (_, .count): text = "请输入 0 至 \(DetailLimits.countMax) 的整数。"
        case (_, .yuan): text = "请输入不小于 0 的金额（元），最多两位小数。"
        case (_, .text(let max)), (_, .longText(let max)): text = "请填写 1 至 \(max) 个字。"
        case (_, .amount(let unit)): text = "请输入不小于 0 的金额（\(unit.label)），最多 \(unit.decimalsMax) 位小数。"
        case (_, .percent): text = "请输入 0 至 100 的整数。"
        case (_, .list(let max)): text = "请填写 1 至 \(DetailLimits.listItemsMax) 项，每项不超过 \(max) 字，用“、”分隔。"
        default: text = "此项填写不正确（\(code)）。"
        }
        return WebFieldRefusal(field: key, text: text)
    }
}

/// A refused field of a page's form: which field, and what to show next to it.
struct WebFieldRefusal: Error, Sendable {
    let field: String
    let text: String
}

extension MoneyUnit {
    /// The unit as the guide's forms write it next to a field (元, 万元, 亿元).
    var label: String {
        switch self {
        case .yuan: "元"
        case .wan: "万元"
        case .yi: "亿元"
        }
    }
}
