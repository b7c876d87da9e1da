import PostgresStore
import VoucherCore
import VoucherServices

private typealias Op = OpenAPIOperation

/// The codes an expert body can answer (`ExpertProfile.validated`, the photo reference).
private let expertInput = ["expert_invalid", "expert_name_too_long", "expert_experience_too_long", "expert_photo_unknown"]

extension OpenAPIErrors {
    /// The experts' own codes by status, merged into `statusByCode`.
    static let expertCodesByStatus: [Int: [String]] = [
        400: ["expert_invalid", "expert_name_too_long", "expert_experience_too_long", "expert_photo_unknown", "listing_expert_unknown"],
        404: ["expert_not_found"],
        413: ["expert_photo_too_large"],
        415: ["expert_photo_unsupported_format"],
    ]
}

extension OpenAPIDocument {
    /// `ExpertsController`: 专家管理 for providers, 专家团队 for everyone.
    static let expertOperations: [OpenAPIOperation] = [
        Op(
            .post, "/v1/provider/expert-photos", id: "uploadExpertPhoto",
            summary: "An expert's photo (照片) as the raw body: JPEG or PNG by content (jpeg/jpg/png), smaller than 2048 KB.",
            access: .signedIn([.provider]),
            body: .raw(mediaTypes: ["application/octet-stream"], description: "The photo; recognised by its content, not its name."),
            status: 201, answer: .json(Schema.ref("ExpertPhoto")),
            errors: [
                "file_empty", "expert_photo_too_large", "expert_photo_unsupported_format", "certification_required", "storage_quota_exceeded",
            ]),
        Op(
            .post, "/v1/provider/experts", id: "createExpert",
            summary: "新增专家: the whole record of 表1-3 in one body (the page asks 确定要提交吗？ before sending; there are no partial saves).",
            access: .signedIn([.provider]), body: .json(Schema.ref("ExpertInput")), status: 201, answer: .json(Schema.ref("Expert")),
            errors: expertInput + ["certification_required"]),
        Op(
            .get, "/v1/provider/experts", id: "listMyExperts", summary: "专家管理: the provider's experts, newest first.",
            access: .signedIn([.provider]),
            parameters: [.query("q", Schema.string, "Part of the name or the title (职务)."), .page, .pageSize],
            answer: .json(Schema.page(of: "Expert")), errors: ["page_invalid", "filter_invalid"]),
        Op(
            .get, "/v1/provider/experts/{id}", id: "myExpert", summary: "One of the provider's experts; another provider's is 404.",
            access: .signedIn([.provider]), answer: .json(Schema.ref("Expert")), errors: ["expert_not_found"]),
        Op(
            .put, "/v1/provider/experts/{id}", id: "updateExpert",
            summary: "Replace every field of one of the provider's experts (the same whole record as on creation).",
            access: .signedIn([.provider]), body: .json(Schema.ref("ExpertInput")), answer: .json(Schema.ref("Expert")),
            errors: expertInput + ["expert_not_found", "certification_required"]),
        Op(
            .delete, "/v1/provider/experts/{id}", id: "deleteExpert",
            summary: "Remove an expert: deleted at once and taken off every listing that showed it (the catalogue stops showing it).",
            access: .signedIn([.provider]), status: 204, answer: .empty, errors: ["expert_not_found"]),
        Op(
            .put, "/v1/provider/products/{id}/experts", id: "setListingExperts",
            summary: "The experts a listing shows, in display order (replaces the list; [] shows none). Only the provider's own experts; "
                + "it applies at once, without review, in every state of the product.",
            access: .signedIn([.provider]), body: .json(Schema.ref("ListingExpertsInput")), answer: .json(Schema.ref("ListingExperts")),
            errors: ["product_not_found", "listing_invalid", "listing_expert_unknown"]),
        Op(
            .get, "/v1/public/experts", id: "publicExperts",
            summary: "The portal's 专家团队: experts of certified providers, newest first. No token needed; no phone unless public.",
            access: .anyone,
            parameters: [
                .query("field", Schema.string, "An entry of any of the three 领域 lists, exactly (e.g. 智能制造)."),
                .query("q", Schema.string, "Part of the name or the title (职务)."), .page, .pageSize,
            ],
            answer: .json(Schema.page(of: "PublicExpert")), errors: ["page_invalid", "filter_invalid"]),
        Op(
            .get, "/v1/public/experts/{id}", id: "publicExpert", summary: "One expert of the portal. No token needed.", access: .anyone,
            answer: .json(Schema.ref("PublicExpert")), errors: ["expert_not_found"]),
        Op(
            .get, "/v1/public/experts/{id}/photo", id: "publicExpertPhoto",
            summary: "The expert's photo (Cache-Control: public, max-age=300). No token needed.", access: .anyone,
            answer: .media(
                Dictionary(uniqueKeysWithValues: ["image/jpeg", "image/png"].map { ($0, ["type": "string", "contentMediaType": .string($0)]) })),
            errors: ["expert_not_found"]),
    ]

