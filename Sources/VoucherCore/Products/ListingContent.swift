/// What a provider writes about a product for the catalogue (the guide's §1.4.4.1 表1-2, figs
/// 1-14…1-21): the 方案 itself, its three case studies, the contact block and the intro page.
/// Stored as JSON on a revision; files are named by the `fileId` an upload answered.
public struct ListingContent: Sendable, Codable, Equatable {
    /// 方案名称.
    public var name: String
    /// The catalogue category, which also decides the vouchers that pay.
    public var category: ProductCategory
    /// 相关产品名称, one or more.
    public var productNames: [String]
    /// 标签, for search.
    public var tags: [String]
    /// 展示图片: an uploaded image (kind `image`: JPEG, PNG or BMP, at most 2 MB).
    public var imageFileId: String
    /// 解决方案分类, one to five.
    public var solutionClasses: [String]
    /// 适用行业, one to three.
    public var industries: [String]
    /// 销售历史最低价格 / 最高价格, in fen.
    public var priceLowFen: Int64
    public var priceHighFen: Int64
    /// 平均交付周期, in days.
    public var deliveryCycleDays: Int
    /// 交付人工数量, in person-days.
    public var personDays: Int
    /// Exactly three 商品案例 (optional in the body only so that a missing list gets its own code).
    public var caseStudies: [CaseStudy]?
    /// 联系人信息.
    public var contact: Contact
    /// 介绍页.
    public var intro: IntroPage

    /// A listing as its provider wrote it (see the fields' documentation).
    public init(
        name: String, category: ProductCategory, productNames: [String], tags: [String], imageFileId: String, solutionClasses: [String],
        industries: [String], priceLowFen: Int64, priceHighFen: Int64, deliveryCycleDays: Int, personDays: Int, caseStudies: [CaseStudy]?,
        contact: Contact, intro: IntroPage
    ) {
        self.name = name
        self.category = category
        self.productNames = productNames
        self.tags = tags
        self.imageFileId = imageFileId
        self.solutionClasses = solutionClasses
        self.industries = industries
        self.priceLowFen = priceLowFen
        self.priceHighFen = priceHighFen
        self.deliveryCycleDays = deliveryCycleDays
        self.personDays = personDays
        self.caseStudies = caseStudies
        self.contact = contact
        self.intro = intro
    }

    /// One 商品案例.
    public struct CaseStudy: Sendable, Codable, Equatable {
        /// 客户名称.
        public var customer: String
        /// 客户年产值 in hundredths of 万元 (100 yuan each): 万元 with two decimals, kept whole.
        public var annualOutputCentiWan: Int64
        /// 方案销售额度 in hundredths of 万元.
        public var salesCentiWan: Int64
        /// 交付周期 in months.
        public var deliveryMonths: Int
        /// 客户联系人 (name, title, phone), optional as a whole and per field.
        public var contactName: String?
        public var contactTitle: String?
        public var contactPhone: String?
        /// 介绍文档: an uploaded document (kind `document`, at most 100 MB).
        public var documentFileId: String

        /// One 商品案例.
        public init(
            customer: String, annualOutputCentiWan: Int64, salesCentiWan: Int64, deliveryMonths: Int, contactName: String?, contactTitle: String?,
            contactPhone: String?, documentFileId: String
        ) {
            self.customer = customer
            self.annualOutputCentiWan = annualOutputCentiWan
            self.salesCentiWan = salesCentiWan
            self.deliveryMonths = deliveryMonths
            self.contactName = contactName
            self.contactTitle = contactTitle
            self.contactPhone = contactPhone
            self.documentFileId = documentFileId
        }
    }

    /// 联系人信息: name and phone required, company and email optional.
    public struct Contact: Sendable, Codable, Equatable {
        public var companyName: String?
        public var name: String
        public var phone: String
        public var email: String?

        /// 联系人信息.
        public init(companyName: String?, name: String, phone: String, email: String?) {
            self.companyName = companyName
            self.name = name
            self.phone = phone
            self.email = email
        }
    }

    /// The intro page: banner, 商品详情 (highlights, description, modules in display order) and 服务支持.
    public struct IntroPage: Sendable, Codable, Equatable {
        public var bannerTitle: String
        public var bannerText: String
        /// An uploaded image (kind `image`).
        public var bannerImageFileId: String
        public var highlights: [String]
        public var description: String
        /// Reordered by sending them in the new order.
        public var modules: [Module]
        public var afterSales: AfterSales

        /// The intro page.
        public init(
            bannerTitle: String, bannerText: String, bannerImageFileId: String, highlights: [String], description: String,
            modules: [ListingContent.Module],
            afterSales: ListingContent.AfterSales
        ) {
            self.bannerTitle = bannerTitle
            self.bannerText = bannerText
            self.bannerImageFileId = bannerImageFileId
            self.highlights = highlights
            self.description = description
            self.modules = modules
            self.afterSales = afterSales
        }
    }

    /// One block of the detail page with its pictures or videos (uploaded files of either kind).
    public struct Module: Sendable, Codable, Equatable {
        public var title: String
        public var text: String
        public var mediaFileIds: [String]

        /// One module of the detail page.
        public init(title: String, text: String, mediaFileIds: [String]) {
            self.title = title
            self.text = text
            self.mediaFileIds = mediaFileIds
        }
    }

    /// 售后支持范围.
    public struct AfterSales: Sendable, Codable, Equatable {
        public var hours: String
        public var scope: String
        public var hotline: String
        public var email: String?

        /// 售后支持范围.
        public init(hours: String, scope: String, hotline: String, email: String?) {
            self.hours = hours
            self.scope = scope
            self.hotline = hotline
            self.email = email
        }
    }

    /// Every file the content names, with the kind of upload it must be.
    public var fileReferences: [(fileID: String, kinds: Set<ListingFileKind>)] {
        var references: [(String, Set<ListingFileKind>)] = [(imageFileId, [.image]), (intro.bannerImageFileId, [.image])]
        for study in caseStudies ?? [] { references.append((study.documentFileId, [.document])) }
        for module in intro.modules { references += module.mediaFileIds.map { ($0, [.image, .document]) } }
        return references
    }
}

/// The two kinds of listing upload and their bounds (the guide: image ≤ 2 MB; document ≤ 100 MB).
public enum ListingFileKind: String, Sendable, Codable, CaseIterable, Hashable {
    case image
    case document

    /// The largest upload of the kind.
    public var bytesMax: Int {
        switch self {
        case .image: ListingLimits.imageBytesMax
        case .document: ListingLimits.documentBytesMax
        }
    }
}
