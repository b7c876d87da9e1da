import VoucherServices

private typealias Op = OpenAPIOperation

/// An HTML page (its refusals are the 403 and 404 pages, not problems).
private let html = OpenAPIOperation.Answer.media(["text/html": ["type": "string", "contentMediaType": "text/html"]])
/// A form post: 303 to the next page, or the page again with the errors next to the fields (HTML).
private let formBody = OpenAPIOperation.Body.raw(
    mediaTypes: ["application/x-www-form-urlencoded"], description: "An HTML form with its hidden csrf field.")
/// A file of a batch, as its JSON route serves it.
private let batchFile = OpenAPIOperation.Answer.media([
    "application/octet-stream": ["type": "string", "contentMediaType": "application/octet-stream"]
])

extension OpenAPIDocument {
    /// `WebController+Payees`, `+Redemption`, `+RedemptionBatch` (issue 17): 收款账号管理, 诊断服务券- and
    /// 通用服务券-兑付申请, the batch pages and 兑付转账, behind the web session like every page.
    static let webRedemptionOperations: [OpenAPIOperation] = [
        Op(
            .get, "/workbench/payee-accounts", id: "webPayeeAccounts",
            summary: "收款账号管理: the payee accounts and the 新增收款账号 form (HTML; provider, payeeAccounts menu).", access: .anyone, answer: html),
        Op(
            .post, "/workbench/payee-accounts", id: "webPayeeAdd",
            summary: "新增收款账号 (ABC, the registered name, 15–19 digits): 303 to the list, or the form with the errors (HTML).",
            access: .anyone, body: formBody, status: 303, answer: .empty, replayStatus: 200),
        Op(
            .get, "/workbench/payee-accounts/{id}", id: "webPayeeAccount",
            summary: "One payee account with its edit form and the versions its edits replaced (HTML).", access: .anyone, answer: html),
        Op(
            .post, "/workbench/payee-accounts/{id}", id: "webPayeeEdit",
            summary: "修改 a payee account, the old version kept: 303 to it, or the form with the errors (HTML).", access: .anyone,
            body: formBody, status: 303, answer: .empty, replayStatus: 200),
        Op(
            .post, "/workbench/payee-accounts/{id}/disable", id: "webPayeeDisable", summary: "停用 a payee account: 303 to the list (HTML).",
            access: .anyone, body: formBody, status: 303, answer: .empty, replayStatus: 200),
        Op(
            .get, "/workbench/redemption", id: "webRedemptionBatches",
            summary: "兑付批次: the provider's batches by state, 10 a page (HTML; provider, redemptions menu).", access: .anyone, answer: html),
        Op(
            .get, "/workbench/redemption/new", id: "webRedemptionNew",
            summary: "诊断服务券-兑付申请: pending usages to tick (u, repeated), and with a selection its total and the 发起兑换 form (HTML).",
            access: .anyone, answer: html),
        Op(
            .post, "/workbench/redemption/new", id: "webRedemptionSubmit",
            summary: "Files a diagnostic batch (usages, payee, archive .zip/.rar ≤ 10 MB): 303 to the batch, or the page with the errors (HTML).",
            access: .anyone,
            body: .raw(mediaTypes: ["multipart/form-data"], description: "csrf, usages (ids joined by commas), payee, idempotencyKey, archive."),
            status: 303, answer: .empty, replayStatus: 200),
        Op(
            .get, "/workbench/redemption/general", id: "webRedemptionGeneralPage",
            summary: "通用服务券-兑付申请: enterprise, order number (?order=), direction, payee and materials (HTML).", access: .anyone,
            answer: html),
        Op(
            .post, "/workbench/redemption/general", id: "webRedemptionGeneral",
            summary: "Files a general-voucher redemption with 1–10 materials (JPG, PNG, PDF, DOCX; ≤ 10 MB each, ≤ 48 MB together): 303 to "
                + "the batch, or the form with errors.",
            access: .anyone,
            body: .raw(mediaTypes: ["multipart/form-data"], description: "csrf, enterpriseName, orderId, direction, payee, materials."),
            status: 303, answer: .empty, replayStatus: 200),
        Op(
            .get, "/workbench/redemption/{id}", id: "webRedemptionBatch",
            summary: "One batch: each step of its chain, the transfer, its usages and materials, 支付确认/提出异议 or 登记转账/驳回 (HTML; "
                + "its provider, operator, auditor, finance).",
            access: .anyone, answer: html),
        Op(
            .get, "/workbench/redemption/{id}/materials", id: "webRedemptionMaterials",
            summary: "A diagnostic batch's archive, for the batch page's viewers.", access: .anyone, answer: batchFile),
        Op(
            .get, "/workbench/redemption/{id}/files/{position}", id: "webRedemptionFile",
            summary: "A general batch's material by position (from 0), for the batch page's viewers.", access: .anyone, answer: batchFile),
        Op(
            .post, "/workbench/redemption/{id}/confirm", id: "webRedemptionConfirm",
            summary: "支付确认 (payerName, payerAccount, amount in yuan): 303 to the batch, or the page with the error (HTML; provider).",
            access: .anyone, body: formBody, status: 303, answer: .empty, replayStatus: 200),
        Op(
            .post, "/workbench/redemption/{id}/dispute", id: "webRedemptionDispute",
            summary: "提出异议 (reason required): 303 to the batch, or the page with the error (HTML; provider).", access: .anyone, body: formBody,
            status: 303, answer: .empty, replayStatus: 200),
        Op(
            .post, "/workbench/redemption/{id}/transfer", id: "webRedemptionTransfer",
            summary: "登记转账 (amount in yuan, payerName, payerAccount, date, bankSerial): 303 to the batch, or the page with errors (operator).",
            access: .anyone, body: formBody, status: 303, answer: .empty, replayStatus: 200),
        Op(
            .post, "/workbench/redemption/{id}/reject", id: "webRedemptionReject",
            summary: "驳回 a batch after its chain (reason required): 303 to the batch, or the page with the error (HTML; operator).",
            access: .anyone, body: formBody, status: 303, answer: .empty, replayStatus: 200),
        Op(
            .get, "/workbench/transfers", id: "webTransfers",
            summary: "兑付转账: batches by state (待转账 first), each linking to its page (HTML; operator).", access: .anyone, answer: html),
    ]
}
