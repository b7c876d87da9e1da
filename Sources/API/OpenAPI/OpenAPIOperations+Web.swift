import VoucherServices

private typealias Op = OpenAPIOperation

/// An HTML page: its errors are HTML pages too (403 page, 404 page), not problems, so only the
/// codes every route shares are listed.
private let html = OpenAPIOperation.Answer.media(["text/html": ["type": "string", "contentMediaType": "text/html"]])
/// A form post answers 303 to the next page, or 200/4xx with the form again and the errors next
/// to its fields (HTML).
private let formBody = OpenAPIOperation.Body.raw(
    mediaTypes: ["application/x-www-form-urlencoded"], description: "An HTML form with its hidden csrf field.")

/// The listing editor's form: text fields, hidden file ids and the files chosen.
private let listingForm = OpenAPIOperation.Body.raw(
    mediaTypes: ["multipart/form-data"], description: "The listing editor: csrf, action, the listing's fields and `<field>.upload` files.")

/// The expert form: its fields and the photo (`photo.upload`).
private let expertForm = OpenAPIOperation.Body.raw(
    mediaTypes: ["multipart/form-data"], description: "The expert: csrf, the profile's fields and the photo as photo.upload.")

extension OpenAPIDocument {
    /// `WebController`: the portal and workbench pages (issue 16). They use a session cookie
    /// (`vr_session`), not a bearer token; a workbench page without a live session answers 303 to
    /// `/login?next=…`.
    static let webOperations: [OpenAPIOperation] = [
        Op(.get, "/", id: "webHome", summary: "Portal 首页 (HTML).", access: .anyone, answer: html),
        Op(.get, "/news", id: "webNews", summary: "Portal 政策资讯 by tab, 10 a page (HTML).", access: .anyone, answer: html),
        Op(
            .get, "/products", id: "webProducts", summary: "Portal 产品和解决方案: search, category filter, 10 a page (HTML).", access: .anyone, answer: html
        ),
        Op(
            .get, "/campaigns", id: "webCampaigns", summary: "Portal 服务券活动: listed and ended campaigns, 10 a page (HTML).", access: .anyone,
            answer: html),
        Op(
            .get, "/campaigns/{id}", id: "webCampaign", summary: "One campaign's lots with their remaining stock (HTML; 404 page for a draft).",
            access: .anyone, answer: html),
        Op(.get, "/register", id: "webRegister", summary: "Portal 注册 entry (HTML).", access: .anyone, answer: html),
        Op(.get, "/login", id: "webLoginPage", summary: "The login form; sets its CSRF cookie (HTML).", access: .anyone, answer: html),
        Op(
            .post, "/login", id: "webLogin", summary: "Log in by password: 303 with the session cookie, or the form again with errors (HTML).",
            access: .anyone, body: formBody, status: 303, answer: .empty, replayStatus: 200),
        Op(
            .post, "/login/sms", id: "webSMSLogin",
            summary: "短信登录: action=send asks for a code (the form again with a notice), action=login logs in: 303 with the session cookie, "
                + "or the form again with errors (HTML).",
            access: .anyone, body: formBody, status: 303, answer: .empty, replayStatus: 200),
        Op(
            .post, "/logout", id: "webLogout", summary: "End this web session and its login: 303 to the login page.", access: .anyone,
            body: formBody, status: 303, answer: .empty),
        Op(
            .post, "/logout-all", id: "webLogoutEverywhere",
            summary: "退出所有登录: end every web session and JSON login of the user: 303 to the login page.", access: .anyone,
            body: formBody, status: 303, answer: .empty),
        Op(.get, "/workbench", id: "webWorkbench", summary: "工作台 (HTML; session needed).", access: .anyone, answer: html),
        Op(.get, "/workbench/orders", id: "webOrders", summary: "订单管理 › 我的订单 (HTML; enterprise, orders menu).", access: .anyone, answer: html),
        Op(
            .get, "/workbench/orders/{id}", id: "webOrder", summary: "订单详情 with cap, deduction and payable (HTML; the orders menu).",
            access: .anyone, answer: html),
        Op(
            .get, "/workbench/vouchers", id: "webVouchers", summary: "服务券查询 (HTML; enterprise, vouchers menu).", access: .anyone,
            answer: html),
        Op(
            .post, "/campaigns/{id}/lots/{lot}/grab", id: "webGrab",
            summary: "抢券 from the campaign page, the JSON grab's use case behind the web session: with X-CSRF-Token and "
                + "Idempotency-Key headers (the page's script) a JSON answer {result, voucherId, message} or {code, message, "
                + "retryAfterSeconds} with the grab's status (Retry-After on 429/503); from the form (csrf, key fields) 303 back "
                + "to the page with ?result=.",
            access: .anyone, body: formBody, status: 201, answer: .media(["application/json": ["type": "object"]]), replayStatus: 200),
        Op(
            .post, "/campaigns/{id}/lots/{lot}/apply", id: "webApply",
            summary: "立即申请 from the campaign page (the JSON application's use case; answers as webGrab).", access: .anyone,
            body: formBody, status: 201, answer: .media(["application/json": ["type": "object"]])),
        Op(
            .get, "/workbench/vouchers/{id}", id: "webVoucher",
            summary: "服务券详情: the voucher, its ledger and the orders it paid (HTML; enterprise, vouchers menu; 404 page for another "
                + "organisation's).",
            access: .anyone, answer: html),
        Op(
            .get, "/register/account", id: "webRegisterAccountPage", summary: "注册 › 填写帐号信息: the account form; sets its CSRF cookie (HTML).",
            access: .anyone, answer: html),
        Op(
            .post, "/register/account", id: "webRegisterAccount",
            summary: "action=send sends the registration SMS code (the form again with a notice); action=register makes the enterprise's "
                + "(or with role=provider the provider's) account: 303 to the registration wizard with the session cookie, or the form "
                + "again with errors (HTML).",
            access: .anyone, body: formBody, status: 303, answer: .empty, replayStatus: 200),
        Op(
            .get, "/workbench/registration", id: "webRegistration",
            summary: "企业注册 › 提交认证: the state (审核中 once submitted) and what is missing (HTML; enterprise main account until certified).",
            access: .anyone, answer: html),
        Op(
            .post, "/workbench/registration/submit", id: "webRegistrationSubmit",
            summary: "提交: 303 to the state page, or the page again listing what is missing (HTML).", access: .anyone, body: formBody,
            status: 303, answer: .empty, replayStatus: 200),
        Op(
            .get, "/workbench/registration/details", id: "webRegistrationDetails",
            summary: "企业注册 › 企业背景 (a provider's: 企业信息), the saved draft (HTML).",
            access: .anyone, answer: html),
        Op(
            .post, "/workbench/registration/details", id: "webRegistrationSaveDetails",
            summary: "保存 / 下一步 / a step: save 企业背景 as a draft: 303 on, or the form again with the errors next to their fields (HTML).",
            access: .anyone, body: formBody, status: 303, answer: .empty, replayStatus: 200),
        Op(
            .get, "/workbench/registration/groups", id: "webRegistrationGroups", summary: "企业注册 › 经营情况: the eleven groups (HTML).",
            access: .anyone, answer: html),
        Op(
            .post, "/workbench/registration/groups", id: "webRegistrationSaveGroups",
            summary: "Save the groups, one `名称=值` per line: 303 on, or the form again with errors (HTML).", access: .anyone, body: formBody,
            status: 303, answer: .empty, replayStatus: 200),
        Op(
            .get, "/workbench/registration/licence", id: "webRegistrationLicence", summary: "企业注册 › 营业执照 (HTML).", access: .anyone,
            answer: html),
        Op(
            .post, "/workbench/registration/licence", id: "webRegistrationUploadLicence",
            summary: "Upload the licence (JPG/PNG by content, ≤ 10 MB): 303 on, or the form again with the error (HTML).", access: .anyone,
            body: .raw(mediaTypes: ["multipart/form-data"], description: "Parts csrf, action and licence (the image)."), status: 303,
            answer: .empty, replayStatus: 200),
        Op(
            .get, "/workbench/registration/survey", id: "webRegistrationSurvey", summary: "企业注册 › 需求调研 (HTML).", access: .anyone,
            answer: html),
        Op(
            .post, "/workbench/registration/survey", id: "webRegistrationSaveSurvey",
            summary: "Save the demand survey: 303 on, or the form again with errors (HTML).", access: .anyone, body: formBody, status: 303,
            answer: .empty, replayStatus: 200),
        Op(
            .get, "/workbench/organisation", id: "webOrganisation",
            summary: "我的企业: 认证信息, 基本信息, 企业诊断信息 (HTML; enterprise or provider, organisation menu).", access: .anyone, answer: html),
        Op(
            .get, "/static/{name}", id: "webStatic", summary: "The pages' stylesheet and plain scripts.", access: .anyone,
            answer: .media(["text/css": ["type": "string"], "text/javascript": ["type": "string"]])),
        Op(
            .get, "/workbench/inbox", id: "webInbox",
            summary: "我的待办: tab=waiting|mine|history, from/to (dates), title, applicant, 10 a page (HTML; the inbox menu).", access: .anyone,
            answer: html),
        Op(
            .get, "/workbench/inbox/{id}", id: "webApproval",
            summary: "An application's detail with 通过/驳回 or 撤销 where allowed (HTML; the inbox menu).",
            access: .anyone, answer: html),
        Op(
            .post, "/workbench/inbox/{id}", id: "webDecideApproval",
            summary: "action=approve|reject (reason required)|withdraw, as POST /v1/approvals/{id}/…: 303 to the detail, "
                + "or it again with the error (HTML).",
            access: .anyone, body: formBody, status: 303, answer: .empty, replayStatus: 200),
        Op(.get, "/workbench/password", id: "webPasswordPage", summary: "修改密码 form (HTML; session needed).", access: .anyone, answer: html),
        Op(
            .post, "/workbench/password", id: "webChangePassword",
            summary: "Change the password as PUT /v1/account/password; every other login ends, this browser gets a new session: 303, "
                + "or the form again with errors (HTML).",
            access: .anyone, body: formBody, status: 303, answer: .empty, replayStatus: 200),
        Op(
            .get, "/workbench/users", id: "webSubAccounts", summary: "用户管理: the sub-accounts, 10 a page (HTML; certified main account).",
            access: .anyone, answer: html),
        Op(
            .post, "/workbench/users", id: "webCreateSubAccount",
            summary: "添加用户 as POST /v1/subaccounts with the ticked menus (perm_<menu>): 303 to the list, or the form again with errors (HTML).",
            access: .anyone, body: formBody, status: 303, answer: .empty, replayStatus: 200),
        Op(.get, "/workbench/users/new", id: "webNewSubAccount", summary: "添加用户 form (HTML; certified main account).", access: .anyone, answer: html),
        Op(
            .get, "/workbench/users/{id}", id: "webSubAccount", summary: "One sub-account: 应用内权限配置 and 删除 (HTML; certified main account).",
            access: .anyone, answer: html),
        Op(
            .post, "/workbench/users/{id}/permissions", id: "webSetSubAccountPermissions",
            summary: "Set the menus as PUT /v1/subaccounts/{id}/permissions: 303 to the list (HTML).", access: .anyone, body: formBody, status: 303,
            answer: .empty, replayStatus: 200),
        Op(
            .post, "/workbench/users/{id}/delete", id: "webDeleteSubAccount",
            summary: "Delete as DELETE /v1/subaccounts/{id}; its logins end: 303 to the list (HTML).", access: .anyone, body: formBody, status: 303,
            answer: .empty, replayStatus: 200),
        Op(
            .get, "/experts", id: "webExperts", summary: "Portal 专家团队: q (name or title), field (领域), 10 a page (HTML).", access: .anyone,
            answer: html),
        Op(.get, "/experts/{id}", id: "webExpert", summary: "One expert with photo; no phone unless public (HTML).", access: .anyone, answer: html),
        Op(
            .get, "/search", id: "webSearch", summary: "统一搜索: products, 政策资讯 and experts for q, each linking to its full list (HTML).",
            access: .anyone, answer: html),
        Op(
            .get, "/products/{id}", id: "webProduct",
            summary: "商品详情: a listed product as the catalogue detail gives it, with 立即购买 (HTML; 404 page when not listed).", access: .anyone,
            answer: html),
        Op(
            .get, "/workbench/buy/{productID}", id: "webBuyPage",
            summary: "商品购买: spec, quantity, the usable vouchers ticked, cap, deduction and payable from the quote (HTML; orders menu).",
            access: .anyone, answer: html),
        Op(
            .post, "/workbench/buy/{productID}", id: "webBuy",
            summary: "action=quote: the purchase page recalculated; action=place: 确认下单, 303 to the order, or the page with the error (HTML).",
            access: .anyone, body: formBody, status: 303, answer: .empty, replayStatus: 200),
        Op(
            .post, "/workbench/buy/{productID}/quote", id: "webBuyQuote",
            summary: "The purchase page's live preview (buy.js): the quote of the form's fields as display text, or the refusal's sentence.",
            access: .anyone, body: formBody, answer: .media(["application/json": ["type": "object"]])),
        Op(
            .post, "/workbench/orders/{id}/proofs", id: "webOrderProofs",
            summary: "上传支付凭证: 1–3 files (PNG, JPG, BMP, PDF; ≤ 10 MB each) and the csrf field: 303 to the order, or the page with the error.",
            access: .anyone,
            body: .raw(mediaTypes: ["multipart/form-data"], description: "An HTML form: the csrf field and the files in `proofs`."),
            status: 303, answer: .empty, replayStatus: 200),
        Op(
            .post, "/workbench/orders/{id}/payment", id: "webOrderPayment", summary: "确认支付: 303 to the order, or the page with the error (HTML).",
            access: .anyone, body: formBody, status: 303, answer: .empty, replayStatus: 200),
        Op(
            .post, "/workbench/orders/{id}/cancel", id: "webOrderCancel", summary: "取消订单: 303 to the order, or the page with the error (HTML).",
            access: .anyone, body: formBody, status: 303, answer: .empty, replayStatus: 200),
        Op(
            .post, "/workbench/orders/{id}/accept", id: "webOrderAccept", summary: "确认验收: 303 to the order, or the page with the error (HTML).",
            access: .anyone, body: formBody, status: 303, answer: .empty, replayStatus: 200),
        Op(
            .post, "/workbench/orders/{id}/refund", id: "webOrderRefund", summary: "申请退订: 303 to the order, or the page with the error (HTML).",
            access: .anyone, body: formBody, status: 303, answer: .empty, replayStatus: 200),
        Op(.get, "/workbench/reviews", id: "webReviews", summary: "我的评价 (HTML; enterprise, reviews menu).", access: .anyone, answer: html),
        Op(
            .get, "/workbench/reviews/write/{orderID}", id: "webReviewWritePage", summary: "立即评价: the review form of an order (HTML).",
            access: .anyone, answer: html),
        Op(
            .post, "/workbench/reviews/write/{orderID}", id: "webReviewWrite",
            summary: "Writes the review: 303 to it, or the form with the errors next to the fields (HTML).", access: .anyone, body: formBody,
            status: 303, answer: .empty, replayStatus: 200),
        Op(
            .get, "/workbench/reviews/{id}", id: "webReview", summary: "查看评价, with the edit form within the edit window (HTML).",
            access: .anyone, answer: html),
        Op(
            .post, "/workbench/reviews/{id}", id: "webReviewEdit",
            summary: "Edits the review within its window: 303 to it, or the form with the errors (HTML).", access: .anyone, body: formBody,
            status: 303, answer: .empty, replayStatus: 200),
        Op(
            .get, "/workbench/products", id: "webMyProducts",
            summary: "商品管理 › 我的商品: state (the six states), name, category, 10 a page, with each state's actions (HTML; provider, products menu).",
            access: .anyone, answer: html),
        Op(.get, "/workbench/products/new", id: "webListingNew", summary: "商品上架: the listing editor, empty (HTML).", access: .anyone, answer: html),
        Op(
            .post, "/workbench/products/new", id: "webListingCreate",
            summary: "Stores the form's uploads, then action=save|preview|submit creates the draft (303 to the editor, 发布预览 or 我的商品) "
                + "and up.N|down.N|remove.N moves a module without saving; a refusal is the form again with the errors (HTML).",
            access: .anyone, body: listingForm, status: 303, answer: .empty, replayStatus: 200),
        Op(
            .get, "/workbench/products/{id}/edit", id: "webListingEdit", summary: "The listing editor of one product (HTML).", access: .anyone,
            answer: html),
        Op(
            .post, "/workbench/products/{id}/edit", id: "webListingUpdate",
            summary: "As webListingCreate, for the product's working revision (HTML).", access: .anyone, body: listingForm, status: 303,
            answer: .empty, replayStatus: 200),
        Op(
            .get, "/workbench/products/{id}/preview", id: "webListingPreview",
            summary: "发布预览: the working revision exactly as the catalogue's 商品详情 will show it, with 提交审核 (HTML).", access: .anyone,
            answer: html),
        Op(
            .get, "/workbench/products/{id}/files/{fileId}", id: "webListingFile",
            summary: "A file the provider's product names (the preview's images).", access: .anyone,
            answer: .media(["application/octet-stream": ["type": "string", "contentEncoding": "binary"]])),
        Op(
            .post, "/workbench/products/{id}/submit", id: "webListingSubmit", summary: "提交审核: 303 to 我的商品, or the list with the error (HTML).",
            access: .anyone, body: formBody, status: 303, answer: .empty, replayStatus: 200),
        Op(
            .post, "/workbench/products/{id}/withdraw", id: "webListingWithdraw", summary: "撤销 while in review: 303 to 我的商品 (HTML).",
            access: .anyone, body: formBody, status: 303, answer: .empty, replayStatus: 200),
        Op(
            .post, "/workbench/products/{id}/delist", id: "webListingDelist", summary: "下架: 303 to 我的商品 (HTML).", access: .anyone,
            body: formBody, status: 303, answer: .empty, replayStatus: 200),
        Op(
            .get, "/workbench/inbox/{id}/listing-files/{fileId}", id: "webApprovalListingFile",
            summary: "A file of a listing application's revision (the approval page's preview images), to whoever may see the application.",
            access: .anyone, answer: .media(["application/octet-stream": ["type": "string", "contentEncoding": "binary"]])),
        Op(
            .get, "/workbench/provider/orders", id: "webProviderOrders",
            summary: "The provider's 订单管理: 商品名称, 订单类型, 价格, 抵扣金额, 应付金额, 订阅用户, 订阅时间, 10 a page (HTML; provider, orders menu).",
            access: .anyone, answer: html),
        Op(
            .get, "/workbench/provider/orders/{id}", id: "webProviderOrder",
            summary: "订单详情 with 企业信息查询 and 交付 for a paid order (HTML; another provider's order: the 404 page).", access: .anyone,
            answer: html),
        Op(
            .post, "/workbench/provider/orders/{id}/deliver", id: "webProviderDeliver",
            summary: "交付: 303 to the order, or the order with the error (HTML).", access: .anyone, body: formBody, status: 303, answer: .empty,
            replayStatus: 200),
        Op(
            .get, "/workbench/provider/reviews", id: "webCustomerReviews",
            summary: "客户评价: the visible reviews of the provider's products, stars filter, 10 a page (HTML; provider, reviews menu).",
            access: .anyone, answer: html),
        Op(
            .get, "/workbench/experts", id: "webExpertsAdmin", summary: "专家管理: the provider's experts, q (姓名或职称), 10 a page (HTML; experts menu).",
            access: .anyone, answer: html),
        Op(.get, "/workbench/experts/new", id: "webExpertNew", summary: "添加专家: the expert form (HTML).", access: .anyone, answer: html),
        Op(
            .post, "/workbench/experts/new", id: "webExpertCreate",
            summary: "Stores the photo, then the expert: 303 to 专家管理, or the form with the error next to its field (HTML).", access: .anyone,
            body: expertForm, status: 303, answer: .empty, replayStatus: 200),
        Op(.get, "/workbench/experts/{id}", id: "webExpertEdit", summary: "编辑专家: one expert's form (HTML).", access: .anyone, answer: html),
        Op(
            .post, "/workbench/experts/{id}", id: "webExpertUpdate", summary: "Replaces the expert, as webExpertCreate (HTML).", access: .anyone,
            body: expertForm, status: 303, answer: .empty, replayStatus: 200),
        Op(
            .post, "/workbench/experts/{id}/delete", id: "webExpertDelete", summary: "删除: 303 to 专家管理 (HTML).", access: .anyone, body: formBody,
            status: 303, answer: .empty, replayStatus: 200),
    ]
}
