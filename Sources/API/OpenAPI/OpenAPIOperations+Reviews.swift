import PostgresStore
import VoucherCore
import VoucherServices

private typealias Op = OpenAPIOperation

private let contentCodes = ["review_stars_invalid", "review_text_too_short", "review_text_too_long"]
private let filterParameters: [Op.Parameter] = [
    .query("productId", Schema.id, "Only reviews of this product."),
    .query("stars", ["type": "integer", "minimum": 1, "maximum": 5], "Only reviews with this many stars."),
    .query("from", Schema.time, "Only reviews written at or after this time."),
    .query("to", Schema.time, "Only reviews written before this time."),
]
private let filterCodes = ["page_invalid", "filter_invalid", "time_invalid"]
private let textLimits = "\(ReviewRules.textScalarsMin) to \(ReviewRules.textScalarsMax) characters"
private let editDays = Int(ReviewRules.editWindowSeconds / 86_400)

extension OpenAPIDocument {
    /// `ReviewsController`: enterprises review what they bought, providers read their customers'
    /// reviews, operators hide abusive ones, the portal shows the visible ones.
    static let reviewOperations: [OpenAPIOperation] = [
        Op(
            .get, "/v1/reviews", id: "myReviews",
            summary: "我的评价: the orders whose delivery my organisation accepted (completed), newest order first, each with the product "
                + "(name, listing state), 订购时间 and its review if written; action review (立即评价) or view (查看评价).",
            access: .signedIn([.enterprise]), parameters: [.page, .pageSize], answer: .json(Schema.page(of: "ReviewableOrder")),
            errors: ["page_invalid"]),
        Op(
            .post, "/v1/reviews", id: "createReview",
            summary: "Review a product my organisation bought and accepted, once per order: 1 to 5 whole stars and \(textLimits) of text. "
                + "The catalogue's rating counts it at once.",
            access: .signedIn([.enterprise]), body: .json(Schema.ref("ReviewInput")), status: 201, answer: .json(Schema.ref("MyReview")),
            errors: contentCodes + ["id_malformed", "order_not_found", "order_not_accepted", "review_exists"]),
        Op(
            .get, "/v1/reviews/{id}", id: "myReview", summary: "查看评价: one of my organisation's reviews; another's is 404.",
            access: .signedIn([.enterprise]), answer: .json(Schema.ref("MyReview")), errors: ["review_not_found"]),
        Op(
            .put, "/v1/reviews/{id}", id: "editReview",
            summary: "Change the stars and text of one of my organisation's reviews, within \(editDays) days of writing it (editableUntil); "
                + "later, or once an operator hid it, 409.",
            access: .signedIn([.enterprise]), body: .json(Schema.ref("ReviewEdit")), answer: .json(Schema.ref("MyReview")),
            errors: contentCodes + ["review_not_found", "review_edit_window_closed", "review_hidden"]),
        Op(
            .get, "/v1/provider/reviews", id: "customerReviews",
            summary: "客户评价: the visible reviews of my organisation's products, newest first, with product, customer, time, stars and text.",
            access: .signedIn([.provider]), parameters: filterParameters + [.page, .pageSize], answer: .json(Schema.page(of: "CustomerReview")),
            errors: filterCodes),
        Op(
            .get, "/v1/platform/reviews", id: "platformReviews",
            summary: "Every review (operators), newest first, with whether, when, by whom and why it was hidden.",
            access: .signedIn([.operator]),
            parameters: filterParameters + [
                .query(
                    "visibility", Schema.oneOf(ReviewVisibility.allCases.map(\.rawValue)), "visible, hidden or all (the default)."),
                .page, .pageSize,
            ],
            answer: .json(Schema.page(of: "PlatformReview")), errors: filterCodes),
        Op(
            .get, "/v1/platform/reviews/{id}", id: "platformReview",
            summary: "One review with its audit (operators): written, each edit, and the hide with its reason, who and when.",
            access: .signedIn([.operator]), answer: .json(Schema.ref("PlatformReviewDetail")), errors: ["review_not_found"]),
        Op(
            .post, "/v1/platform/reviews/{id}/hide", id: "hideReview",
            summary: "Hide an abusive review with a reason (operators): it leaves the product's rating and the public list for good; "
                + "the audit records who, when and why.",
            access: .signedIn([.operator]), body: .json(Schema.ref("ReviewHide")), answer: .json(Schema.ref("PlatformReview")),
            errors: ["reason_missing", "reason_too_long", "review_not_found", "review_hidden"]),
        Op(
            .get, "/v1/catalogue/{productID}/reviews", id: "catalogueReviews",
            summary: "A listed product's visible reviews, newest first, without the reviewer; no token needed.", access: .anyone,
            parameters: [.page, .pageSize], answer: .json(Schema.page(of: "PublicReview")),
            errors: ["page_invalid", "product_not_found"]),
    ]

