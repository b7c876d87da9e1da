import VoucherCore
import VoucherServices

private typealias Op = OpenAPIOperation

private let campaignInputCodes = [
    "campaign_name_invalid", "time_invalid", "window_invalid", "lots_invalid", "lot_kind_invalid", "lot_direction_invalid",
    "lot_face_value_invalid", "lot_stock_invalid", "lot_limit_invalid", "lot_mode_invalid", "lot_validity_invalid",
]
private let orderBodyCodes = [
    "id_malformed", "product_not_found", "spec_not_found", "voucher_not_found", "voucher_not_applicable",
    "voucher_on_free_order", "quantity_out_of_range", "order_total_too_large", "voucher_duplicate", "vouchers_too_many", "voucher_expired",
]
private let orderStep = ["order_not_found", "order_state_conflict"]

extension OpenAPIDocument {
    /// `CampaignsController` (with the grab) and `VoucherApplicationsController`.
    static let campaignOperations: [OpenAPIOperation] = [
        Op(
            .post, "/v1/campaigns", id: "createCampaign", summary: "Create a draft campaign with its lots.", access: .signedIn([.operator]),
            body: .json(Schema.ref("CampaignInput")), status: 201, answer: .json(Schema.ref("Campaign")), errors: campaignInputCodes),
        Op(
            .get, "/v1/campaigns", id: "listCampaigns", summary: "Campaigns (drafts for operators only).", access: .signedIn([]),
            parameters: [.query("status", Schema.oneOf(["draft", "published", "ended"]), "Only campaigns in this state."), .page, .pageSize],
            answer: .json(Schema.page(of: "Campaign")), errors: ["status_invalid", "page_invalid"]),
        Op(
            .get, "/v1/campaigns/{campaignID}", id: "campaign", summary: "One campaign with each lot's remaining stock.", access: .signedIn([]),
            answer: .json(Schema.ref("Campaign")), errors: ["id_malformed", "campaign_not_found"]),
        Op(
            .put, "/v1/campaigns/{campaignID}", id: "replaceCampaign", summary: "Replace a draft campaign.", access: .signedIn([.operator]),
            body: .json(Schema.ref("CampaignInput")), answer: .json(Schema.ref("Campaign")),
            errors: campaignInputCodes + ["id_malformed", "campaign_not_found", "campaign_not_draft"]),
        Op(
            .post, "/v1/campaigns/{campaignID}/publish", id: "publishCampaign", summary: "List (上架) a draft; its grab lots are loaded into Redis.",
            access: .signedIn([.operator]), answer: .json(Schema.ref("Campaign")),
            errors: ["id_malformed", "campaign_not_found", "campaign_not_draft"]),
        Op(
            .post, "/v1/campaigns/{campaignID}/end", id: "endCampaign", summary: "End a published campaign early.", access: .signedIn([.operator]),
            answer: .json(Schema.ref("Campaign")), errors: ["id_malformed", "campaign_not_found", "campaign_not_published"]),
        Op(
            .patch, "/v1/campaigns/{campaignID}/lots/{lotID}", id: "restockLot",
            summary: "Set a lot's stock: freely on a draft, never below what was issued after.",
            access: .signedIn([.operator]), body: .json(Schema.ref("Restock")), answer: .json(Schema.ref("Campaign")),
            errors: [
                "id_malformed", "lot_stock_invalid", "campaign_not_found", "lot_not_found", "campaign_ended", "stock_below_issued",
                "lot_not_loaded",
            ]),
        Op(
            .post, "/v1/campaigns/{campaignID}/lots/{lotID}/grab", id: "grabVoucher",
            summary: "Grab (抢券) a voucher of a grab lot: 201 issued, 200 the voucher already granted to the organisation.",
            access: .signedIn([.enterprise]),
            parameters: [.idempotencyKey(required: false, "A retry with the same key answers the voucher already granted; no '|' or ':'.")],
            status: 201, answer: .json(Schema.ref("Grab")), replayStatus: 200,
            errors: [
                "not_certified", "id_malformed", "idempotency_key_invalid", "rate_limited", "lot_not_found", "lot_not_grabbable",
                "sold_out", "not_open", "ended", "limit_reached", "lot_not_loaded", "busy", "unavailable", "grab_unconfirmed",
            ]),
        Op(
            .post, "/v1/campaigns/{campaignID}/lots/{lotID}/applications", id: "applyForVoucher",
            summary: "Apply (申请) for a voucher of an apply lot; an operator decides.", access: .signedIn([.enterprise]),
            status: 201, answer: .json(Schema.ref("VoucherApplication")),
            errors: [
                "not_certified", "id_malformed", "lot_not_found", "lot_not_applicable", "not_open", "ended", "application_pending",
                "limit_reached", "sold_out",
            ]),
        Op(
            .get, "/v1/voucher-applications", id: "listVoucherApplications",
            summary: "Voucher applications: the enterprise's own, or all for operators.",
            access: .signedIn([.enterprise, .operator]),
            parameters: [.query("status", Schema.oneOf(["pending", "approved", "rejected"]), "Only applications in this state."), .page, .pageSize],
            answer: .json(Schema.page(of: "VoucherApplication")), errors: ["status_invalid", "page_invalid"]),
        Op(
            .get, "/v1/voucher-applications/{applicationID}", id: "voucherApplication", summary: "One voucher application.",
            access: .signedIn([.enterprise, .operator]), answer: .json(Schema.ref("VoucherApplication")),
            errors: ["id_malformed", "application_not_found"]),
        Op(
            .post, "/v1/voucher-applications/{applicationID}/approve", id: "approveVoucherApplication",
            summary: "Approve: the voucher is issued under the lot's stock and per-enterprise limit.", access: .signedIn([.operator]),
            answer: .json(Schema.ref("VoucherApplication")),
            errors: ["id_malformed", "application_not_found", "application_decided", "limit_reached", "sold_out"]),
        Op(
            .post, "/v1/voucher-applications/{applicationID}/reject", id: "rejectVoucherApplication",
            summary: "Reject with a reason the enterprise sees.",
            access: .signedIn([.operator]), body: .json(Schema.ref("Reason")), answer: .json(Schema.ref("VoucherApplication")),
            errors: ["reason_missing", "id_malformed", "application_not_found", "application_decided"]),
    ]

