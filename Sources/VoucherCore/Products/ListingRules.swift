import Foundation

/// Every bound of a listing in one place (house habit 5); the migration's CHECKs repeat the ones
/// the database can hold.
public enum ListingLimits {
    public static let solutionClassesMax = 5
    public static let industriesMax = 3
    public static let caseStudiesCount = 3
    public static let tagsMax = 10
    public static let productNamesMax = 10
    public static let highlightsMax = 10
    public static let modulesMax = 10
    public static let mediaPerModuleMax = 9
    /// Short texts (names, tags, classes, titles, contact fields).
    public static let shortTextLengthMax = 100
    /// Long texts (descriptions, module texts, after-sales scope); the whole listing stays well
    /// inside the 256 KiB JSON body bound.
    public static let longTextLengthMax = 2_000
    /// Prices share the spec bound: ¥1,000,000,000.00.
    public static let priceFenMax: Int64 = 100_000_000_000
    /// 10 years of days, months or person-days: anything above is a typo.
    public static let daysMax = 3_650
    public static let monthsMax = 120
    /// 万元 amounts in hundredths: up to 100 亿元.
    public static let centiWanMax: Int64 = 100_000_000
    /// The display and banner image (the guide: 2 MB).
    public static let imageBytesMax = 2 * 1024 * 1024
    /// A case study's intro document (the guide: 100 MB).
    public static let documentBytesMax = 100 * 1024 * 1024
    /// Bytes of an upload's head kept for recognising its format.
    public static let sniffBytesMax = 64 * 1024
}

/// 我的商品's six states of a product.
public enum ListingState: String, Sendable, Codable, CaseIterable {
    /// 草稿: saved, never submitted (or edited after a rejection or withdrawal and saved).
    case draft
    /// 待审核: in the chain operator → expert → authority.
    case inReview = "in_review"
    /// 已驳回: a stage rejected it with a reason; editable and resubmittable.
    case rejected
    /// 已撤销: the provider withdrew it while in review; editable and resubmittable.
    case withdrawn
    /// 已上架: the live revision is on sale.
    case listed
    /// 已下架: taken off sale by the provider or an operator; orders already placed go on.
    case delisted
}

/// Why a listing request was refused; the API maps each case to a problem response.
public enum ListingError: DomainErrorConvertible, Equatable {
    case invalid(field: String, rule: String)
    case solutionClassesTooMany(Int)
    case industriesTooMany(Int)
    case priceRangeInvalid
    case caseStudiesMissing(Int)
    case fileUnknown(String)
    case imageTooLarge
    case imageUnsupportedFormat
    case documentTooLarge
    case documentUnsupportedFormat
    case fileKindInvalid
    case stateConflict(current: String, action: String)

    public var code: String {
        switch self {
        case .invalid: "listing_invalid"
        case .solutionClassesTooMany: "solution_classes_too_many"
        case .industriesTooMany: "industries_too_many"
        case .priceRangeInvalid: "price_range_invalid"
        case .caseStudiesMissing: "case_studies_missing"
        case .fileUnknown: "listing_file_unknown"
        case .imageTooLarge: "image_too_large"
        case .imageUnsupportedFormat: "image_unsupported_format"
        case .documentTooLarge: "document_too_large"
        case .documentUnsupportedFormat: "document_unsupported_format"
        case .fileKindInvalid: "file_kind_invalid"
        case .stateConflict: "listing_state_conflict"
        }
    }

    public var kind: DomainError.Kind {
        switch self {
        case .invalid, .solutionClassesTooMany, .industriesTooMany, .priceRangeInvalid, .caseStudiesMissing, .fileUnknown, .fileKindInvalid:
            .invalidInput
        case .imageTooLarge, .documentTooLarge: .tooLarge
        case .imageUnsupportedFormat, .documentUnsupportedFormat: .unsupportedFormat
        case .stateConflict: .conflict
        }
    }

    public var detail: String {
        switch self {
        case .invalid(let field, let rule): "\(field) \(rule)."
        case .solutionClassesTooMany(let count):
            "A listing has 1 to \(ListingLimits.solutionClassesMax) solution classes; you sent \(count). Remove some."
        case .industriesTooMany(let count):
            "A listing has 1 to \(ListingLimits.industriesMax) applicable industries; you sent \(count). Remove some."
        case .priceRangeInvalid:
            "priceLowFen and priceHighFen must be whole fen from 0 to \(ListingLimits.priceFenMax), with priceLowFen not above priceHighFen."
        case .caseStudiesMissing(let count):
            "A listing needs exactly \(ListingLimits.caseStudiesCount) case studies in caseStudies; you sent \(count)."
        case .fileUnknown(let id):
            "File \(id) is not an upload of your organisation of the right kind; upload it with POST /v1/provider/product-files first."
        case .imageTooLarge: "An image may be at most 2 MB; send a smaller one."
        case .imageUnsupportedFormat: "The image is not JPEG, PNG or BMP by its content; send one of these."
        case .documentTooLarge: "A document may be at most 100 MB; send a smaller one."
        case .documentUnsupportedFormat:
            "The document is not pdf, png, jpg, bmp, doc, docx, ppt, pptx, zip or mp4 by its content; send one of these."
        case .fileKindInvalid: "kind must be image or document."
        case .stateConflict(let current, let action): "The listing is \(current); it cannot be \(action) now."
        }
    }
}

