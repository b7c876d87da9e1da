import Foundation
import Hummingbird
import PostgresStore
import VoucherCore
import VoucherServices

/// 商品上架 (guide §1.4.4.1): the listing editor at `/workbench/products/new` and
/// `/workbench/products/{id}/edit` with every block the JSON listing holds — 基本信息, 价格与规格,
/// three 商品案例 with their 介绍文档, 联系人信息, the 介绍页 (banner, 亮点, 说明, modules with
/// 上移/下移/删除 that work without JS, 服务支持) and the experts shown. One `multipart/form-data`
/// form: files are stored first through `ProductsController.storeFile` (the upload route's bounds
/// and recognition by content) and kept in hidden fields; then 保存草稿, 发布预览 or 提交审核 saves
/// through `ProductsRepository.create`/`update` (the JSON routes' use cases), puts the experts
/// (`ExpertsRepository.attach`) and, for 提交审核, submits. A refused rule is shown next to its field.
extension WebController {
    struct EditorOption {
        let code: String
        let label: String
        let selected: Bool
    }

    /// One field of the editor (`listing-field.mustache`).
    struct EditorField {
        let key: String
        let id: String
        let label: String
        let value: String
        let error: String
        let required: Bool
        let isText: Bool
        let isArea: Bool
        let isSelect: Bool
        let isFile: Bool
        let options: [EditorOption]
        let accept: String
        let multiple: Bool
        let hint: String
        /// A file field's uploads so far (the hidden value), shown as their count.
        let uploaded: String
    }

    struct EditorGroup {
        let heading: String
        let fields: [EditorField]
    }

    struct EditorModule {
        let index: Int
        let number: Int
        let fields: [EditorField]
        let canUp: Bool
        let canDown: Bool
    }

    struct EditorExpert {
        let key: String
        let id: String
        let name: String
        let checked: Bool
    }

    struct EditorView {
        let chrome: WebChrome
        let heading: String
        let action: String
        let basic: [EditorField]
        let cases: [EditorGroup]
        let contact: [EditorField]
        let intro: [EditorField]
        let modules: [EditorModule]
        let afterSales: [EditorField]
        let specs: [EditorGroup]
        let experts: [EditorExpert]
        let hasExperts: Bool
        let expertsError: String
        let moduleCount: Int
        let specCount: Int
        let formError: String
        let notice: String
        let previewHref: String
    }

    // MARK: Routes

