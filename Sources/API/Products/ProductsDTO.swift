import Foundation
import Hummingbird
import PostgresStore
import VoucherCore
import VoucherServices

/// A spec as the provider sends it.
struct SpecBody: Decodable, Sendable {
    let name: String
    let purchaseMode: PurchaseMode
    let pricing: Pricing
    let unitPriceFen: Int64
}

/// A listing as the provider sends it: the `ListingContent` fields and `specs`, side by side.
struct ProductBody: Decodable, Sendable {
    let content: ListingContent
    let specs: [SpecBody]

    enum Keys: String, CodingKey { case specs }

    init(from decoder: any Decoder) throws {
        content = try ListingContent(from: decoder)
        specs = try decoder.container(keyedBy: Keys.self).decode([SpecBody].self, forKey: .specs)
    }

    var newSpecs: [NewSpec] {
        specs.map { NewSpec(name: $0.name, purchaseMode: $0.purchaseMode, pricing: $0.pricing, unitPriceFen: $0.unitPriceFen) }
    }
}

struct SpecDTO: Encodable, Sendable {
    let id: String
    let name: String
    let purchaseMode: String
    let pricing: String
    let unitPriceFen: Int64

    init(_ spec: SpecRecord) {
        id = spec.id
        name = spec.name
        purchaseMode = spec.purchaseMode.rawValue
        pricing = spec.pricing.rawValue
        unitPriceFen = spec.unitPriceFen
    }
}

/// One revision of a listing with its whole content.
struct RevisionDTO: Encodable, Sendable {
    let id: String
    let number: Int
    let state: String
    let rejectReason: String?
    let approvalId: String?
    let submittedAt: Date?
    let updatedAt: Date
    let content: ListingContent?
    let specs: [SpecDTO]

    init(_ revision: RevisionRecord) {
        id = revision.id
        number = revision.number
        state = revision.state
        rejectReason = revision.rejectReason
        approvalId = revision.approvalID
        submittedAt = revision.submittedAt
        updatedAt = revision.updatedAt
        content = revision.content
        specs = revision.specs.map(SpecDTO.init)
    }
}

/// A product: what is on sale (`live`) and, for its provider and the platform, what is being
/// edited or reviewed (`working`). `specs` are the ones an order names (the live revision's once
/// listed).
struct ProductDTO: ResponseEncodable, Sendable {
    let id: String
    let name: String
    let category: String
    let status: String
    let editState: String?
    let providerOrgId: String
    let specs: [SpecDTO]
    let listedAt: Date?
    let createdAt: Date
    let updatedAt: Date
    let live: RevisionDTO?
    let working: RevisionDTO?

    init(_ product: ProductRecord, full: Bool = true) {
        id = product.id
        name = product.name
        category = product.category.rawValue
        status = product.status.rawValue
        editState = full ? product.editState : nil
        providerOrgId = product.orgID
        specs = product.specs.map(SpecDTO.init)
        listedAt = product.listedAt
        createdAt = product.createdAt
        updatedAt = product.updatedAt
        live = product.live.map(RevisionDTO.init)
        working = full ? RevisionDTO(product.working) : nil
    }
}

/// A product and the application its submission opened.
struct SubmittedProductDTO: ResponseEncodable, Sendable {
    let product: ProductDTO
    let approvalId: String
}

/// One line of 我的商品.
struct ProductSummaryDTO: Encodable, Sendable {
    let id: String
    let name: String
    let category: String
    let status: String
    let editState: String?
    let rejectReason: String?
    let createdAt: Date
    let updatedAt: Date
    let listedAt: Date?

    init(_ summary: ProductSummary) {
        id = summary.id
        name = summary.name
        category = summary.category.rawValue
        status = summary.status.rawValue
        editState = summary.editState
        rejectReason = summary.rejectReason
        createdAt = summary.createdAt
        updatedAt = summary.updatedAt
        listedAt = summary.listedAt
    }
}

/// An upload for listings; `fileId` is what the content names.
struct ProductFileDTO: ResponseEncodable, Sendable {
    let fileId: String
    let kind: String
    let mediaType: String
    let sizeBytes: Int
}
