import Foundation
import PostgresStore
import VoucherCore

/// The listing editor's form (guide §1.4.4.1) as typed: every field's text by key, the files the
/// listing names so far (hidden fields, so a refused save or a module move keeps the uploads),
/// the experts ticked, and the errors by key. Pure: reading a form, turning it into the JSON
/// route's `ListingContent` and specs, and putting a refused rule next to its field have no I/O.
///
/// Keys: the basic block (`name`, `productNames`…), case `c0`–`c2` (`c1.customer`…), `contact.*`,
/// `intro.*`, module `m{i}.title|text|media`, spec `s{i}.name|mode|pricing|price`, `expert.{id}`.
/// List fields (产品名称, 标签, 方案分类, 适用行业, 亮点) are one entry a line.
struct WebListingForm {
    var values: [String: String] = [:]
    var moduleCount = 1
    var specCount = 1
    var experts: [String] = []
    var errors: [String: String] = [:]

    /// The file fields and the upload kind each takes.
    static let imageKeys = ["image", "intro.banner"]
    static let documentKeys = (0..<ListingLimits.caseStudiesCount).map { "c\($0).document" }
    /// Parts of one editor form: every field of ten modules and twenty specs, with room.
    static let partsMax = 400
    /// The editor's body: two images, three case documents and module media, with the fields.
    /// Larger documents (up to the JSON upload's 100 MB) go through `POST /v1/provider/product-files`.
    static let bodyBytesMax = 48 * 1024 * 1024
    static let caseFields = ["customer", "annualOutput", "sales", "deliveryMonths", "contactName", "contactTitle", "contactPhone"]

    subscript(_ key: String) -> String {
        get { values[key] ?? "" }
        set { values[key] = newValue }
    }

    /// The form of a saved revision.
    init(_ content: ListingContent?, specs: [SpecRecord], experts: [String]) {
        self.experts = experts
        guard let content else { return }
        self["name"] = content.name
        self["productNames"] = content.productNames.joined(separator: "\n")
        self["category"] = content.category.rawValue
        self["tags"] = content.tags.joined(separator: "\n")
        self["image"] = content.imageFileId
        self["solutionClasses"] = content.solutionClasses.joined(separator: "\n")
        self["industries"] = content.industries.joined(separator: "\n")
        self["priceLow"] = Money(fen: content.priceLowFen).yuanText
        self["priceHigh"] = Money(fen: content.priceHighFen).yuanText
        self["deliveryCycleDays"] = String(content.deliveryCycleDays)
        self["personDays"] = String(content.personDays)
        for (index, study) in (content.caseStudies ?? []).prefix(ListingLimits.caseStudiesCount).enumerated() {
            let key = "c\(index)."
            self[key + "customer"] = study.customer
            // Hundredths of 万元 are written as yuan text is (two decimals), as `hundredths` reads them.
            self[key + "annualOutput"] = Money(fen: study.annualOutputCentiWan).yuanText
            self[key + "sales"] = Money(fen: study.salesCentiWan).yuanText
            self[key + "deliveryMonths"] = String(study.deliveryMonths)
            self[key + "contactName"] = study.contactName ?? ""
            self[key + "contactTitle"] = study.contactTitle ?? ""
            self[key + "contactPhone"] = study.contactPhone ?? ""
            self[key + "document"] = study.documentFileId
        }
        self["contact.companyName"] = content.contact.companyName ?? ""
        self["contact.name"] = content.contact.name
        self["contact.phone"] = content.contact.phone
        self["contact.email"] = content.contact.email ?? ""
        let intro = content.intro
        self["intro.bannerTitle"] = intro.bannerTitle
        self["intro.bannerText"] = intro.bannerText
        self["intro.banner"] = intro.bannerImageFileId
        self["intro.highlights"] = intro.highlights.joined(separator: "\n")
        self["intro.description"] = intro.description
        self["intro.hours"] = intro.afterSales.hours
        self["intro.scope"] = intro.afterSales.scope
        self["intro.hotline"] = intro.afterSales.hotline
        self["intro.email"] = intro.afterSales.email ?? ""
        for (index, module) in intro.modules.enumerated() {
            self["m\(index).title"] = module.title
            self["m\(index).text"] = module.text
            self["m\(index).media"] = module.mediaFileIds.joined(separator: ",")
        }
        moduleCount = min(intro.modules.count + 1, ListingLimits.modulesMax)
        for (index, spec) in specs.enumerated() {
            self["s\(index).name"] = spec.name
            self["s\(index).mode"] = spec.purchaseMode.rawValue
            self["s\(index).pricing"] = spec.pricing.rawValue
            self["s\(index).price"] = Money(fen: spec.unitPriceFen).yuanText
        }
        specCount = min(specs.count + 1, OrdersLimits.specsPerProductMax)
    }