    func listingNewPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await workbenchPage(request, .products) { viewer in
            try await editorPage(viewer, productID: nil, form: WebListingForm(nil, specs: [], experts: []))
        }
    }

    func listingEditPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        if let page = malformedPathID(context, "id", prefix: ProductsRepository.productPrefix, reason: "商品编号格式不正确。") { return page }
        return try await workbenchPage(request, .products) { viewer in
            guard let product = try await ownProduct(context, viewer) else { return errorPage(.notFound, viewer: viewer, reason: "没有这个商品。") }
            let experts = try await expertsRepository.attached(productID: product.id).map(\.id)
            let form = WebListingForm(product.working.content, specs: product.working.specs, experts: experts)
            let notice = WebForm.query(request)["done"] == "saved" ? "草稿已保存。" : ""
            return try await editorPage(viewer, productID: product.id, form: form, notice: notice)
        }
    }

    func listingCreate(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await workbenchPage(request, .products) { viewer in
            try await listingPost(request, context, viewer: viewer, productID: nil)
        }
    }

    func listingUpdate(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        if let page = malformedPathID(context, "id", prefix: ProductsRepository.productPrefix, reason: "商品编号格式不正确。") { return page }
        return try await workbenchPage(request, .products) { viewer in
            guard let product = try await ownProduct(context, viewer) else { return errorPage(.notFound, viewer: viewer, reason: "没有这个商品。") }
            return try await listingPost(request, context, viewer: viewer, productID: product.id)
        }
    }

    // MARK: The post

    /// Reads the form (CSRF first), stores its uploads, then moves a module or saves (and previews
    /// or submits). Every refusal renders the form again with what was typed.
    private func listingPost(_ request: Request, _ context: AppRequestContext, viewer: WebViewer, productID: String?) async throws -> Response {
        let multipart: WebMultipartForm
        do {
            multipart = try await WebMultipartForm.read(request, upTo: WebListingForm.bodyBytesMax, partsMax: WebListingForm.partsMax)
        } catch WebMultipartForm.Failure.tooLarge {
            return errorPage(.contentTooLarge, viewer: viewer, reason: "上传的文件过大：在浏览器中一次最多上传 48 MB，较大的介绍文档请分次上传。")
        } catch {
            return errorPage(.badRequest, viewer: viewer, reason: "表单格式不正确，请刷新页面后重试。")
        }
        guard let sent = multipart.fields["csrf"], WebSessions.tokensEqual(viewer.session.csrfToken, sent) else {
            return errorPage(.forbidden, viewer: viewer, reason: Self.csrfRefusal)
        }
        let choices = try await expertsRepository.mine(orgID: viewer.identity.orgID, text: nil, page: 1, pageSize: ExpertLimits.perListingMax * 10)
        var form = WebListingForm(fields: multipart.fields, expertChoices: choices.items.map(\.id))
        var uploadErrors: [String: String] = [:]
        for (key, files) in multipart.files where key.hasSuffix(".upload") {
            let field = String(key.dropLast(".upload".count))
            let kind: ListingFileKind = WebListingForm.imageKeys.contains(field) ? .image : .document
            for bytes in files {
                do {
                    form.attach(try await ProductsController.storeFile(services.orders, viewer.identity, kind: kind, bytes: bytes), to: field)
                } catch {
                    uploadErrors[field] = WebListingErrors.message(try await WebErrorMiddleware.refusal(for: error, request, context)).text
                }
            }
        }
        let action = multipart.fields["action"] ?? "save"
        let parts = action.split(separator: ".")
        if parts.count == 2, let index = Int(parts[1]), ["up", "down", "remove"].contains(String(parts[0])) {
            _ = form.moveModule(String(parts[0]), index)
            form.errors = uploadErrors
            return try await editorPage(viewer, productID: productID, form: form, notice: "模块已调整，保存后生效。")
        }
        guard uploadErrors.isEmpty, let (content, specs) = form.content() else {
            form.errors.merge(uploadErrors) { first, _ in first }
            return try await editorPage(viewer, productID: productID, form: form, formError: "有内容需要修改，请查看标红的项。", status: .badRequest)
        }
        var savedID = productID
        do {
            let now = services.clock.now()
            let orgID = viewer.identity.orgID
            if let productID {
                _ = try await services.orders.products.update(id: productID, orgID: orgID, content: content, specs: specs, now: now)
            } else {
                try await services.orders.certification.require(viewer.identity, for: .listing)
                savedID = try await services.orders.products.create(orgID: orgID, content: content, specs: specs, now: now).id
            }
            try ExpertAttachment.validate(form.experts)
            _ = try await expertsRepository.attach(productID: savedID ?? "", orgID: orgID, expertIDs: form.experts)
            let id = savedID ?? ""
            switch action {
            case "preview": return redirect("/workbench/products/\(id)/preview")
            case "submit":
                _ = try await ProductsController.submit(services.orders, viewer.identity, id: id)
                return redirect("/workbench/products?done=submit")
            default: return redirect("/workbench/products/\(id)/edit?done=saved")
            }
        } catch {
            let status = try await listingRefusal(error, request, context, into: &form)
            return try await editorPage(
                viewer, productID: savedID, form: form, formError: form.errors["form"] ?? "有内容需要修改，请查看标红的项。", status: status)
        }
    }

    /// Puts a refused save's sentence next to its field (a listing rule names it) or above the
    /// form; answers the status. A 5xx failure is thrown on to the error page.
    private func listingRefusal(
        _ error: any Error, _ request: Request, _ context: AppRequestContext, into form: inout WebListingForm
    ) async throws -> HTTPResponse.Status {
        if case ListingError.invalid(let field, let rule) = error {
            form.errors[WebListingForm.key(ofRuleField: field)] = WebListingForm.sentence(ofRule: rule)
            return .badRequest
        }
        let problem = try await WebErrorMiddleware.refusal(for: error, request, context)
        let message = WebListingErrors.message(problem)
        form.errors[message.field ?? "form"] = message.text
        return problem.status
    }

    // MARK: The page

    func editorPage(
        _ viewer: WebViewer, productID: String?, form: WebListingForm, notice: String = "", formError: String = "",
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let experts = try await expertsRepository.mine(orgID: viewer.identity.orgID, text: nil, page: 1, pageSize: ExpertLimits.perListingMax * 10)
        let heading = productID == nil ? "商品上架" : "编辑商品"
        let f = EditorFields(form: form)
        let view = EditorView(
            chrome: chrome(
                heading, viewer: viewer, crumbs: [("工作台", "/workbench"), ("我的商品", "/workbench/products"), (heading, "")], menu: .products),
            heading: heading, action: productID.map { "/workbench/products/\($0)/edit" } ?? "/workbench/products/new",
            basic: f.basic, cases: f.cases, contact: f.contact, intro: f.intro, modules: f.modules, afterSales: f.afterSales, specs: f.specs,
            experts: experts.items.map {
                EditorExpert(key: "expert." + $0.id, id: "expert-" + $0.id, name: $0.profile.name, checked: form.experts.contains($0.id))
            },
            hasExperts: !experts.items.isEmpty, expertsError: form.errors["experts"] ?? "", moduleCount: form.moduleCount,
            specCount: form.specCount, formError: formError, notice: notice, previewHref: productID.map { "/workbench/products/\($0)/preview" } ?? "")
        return pages.page("listing-editor", view, status: status)
    }
}

