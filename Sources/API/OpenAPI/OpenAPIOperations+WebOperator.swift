import VoucherServices

private typealias Op = OpenAPIOperation

private let html = OpenAPIOperation.Answer.media(["text/html": ["type": "string", "contentMediaType": "text/html"]])
private let formBody = OpenAPIOperation.Body.raw(
    mediaTypes: ["application/x-www-form-urlencoded"], description: "An HTML form with its hidden csrf field.")

extension OpenAPIDocument {
    /// The operator's workbench pages (issue 17): 待办 subjects' files and 活动管理. Session cookie,
    /// not a bearer token; other roles get the 403 page.
    static let webOperatorOperations: [OpenAPIOperation] = [
        Op(
            .get, "/workbench/inbox/{id}/files/{fileId}", id: "webApprovalFile",
            summary: "One file of an application's subject (licence, payment proof), inline, for those who see the application (404 page otherwise).",
            access: .anyone,
            answer: .media([
                "image/png": ["type": "string", "contentMediaType": "image/png"], "image/jpeg": ["type": "string", "contentMediaType": "image/jpeg"],
                "application/pdf": ["type": "string", "contentMediaType": "application/pdf"],
            ])),
        Op(
            .get, "/workbench/campaigns", id: "webOperatorCampaigns", summary: "活动管理: every campaign, drafts too, 10 a page (HTML; operator).",
            access: .anyone, answer: html),
        Op(.get, "/workbench/campaigns/new", id: "webNewCampaign", summary: "新建活动 form (HTML; operator).", access: .anyone, answer: html),
        Op(
            .post, "/workbench/campaigns", id: "webCreateCampaign",
            summary: "Creates a draft as POST /v1/campaigns (times in China Standard Time, face values in yuan): 303 to it, "
                + "or the form with the error (HTML).",
            access: .anyone, body: formBody, status: 303, answer: .empty, replayStatus: 200),
        Op(
            .get, "/workbench/campaigns/{id}", id: "webOperatorCampaign",
            summary: "A campaign's lots with remaining stock (Redis), issued, claims per second, restock, applications (HTML; operator).",
            access: .anyone, answer: html),
        Op(
            .get, "/workbench/campaigns/{id}/live", id: "webOperatorCampaignLive",
            summary: "Each lot's remaining stock now from Redis and the server's clock of the reading (JSON; operator session).", access: .anyone,
            answer: .media(["application/json": ["type": "object"]])),
        Op(.get, "/workbench/campaigns/{id}/edit", id: "webEditCampaign", summary: "编辑 a draft (HTML; operator).", access: .anyone, answer: html),
        Op(
            .post, "/workbench/campaigns/{id}/edit", id: "webUpdateCampaign",
            summary: "Replaces the draft as PUT /v1/campaigns/{id}: 303 to it, or the form with the error (HTML).", access: .anyone, body: formBody,
            status: 303, answer: .empty, replayStatus: 200),
        Op(
            .post, "/workbench/campaigns/{id}/publish", id: "webPublishCampaign",
            summary: "上架 as POST /v1/campaigns/{id}/publish: 303 to the campaign.",
            access: .anyone, body: formBody, status: 303, answer: .empty, replayStatus: 200),
        Op(
            .post, "/workbench/campaigns/{id}/end", id: "webEndCampaign", summary: "结束 as POST /v1/campaigns/{id}/end: 303 to the campaign.",
            access: .anyone, body: formBody, status: 303, answer: .empty, replayStatus: 200),
        Op(
            .post, "/workbench/campaigns/{id}/lots/{lot}/stock", id: "webRestockLot",
            summary: "stock: the lot's new total, as PATCH /v1/campaigns/{id}/lots/{lotID}: 303 to the campaign, or it with the error (HTML).",
            access: .anyone, body: formBody, status: 303, answer: .empty, replayStatus: 200),
        Op(
            .post, "/workbench/campaigns/{id}/applications/{application}", id: "webDecideVoucherApplication",
            summary: "action=approve|reject (reason required), as POST /v1/voucher-applications/{id}/approve|reject: 303 to the campaign.",
            access: .anyone, body: formBody, status: 303, answer: .empty, replayStatus: 200),
        Op(
            .get, "/workbench/announcements", id: "webOperatorAnnouncements",
            summary: "公告管理: every announcement by state, audience, category, 10 a page (HTML; operator).", access: .anyone, answer: html),
        Op(.get, "/workbench/announcements/new", id: "webNewAnnouncement", summary: "新建公告 form (HTML; operator).", access: .anyone, answer: html),
        Op(
            .post, "/workbench/announcements", id: "webCreateAnnouncement",
            summary: "Creates a draft as POST /v1/platform/announcements: 303 to it, or the form with the error next to its field (HTML).",
            access: .anyone, body: formBody, status: 303, answer: .empty, replayStatus: 200),
        Op(
            .get, "/workbench/announcements/{id}", id: "webOperatorAnnouncement",
            summary: "One announcement: its form while a draft or scheduled, 发布/置顶/撤回 (HTML; operator).", access: .anyone, answer: html),
        Op(
            .post, "/workbench/announcements/{id}", id: "webUpdateAnnouncement",
            summary: "Edits it as PUT /v1/platform/announcements/{id}: 303 to it, or the form with the error (HTML).", access: .anyone,
            body: formBody, status: 303, answer: .empty, replayStatus: 200),
        Op(
            .post, "/workbench/announcements/{id}/publish", id: "webPublishAnnouncement",
            summary: "Publishes now, or at publishAt (China Standard Time): 303 to it.", access: .anyone, body: formBody, status: 303,
            answer: .empty, replayStatus: 200),
        Op(
            .post, "/workbench/announcements/{id}/pin", id: "webPinAnnouncement", summary: "pinned=true|false: 303 to it.", access: .anyone,
            body: formBody, status: 303, answer: .empty, replayStatus: 200),
        Op(
            .post, "/workbench/announcements/{id}/withdraw", id: "webWithdrawAnnouncement",
            summary: "Withdraws a scheduled or published one: 303 to it.",
            access: .anyone, body: formBody, status: 303, answer: .empty, replayStatus: 200),
        Op(
            .get, "/workbench/platform/organisations", id: "webPlatformOrganisations",
            summary: "平台列表 › 机构列表: kind, certification, name as GET /v1/platform/organisations, 10 a page (HTML; operator).",
            access: .anyone, answer: html),
        Op(
            .get, "/workbench/platform/orders", id: "webPlatformOrders",
            summary: "平台列表 › 订单列表: state as GET /v1/platform/orders, 10 a page (HTML; operator).", access: .anyone, answer: html),
        Op(
            .get, "/workbench/platform/products", id: "webPlatformProducts",
            summary: "平台列表 › 商品列表: status as GET /v1/platform/products, 10 a page (HTML; operator).", access: .anyone, answer: html),
    ]
}