    /// The reviews' schemas (`ReviewsDTO.swift`).
    static let reviewSchemas: [String: OpenAPIJSON] = [
        "ReviewInput": Schema.object(
            ["orderId": Schema.id, "stars": stars, "text": text], description: "ReviewsController.CreateInput: a completed order of mine."),
        "ReviewEdit": Schema.object(["stars": stars, "text": text], description: "ReviewsController.EditInput: the whole new content."),
        "ReviewHide": Schema.object(
            ["reason": ["type": "string", "minLength": 1, "maxLength": .int(Int64(ReviewRules.hideReasonScalarsMax))]],
            description: "ReviewsController.HideInput: why, for the audit."),
        "MyReview": Schema.object(
            [
                "id": Schema.id, "orderId": Schema.id, "productId": Schema.id, "productName": Schema.string, "stars": stars,
                "text": Schema.string, "createdAt": Schema.time, "updatedAt": Schema.time,
                "editableUntil": Schema.time.merging(["description": .string("\(editDays) days after createdAt.")]),
                "editable": Schema.bool, "hidden": Schema.bool,
            ], description: "MyReviewDTO: editable while the window is open and no operator hid it."),
        "ReviewableOrder": Schema.object(
            [
                "orderId": Schema.id,
                "product": Schema.object([
                    "id": Schema.id, "name": Schema.string, "state": Schema.oneOf(["listed", "delisted"], "商品状态 now."),
                ]),
                "orderedAt": Schema.time, "review": Schema.ref("MyReview"),
                "action": Schema.oneOf(["review", "view"], "review: 立即评价 (not reviewed yet); view: 查看评价."),
            ], optional: ["review"], description: "ReviewableOrderDTO: a line of 我的评价."),
        "CustomerReview": Schema.object(
            [
                "id": Schema.id, "orderId": Schema.id, "product": productRef, "customer": customer, "stars": stars, "text": Schema.string,
                "createdAt": Schema.time, "updatedAt": Schema.time,
            ], description: "CustomerReviewDTO: a line of 客户评价."),
        "PlatformReview": Schema.object(
            [
                "id": Schema.id, "orderId": Schema.id, "product": productRef, "customer": customer, "providerOrganisationId": Schema.id,
                "stars": stars, "text": Schema.string, "createdAt": Schema.time, "updatedAt": Schema.time, "hidden": Schema.bool,
                "hiddenAt": Schema.time, "hiddenBy": Schema.id.merging(["description": "The operator's user id."]),
                "hiddenReason": Schema.string,
            ], optional: ["hiddenAt", "hiddenBy", "hiddenReason"], description: "PlatformReviewDTO"),
        "PlatformReviewDetail": Schema.object(
            [
                "review": Schema.ref("PlatformReview"),
                "audit": Schema.array(
                    Schema.object(
                        [
                            "action": Schema.oneOf(["create", "edit", "hide"]), "actor": Schema.id.merging(["description": "A user id."]),
                            "stars": stars, "text": Schema.string, "reason": Schema.string, "at": Schema.time,
                        ], optional: ["stars", "text", "reason"], description: "ReviewAuditDTO: stars and text of create and edit, reason of hide."
                    )),
            ], description: "PlatformReviewDetailDTO"),
        "PublicReview": Schema.object(
            ["id": Schema.id, "stars": stars, "text": Schema.string, "createdAt": Schema.time, "updatedAt": Schema.time],
            description: "PublicReviewDTO: no reviewer, no order."),
    ]

    private static let stars: OpenAPIJSON = ["type": "integer", "minimum": 1, "maximum": 5, "description": "Whole stars."]
    private static let text: OpenAPIJSON = [
        "type": "string", "minLength": .int(Int64(ReviewRules.textScalarsMin)), "maxLength": .int(Int64(ReviewRules.textScalarsMax)),
        "description": .string("\(textLimits) (Unicode scalars) after trimming spaces."),
    ]
    private static let productRef = Schema.object(["id": Schema.id, "name": Schema.string])
    private static let customer = Schema.object(
        ["organisationId": Schema.id, "name": Schema.string("The enterprise's registered name.")])
}
