import VoucherCore

/// The whole public detail of a listed product (商品详情), stored as `catalogue_entries.detail` and
/// served as it is by `GET /v1/catalogue/{productId}`. A typed value, not free JSON: the listing
/// chain fills it from the approved revision, and only what is here is ever public (a case
/// study's private contact has no field to land in). Keys are the API's (`fileId`, not `fileID`).
public struct CatalogueDetail: Codable, Sendable, Equatable {
    /// Every file the public detail names (banner, module media, case documents): the files the
    /// catalogue serves without a token, with the card's display image.
    public var fileIDs: Set<String> {
        var ids = Set(introPage.modules.flatMap { $0.media.map(\.fileId) })
        if let banner = introPage.bannerFileId { ids.insert(banner) }
        ids.formUnion(caseStudies.compactMap(\.introDocumentFileId))
        return ids
    }

    /// 商品介绍页.
    public var introPage: IntroPage
    /// The specs on sale, in the provider's order (the same ids an order cites).
    public var specs: [Spec]
    /// 成功案例, public fields only.
    public var caseStudies: [CaseStudy]
    /// 联系方式 shown to every visitor.
    public var contact: Contact

    public init(introPage: IntroPage, specs: [Spec], caseStudies: [CaseStudy], contact: Contact) {
        self.introPage = introPage
        self.specs = specs
        self.caseStudies = caseStudies
        self.contact = contact
    }

    /// Banner, highlights, description, the reorderable modules and the after-sales block.
    public struct IntroPage: Codable, Sendable, Equatable {
        public var bannerFileId: String?
        public var highlights: [String]
        public var description: String
        /// In display order.
        public var modules: [Module]
        /// 售后服务.
        public var afterSales: String

        public init(bannerFileId: String?, highlights: [String], description: String, modules: [Module], afterSales: String) {
            self.bannerFileId = bannerFileId
            self.highlights = highlights
            self.description = description
            self.modules = modules
            self.afterSales = afterSales
        }
    }

    /// One module of the intro page: a title, text, and its images and videos in order.
    public struct Module: Codable, Sendable, Equatable {
        public var title: String
        public var text: String
        public var media: [Media]

        public init(title: String, text: String, media: [Media]) {
            self.title = title
            self.text = text
            self.media = media
        }
    }

    /// An image or a video of a module, by its stored file id.
    public struct Media: Codable, Sendable, Equatable {
        public enum Kind: String, Codable, Sendable, CaseIterable {
            case image, video
        }

        public var kind: Kind
        public var fileId: String

        public init(kind: Kind, fileId: String) {
            self.kind = kind
            self.fileId = fileId
        }
    }

    /// A spec as a buyer chooses it.
    public struct Spec: Codable, Sendable, Equatable {
        public var id: String
        public var name: String
        public var purchaseMode: PurchaseMode
        public var pricing: Pricing
        /// 0 for a free spec.
        public var unitPriceFen: Int64

        public init(id: String, name: String, purchaseMode: PurchaseMode, pricing: Pricing, unitPriceFen: Int64) {
            self.id = id
            self.name = name
            self.purchaseMode = purchaseMode
            self.pricing = pricing
            self.unitPriceFen = unitPriceFen
        }
    }

    /// A case study's public part. The guide asks for 年产值/年销售额 in 万元 with two decimals;
    /// here they are fen like every amount (0.01 万元 = 10,000 fen), so they stay whole numbers.
    public struct CaseStudy: Codable, Sendable, Equatable {
        public var customerName: String
        public var annualOutputFen: Int64
        public var annualSalesFen: Int64
        public var deliveryMonths: Int
        /// The intro document, when the provider uploaded one.
        public var introDocumentFileId: String?

        public init(customerName: String, annualOutputFen: Int64, annualSalesFen: Int64, deliveryMonths: Int, introDocumentFileId: String?) {
            self.customerName = customerName
            self.annualOutputFen = annualOutputFen
            self.annualSalesFen = annualSalesFen
            self.deliveryMonths = deliveryMonths
            self.introDocumentFileId = introDocumentFileId
        }
    }

    /// The listing's contact block.
    public struct Contact: Codable, Sendable, Equatable {
        public var name: String
        public var phone: String
        public var email: String?

        public init(name: String, phone: String, email: String?) {
            self.name = name
            self.phone = phone
            self.email = email
        }
    }
}
