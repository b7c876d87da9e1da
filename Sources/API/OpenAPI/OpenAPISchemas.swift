import PostgresStore
import VoucherCore
import VoucherServices

/// The schemas of the DTOs, under `components/schemas`, named after the Swift types they describe
/// (the type is in each `description`, so a change to one is easy to carry to the other).
extension OpenAPIDocument {
    static let schemas: [String: OpenAPIJSON] = baseSchemas.merging(productSchemas) { _, _ in preconditionFailure("schema named twice") }

    static let baseSchemas: [String: OpenAPIJSON] = [
        "Problem": problem,
        // Service
        "Health": Schema.object(["status": Schema.oneOf(["alive"])]),
        "Ready": Schema.object(["status": Schema.oneOf(["ready"]), "postgres": Schema.oneOf(["ok"]), "redis": Schema.oneOf(["ok"])]),
        // Auth
        "LoginRequest": Schema.object(["username": Schema.string, "password": Schema.string], description: "AuthController.LoginRequest"),
        "SMSSendRequest": Schema.object(["phone": Schema.string("11 digits starting with 1, optionally +86.")]),
        "SMSSendResponse": Schema.object([
            "sent": Schema.bool, "expiresIn": Schema.string("Seconds the code stays valid.").merging(["type": "integer"]),
        ]),
        "SMSLoginRequest": Schema.object(
            [
                "phone": Schema.string, "code": ["type": "string", "pattern": "^[0-9]{6}$"],
                "username": Schema.string("Needed when several accounts share the phone."),
            ], optional: ["username"]),
        "RefreshRequest": Schema.object(["refreshToken": Schema.string]),
        "TokenResponse": Schema.object(
            [
                "accessToken": Schema.string, "tokenType": Schema.oneOf(["Bearer"]), "expiresIn": Schema.int,
                "refreshToken": Schema.string, "refreshExpiresIn": Schema.int, "role": roleSchema, "organisationId": Schema.id,
                "userId": Schema.id, "certified": Schema.bool, "permissions": Schema.array(Schema.string),
            ], description: "TokenResponse: a short-lived access token and a rotating refresh token."),
        // Registration and organisations
        "RegisterRequest": Schema.object(
            [
                "role": Schema.oneOf(["enterprise", "provider"]), "username": usernameSchema, "phone": Schema.string,
                "password": passwordSchema, "passwordConfirmation": Schema.string, "consent": Schema.bool,
                "smsCode": Schema.string("The 6-digit code POST /v1/registrations/sms sent to the phone; without it 400 sms_code_missing."),
            ], optional: ["smsCode"]),
        "RegisterResponse": Schema.object([
            "organisationId": Schema.id, "userId": Schema.id, "certification": certificationSchema, "session": Schema.ref("TokenResponse"),
        ]),
        "OrganisationDetails": organisationDetails,
        "RegistrationDraft": Schema.object(
            [
                "organisationId": Schema.id, "kind": Schema.oneOf(["enterprise", "provider"]), "certification": certificationSchema,
                "details": Schema.ref("OrganisationDetails"), "licence": Schema.object(["sha256": Schema.sha256]),
                "surveyAnswered": Schema.bool, "missing": Schema.array(Schema.string), "submittedAt": Schema.time,
            ], optional: ["licence", "submittedAt"], description: "RegistrationController.DraftResponse; missing lists fields still needed to submit."
        ),
        "StoredFile": Schema.object(["sha256": Schema.sha256, "mediaType": Schema.string, "sizeBytes": Schema.int]),
        "SubmitResponse": Schema.object(["applicationId": Schema.id, "certification": Schema.oneOf(["under_review"])]),
        "Survey": Schema.object(
            [
                "companyName": Schema.string, "city": Schema.string,
                "companyType": Schema.oneOf(RegistrationController.companyTypes), "answers": Schema.map(Schema.any),
            ], optional: ["answers"], description: "RegistrationController.SurveyBody (企业需求收集)."),
        "Organisation": Schema.object(
            [
                "id": Schema.id, "kind": Schema.oneOf(["enterprise", "provider", "platform"]), "name": Schema.string,
                "unifiedSocialCreditCode": Schema.string, "certification": certificationSchema, "statusText": Schema.string,
                "certificationInfo": Schema.object(
                    [
                        "certification": certificationSchema, "statusText": Schema.string, "submittedAt": Schema.time,
                        "licence": Schema.object(["sha256": Schema.sha256]), "missing": Schema.array(Schema.string),
                    ], optional: ["submittedAt", "licence"], description: "认证信息"),
                "basicInfo": Schema.ref("OrganisationDetails"),
                "diagnosis": Schema.object(
                    ["survey": Schema.ref("Survey"), "surveyAnsweredAt": Schema.time], optional: ["survey", "surveyAnsweredAt"],
                    description: "企业诊断信息 (enterprises only): the demand survey once answered."),
            ], optional: ["unifiedSocialCreditCode", "diagnosis"],
            description: "RegistrationController.OrganisationResponse (我的企业): 认证信息, 基本信息 and 企业诊断信息."),
        // Account and sub-accounts
        "Me": Schema.object(
            [
                "userId": Schema.id, "username": Schema.string, "phone": Schema.string, "email": Schema.string, "role": roleSchema,
                "mainAccount": Schema.bool, "permissions": Schema.array(Schema.string), "organisationId": Schema.id,
                "organisationName": Schema.string, "certification": certificationSchema,
            ], optional: ["phone", "email"]),
        "ChangePasswordRequest": Schema.object(
            ["currentPassword": Schema.string, "newPassword": passwordSchema, "newPasswordConfirmation": Schema.string]),
        "SubAccount": Schema.object(
            [
                "id": Schema.id, "username": Schema.string, "phone": Schema.string, "email": Schema.string, "role": roleSchema,
                "permissions": Schema.array(menuSchema), "createdAt": Schema.time,
            ], optional: ["phone", "email", "createdAt"]),
        "SubAccountCreate": Schema.object(
            [
                "username": usernameSchema, "phone": Schema.string, "email": Schema.string, "password": passwordSchema,
                "passwordConfirmation": Schema.string, "permissions": Schema.array(menuSchema),
            ], optional: ["email", "permissions"]),
        "SubAccountUpdate": Schema.object(
            ["phone": Schema.string, "email": Schema.string, "username": Schema.string("Fixed once created; a different value is refused.")],
            optional: ["phone", "email", "username"]),
        "SubAccountPassword": Schema.object(["password": passwordSchema, "passwordConfirmation": Schema.string]),
        "SubAccountPermissions": Schema.object(["permissions": Schema.array(menuSchema)]),
        // Approvals
        "Approval": Schema.object(
            [
                "id": Schema.id, "type": Schema.string, "title": Schema.string,
                "status": Schema.oneOf(ApprovalStatus.allCases.map(\.rawValue)), "applicant": Schema.string,
                "applicantId": Schema.id, "organisationId": Schema.id, "organisationName": Schema.string("企业名称, the organisation's name now."),
                "subjectType": Schema.string("organisation, order, redemption_batch, product, or the type's own name for a type without a snapshot."),
                "subjectId": Schema.id, "stages": Schema.array(roleSchema), "currentStage": Schema.int,
                "waitingForRole": roleSchema, "createdAt": Schema.time, "updatedAt": Schema.time, "closedAt": Schema.time,
                "decisions": Schema.array(
                    Schema.object(
                        [
                            "stage": Schema.int, "role": roleSchema, "decider": Schema.string,
                            "decision": Schema.oneOf(["approved", "rejected", "withdrawn"]),
                            "reason": Schema.string, "decidedAt": Schema.time,
                        ], optional: ["reason"])),
                "subject": Schema.ref("ApprovalSubject"),
            ], optional: ["waitingForRole", "closedAt", "decisions", "subject"],
            description: "ApprovalsController.Item; decisions and subject only on GET /v1/approvals/{id}."),
        "ApprovalSubject": Schema.object(
            [
                "type": Schema.string, "id": Schema.id, "organisation": Schema.ref("ApprovalOrganisation"), "order": Schema.ref("Order"),
                "batch": Schema.ref("Batch"), "usages": Schema.array(Schema.ref("Usage")),
                "listing": Schema.object(
                    [
                        "productId": Schema.id, "productStatus": Schema.oneOf(ListingState.allCases.map(\.rawValue)),
                        "organisationName": Schema.string, "revision": Schema.ref("Revision"), "liveRevisionId": Schema.id,
                    ], optional: ["liveRevisionId"], description: "ListingRevisionDTO: the revision submitted for review."),
                "files": Schema.array(
                    Schema.object(
                        [
                            "id": Schema.sha256, "purpose": Schema.oneOf(["licence", "proof", "archive", "material", "image", "document"]),
                            "mediaType": Schema.string, "sizeBytes": Schema.int, "attempt": Schema.int,
                            "download": Schema.string("The path that serves the file to this application's viewers."),
                        ], optional: ["attempt"])),
            ], optional: ["organisation", "order", "batch", "usages", "listing"],
            description: "ApprovalSubjectDTO: one section for the subject's kind; none for a type without a snapshot."),
        "ApprovalOrganisation": Schema.object(
            [
                "id": Schema.id, "kind": Schema.oneOf(["enterprise", "provider", "platform"]), "name": Schema.string,
                "unifiedSocialCreditCode": Schema.string, "certification": certificationSchema, "contactName": Schema.string,
                "contactPhone": Schema.string, "details": Schema.ref("OrganisationDetails"), "submittedAt": Schema.time,
            ], optional: ["unifiedSocialCreditCode", "contactName", "contactPhone", "details", "submittedAt"],
            description: "ApprovalSubjectDTO.Organisation: the registration as submitted for certification."),
        "PlatformOrganisation": Schema.object(
            [
                "id": Schema.id, "kind": Schema.oneOf(["enterprise", "provider"]), "name": Schema.string,
                "unifiedSocialCreditCode": Schema.string, "certification": certificationSchema, "contactName": Schema.string,
                "createdAt": Schema.time, "updatedAt": Schema.time,
            ], optional: ["unifiedSocialCreditCode", "contactName"], description: "OrganisationListDTO"),
        "PlatformProduct": Schema.object(
            [
                "id": Schema.id, "name": Schema.string, "category": Schema.string, "status": Schema.string, "providerOrgId": Schema.id,
                "providerName": Schema.string, "createdAt": Schema.time, "listedAt": Schema.time,
            ], optional: ["listedAt"], description: "PlatformProductDTO"),
        "EnterpriseContact": Schema.object(
            ["id": Schema.id, "name": Schema.string, "contactName": Schema.string, "contactPhone": Schema.string],
            optional: ["contactName", "contactPhone"], description: "EnterpriseContactDTO (企业信息查询)."),
        "ApprovalDecision": Schema.object(["reason": Schema.string("Required to reject; at most 500 characters.")], optional: ["reason"]),
        // Campaigns and vouchers
        "CampaignInput": Schema.object(
            [
                "name": ["type": "string", "minLength": 1, "maxLength": 200], "startsAt": Schema.time, "endsAt": Schema.time,
                "lots": Schema.array(
                    Schema.object(
                        [
                            "kind": kindSchema, "direction": directionSchema, "faceValueFen": Schema.fen,
                            "stock": ["type": "integer", "minimum": 0, "maximum": 10_000_000],
                            "perEnterpriseLimit": ["type": "integer", "minimum": 1, "maximum": 100, "default": 1],
                            "mode": ["type": "string", "enum": ["grab", "apply"], "default": "grab"],
                            "validityDays": ["type": "integer", "minimum": 1, "maximum": 3660],
                        ], optional: ["direction", "perEnterpriseLimit", "mode"]), max: 20),
            ], description: "CampaignInput; direction only (and then required) for general vouchers."),
        "Campaign": Schema.object(
            [
                "id": Schema.id, "name": Schema.string, "startsAt": Schema.time, "endsAt": Schema.time,
                "status": Schema.oneOf(["draft", "published", "ended"]),
                "lots": Schema.array(
                    Schema.object(
                        [
                            "id": Schema.id, "kind": kindSchema, "direction": directionSchema, "faceValueFen": Schema.fen, "stock": Schema.int,
                            "remaining": Schema.int.merging(["description": "Stock not yet issued; on GET /v1/campaigns/{campaignID} only."]),
                            "perEnterpriseLimit": Schema.int, "mode": Schema.oneOf(["grab", "apply"]), "validityDays": Schema.int,
                        ], optional: ["direction", "remaining"])),
            ], description: "CampaignResponse"),
        "Restock": Schema.object(["stock": ["type": "integer", "minimum": 0, "maximum": 10_000_000]]),
        "Grab": Schema.object(
            [
                "voucherId": Schema.id, "campaignId": Schema.id, "lotId": Schema.id, "kind": kindSchema, "direction": directionSchema,
                "faceValueFen": Schema.fen, "grantedAt": Schema.time, "validUntil": Schema.time,
                "result": Schema.oneOf(["issued", "already_issued"]),
            ], optional: ["direction"], description: "GrabResponse"),
        "VoucherApplication": Schema.object(
            [
                "id": Schema.id, "campaignId": Schema.id, "lotId": Schema.id, "organisationId": Schema.id,
                "status": Schema.oneOf(["pending", "approved", "rejected"]), "reason": Schema.string, "voucherId": Schema.id,
                "createdAt": Schema.time, "decidedAt": Schema.time,
            ], optional: ["reason", "voucherId", "decidedAt"]),
        "Reason": Schema.object(["reason": ["type": "string", "minLength": 1, "maxLength": 500]], description: "A reason the other side sees."),
        "Voucher": Schema.object(
            [
                "id": Schema.id, "name": Schema.string, "kind": kindSchema, "direction": directionSchema, "faceValueFen": Schema.fen,
                "availableFen": Schema.fen, "heldFen": Schema.fen, "capturedFen": Schema.fen, "expiredFen": Schema.fen,
                "validUntil": Schema.time, "grantedAt": Schema.time, "status": Schema.oneOf(["available", "partly_used", "used_up", "expired"]),
            ], optional: ["direction"], description: "VoucherDTO: faceValueFen = availableFen + heldFen + capturedFen + expiredFen."),
        // Orders and products
        "OrderBody": Schema.object(
            [
                "productId": Schema.id, "specId": Schema.id, "quantity": ["type": "integer", "minimum": 1],
                "voucherIds": Schema.array(Schema.id).merging(["description": "Omitted: every eligible voucher; []: none."]),
            ], optional: ["voucherIds"]),
        "Quote": Schema.object(
            [
                "productId": Schema.id, "productName": Schema.string, "specId": Schema.id, "specName": Schema.string, "quantity": Schema.int,
                "unitPriceFen": Schema.fen, "totalFen": Schema.fen, "capFen": Schema.fen, "deductionFen": Schema.fen, "payableFen": Schema.fen,
                "eligibleVouchers": Schema.array(
                    Schema.object(
                        [
                            "id": Schema.id, "name": Schema.string, "kind": kindSchema, "direction": directionSchema, "faceValueFen": Schema.fen,
                            "availableFen": Schema.fen, "validUntil": Schema.time,
                        ], optional: ["direction"])),
                "draws": Schema.array(
                    Schema.object([
                        "voucherId": Schema.id, "validUntil": Schema.time, "availableBeforeFen": Schema.fen, "takenFen": Schema.fen,
                        "keptFen": Schema.fen,
                    ])),
            ], description: "QuoteDTO: capFen = floor(totalFen × 30 / 100); payableFen = totalFen − deductionFen."),
        "Order": Schema.object(
            [
                "id": Schema.id, "productId": Schema.id, "productName": Schema.string, "specId": Schema.id, "specName": Schema.string,
                "orderType": Schema.string, "quantity": Schema.int, "unitPriceFen": Schema.fen, "totalFen": Schema.fen, "capFen": Schema.fen,
                "deductionFen": Schema.fen, "payableFen": Schema.fen,
                "state": Schema.oneOf(OrderState.allCases.map(\.rawValue)),
                "paymentState": Schema.oneOf(["unpaid", "under_review", "paid", "refunded"]), "subscriber": Schema.string,
                "subscriberOrgId": Schema.id, "paymentAttempt": Schema.int, "createdAt": Schema.time, "updatedAt": Schema.time,
                "vouchers": Schema.array(
                    Schema.object([
                        "voucherId": Schema.id, "amountFen": Schema.fen, "state": Schema.oneOf(["held", "captured", "released", "refunded"]),
                    ])),
            ], description: "OrderDTO"),
        "OrderWithApproval": Schema.object(["order": Schema.ref("Order"), "approvalId": Schema.id]),
        "Usage": Schema.object(
            [
                "id": Schema.id, "voucherId": Schema.id, "voucherName": Schema.string, "deductionFen": Schema.fen, "enterprise": Schema.string,
                "productName": Schema.string, "orderId": Schema.id, "state": Schema.oneOf(ProviderOrdersController.usageStates),
                "usedAt": Schema.time,
            ], description: "UsageDTO"),
        // Redemption and finance
        "PayeeBody": Schema.object([
            "bank": Schema.oneOf(["ABC"], "Agricultural Bank of China (农业银行) only."),
            "accountName": Schema.string("Equal to the provider's registered name."),
            "accountNumber": ["type": "string", "pattern": "^[0-9]{15,19}$"],
        ]),
        "Payee": Schema.object(
            [
                "id": Schema.id, "bank": Schema.string, "accountName": Schema.string, "accountNumber": Schema.string, "active": Schema.bool,
                "createdAt": Schema.time, "version": ["type": "integer", "minimum": 1, "description": "1 when added; each edit adds one."],
            ], description: "PayeeDTO"),
        "Batch": Schema.object(
            [
                "id": Schema.id, "kind": Schema.oneOf(["diagnostic", "general"]), "orgId": Schema.id, "reference": Schema.string,
                "payeeAccountId": Schema.id, "payeeName": Schema.string, "payeeNumber": Schema.string, "totalFen": Schema.fen,
                "state": Schema.oneOf(["in_review", "awaiting_transfer", "awaiting_confirmation", "disputed", "redeemed", "rejected"]),
                "approvalId": Schema.id, "usageIds": Schema.array(Schema.id), "enterpriseName": Schema.string,
                "orderId": Schema.id, "direction": directionSchema,
                "files": Schema.array(Schema.string).merging(["description": "Media types of a general batch's materials, by position."]),
                "rejectionReason": Schema.string, "disputeReason": Schema.string,
                "transfer": Schema.ref("Transfer"), "createdAt": Schema.time, "updatedAt": Schema.time,
            ], optional: ["enterpriseName", "orderId", "direction", "rejectionReason", "disputeReason", "transfer"], description: "BatchDTO"),
        "Transfer": Schema.object(
            [
                "amountFen": Schema.fen, "payerName": Schema.string, "payerAccount": Schema.string, "date": Schema.date,
                "bankSerial": Schema.string,
            ], description: "TransferBody; the offline transfer as the operator records it."),
        "Confirm": Schema.object(
            ["payerName": Schema.string, "payerAccount": Schema.string, "amountFen": Schema.fen],
            description: "ConfirmBody: what the provider's bank shows (对方户名, 对方账号, amount)."),
        "GeneralRedemption": Schema.object(
            [
                "enterpriseName": Schema.string, "orderId": Schema.id, "direction": directionSchema, "payeeAccountId": Schema.id,
                "materials": Schema.array(Schema.sha256).merging(["description": "sha256s answered by POST /v1/redemption/materials."]),
            ], description: "GeneralBody"),
        "Material": Schema.object(["sha256": Schema.sha256, "mediaType": Schema.string, "sizeBytes": Schema.int], description: "MaterialDTO"),
        "Payouts": Schema.object(
            [
                "from": Schema.time, "to": Schema.time, "totalFen": Schema.fen,
                "items": Schema.array(
                    Schema.object([
                        "providerOrgId": Schema.id, "providerName": Schema.string, "campaignId": Schema.id, "campaignName": Schema.string,
                        "month": Schema.string("YYYY-MM, China time."), "redeemedFen": Schema.fen, "usageCount": Schema.int,
                    ])),
            ], description: "PayoutsDTO"),
    ]