    /// `OrdersController`: the enterprise's side of buying.
    static let orderOperations: [OpenAPIOperation] = [
        Op(
            .post, "/v1/orders/quote", id: "quoteOrder",
            summary: "Total, the 30% cap, eligible vouchers, deduction, payable and carry-over, without ordering.",
            access: .signedIn([.enterprise]), body: .json(Schema.ref("OrderBody")), answer: .json(Schema.ref("Quote")),
            errors: orderBodyCodes + ["certification_required"]),
        Op(
            .post, "/v1/orders", id: "placeOrder", summary: "Place an order and hold the deduction: 201, or 200 replaying the order of the same key.",
            access: .signedIn([.enterprise]), body: .json(Schema.ref("OrderBody")),
            parameters: [.idempotencyKey(required: true, "One key per order; a retry with it answers the same order.")],
            status: 201, answer: .json(Schema.ref("Order")), replayStatus: 200,
            errors: orderBodyCodes + ["idempotency_key_missing", "idempotency_key_invalid", "idempotency_key_reused", "certification_required"]),
        Op(
            .get, "/v1/orders", id: "listOrders", summary: "The organisation's orders, newest first.", access: .signedIn([.enterprise]),
            parameters: [.page, .pageSize], answer: .json(Schema.page(of: "Order")), errors: ["page_invalid"]),
        Op(
            .get, "/v1/orders/{id}", id: "order", summary: "One order of the organisation.", access: .signedIn([.enterprise]),
            answer: .json(Schema.ref("Order")), errors: ["order_not_found"]),
        Op(
            .post, "/v1/orders/{id}/cancel", id: "cancelOrder", summary: "Cancel an unpaid order; its holds are released.",
            access: .signedIn([.enterprise]), answer: .json(Schema.ref("Order")), errors: orderStep),
        Op(
            .post, "/v1/orders/{id}/proofs", id: "uploadPaymentProof",
            summary: "One payment proof as the raw body (PNG, JPG, BMP or PDF by content, at most 10 MB; 1–3 per attempt).",
            access: .signedIn([.enterprise]),
            body: .raw(mediaTypes: ["image/png", "image/jpeg", "image/bmp", "application/pdf"], description: "The proof of the offline transfer."),
            answer: .json(Schema.ref("Order")),
            errors: orderStep + ["file_empty", "proof_too_large", "proof_unsupported_format", "proofs_too_many", "storage_quota_exceeded"]),
        Op(
            .post, "/v1/orders/{id}/payment", id: "submitPayment", summary: "Submit the proofs: an operator's approval opens.",
            access: .signedIn([.enterprise]), answer: .json(Schema.ref("OrderWithApproval")),
            errors: orderStep + ["proofs_missing", "application_pending"]),
        Op(
            .post, "/v1/orders/{id}/accept", id: "acceptDelivery", summary: "Accept delivery (验收): completed; its usages await redemption.",
            access: .signedIn([.enterprise]), answer: .json(Schema.ref("Order")), errors: orderStep),
        Op(
            .post, "/v1/orders/{id}/refund", id: "requestRefund", summary: "Ask to unsubscribe (退订) a paid order: an operator's approval opens.",
            access: .signedIn([.enterprise]), answer: .json(Schema.ref("OrderWithApproval")),
            errors: orderStep + ["application_pending", "order_redeemed"]),
        Op(
            .get, "/v1/vouchers", id: "listVouchers", summary: "The organisation's vouchers with balances and status.",
            access: .signedIn([.enterprise]), parameters: [.page, .pageSize], answer: .json(Schema.page(of: "Voucher")),
            errors: ["page_invalid"]),
    ]