    /// The form as posted: its text fields (the counts bounded), the experts ticked.
    init(fields: [String: String], expertChoices: [String]) {
        values = fields.filter { !$0.key.hasPrefix("expert.") && $0.key != "csrf" && $0.key != "action" }
        moduleCount = min(max(Int(fields["moduleCount"] ?? "") ?? 1, 1), ListingLimits.modulesMax)
        specCount = min(max(Int(fields["specCount"] ?? "") ?? 1, 1), OrdersLimits.specsPerProductMax)
        experts = expertChoices.filter { fields["expert." + $0] != nil }
        // The last module or spec typed in: offer an empty one after it for adding another.
        let last = moduleCount - 1
        if moduleCount < ListingLimits.modulesMax, !(self["m\(last).title"] + self["m\(last).text"] + self["m\(last).media"]).isEmpty {
            moduleCount += 1
        }
        if specCount < OrdersLimits.specsPerProductMax, !(self["s\(specCount - 1).name"] + self["s\(specCount - 1).price"]).isEmpty { specCount += 1 }
    }

    /// Adds an uploaded file to its field (a module's media: to its list).
    mutating func attach(_ fileID: String, to key: String) {
        if key.hasSuffix(".media") {
            let current = self[key].split(separator: ",").map(String.init)
            if !current.contains(fileID) { self[key] = (current + [fileID]).joined(separator: ",") }
        } else {
            self[key] = fileID
        }
    }

    /// 上移 / 下移 / 删除 of module `index` (`up`, `down`, `remove`): the typed modules move, nothing
    /// is saved. Answers whether anything moved.
    mutating func moveModule(_ action: String, _ index: Int) -> Bool {
        guard (0..<moduleCount).contains(index) else { return false }
        let fields = ["title", "text", "media"]
        func swap(_ a: Int, _ b: Int) {
            for field in fields { (values["m\(a).\(field)"], values["m\(b).\(field)"]) = (values["m\(b).\(field)"], values["m\(a).\(field)"]) }
        }
        switch action {
        case "up" where index > 0: swap(index, index - 1)
        case "down" where index < moduleCount - 1: swap(index, index + 1)
        case "remove":
            for later in index..<(moduleCount - 1) { swap(later, later + 1) }
            for field in fields { values["m\(moduleCount - 1).\(field)"] = nil }
            moduleCount = max(1, moduleCount - 1)
        default: return false
        }
        return true
    }