    /// RFC 9457 with the stable `code` and the extensions the codebase sets.
    static let problem: OpenAPIJSON = Schema.object(
        [
            "type": ["type": "string", "format": "uri", "description": "https://voucherrush.example/problems/{code}"],
            "title": Schema.string("The status's reason phrase."),
            "status": Schema.int,
            "detail": Schema.string("What went wrong and what to fix."),
            "code": [
                "type": "string", "pattern": "^[a-z][a-z0-9_]*$",
                "description": "Stable snake_case code to branch on: <subject>_<fault>, the noun first (page_invalid, reason_missing).",
            ],
            "aliases": Schema.array(Schema.string).merging([
                "description": "On a code renamed to the convention: its old names (x-code-aliases), so a client that branches on one keeps working."
            ]),
            "retryAfterSeconds": Schema.int.merging(["description": "On 429: seconds until a retry may succeed."]),
            "opensAt": Schema.time.merging(["description": "On not_open and ended: the campaign's window."]),
            "closesAt": Schema.time,
            "held": Schema.int.merging(["description": "On limit_reached: vouchers of the lot the organisation holds."]),
            "attemptsLeft": Schema.int.merging(["description": "On sms_code_invalid: wrong tries left for the code."]),
            "lines": Schema.array(Schema.object(["line": Schema.int, "reason": Schema.string, "codes": Schema.array(Schema.string)]))
                .merging(["description": "On statement_unreadable: the lines that cannot be read, the first ones only."]),
            "linesNotListed": Schema.int.merging(["description": "On statement_unreadable: unreadable lines not listed."]),
            "validOutcomes": Schema.array(Schema.string).merging(["description": "On outcome_unknown: the outcomes a report may be filtered by."]),
        ], optional: ["aliases", "retryAfterSeconds", "opensAt", "closesAt", "held", "attemptsLeft", "lines", "linesNotListed", "validOutcomes"],
        description: "Problem (RFC 9457)."
    )
    .merging(["additionalProperties": ["type": "string", "description": "not_ready names each store: ok or failed: …"]])

