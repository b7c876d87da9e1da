import PostgresStore
import VoucherCore
import VoucherServices

private typealias Op = OpenAPIOperation

extension OpenAPIDocument {
    /// `CatalogueController`: the public catalogue of listed products.
    static let catalogueOperations: [OpenAPIOperation] = [
        Op(
            .get, "/v1/catalogue", id: "listCatalogue",
            summary: "Listed products (解决方案与产品), no token needed; with voucherId (去使用, an enterprise's token) only what that voucher pays.",
            access: .anyone,
            parameters: [
                .query(
                    "q", ["type": "string", "maxLength": .int(Int64(CatalogueSearch.queryScalarsMax))],
                    "Text in the name, product names or tags (any substring, one Chinese character too); words split by spaces must all be found."
                ),
                .query("category", Schema.oneOf(ProductCategory.allCases.map(\.rawValue)), "Only this category."),
                .query("tag", Schema.string, "Only products with this tag."),
                .query("industry", Schema.string, "Only products for this industry."),
                .query("voucherKind", Schema.oneOf(VoucherKind.allCases.map(\.rawValue)), "Only products a voucher of this kind pays for."),
                .query(
                    "voucherDirection", Schema.oneOf(VoucherDirection.allCases.map(\.rawValue)),
                    "With voucherKind general: only products a voucher of this direction pays for."),
                .query("priceMinFen", Schema.fen, "The cheapest spec costs at least this."),
                .query("priceMaxFen", Schema.fen, "The cheapest spec costs at most this."),
                .query("sort", Schema.oneOf(CatalogueSort.allCases.map(\.rawValue)), "newest (default), price_asc, price_desc or rating."),
                .query("voucherId", Schema.id, "去使用: one of the caller's vouchers (an enterprise's token); only products it can pay."),
                .page, .pageSize,
            ],
            answer: .json(Schema.ref("CataloguePage")),
            errors: [
                "page_invalid", "query_invalid", "category_invalid", "voucher_kind_invalid", "voucher_direction_invalid", "filter_invalid",
                "price_range_invalid", "sort_invalid", "id_malformed", "unauthenticated", "role_forbidden", "voucher_not_found",
            ]),
        Op(
            .get, "/v1/catalogue/{productID}", id: "catalogueProduct",
            summary: "One listed product with its whole public detail (intro page, specs, case studies, contact, rating, latest reviews); no token.",
            access: .anyone, answer: .json(Schema.ref("CatalogueProduct")), errors: ["id_malformed", "product_not_found"]),
        Op(
            .get, "/v1/catalogue/{productID}/files/{fileId}", id: "catalogueFile",
            summary: "A file a listed product shows (display image, banner, module media, case documents; fileId as the detail names it), "
                + "streamed; no token needed.",
            access: .anyone,
            answer: .media(Dictionary(uniqueKeysWithValues: catalogueFileTypes.map { ($0, ["type": "string", "contentMediaType": .string($0)]) })),
            errors: ["id_malformed", "file_not_found"]),
    ]

    /// What a listing file may be (ListingFormats: the image and document kinds).
    static let catalogueFileTypes = [
        "image/png", "image/jpeg", "image/bmp", "application/pdf", "application/x-ole-storage", "video/mp4", "application/zip",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ]

    /// The schemas of `CatalogueDTO.swift` and `CatalogueDetail.swift`.
    static let catalogueSchemas: [String: OpenAPIJSON] = [
        "CatalogueItem": Schema.object(
            [
                "productId": Schema.id, "name": Schema.string, "productNames": Schema.array(Schema.string),
                "category": Schema.oneOf(ProductCategory.allCases.map(\.rawValue)),
                "voucherKind": Schema.oneOf(VoucherKind.allCases.map(\.rawValue), "Absent when no voucher pays for the category."),
                "voucherDirection": Schema.oneOf(VoucherDirection.allCases.map(\.rawValue)),
                "tags": Schema.array(Schema.string), "solutionClasses": Schema.array(Schema.string, max: 5),
                "industries": Schema.array(Schema.string, max: 3),
                "provider": Schema.object(["organisationId": Schema.id, "name": Schema.string]),
                "priceLowFen": Schema.fen, "priceHighFen": Schema.fen, "lowestSpecPriceFen": Schema.fen, "deliveryDays": Schema.int,
                "personDays": Schema.int, "imageFileId": Schema.id, "listedAt": Schema.time,
                "rating": Schema.object(
                    ["count": Schema.int, "sum": Schema.int, "averageTenths": Schema.int],
                    optional: ["averageTenths"],
                    description: "Stars (1 to 5 each) summed over count visible reviews; 0 and 0 until reviews exist. averageTenths is "
                        + "sum / count in tenths of a star rounded half to even (43 is 4.3 stars), absent while unrated."),
            ], optional: ["voucherKind", "voucherDirection", "imageFileId"], description: "CatalogueItemDTO"),
        "CataloguePage": Schema.object(
            [
                "items": Schema.array(Schema.ref("CatalogueItem")), "page": ["type": "integer", "minimum": 1],
                "pageSize": ["type": "integer", "minimum": 1, "maximum": 100], "total": ["type": "integer", "minimum": 0],
                "totalExact": Schema.bool,
            ],
            description:
                "CataloguePageDTO: total counts matches up to \(CatalogueFilter.matchesShownMax) (totalExact false beyond), the pages reach that far."
        ),
        "CatalogueProduct": Schema.object(
            [
                "product": Schema.ref("CatalogueItem"), "detail": Schema.ref("CatalogueDetail"),
                "reviews": Schema.array(Schema.ref("PublicReview"), max: Int64(CatalogueController.reviewsShown)),
                "experts": Schema.array(Schema.ref("PublicExpert")),
            ],
            description:
                "CatalogueDetailDTO: reviews are the latest visible ones (all: GET /v1/catalogue/{productID}/reviews); "
                + "experts are the provider's experts the listing shows, in display order."
        ),
        "CatalogueDetail": Schema.object(
            [
                "introPage": Schema.object(
                    [
                        "bannerFileId": Schema.id, "highlights": Schema.array(Schema.string), "description": Schema.string,
                        "modules": Schema.array(
                            Schema.object([
                                "title": Schema.string, "text": Schema.string,
                                "media": Schema.array(
                                    Schema.object([
                                        "kind": Schema.oneOf(CatalogueDetail.Media.Kind.allCases.map(\.rawValue)), "fileId": Schema.id,
                                    ])),
                            ])),
                        "afterSales": Schema.string,
                    ], optional: ["bannerFileId"]),
                "specs": Schema.array(
                    Schema.object([
                        "id": Schema.id, "name": Schema.string, "purchaseMode": Schema.oneOf(PurchaseMode.allCases.map(\.rawValue)),
                        "pricing": Schema.oneOf(Pricing.allCases.map(\.rawValue)), "unitPriceFen": Schema.fen,
                    ])),
                "caseStudies": Schema.array(
                    Schema.object(
                        [
                            "customerName": Schema.string, "annualOutputFen": Schema.fen, "annualSalesFen": Schema.fen,
                            "deliveryMonths": Schema.int, "introDocumentFileId": Schema.id,
                        ], optional: ["introDocumentFileId"],
                        description: "Public fields only; 年产值/年销售额 in fen (0.01 万元 = 10,000 fen).")),
                "contact": Schema.object(["name": Schema.string, "phone": Schema.string, "email": Schema.string], optional: ["email"]),
            ], description: "CatalogueDetail (PostgresStore): the whole public detail of a listed product."),
    ]
}