/// The editor's fields in the guide's order, with what was typed and the errors.
struct EditorFields {
    typealias Field = WebController.EditorField
    let form: WebListingForm

    static let imageAccept = ".jpg,.jpeg,.png,.bmp"
    static let documentAccept = ".pdf,.png,.jpg,.jpeg,.bmp,.doc,.docx,.ppt,.pptx,.zip,.mp4"

    func text(_ key: String, _ label: String, required: Bool = true, hint: String = "") -> Field {
        field(key, label, required: required, hint: hint, text: true)
    }

    func area(_ key: String, _ label: String, required: Bool = true, hint: String = "") -> Field {
        field(key, label, required: required, hint: hint, area: true)
    }

    func select(_ key: String, _ label: String, _ options: [(String, String)]) -> Field {
        field(key, label, options: options.map { WebController.EditorOption(code: $0.0, label: $0.1, selected: form[key] == $0.0) })
    }

    func file(_ key: String, _ label: String, accept: String, hint: String, multiple: Bool = false, required: Bool = true) -> Field {
        let count = form[key].split(separator: ",").count
        return field(
            key, label, required: required, hint: hint, accept: accept, multiple: multiple,
            uploaded: count == 0 ? "" : multiple ? "已上传 \(count) 个文件" : "已上传（重新选择可替换）")
    }

    private func field(
        _ key: String, _ label: String, required: Bool = true, hint: String = "", text: Bool = false, area: Bool = false,
        options: [WebController.EditorOption]? = nil, accept: String? = nil, multiple: Bool = false, uploaded: String = ""
    ) -> Field {
        Field(
            key: key, id: "f-" + key.replacingOccurrences(of: ".", with: "-"), label: label, value: form[key], error: form.errors[key] ?? "",
            required: required, isText: text, isArea: area, isSelect: options != nil, isFile: accept != nil, options: options ?? [],
            accept: accept ?? "", multiple: multiple, hint: hint, uploaded: uploaded)
    }

    var basic: [Field] {
        [
            text("name", "方案名称"), area("productNames", "相关产品名称", hint: "每行一个"),
            select("category", "分类", [("", "请选择")] + ProductCategory.allCases.map { ($0.rawValue, WebLabels.category($0)) }),
            area("tags", "标签", required: false, hint: "每行一个，用户可按标签筛选"),
            file("image", "展示图", accept: Self.imageAccept, hint: "不超过 2 MB，支持 jpeg、png、jpg、bmp"),
            area("solutionClasses", "方案分类", hint: "每行一个，最多 \(ListingLimits.solutionClassesMax) 个"),
            area("industries", "适用行业", hint: "每行一个，最多 \(ListingLimits.industriesMax) 个"),
            text("priceLow", "销售历史最低价格（元）", hint: "保留两位小数"), text("priceHigh", "销售历史最高价格（元）", hint: "保留两位小数"),
            text("deliveryCycleDays", "交付平均周期（天）"), text("personDays", "交付人工数量（人天）"),
        ]
    }

    var cases: [WebController.EditorGroup] {
        (0..<ListingLimits.caseStudiesCount).map { index in
            let key = "c\(index)."
            return WebController.EditorGroup(
                heading: "案例\(index + 1)",
                fields: [
                    text(key + "customer", "客户名称"), text(key + "annualOutput", "客户年产值（万元）", hint: "保留两位小数"),
                    text(key + "sales", "方案销售额度（万元）", hint: "保留两位小数"), text(key + "deliveryMonths", "交付周期（月）"),
                    text(key + "contactName", "客户联系人姓名", required: false), text(key + "contactTitle", "客户联系人职务", required: false),
                    text(key + "contactPhone", "客户联系人联系方式", required: false),
                    file(
                        key + "document", "介绍文档", accept: Self.documentAccept,
                        hint: "针对问题、实施方案、实施效果等；支持 pdf、png、jpg、jpeg、doc、docx、zip、mp4、ppt、pptx、bmp"),
                ])
        }
    }

