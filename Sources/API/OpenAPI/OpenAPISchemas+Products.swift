import PostgresStore
import VoucherCore
import VoucherServices

/// The schemas of listings (`ProductsDTO.swift`, `ListingContent`).
extension OpenAPIDocument {
    static let specFields: OpenAPIJSON = Schema.object([
        "name": Schema.string, "purchaseMode": Schema.oneOf(PurchaseMode.allCases.map(\.rawValue)),
        "pricing": Schema.oneOf(Pricing.allCases.map(\.rawValue)), "unitPriceFen": Schema.fen,
    ])
    static let texts: OpenAPIJSON = Schema.array(Schema.string)
    static let fileID: OpenAPIJSON = Schema.sha256.merging(["description": "A fileId answered by POST /v1/provider/product-files."])

    static let productSchemas: [String: OpenAPIJSON] = [
        "ProductBody": Schema.object(
            [
                "name": Schema.string("方案名称, 1–100 characters."), "category": Schema.oneOf(productCategories),
                "productNames": texts, "tags": texts, "imageFileId": fileID,
                "solutionClasses": Schema.array(Schema.string, max: Int64(ListingLimits.solutionClassesMax)),
                "industries": Schema.array(Schema.string, max: Int64(ListingLimits.industriesMax)),
                "priceLowFen": Schema.fen, "priceHighFen": Schema.fen, "deliveryCycleDays": ["type": "integer", "minimum": 1],
                "personDays": ["type": "integer", "minimum": 1],
                "caseStudies": Schema.array(Schema.ref("CaseStudy")).merging(["description": "Exactly three."]),
                "contact": Schema.ref("ListingContact"), "intro": Schema.ref("IntroPage"), "specs": Schema.array(specFields),
            ], optional: ["caseStudies"], description: "ProductBody: ListingContent and specs."),
        "ListingContent": Schema.object(
            [
                "name": Schema.string, "category": Schema.oneOf(productCategories), "productNames": texts, "tags": texts,
                "imageFileId": fileID, "solutionClasses": texts, "industries": texts, "priceLowFen": Schema.fen, "priceHighFen": Schema.fen,
                "deliveryCycleDays": Schema.int, "personDays": Schema.int, "caseStudies": Schema.array(Schema.ref("CaseStudy")),
                "contact": Schema.ref("ListingContact"), "intro": Schema.ref("IntroPage"),
            ], optional: ["caseStudies"], description: "ListingContent"),
        "CaseStudy": Schema.object(
            [
                "customer": Schema.string,
                "annualOutputCentiWan": ["type": "integer", "minimum": 0, "description": "客户年产值 in hundredths of 万元 (100 yuan)."],
                "salesCentiWan": ["type": "integer", "minimum": 0, "description": "方案销售额度 in hundredths of 万元."],
                "deliveryMonths": ["type": "integer", "minimum": 1], "contactName": Schema.string, "contactTitle": Schema.string,
                "contactPhone": Schema.string, "documentFileId": fileID,
            ], optional: ["contactName", "contactTitle", "contactPhone"], description: "ListingContent.CaseStudy"),
        "ListingContact": Schema.object(
            ["companyName": Schema.string, "name": Schema.string, "phone": Schema.string, "email": Schema.string],
            optional: ["companyName", "email"], description: "ListingContent.Contact"),
        "IntroPage": Schema.object(
            [
                "bannerTitle": Schema.string, "bannerText": Schema.string, "bannerImageFileId": fileID, "highlights": texts,
                "description": Schema.string,
                "modules": Schema.array(
                    Schema.object(["title": Schema.string, "text": Schema.string, "mediaFileIds": Schema.array(fileID)]),
                    max: Int64(ListingLimits.modulesMax)),
                "afterSales": Schema.object(
                    ["hours": Schema.string, "scope": Schema.string, "hotline": Schema.string, "email": Schema.string], optional: ["email"]),
            ], description: "ListingContent.IntroPage: modules in display order."),
        "Spec": Schema.object(
            [
                "id": Schema.id, "name": Schema.string, "purchaseMode": Schema.oneOf(PurchaseMode.allCases.map(\.rawValue)),
                "pricing": Schema.oneOf(Pricing.allCases.map(\.rawValue)), "unitPriceFen": Schema.fen,
            ], description: "SpecDTO"),
        "Revision": Schema.object(
            [
                "id": Schema.id, "number": Schema.int, "state": Schema.oneOf(["draft", "in_review", "rejected", "withdrawn", "approved"]),
                "rejectReason": Schema.string, "approvalId": Schema.id, "submittedAt": Schema.time, "updatedAt": Schema.time,
                "content": Schema.ref("ListingContent"), "specs": Schema.array(Schema.ref("Spec")),
            ], optional: ["rejectReason", "approvalId", "submittedAt", "content"], description: "RevisionDTO"),
        "Product": Schema.object(
            [
                "id": Schema.id, "name": Schema.string, "category": Schema.oneOf(productCategories),
                "status": Schema.oneOf(ListingState.allCases.map(\.rawValue)),
                "editState": Schema.oneOf(["draft", "in_review", "rejected", "withdrawn"], "The state of an edit of a listed product."),
                "providerOrgId": Schema.id, "specs": Schema.array(Schema.ref("Spec")), "listedAt": Schema.time, "createdAt": Schema.time,
                "updatedAt": Schema.time, "live": Schema.ref("Revision"),
                "working": Schema.ref("Revision").merging(["description": "For the provider and the platform's reviewers only."]),
            ], optional: ["editState", "listedAt", "live", "working"], description: "ProductDTO"),
        "SubmittedProduct": Schema.object(["product": Schema.ref("Product"), "approvalId": Schema.id], description: "SubmittedProductDTO"),
        "ProductSummary": Schema.object(
            [
                "id": Schema.id, "name": Schema.string, "category": Schema.oneOf(productCategories),
                "status": Schema.oneOf(ListingState.allCases.map(\.rawValue)),
                "editState": Schema.oneOf(["draft", "in_review", "rejected", "withdrawn", "approved"]), "rejectReason": Schema.string,
                "createdAt": Schema.time, "updatedAt": Schema.time, "listedAt": Schema.time,
            ], optional: ["editState", "rejectReason", "listedAt"], description: "ProductSummaryDTO: one line of 我的商品."),
        "ProductFile": Schema.object(
            [
                "fileId": Schema.sha256, "kind": Schema.oneOf(ListingFileKind.allCases.map(\.rawValue)), "mediaType": Schema.string,
                "sizeBytes": Schema.int,
            ], description: "ProductFileDTO"),
    ]
}