    static let roleSchema = Schema.oneOf(Role.allCases.map(\.rawValue))
    static let menuSchema = Schema.oneOf(MenuPermission.allCases.map(\.rawValue))
    static let certificationSchema = Schema.oneOf(["draft", "under_review", "certified", "rejected"])
    static let kindSchema = Schema.oneOf(VoucherKind.allCases.map(\.rawValue))
    static let directionSchema = Schema.oneOf(CampaignInput.directions, "General vouchers only.")
    static let usernameSchema: OpenAPIJSON = ["type": "string", "minLength": 6, "maxLength": 30, "pattern": "^[A-Za-z0-9_]+$"]
    static let passwordSchema: OpenAPIJSON = [
        "type": "string", "minLength": 8, "maxLength": 18,
        "description": "At least three of digits, upper case, lower case and symbols; not containing the username or phone; not a recent one.",
    ]
    static let productCategories = ProductCategory.allCases.map(\.rawValue)

    /// `OrganisationDetails.groups`: the eleven groups of fig 2-7 by code, values typed by rule.
    static let enterpriseGroupsSchema: OpenAPIJSON = {
        var groups: [String: OpenAPIJSON] = [:]
        for group in EnterpriseGroup.allCases {
            groups[group.rawValue] = [
                "type": "object", "maxProperties": .int(Int64(group.fieldsMax)),
                "description": .string("\(group.label): at most \(group.fieldsMax) fields."),
                "additionalProperties": [
                    "oneOf": [
                        ["type": "integer", "description": "Counts, people, percent; money in fields ending in Fen (not negative)."],
                        [
                            "type": "string", "minLength": 1, "maxLength": .int(Int64(EnterpriseGroup.textMax)),
                            "description": "Text; in fields ending in On a date YYYY-MM-DD.",
                        ],
                        ["type": "boolean"], ["type": "array", "items": ["type": "string"], "minItems": 1, "maxItems": 20],
                    ]
                ],
            ]
        }
        return [
            "type": "object", "properties": .object(groups), "additionalProperties": false,
            "description": "企业信息 groups after 企业背景 (运营, 人员, 信息数字化, 固定资产, 生产, 供应链, 客户服务, 安全环保, 融资条件, 融资状况, 创新研发).",
        ]
    }()