    var contact: [Field] {
        [
            text("contact.companyName", "企业名称", required: false), text("contact.name", "姓名"), text("contact.phone", "手机"),
            text("contact.email", "邮箱", required: false),
        ]
    }

    var intro: [Field] {
        [
            text("intro.bannerTitle", "Banner 标题"), area("intro.bannerText", "Banner 介绍"),
            file("intro.banner", "Banner 图片", accept: Self.imageAccept, hint: "不超过 2 MB"),
            area("intro.highlights", "商品亮点", required: false, hint: "每行一个"), area("intro.description", "商品说明"),
        ]
    }

    var modules: [WebController.EditorModule] {
        (0..<form.moduleCount).map { index in
            let key = "m\(index)."
            return WebController.EditorModule(
                index: index, number: index + 1,
                fields: [
                    text(key + "title", "模块标题", required: false), area(key + "text", "模块内容", required: false),
                    file(key + "media", "图片或视频", accept: Self.documentAccept, hint: "可多选", multiple: true, required: false),
                ], canUp: index > 0, canDown: index < form.moduleCount - 1)
        }
    }

    var afterSales: [Field] {
        [
            text("intro.hours", "售后服务时间"), area("intro.scope", "售后服务内容"), text("intro.hotline", "服务热线"),
            text("intro.email", "服务邮箱", required: false),
        ]
    }

    var specs: [WebController.EditorGroup] {
        (0..<form.specCount).map { index in
            let key = "s\(index)."
            return WebController.EditorGroup(
                heading: "规格\(index + 1)",
                fields: [
                    text(key + "name", "规格名称", required: index == 0),
                    select(key + "mode", "购买方式", [("", "请选择")] + PurchaseMode.allCases.map { ($0.rawValue, WebLabels.purchaseMode($0)) }),
                    select(key + "pricing", "定价模式", [("simple", "简单模式"), ("free", "免费")]),
                    text(key + "price", "规格定价（元）", required: index == 0, hint: "免费规格可不填"),
                ])
        }
    }
}

/// The Chinese sentence for a refused listing request, by the problem's `code`, and the field it
/// belongs next to (nil: above the form or the list).
enum WebListingErrors {
    static func message(_ problem: Problem) -> (field: String?, text: String) {
        switch problem.code {
        case "solution_classes_too_many": ("solutionClasses", "方案分类最多 \(ListingLimits.solutionClassesMax) 个。")
        case "industries_too_many": ("industries", "适用行业最多 \(ListingLimits.industriesMax) 个。")
        case "price_range_invalid": ("priceLow", "最低价格不能高于最高价格，且均为不超过 10 亿元的金额。")
        case "case_studies_missing": (nil, "每个商品必须配置 3 个案例。")
        case "listing_file_unknown": (nil, "有文件不是本企业上传的商品文件，请重新上传。")
        case "image_too_large": (nil, "图片不能超过 2 MB。")
        case "image_unsupported_format": (nil, "图片须为 JPEG、PNG 或 BMP 格式（按文件内容识别）。")
        case "document_too_large": (nil, "文档不能超过 100 MB。")
        case "document_unsupported_format": (nil, "文档须为 pdf、png、jpg、bmp、doc、docx、ppt、pptx、zip 或 mp4 格式（按文件内容识别）。")
        case "file_empty": (nil, "所选文件是空的，请重新选择。")
        case "storage_quota_exceeded": (nil, "本企业的存储空间已满，请删除不用的文件后再上传。")
        case "product_invalid": ("s0.name", "规格须有名称（1–100 字）；简单模式须填写大于 0 的定价，免费规格定价为 0。")
        case "listing_expert_unknown": ("experts", "所选专家不在本企业的专家列表中。")
        case "certification_required": (nil, "您的企业尚未通过认证，认证通过后才能上架商品。")
        case "listing_state_conflict": (nil, "商品当前的状态不允许这个操作（审核中的商品请先撤销），请刷新后查看。")
        default: WebFieldErrors.message(problem)
        }
    }
}