extension ListingContent {
    /// Checks every rule the provider can fix, in the order of the form; the first failure wins.
    public func validate() throws(ListingError) {
        try Self.text(name, "name")
        try Self.texts(productNames, "productNames", 1...ListingLimits.productNamesMax)
        try Self.texts(tags, "tags", 0...ListingLimits.tagsMax)
        guard solutionClasses.count <= ListingLimits.solutionClassesMax else { throw .solutionClassesTooMany(solutionClasses.count) }
        try Self.texts(solutionClasses, "solutionClasses", 1...ListingLimits.solutionClassesMax)
        guard industries.count <= ListingLimits.industriesMax else { throw .industriesTooMany(industries.count) }
        try Self.texts(industries, "industries", 1...ListingLimits.industriesMax)
        let prices = 0...ListingLimits.priceFenMax
        guard prices.contains(priceLowFen), prices.contains(priceHighFen), priceLowFen <= priceHighFen else { throw .priceRangeInvalid }
        try Self.whole(deliveryCycleDays, "deliveryCycleDays", 1...Int64(ListingLimits.daysMax))
        try Self.whole(personDays, "personDays", 1...Int64(ListingLimits.daysMax))
        guard let studies = caseStudies, studies.count == ListingLimits.caseStudiesCount else {
            throw .caseStudiesMissing(caseStudies?.count ?? 0)
        }
        for (index, study) in studies.enumerated() { try study.validate("caseStudies[\(index)]") }
        try Self.text(contact.name, "contact.name")
        try Self.text(contact.phone, "contact.phone")
        try Self.optionalText(contact.companyName, "contact.companyName")
        try Self.optionalText(contact.email, "contact.email")
        try intro.validate()
    }

    static func text(_ value: String, _ field: String, lengthMax: Int = ListingLimits.shortTextLengthMax) throws(ListingError) {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, value.count <= lengthMax else {
            throw .invalid(field: field, rule: "must have 1 to \(lengthMax) characters")
        }
    }

    static func optionalText(_ value: String?, _ field: String) throws(ListingError) {
        if let value { try text(value, field) }
    }

    static func texts(_ values: [String], _ field: String, _ count: ClosedRange<Int>) throws(ListingError) {
        guard count.contains(values.count) else { throw .invalid(field: field, rule: "must hold \(count.lowerBound) to \(count.upperBound) entries") }
        guard Set(values).count == values.count else { throw .invalid(field: field, rule: "must not repeat an entry") }
        for value in values { try text(value, field) }
    }

    static func whole(_ value: some BinaryInteger, _ field: String, _ range: ClosedRange<Int64>) throws(ListingError) {
        guard range.contains(Int64(value)) else {
            throw .invalid(field: field, rule: "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
    }
}

extension ListingContent.CaseStudy {
    func validate(_ field: String) throws(ListingError) {
        try ListingContent.text(customer, field + ".customer")
        try ListingContent.whole(annualOutputCentiWan, field + ".annualOutputCentiWan", 0...ListingLimits.centiWanMax)
        try ListingContent.whole(salesCentiWan, field + ".salesCentiWan", 0...ListingLimits.centiWanMax)
        try ListingContent.whole(deliveryMonths, field + ".deliveryMonths", 1...Int64(ListingLimits.monthsMax))
        try ListingContent.optionalText(contactName, field + ".contactName")
        try ListingContent.optionalText(contactTitle, field + ".contactTitle")
        try ListingContent.optionalText(contactPhone, field + ".contactPhone")
    }
}

extension ListingContent.IntroPage {
    func validate() throws(ListingError) {
        try ListingContent.text(bannerTitle, "intro.bannerTitle")
        try ListingContent.text(bannerText, "intro.bannerText", lengthMax: ListingLimits.longTextLengthMax)
        try ListingContent.texts(highlights, "intro.highlights", 0...ListingLimits.highlightsMax)
        try ListingContent.text(description, "intro.description", lengthMax: ListingLimits.longTextLengthMax)
        guard modules.count <= ListingLimits.modulesMax else {
            throw .invalid(field: "intro.modules", rule: "must hold at most \(ListingLimits.modulesMax) modules")
        }
        for (index, module) in modules.enumerated() {
            try ListingContent.text(module.title, "intro.modules[\(index)].title")
            try ListingContent.text(module.text, "intro.modules[\(index)].text", lengthMax: ListingLimits.longTextLengthMax)
            guard module.mediaFileIds.count <= ListingLimits.mediaPerModuleMax else {
                throw .invalid(field: "intro.modules[\(index)].mediaFileIds", rule: "must hold at most \(ListingLimits.mediaPerModuleMax) files")
            }
        }
        try ListingContent.text(afterSales.hours, "intro.afterSales.hours")
        try ListingContent.text(afterSales.scope, "intro.afterSales.scope", lengthMax: ListingLimits.longTextLengthMax)
        try ListingContent.text(afterSales.hotline, "intro.afterSales.hotline")
        try ListingContent.optionalText(afterSales.email, "intro.afterSales.email")
    }
}