    static func lines(_ text: String) -> [String] {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    private func optional(_ key: String) -> String? {
        let text = self[key].trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    private mutating func whole(_ key: String) -> Int {
        guard let number = Int(self[key].trimmingCharacters(in: .whitespaces)), number >= 0 else {
            errors[key] = "请输入整数。"
            return 0
        }
        return number
    }

    /// 元 or 万元 with at most two decimals, in hundredths (fen, or hundredths of 万元).
    private mutating func hundredths(_ key: String, unit: String) -> Int64 {
        guard let money = try? Money.parse(self[key].trimmingCharacters(in: .whitespaces)) else {
            errors[key] = "请输入金额（\(unit)），最多两位小数。"
            return 0
        }
        return money.fen
    }

    private mutating func file(_ key: String, _ label: String) -> String {
        if self[key].isEmpty { errors[key] = "请上传\(label)。" }
        return self[key]
    }

    /// The listing and specs the form holds, or nil with `errors` filled for what does not read
    /// (a number, an amount, a missing upload, no category). The rules themselves are
    /// `ListingContent.validate`'s and the specs' store's.
    mutating func content() -> (ListingContent, [NewSpec])? {
        errors = [:]
        let category = ProductCategory(rawValue: self["category"])
        if category == nil { errors["category"] = "请选择分类。" }
        var studies: [ListingContent.CaseStudy] = []
        for index in 0..<ListingLimits.caseStudiesCount {
            let key = "c\(index)."
            studies.append(
                ListingContent.CaseStudy(
                    customer: self[key + "customer"], annualOutputCentiWan: hundredths(key + "annualOutput", unit: "万元"),
                    salesCentiWan: hundredths(key + "sales", unit: "万元"), deliveryMonths: whole(key + "deliveryMonths"),
                    contactName: optional(key + "contactName"), contactTitle: optional(key + "contactTitle"),
                    contactPhone: optional(key + "contactPhone"), documentFileId: file(key + "document", "介绍文档")))
        }
        var modules: [ListingContent.Module] = []
        for index in 0..<moduleCount {
            let media = self["m\(index).media"].split(separator: ",").map(String.init)
            // A module left blank (the empty one offered for adding) is not part of the listing.
            if self["m\(index).title"].isEmpty && self["m\(index).text"].isEmpty && media.isEmpty { continue }
            modules.append(ListingContent.Module(title: self["m\(index).title"], text: self["m\(index).text"], mediaFileIds: media))
        }
        let content = ListingContent(
            name: self["name"], category: category ?? .diagnosticConsulting, productNames: Self.lines(self["productNames"]),
            tags: Self.lines(self["tags"]), imageFileId: file("image", "展示图"), solutionClasses: Self.lines(self["solutionClasses"]),
            industries: Self.lines(self["industries"]), priceLowFen: hundredths("priceLow", unit: "元"),
            priceHighFen: hundredths("priceHigh", unit: "元"), deliveryCycleDays: whole("deliveryCycleDays"), personDays: whole("personDays"),
            caseStudies: studies,
            contact: .init(
                companyName: optional("contact.companyName"), name: self["contact.name"], phone: self["contact.phone"],
                email: optional("contact.email")),
            intro: .init(
                bannerTitle: self["intro.bannerTitle"], bannerText: self["intro.bannerText"], bannerImageFileId: file("intro.banner", "Banner 图片"),
                highlights: Self.lines(self["intro.highlights"]), description: self["intro.description"], modules: modules,
                afterSales: .init(
                    hours: self["intro.hours"], scope: self["intro.scope"], hotline: self["intro.hotline"], email: optional("intro.email"))))
        var specs: [NewSpec] = []
        for index in 0..<specCount {
            let key = "s\(index)."
            if self[key + "name"].isEmpty && self[key + "price"].isEmpty { continue }
            guard let mode = PurchaseMode(rawValue: self[key + "mode"]) else {
                errors[key + "mode"] = "请选择购买方式。"
                continue
            }
            let pricing = Pricing(rawValue: self[key + "pricing"]) ?? .simple
            let price = pricing == .free && self[key + "price"].isEmpty ? 0 : hundredths(key + "price", unit: "元")
            specs.append(NewSpec(name: self[key + "name"], purchaseMode: mode, pricing: pricing, unitPriceFen: price))
        }
        if specs.isEmpty, errors.isEmpty { errors["s0.name"] = "请至少添加一个规格。" }
        return errors.isEmpty ? (content, specs) : nil
    }

    /// The form key of a field the listing rules name (`caseStudies[1].salesCentiWan` → `c1.sales`).
    static func key(ofRuleField field: String) -> String {
        func indexed(_ prefix: String, _ short: String) -> String? {
            guard field.hasPrefix(prefix) else { return nil }
            let rest = field.dropFirst(prefix.count)
            guard let close = rest.firstIndex(of: "]") else { return nil }
            let index = rest[..<close]
            let name = rest[close...].dropFirst(2)
            let renamed = ["annualOutputCentiWan": "annualOutput", "salesCentiWan": "sales", "mediaFileIds": "media"][String(name)] ?? String(name)
            return "\(short)\(index).\(renamed)"
        }
        if let key = indexed("caseStudies[", "c") ?? indexed("intro.modules[", "m") { return key }
        if field.hasPrefix("intro.afterSales.") { return "intro." + field.dropFirst("intro.afterSales.".count) }
        if field == "intro.modules" { return "m0.title" }
        if field == "expertIds" { return "experts" }
        return field
    }

    /// A refused rule's sentence (`ListingContent.validate`'s rules: lengths, counts, repeats, ranges).
    static func sentence(ofRule rule: String) -> String {
        let numbers = rule.split(whereSeparator: { !$0.isNumber }).map(String.init)
        let range = numbers.count >= 2 ? "\(numbers[0])–\(numbers[1])" : numbers.first.map { "至多 \($0)" } ?? ""
        if rule.contains("characters") { return "请填写 \(range) 个字。" }
        if rule.contains("entries") { return "请填写 \(range) 项，每行一项。" }
        if rule.contains("repeat") { return "不能有重复项。" }
        if rule.contains("whole number") { return "请输入 \(range) 的整数。" }
        if rule.contains("modules") { return "介绍页最多 \(ListingLimits.modulesMax) 个模块。" }
        if rule.contains("files") { return "每个模块最多 \(ListingLimits.mediaPerModuleMax) 个图片或视频。" }
        if rule.contains("experts") { return "每个商品最多展示 \(ExpertLimits.perListingMax) 位专家。" }
        return "请检查此项。"
    }
}
