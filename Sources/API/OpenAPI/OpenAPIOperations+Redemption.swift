import VoucherCore
import VoucherServices

private typealias Op = OpenAPIOperation

/// The provider, and the platform roles that see every batch.
private let batchViewers: [Role] = [.provider] + RedemptionController.platformRoles
private let batchStep = ["batch_not_found", "batch_state_conflict"]
private let generalMaterialTypes = [
    "image/jpeg", "image/png", "application/pdf", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
]

extension OpenAPIDocument {
    /// `RedemptionController`: payee accounts, batches through their chain, transfer and confirmation.
    static let redemptionOperations: [OpenAPIOperation] = [
        Op(
            .post, "/v1/provider/payee-accounts", id: "addPayeeAccount",
            summary: "Add a payee account: Agricultural Bank of China only, the registered name, 15–19 digits.",
            access: .signedIn([.provider]), body: .json(Schema.ref("PayeeBody")), status: 201, answer: .json(Schema.ref("Payee")),
            errors: ["payee_bank_not_allowed", "payee_name_mismatch", "payee_number_invalid", "payee_account_exists", "certification_required"]),
        Op(
            .get, "/v1/provider/payee-accounts", id: "listPayeeAccounts",
            summary: "The provider's payee accounts, active first, newest first, a page at a time.", access: .signedIn([.provider]),
            parameters: [.page, .pageSize], answer: .json(Schema.page(of: "Payee")), errors: ["page_invalid"]),
        Op(
            .post, "/v1/provider/payee-accounts/{id}/disable", id: "disablePayeeAccount", summary: "Disable a payee account.",
            access: .signedIn([.provider]), answer: .json(Schema.ref("Payee")), errors: ["payee_account_not_found"]),
        Op(
            .post, "/v1/redemption/batches", id: "fileRedemptionBatch",
            summary: "File a diagnostic-voucher batch with its materials archive as the raw body; auditor → operator → operator approve it.",
            access: .signedIn([.provider]),
            body: .raw(
                mediaTypes: ["application/zip", "application/vnd.rar"],
                description: "Contract, invoice, receipt and price proof packed as .zip or .rar (by content), at most 10 MB."),
            parameters: [
                .query(
                    "usageIds", Schema.string("Comma-separated ids of pending usages, at most the batch limit."), "The usages to redeem.",
                    required: true),
                .query("payeeAccountId", Schema.id, "An active payee account of the provider.", required: true),
                .idempotencyKey(required: false, "A retry with the same key answers the first batch (200); another request with it is a 422."),
            ],
            status: 201, answer: .json(Schema.ref("Batch")), replayStatus: 200,
            errors: [
                "usages_empty", "usages_too_many", "redemption_invalid", "payee_account_not_found", "file_empty", "materials_too_large",
                "materials_unsupported_format", "idempotency_key_invalid", "idempotency_key_reused", "usage_not_found",
                "usage_not_redeemable", "usage_in_batch", "storage_quota_exceeded", "certification_required",
            ]),
        Op(
            .get, "/v1/redemption/batches", id: "listRedemptionBatches",
            summary: "Batches: the provider's own; every batch for operators, auditors and finance.",
            access: .signedIn(batchViewers),
            parameters: [.query("state", Schema.oneOf(BatchState.allCases.map(\.rawValue)), "One state."), .page, .pageSize],
            answer: .json(Schema.page(of: "Batch")), errors: ["page_invalid", "filter_invalid"]),
        Op(
            .get, "/v1/redemption/batches/{id}", id: "redemptionBatch", summary: "One batch.", access: .signedIn(batchViewers),
            answer: .json(Schema.ref("Batch")), errors: ["batch_not_found"]),
        Op(
            .get, "/v1/redemption/batches/{id}/materials", id: "redemptionBatchMaterials", summary: "A diagnostic batch's materials archive.",
            access: .signedIn(batchViewers),
            answer: .media([
                "application/zip": ["type": "string", "contentMediaType": "application/zip"],
                "application/vnd.rar": ["type": "string", "contentMediaType": "application/vnd.rar"],
            ]),
            errors: ["batch_not_found"]),
        Op(
            .get, "/v1/redemption/batches/{id}/files/{position}", id: "redemptionBatchFile",
            summary: "A general batch's material by position (from 0, in the order of files).", access: .signedIn(batchViewers),
            answer: .media(Dictionary(uniqueKeysWithValues: generalMaterialTypes.map { ($0, ["type": "string", "contentMediaType": .string($0)]) })),
            errors: ["batch_not_found"]),
        Op(
            .post, "/v1/redemption/materials", id: "uploadRedemptionMaterial",
            summary: "One general-voucher material as the raw body (JPG, PNG, PDF or DOCX by content, at most 10 MB); cite its sha256 when filing.",
            access: .signedIn([.provider]), body: .raw(mediaTypes: generalMaterialTypes, description: "The material file."),
            status: 201, answer: .json(Schema.ref("Material")),
            errors: ["file_empty", "materials_too_large", "materials_unsupported_format", "storage_quota_exceeded"]),
        Op(
            .post, "/v1/redemption/general", id: "fileGeneralRedemption",
            summary: "File a general-voucher redemption against the provider's placed order (§1.4.7.2); an operator approves, then the same "
                + "payout once the order is paid.",
            access: .signedIn([.provider]), body: .json(Schema.ref("GeneralRedemption")), status: 201, answer: .json(Schema.ref("Batch")),
            errors: [
                "redemption_invalid", "order_not_found", "payee_account_not_found", "usage_not_redeemable", "usage_in_batch",
                "certification_required", "order_state_conflict",
            ]),
        Op(
            .post, "/v1/redemption/batches/{id}/transfer", id: "recordTransfer", summary: "Record the offline transfer of an approved batch.",
            access: .signedIn([.operator]), body: .json(Schema.ref("Transfer")), answer: .json(Schema.ref("Batch")),
            errors: batchStep + ["transfer_invalid", "order_not_paid"]),
        Op(
            .post, "/v1/redemption/batches/{id}/confirm", id: "confirmReceipt",
            summary: "Confirm receipt by payer name, payer account and amount: redeemed.", access: .signedIn([.provider]),
            body: .json(Schema.ref("Confirm")), answer: .json(Schema.ref("Batch")), errors: batchStep + ["transfer_mismatch"]),
        Op(
            .post, "/v1/redemption/batches/{id}/dispute", id: "disputeTransfer", summary: "Dispute a recorded transfer, with a reason.",
            access: .signedIn([.provider]), body: .json(Schema.ref("Reason")), answer: .json(Schema.ref("Batch")),
            errors: batchStep + ["reason_missing"]),
        Op(
            .post, "/v1/redemption/batches/{id}/reject", id: "rejectBatch", summary: "Reject a batch; its usages return to pending.",
            access: .signedIn([.operator]), body: .json(Schema.ref("Reason")), answer: .json(Schema.ref("Batch")),
            errors: batchStep + ["reason_missing"]),
    ]
}
