import Foundation
import Hummingbird
import PostgresStore
import VoucherCore
import VoucherServices

/// 专家管理 (guide §1.4.8, 表1-3): the provider's experts (姓名或职称 search, 10 a page) with 添加专家,
/// 编辑 and 删除, through `ExpertsRepository` as `/v1/provider/experts` does; the form is one
/// multipart post whose 照片 is stored first as `POST /v1/provider/expert-photos` stores it (JPEG or
/// PNG by content, < 2048 KB) and kept in a hidden field, then the whole profile is validated
/// (`ExpertProfile.validated`) and saved. A refused rule is shown next to its field. Menu `experts`.
extension WebController {
    struct ExpertAdminRow {
        let id: String
        let name: String
        let title: String
        let fields: String
        let updatedAt: String
        let editHref: String
    }

    struct ExpertsAdminView {
        let chrome: WebChrome
        let q: String
        let rows: [ExpertAdminRow]
        let empty: Bool
        let paging: WebPaging
        let notice: String
    }

    func expertsAdmin(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await workbenchPage(request, .experts) { viewer in
            let query = WebForm.query(request)
            let q = String((query.text("q") ?? "").prefix(AccountsLimits.filterTextLengthMax))
            let page = WebPaging.requested(query)
            let result = try await expertsRepository.mine(
                orgID: viewer.identity.orgID, text: q.isEmpty ? nil : q, page: page, pageSize: WebPaging.pageSize)
            let rows = result.items.map { expert in
                ExpertAdminRow(
                    id: expert.id, name: expert.profile.name, title: expert.profile.title ?? "",
                    fields: (expert.profile.industrialInternetFields + expert.profile.industryFields).joined(separator: "、"),
                    updatedAt: WebLabels.time(expert.updatedAt), editHref: "/workbench/experts/" + expert.id)
            }
            let done = query["done"]
            return pages.page(
                "experts-admin",
                ExpertsAdminView(
                    chrome: chrome("专家管理", viewer: viewer, crumbs: [("工作台", "/workbench"), ("专家管理", "")], menu: .experts), q: q,
                    rows: rows, empty: rows.isEmpty,
                    paging: WebPaging(page: page, total: result.total, path: "/workbench/experts", filters: [("q", q)]),
                    notice: done == "saved" ? "专家信息已保存。" : done == "deleted" ? "专家已删除。" : ""))
        }
    }

    struct ExpertFormView {
        let chrome: WebChrome
        let heading: String
        let action: String
        let fields: [EditorField]
        let formError: String
        let photoHref: String
        let deleteAction: String
    }

    static let expertKeys = [
        "name", "age", "gender", "industrialInternetFields", "industryFields", "industrialOperationFields", "industrialInternetServiceYears",
        "industryServiceYears", "experience", "title", "education", "photo", "introduction", "phone", "phonePublic",
    ]