    /// The experts' schemas.
    static let expertSchemas: [String: OpenAPIJSON] = [
        "ExpertInput": Schema.object(
            expertInputFields, optional: ["title", "education", "phone", "phonePublic"],
            description: "ExpertProfile: every field of 表1-3; the three 领域 lists are free expertTags (the guide names no choices)."),
        "Expert": Schema.object(
            [
                "id": Schema.id, "name": Schema.string, "age": Schema.int, "gender": expertGender, "industrialInternetFields": expertTags,
                "industryFields": expertTags, "industrialOperationFields": expertTags, "industrialInternetServiceYears": Schema.int,
                "industryServiceYears": Schema.int, "experience": Schema.string, "title": Schema.string, "education": Schema.string,
                "photoFileId": Schema.sha256, "photoUrl": Schema.string, "introduction": Schema.string, "phone": Schema.string,
                "phonePublic": Schema.bool, "productIds": Schema.array(Schema.id), "createdAt": Schema.time, "updatedAt": Schema.time,
            ], optional: ["title", "education", "phone"], description: "ExpertDTO: the provider's own view, with the products that show it."),
        "PublicExpert": Schema.object(
            [
                "id": Schema.id, "name": Schema.string, "age": Schema.int, "gender": expertGender, "industrialInternetFields": expertTags,
                "industryFields": expertTags, "industrialOperationFields": expertTags, "industrialInternetServiceYears": Schema.int,
                "industryServiceYears": Schema.int, "experience": Schema.string, "title": Schema.string, "education": Schema.string,
                "photoUrl": Schema.string, "introduction": Schema.string,
                "phone": Schema.string("Only when the provider marked it public."), "providerName": Schema.string,
            ], optional: ["title", "education", "phone"],
            description: "PublicExpertDTO: no organisation or product ids, no private phone; the provider by name."),
        "ExpertPhoto": Schema.object(
            ["fileId": Schema.sha256, "mediaType": Schema.oneOf(["image/jpeg", "image/png"]), "sizeBytes": Schema.int],
            description: "ExpertPhotoDTO: name fileId in photoFileId."),
        "ListingExpertsInput": Schema.object(
            ["expertIds": Schema.array(Schema.id, max: Int64(ExpertLimits.perListingMax))],
            description: "ExpertsController.AttachInput: the provider's expert ids in display order, no repeats."),
        "ListingExperts": Schema.object(
            ["productId": Schema.id, "experts": Schema.array(Schema.ref("PublicExpert"))], description: "ListingExpertsDTO"),
    ]

    private static let expertGender = Schema.oneOf(ExpertGender.allCases.map(\.rawValue), "性别: male 男, female 女.")
    private static let expertTags = Schema.array(
        ["type": "string", "minLength": 1, "maxLength": .int(Int64(ExpertLimits.fieldLengthMax))], max: Int64(ExpertLimits.fieldsPerListMax))

    private static func expertText(_ lengthMax: Int, _ description: String) -> OpenAPIJSON {
        ["type": "string", "minLength": 1, "maxLength": .int(Int64(lengthMax)), "description": .string(description)]
    }

    private static func expertYears(_ description: String) -> OpenAPIJSON {
        [
            "type": "integer", "minimum": .int(Int64(ExpertLimits.serviceYears.lowerBound)),
            "maximum": .int(Int64(ExpertLimits.serviceYears.upperBound)), "description": .string(description + "; not above age."),
        ]
    }

    private static let expertInputFields: KeyValuePairs<String, OpenAPIJSON> = [
        "name": expertText(ExpertLimits.nameLengthMax, "姓名"),
        "age": [
            "type": "integer", "minimum": .int(Int64(ExpertLimits.ages.lowerBound)), "maximum": .int(Int64(ExpertLimits.ages.upperBound)),
            "description": "年龄, years.",
        ],
        "gender": expertGender,
        "industrialInternetFields": expertTags.merging(["description": "工业互联网专业领域, 1 to 10 expertTags."]),
        "industryFields": expertTags.merging(["description": "工业行业领域, 1 to 10 expertTags."]),
        "industrialOperationFields": expertTags.merging(["description": "工业运行领域, 1 to 10 expertTags."]),
        "industrialInternetServiceYears": expertYears("工业互联网服务年限"),
        "industryServiceYears": expertYears("工业领域服务年限"),
        "experience": expertText(ExpertLimits.experienceLengthMax, "经验与业绩"),
        "title": expertText(ExpertLimits.titleLengthMax, "职务 (optional)"),
        "education": expertText(ExpertLimits.educationLengthMax, "学历 (optional)"),
        "photoFileId": Schema.sha256.merging(["description": "照片: the fileId of POST /v1/provider/expert-photos."]),
        "introduction": expertText(ExpertLimits.introductionLengthMax, "专家介绍"),
        "phone": ["type": "string", "pattern": "^1[0-9]{10}$", "description": "A mainland mobile number (optional)."],
        "phonePublic": ["type": "boolean", "default": false, "description": "Show phone on the portal; needs phone."],
    ]
}