    /// The codes a listing body can answer (`ListingContent.validate`, the specs, the file references).
    static let listingInput = [
        "listing_invalid", "solution_classes_too_many", "industries_too_many", "price_range_invalid", "case_studies_missing",
        "listing_file_unknown", "product_invalid",
    ]

    /// `ProductsController` and `ProviderOrdersController`: listings, and the provider's orders and usages.
    static let productOperations: [OpenAPIOperation] = [
        Op(
            .post, "/v1/provider/product-files", id: "uploadProductFile",
            summary: "One listing file as the raw body, streamed to disk: kind=image (JPEG, PNG, BMP, ≤ 2 MB) or kind=document "
                + "(pdf, png, jpg, bmp, doc, docx, ppt, pptx, zip, mp4, ≤ 100 MB).",
            access: .signedIn([.provider]),
            body: .raw(mediaTypes: ["application/octet-stream"], description: "The file; recognised by its content."),
            parameters: [.query("kind", Schema.oneOf(ListingFileKind.allCases.map(\.rawValue)), "Which bound and formats apply.", required: true)],
            status: 201, answer: .json(Schema.ref("ProductFile")),
            errors: [
                "file_kind_invalid", "file_empty", "image_too_large", "document_too_large", "image_unsupported_format",
                "document_unsupported_format", "certification_required", "storage_quota_exceeded",
            ]),
        Op(
            .post, "/v1/provider/products", id: "createProduct", summary: "A draft listing (草稿) with its content and specs.",
            access: .signedIn([.provider]), body: .json(Schema.ref("ProductBody")), status: 201, answer: .json(Schema.ref("Product")),
            errors: listingInput + ["certification_required"]),
        Op(
            .get, "/v1/provider/products", id: "listMyProducts", summary: "我的商品: the provider's products in their six states, newest first.",
            access: .signedIn([.provider]),
            parameters: [
                .query("state", Schema.oneOf(ListingState.allCases.map(\.rawValue)), "The product's state, or the state of an edit under way."),
                .query("name", Schema.string, "Part of the name."), .query("category", Schema.oneOf(productCategories), "The category."),
                .page, .pageSize,
            ],
            answer: .json(Schema.page(of: "ProductSummary")), errors: ["page_invalid", "status_invalid", "filter_invalid"]),
        Op(
            .put, "/v1/provider/products/{id}", id: "updateProduct",
            summary: "Edit the listing: in place until listed; a listed product's edit is a new revision reviewed while the old one stays on sale.",
            access: .signedIn([.provider]), body: .json(Schema.ref("ProductBody")), answer: .json(Schema.ref("Product")),
            errors: listingInput + ["product_not_found", "listing_state_conflict"]),
        Op(
            .post, "/v1/provider/products/{id}/submit", id: "submitProduct",
            summary: "提交申请: the listing enters the chain operator → expert → authority (approvals type listing).",
            access: .signedIn([.provider]), answer: .json(Schema.ref("SubmittedProduct")),
            errors: ["product_not_found", "listing_state_conflict", "application_pending", "listing_invalid", "certification_required"]),
        Op(
            .post, "/v1/provider/products/{id}/withdraw", id: "withdrawProduct", summary: "撤销 a listing in review (已撤销; editable again).",
            access: .signedIn([.provider]), answer: .json(Schema.ref("Product")),
            errors: ["product_not_found", "listing_state_conflict", "not_applicant", "application_closed"]),
        Op(
            .post, "/v1/products/{id}/delist", id: "delistProduct",
            summary: "下架 a listed product (its provider or an operator); orders already placed go on.",
            access: .signedIn([.provider, .operator]), answer: .json(Schema.ref("Product")),
            errors: ["product_not_found", "listing_state_conflict"]),
        Op(
            .get, "/v1/products/{id}", id: "product",
            summary: "A listed product; its provider and the platform's reviewers see every state and the working revision.",
            access: .signedIn([]), answer: .json(Schema.ref("Product")), errors: ["product_not_found"]),
        Op(
            .get, "/v1/provider/orders", id: "listProviderOrders", summary: "Orders of the provider's products, newest first.",
            access: .signedIn([.provider]), parameters: [.page, .pageSize], answer: .json(Schema.page(of: "Order")),
            errors: ["page_invalid"]),
        Op(
            .post, "/v1/provider/orders/{id}/deliver", id: "deliverOrder", summary: "Mark a paid order delivered.",
            access: .signedIn([.provider]), answer: .json(Schema.ref("Order")), errors: orderStep),
        Op(
            .get, "/v1/provider/usages", id: "listUsages",
            summary: "Voucher deductions on completed orders (and placed ones a general redemption took): pending redemption (待兑换) and on.",
            access: .signedIn([.provider]),
            parameters: [
                .query("state", Schema.oneOf(ProviderOrdersController.usageStates), "One state (全部状态 when absent)."),
                .query("q", Schema.string("At most 100 characters."), "Part of the order number, the product's or the enterprise's name."),
                .page, .pageSize,
            ],
            answer: .json(Schema.page(of: "Usage")), errors: ["page_invalid", "filter_invalid"]),
    ]
}