    static let organisationDetails: OpenAPIJSON = {
        let text = Schema.string
        let fields: KeyValuePairs<String, OpenAPIJSON> = [
            "name": text, "unifiedSocialCreditCode": Schema.string("统一社会信用代码, 18 characters with its check character."),
            "contactName": text, "contactPhone": text, "industry": text, "legalRepresentative": text,
            "legalRepresentativePhone": text, "contactTitle": text, "email": text, "postCode": text, "foundedOn": Schema.date,
            "registrationType": Schema.oneOf(DetailChoice.registrationTypes.options.map(\.code)),
            "taxCreditRating": Schema.oneOf(DetailChoice.taxCreditRatings.options.map(\.code)), "listed": Schema.bool, "coreProduct": text,
            "employeeCount": Schema.int, "registeredAddress": text, "businessAddress": text, "highTech": Schema.bool, "introduction": text,
            "listingBoard": Schema.oneOf(DetailChoice.listingBoards.options.map(\.code)), "listingPlanned": Schema.bool,
            "plannedListingOn": Schema.date, "plannedListingBoard": Schema.oneOf(DetailChoice.listingBoards.options.map(\.code)),
            "keyIndustryChain": text, "coreProduct2": text,
            "customerKinds": Schema.array(Schema.oneOf(DetailChoice.customerKinds.options.map(\.code))),
            "enterpriseCustomersIn3Years": Schema.int, "consumerCustomersIn1Year": Schema.int, "manufacturingOutputAverageFen": Schema.fen,
            "region": text, "registeredAddressDetail": text, "businessAddressDetail": text, "highTechCertifiedOn": Schema.date,
            "famousBrand": Schema.bool, "singleChampion": Schema.bool, "subsidyCountIn3Years": Schema.int, "subsidyTotalIn3YearsFen": Schema.fen,
            "subsidyLevel": Schema.oneOf(DetailChoice.subsidyLevels.options.map(\.code)), "specialisedGiant": Schema.bool,
            "provincialAwards": Schema.bool,
            "groups": enterpriseGroupsSchema,
            "extra": Schema.map(Schema.any).merging([
                "description": "Fields outside the form, kept as given; a group sent here by its Chinese name or code moves to groups."
            ]),
            "serviceScopes": Schema.array(Schema.oneOf(ServiceScope.allCases.map(\.rawValue))),
            "coreProducts": text, "servedIndustries": Schema.array(text), "industrialCustomerCount": Schema.int,
            "operatingSince": Schema.date,
            "annualRevenues": Schema.array(Schema.object(["year": Schema.int, "amountFen": Schema.fen])),
            "industrialSalesAverageFen": Schema.fen, "salesAverageFen": Schema.fen, "solutionSalesSharePercent": Schema.int,
        ]
        return Schema.object(
            fields, optional: Set(fields.map(\.0)),
            description: "OrganisationDetails: every field optional while saving; submitting needs those of the organisation's kind.")
    }()
}