    func expertNewPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await workbenchPage(request, .experts) { viewer in expertForm(viewer, id: nil, values: ["gender": "male", "phonePublic": "false"]) }
    }

    func expertEditPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        if let page = malformedPathID(context, "id", prefix: ExpertsRepository.expertPrefix, reason: "专家编号格式不正确。") { return page }
        return try await workbenchPage(request, .experts) { viewer in
            guard let expert = try await expertsRepository.find(id: context.parameters.get("id") ?? "", orgID: viewer.identity.orgID) else {
                return errorPage(.notFound, viewer: viewer, reason: "没有这位专家。")
            }
            return expertForm(viewer, id: expert.id, values: Self.expertValues(expert.profile))
        }
    }

    static func expertValues(_ p: ExpertProfile) -> [String: String] {
        [
            "name": p.name, "age": String(p.age), "gender": p.gender, "industrialInternetFields": p.industrialInternetFields.joined(separator: "\n"),
            "industryFields": p.industryFields.joined(separator: "\n"),
            "industrialOperationFields": p.industrialOperationFields.joined(separator: "\n"),
            "industrialInternetServiceYears": String(p.industrialInternetServiceYears), "industryServiceYears": String(p.industryServiceYears),
            "experience": p.experience, "title": p.title ?? "", "education": p.education ?? "", "photo": p.photoFileId,
            "introduction": p.introduction, "phone": p.phone ?? "", "phonePublic": p.phonePublic ? "true" : "false",
        ]
    }

    func expertCreate(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await workbenchPage(request, .experts) { viewer in try await expertPost(request, context, viewer: viewer, id: nil) }
    }

    func expertUpdate(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        if let page = malformedPathID(context, "id", prefix: ExpertsRepository.expertPrefix, reason: "专家编号格式不正确。") { return page }
        return try await workbenchPage(request, .experts) { viewer in
            try await expertPost(request, context, viewer: viewer, id: context.parameters.get("id"))
        }
    }

    func expertDelete(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        if let page = malformedPathID(context, "id", prefix: ExpertsRepository.expertPrefix, reason: "专家编号格式不正确。") { return page }
        return try await workbenchForm(request, .experts) { viewer, _ in
            guard try await expertsRepository.delete(id: context.parameters.get("id") ?? "", orgID: viewer.identity.orgID) else {
                return errorPage(.notFound, viewer: viewer, reason: "没有这位专家。")
            }
            return redirect("/workbench/experts?done=deleted")
        }
    }

    private func expertPost(_ request: Request, _ context: AppRequestContext, viewer: WebViewer, id: String?) async throws -> Response {
        let multipart: WebMultipartForm
        do {
            multipart = try await WebMultipartForm.read(request, upTo: ExpertLimits.photoBytesMax + WebMultipartForm.fieldsBytesMax, partsMax: 32)
        } catch {
            return expertForm(viewer, id: id, values: [:], errors: ["photo": "照片须小于 2048 KB。"], status: .contentTooLarge)
        }
        guard let sent = multipart.fields["csrf"], WebSessions.tokensEqual(viewer.session.csrfToken, sent) else {
            return errorPage(.forbidden, viewer: viewer, reason: Self.csrfRefusal)
        }
        var values = multipart.fields.filter { Self.expertKeys.contains($0.key) }
        do {
            try await services.orders.certification.require(viewer.identity, for: .experts)
            if let bytes = multipart.files["photo.upload"]?.first {
                guard bytes.count <= ExpertLimits.photoBytesMax else { throw ExpertError.photoTooLarge }
                guard let mediaType = ImageFormat.sniff(bytes) else { throw ExpertError.photoUnsupportedFormat }
                let stored = try await services.orders.storage.store(bytes, mediaType: mediaType, orgID: viewer.identity.orgID)
                try await expertsRepository.recordPhoto(
                    orgID: viewer.identity.orgID, sha256: stored.sha256, mediaType: stored.mediaType, sizeBytes: stored.sizeBytes,
                    now: services.clock.now())
                values["photo"] = stored.sha256
            }
            var numbers: [String: Int] = [:]
            for key in ["age", "industrialInternetServiceYears", "industryServiceYears"] {
                guard let number = Int((values[key] ?? "").trimmingCharacters(in: .whitespaces)) else {
                    return expertForm(viewer, id: id, values: values, errors: [key: "请输入整数。"], status: .badRequest)
                }
                numbers[key] = number
            }
            let optional = { (key: String) -> String? in (values[key] ?? "").isEmpty ? nil : values[key] }
            let profile = try ExpertProfile(
                name: values["name"] ?? "", age: numbers["age"] ?? 0, gender: values["gender"] ?? "",
                industrialInternetFields: WebListingForm.lines(values["industrialInternetFields"] ?? ""),
                industryFields: WebListingForm.lines(values["industryFields"] ?? ""),
                industrialOperationFields: WebListingForm.lines(values["industrialOperationFields"] ?? ""),
                industrialInternetServiceYears: numbers["industrialInternetServiceYears"] ?? 0,
                industryServiceYears: numbers["industryServiceYears"] ?? 0,
                experience: values["experience"] ?? "", title: optional("title"), education: optional("education"),
                photoFileId: values["photo"] ?? "",
                introduction: values["introduction"] ?? "", phone: optional("phone"), phonePublic: values["phonePublic"] == "true"
            ).validated()
            let now = services.clock.now()
            if let id {
                guard try await expertsRepository.update(id: id, orgID: viewer.identity.orgID, profile: profile, now: now) != nil else {
                    return errorPage(.notFound, viewer: viewer, reason: "没有这位专家。")
                }
            } else {
                _ = try await expertsRepository.create(orgID: viewer.identity.orgID, profile: profile, now: now)
            }
            return redirect("/workbench/experts?done=saved")
        } catch {
            let (key, text, status) = try await expertRefusal(error, request, context)
            return expertForm(viewer, id: id, values: values, errors: [key: text], status: status)
        }
    }

    /// The field and sentence of a refused expert, from the rule's field or the problem `code`.
    private func expertRefusal(
        _ error: any Error, _ request: Request, _ context: AppRequestContext
    ) async throws -> (String, String, HTTPResponse.Status) {
        if case ExpertError.invalid(let field, let rule) = error {
            let key = field == "photoFileId" ? "photo" : field
            return (Self.expertKeys.contains(key) ? key : "form", "请检查此项：" + WebListingForm.sentence(ofRule: rule), .badRequest)
        }
        let problem = try await WebErrorMiddleware.refusal(for: error, request, context)
        switch problem.code {
        case "expert_name_too_long": return ("name", "姓名最多 \(ExpertLimits.nameLengthMax) 个字。", problem.status)
        case "expert_experience_too_long": return ("experience", "经验与业绩最多 200 个字。", problem.status)
        case "expert_photo_unknown": return ("photo", "请上传照片。", problem.status)
        case "expert_photo_too_large": return ("photo", "照片须小于 2048 KB。", problem.status)
        case "expert_photo_unsupported_format": return ("photo", "照片须为 jpeg、jpg 或 png 图片（按文件内容识别）。", problem.status)
        case "certification_required": return ("form", "您的企业尚未通过认证，认证通过后才能管理专家。", problem.status)
        default: return ("form", WebFieldErrors.message(problem).text, problem.status)
        }
    }

    private func expertForm(
        _ viewer: WebViewer, id: String?, values: [String: String], errors: [String: String] = [:], status: HTTPResponse.Status = .ok
    ) -> Response {
        func field(
            _ key: String, _ label: String, required: Bool = true, area: Bool = false, options: [(String, String)]? = nil, hint: String = ""
        )
            -> EditorField
        {
            let isFile = key == "photo"
            return EditorField(
                key: key, id: "f-" + key, label: label, value: values[key] ?? "", error: errors[key] ?? "", required: required,
                isText: !area && options == nil && !isFile, isArea: area, isSelect: options != nil, isFile: isFile,
                options: (options ?? []).map { EditorOption(code: $0.0, label: $0.1, selected: values[key] == $0.0) },
                accept: isFile ? ".jpeg,.jpg,.png" : "", multiple: false, hint: hint,
                uploaded: isFile && !(values[key] ?? "").isEmpty ? "已上传（重新选择可替换）" : "")
        }
        let heading = id == nil ? "添加专家" : "编辑专家"
        let fields = [
            field("name", "姓名", hint: "最多 30 个字"), field("age", "年龄"), field("gender", "性别", options: [("male", "男"), ("female", "女")]),
            field("industrialInternetFields", "工业互联网专业领域", area: true, hint: "每行一个"),
            field("industryFields", "工业行业领域", area: true, hint: "每行一个"),
            field("industrialOperationFields", "工业运行领域", area: true, hint: "每行一个"),
            field("industrialInternetServiceYears", "工业互联网服务年限"), field("industryServiceYears", "工业行业服务年限"),
            field("experience", "经验与业绩", area: true, hint: "最多 200 个字"), field("title", "职务", required: false),
            field("education", "学历", required: false), field("photo", "照片", hint: "jpeg、jpg、png，小于 2048 KB"),
            field("introduction", "专家介绍", area: true), field("phone", "手机", required: false),
            field("phonePublic", "公开手机", options: [("false", "否"), ("true", "是")]),
        ]
        let view = ExpertFormView(
            chrome: chrome(heading, viewer: viewer, crumbs: [("工作台", "/workbench"), ("专家管理", "/workbench/experts"), (heading, "")], menu: .experts),
            heading: heading, action: id.map { "/workbench/experts/" + $0 } ?? "/workbench/experts/new", fields: fields,
            formError: errors["form"] ?? (errors.isEmpty ? "" : "有内容需要修改，请查看标红的项。"),
            photoHref: id.map { "/v1/public/experts/\($0)/photo" } ?? "", deleteAction: id.map { "/workbench/experts/\($0)/delete" } ?? "")
        return pages.page("expert-form", view, status: status)
    }
}
