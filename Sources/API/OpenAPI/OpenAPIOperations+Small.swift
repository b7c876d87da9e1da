import PostgresStore
import VoucherCore
import VoucherServices

private typealias Op = OpenAPIOperation

extension OpenAPIDocument {
    /// The small pages of issue 15 (item 5): voucher detail, payee-account edit and history, the
    /// workbench summary; each under the tag of its area.
    static let smallOperations: [OpenAPIOperation] =
        smallTagged(
            "Orders",
            [
                Op(
                    .get, "/v1/vouchers/{id}", id: "voucherDetail",
                    summary: "服务券详情: one voucher of the organisation with its ledger entries and the orders it paid.",
                    access: .signedIn([.enterprise]), answer: .json(Schema.ref("VoucherDetail")), errors: ["voucher_not_found"])
            ])
        + smallTagged(
            "Redemption",
            [
                Op(
                    .get, "/v1/provider/payee-accounts/{id}", id: "payeeAccount",
                    summary: "One payee account (active or disabled) with the versions its edits replaced, newest first.",
                    access: .signedIn([.provider]), answer: .json(Schema.ref("PayeeDetail")), errors: ["payee_account_not_found"]),
                Op(
                    .put, "/v1/provider/payee-accounts/{id}", id: "editPayeeAccount",
                    summary: "Edit an active payee account under the rules of adding one; the replaced version is kept, and batches "
                        + "already filed keep the account as it was.",
                    access: .signedIn([.provider]), body: .json(Schema.ref("PayeeBody")), answer: .json(Schema.ref("Payee")),
                    errors: [
                        "payee_bank_not_allowed", "payee_name_mismatch", "payee_number_invalid", "payee_account_exists",
                        "payee_account_not_found", "certification_required",
                    ]),
            ])
        + smallTagged(
            "Workbench",
            [
                Op(
                    .get, "/v1/workbench", id: "workbench",
                    summary: "工作台: the reader's role, the organisation's certification, the 待办 counts and the latest announcements.",
                    access: .signedIn([]), answer: .json(Schema.ref("Workbench")))
            ])

    private static func smallTagged(_ tag: String, _ operations: [OpenAPIOperation]) -> [OpenAPIOperation] {
        operations.map { operation in
            var operation = operation
            operation.tag = tag
            return operation
        }
    }

    /// The DTOs of `smallOperations`.
    static let smallSchemas: [String: OpenAPIJSON] = [
        "VoucherDetail": Schema.object(
            [
                "voucher": Schema.ref("Voucher"),
                "ledger": Schema.array(
                    Schema.object(
                        [
                            "entry": Schema.oneOf(["grant", "hold", "release", "capture", "refund", "expire", "redeem"]),
                            "amountFen": Schema.fen, "orderId": Schema.id, "createdAt": Schema.time,
                        ], optional: ["orderId"]), max: Int64(OrdersRepository.voucherDetailLinesMax)),
                "orders": Schema.array(
                    Schema.object([
                        "orderId": Schema.id, "productId": Schema.id, "productName": Schema.string, "orderedAt": Schema.time,
                        "orderState": Schema.oneOf(OrderState.allCases.map(\.rawValue)), "deductionFen": Schema.fen,
                        "deductionState": Schema.oneOf(["held", "captured", "released", "refunded"]),
                    ]), max: Int64(OrdersRepository.voucherDetailLinesMax)),
            ], description: "VoucherDetailDTO: ledger oldest first (its entries sum to the balances), orders newest first."),
        "PayeeDetail": Schema.object(
            [
                "account": Schema.ref("Payee"),
                "history": Schema.array(
                    Schema.object([
                        "version": Schema.int, "bank": Schema.string, "accountName": Schema.string, "accountNumber": Schema.string,
                        "validFrom": Schema.time, "replacedAt": Schema.time, "replacedBy": Schema.id,
                    ]), max: Int64(PayeeAccountsRepository.historyVersionsMax)),
            ], description: "PayeeDetailDTO: history holds the versions edits replaced, newest first."),
        "Workbench": Schema.object(
            [
                "role": Schema.oneOf(Role.allCases.map(\.rawValue)), "mainAccount": Schema.bool,
                "organisation": Schema.object([
                    "id": Schema.id, "name": Schema.string, "kind": Schema.oneOf(["enterprise", "provider", "platform"]),
                    "certification": Schema.oneOf(["draft", "under_review", "certified", "rejected"]),
                ]),
                "inbox": Schema.object(
                    ["waiting": Schema.int, "minePending": Schema.int], description: "Absent for a sub-account without the inbox menu."),
                "announcements": Schema.object([
                    "latest": Schema.array(Schema.ref("ReaderAnnouncement"), max: Int64(WorkbenchController.latestAnnouncementsMax)),
                    "unread": Schema.int, "total": Schema.int,
                ]),
            ], optional: ["inbox"], description: "WorkbenchDTO"),
    ]
}
