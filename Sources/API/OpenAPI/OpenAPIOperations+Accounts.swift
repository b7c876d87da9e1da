import VoucherServices

private typealias Op = OpenAPIOperation

/// Codes of a new password (registration, sub-accounts, change), from `Passwords.checkNew`.
private let newPasswordCodes = [
    "password_mismatch", "password_too_short", "password_too_long", "password_invalid_character", "password_too_weak",
    "password_contains_username", "password_contains_phone",
]
private let usernameCodes = ["username_too_short", "username_too_long", "username_invalid_character"]
private let creditCodeCodes = ["credit_code_invalid_length", "credit_code_invalid_character", "credit_code_check_mismatch"]
/// Sub-account management: the certified main account of an enterprise or provider.
private let managerCodes = ["main_account_only", "certification_required"]
private let owners: [Role] = [.enterprise, .provider]

extension OpenAPIDocument {
    /// `HealthController` and `OpenAPIController`, outside `/v1`.
    static let serviceOperations: [OpenAPIOperation] = [
        Op(
            .get, "/health", id: "health", summary: "The process is alive (for restarts); touches no store.", access: .anyone,
            answer: .json(Schema.ref("Health"))),
        Op(
            .get, "/ready", id: "ready", summary: "PostgreSQL and Redis answer (for the load balancer); 503 names the failed stores.",
            access: .anyone, answer: .json(Schema.ref("Ready")), errors: ["not_ready"]),
        Op(
            .get, "/metrics", id: "metrics", summary: "Prometheus scrape; send the metrics token (VOUCHER_METRICS_TOKEN) as a bearer token.",
            access: .anyone, answer: .media(["text/plain; version=0.0.4; charset=utf-8": Schema.string]), errors: ["metrics_token_required"]),
        Op(
            .get, "/openapi.json", id: "openAPIDocument", summary: "This document (cached; answers 304 to a matching If-None-Match).",
            access: .anyone, answer: .json(["type": "object"])),
    ]

    /// `AuthController`.
    static let authOperations: [OpenAPIOperation] = [
        Op(
            .post, "/v1/auth/login", id: "login", summary: "Log in with username and password; throttled per account and address.",
            access: .anyone, body: .json(Schema.ref("LoginRequest")), answer: .json(Schema.ref("TokenResponse")),
            errors: ["credentials_invalid", "failed_logins_too_many"]),
        Op(
            .post, "/v1/auth/sms/send", id: "sendLoginCode",
            summary: "Send a 6-digit login code by SMS (same answer whether or not the phone has an account).",
            access: .anyone, body: .json(Schema.ref("SMSSendRequest")), status: 202, answer: .json(Schema.ref("SMSSendResponse")),
            errors: ["phone_invalid", "sms_rate_limited"]),
        Op(
            .post, "/v1/auth/sms/login", id: "loginWithCode",
            summary: "Log in with phone and SMS code (and username when the phone has several accounts).",
            access: .anyone, body: .json(Schema.ref("SMSLoginRequest")), answer: .json(Schema.ref("TokenResponse")),
            errors: ["phone_invalid", "sms_code_malformed", "phone_ambiguous", "sms_code_invalid"]),
        Op(
            .post, "/v1/auth/refresh", id: "refreshSession",
            summary: "Spend a refresh token for the next pair; a reused one revokes its whole login.",
            access: .anyone, body: .json(Schema.ref("RefreshRequest")), answer: .json(Schema.ref("TokenResponse")),
            errors: ["refresh_token_invalid", "refresh_token_reused"]),
        Op(
            .post, "/v1/auth/logout", id: "logout", summary: "Revoke the login of a refresh token.", access: .anyone,
            body: .json(Schema.ref("RefreshRequest")), status: 204, answer: .empty),
    ]

    /// `RegistrationController`: two resumable steps, the survey, submission for certification.
    static let registrationOperations: [OpenAPIOperation] = [
        Op(
            .post, "/v1/registrations/sms", id: "sendRegistrationCode",
            summary: "Send a 6-digit code by SMS to the phone to be registered (a code a minute and five an hour per phone; limited per address).",
            access: .anyone, body: .json(Schema.ref("SMSSendRequest")), status: 202, answer: .json(Schema.ref("SMSSendResponse")),
            errors: ["phone_invalid", "sms_rate_limited", "registration_rate_limited"]),
        Op(
            .post, "/v1/registrations", id: "register",
            summary: "Step one, with the phone's SMS code: an enterprise or provider main account and its draft organisation, signed in.",
            access: .anyone, body: .json(Schema.ref("RegisterRequest")), status: 201, answer: .json(Schema.ref("RegisterResponse")),
            errors: [
                "role_invalid", "phone_invalid", "consent_required", "username_taken", "phone_taken", "sms_code_missing",
                "sms_code_malformed", "sms_code_invalid", "registration_rate_limited",
            ] + usernameCodes + newPasswordCodes),
        Op(
            .get, "/v1/registrations/me", id: "registrationDraft", summary: "The draft, what is still missing, and the certification state.",
            access: .signedIn(owners), answer: .json(Schema.ref("RegistrationDraft")), errors: ["main_account_only", "not_found"]),
        Op(
            .put, "/v1/registrations/me/details", id: "saveRegistrationDetails", summary: "Save step two (partial saves allowed).",
            access: .signedIn(owners), body: .json(Schema.ref("OrganisationDetails")), answer: .json(Schema.ref("RegistrationDraft")),
            errors: [
                "main_account_only", "not_found", "field_invalid", "email_invalid", "service_scope_invalid", "credit_code_taken",
                "certification_state_conflict",
            ] + creditCodeCodes),
        Op(
            .put, "/v1/registrations/me/licence", id: "uploadLicence",
            summary: "The business licence image as the raw body (JPG or PNG by content, at most 10 MB).",
            access: .signedIn(owners), body: .raw(mediaTypes: ["image/jpeg", "image/png"], description: "The licence image."),
            answer: .json(Schema.ref("StoredFile")),
            errors: [
                "main_account_only", "file_empty", "file_too_large", "file_type_unsupported", "certification_state_conflict",
                "storage_quota_exceeded",
            ]),
        Op(
            .post, "/v1/registrations/me/submit", id: "submitRegistration",
            summary: "Submit for certification: under_review and an application in the operators' inbox.",
            access: .signedIn(owners), status: 202, answer: .json(Schema.ref("SubmitResponse")),
            errors: [
                "main_account_only", "not_found", "registration_incomplete", "survey_required", "details_missing",
                "certification_state_conflict", "application_pending",
            ]),
        Op(
            .put, "/v1/organisations/me/survey", id: "answerSurvey", summary: "The demand survey (企业需求收集), needed before an enterprise submits.",
            access: .signedIn([.enterprise]), body: .json(Schema.ref("Survey")), answer: .json(Schema.ref("Survey")),
            errors: ["main_account_only", "field_invalid", "company_type_invalid"]),
        Op(
            .get, "/v1/organisations/me/survey", id: "survey", summary: "The enterprise's survey answers.",
            access: .signedIn([.enterprise]), answer: .json(Schema.ref("Survey")), errors: ["not_found"]),
        Op(
            .get, "/v1/organisations/me", id: "organisation",
            summary: "我的企业: the caller's organisation, its certification state, 认证信息, 基本信息 (the details) and 企业诊断信息 (the survey).",
            access: .signedIn(owners), answer: .json(Schema.ref("Organisation")), errors: ["not_found"]),
    ]

    /// `AccountController` and `SubAccountsController`.
    static let accountOperations: [OpenAPIOperation] = [
        Op(
            .get, "/v1/account/me", id: "me", summary: "Who I am, my organisation and its certification.", access: .signedIn([]),
            answer: .json(Schema.ref("Me"))),
        Op(
            .put, "/v1/account/password", id: "changePassword", summary: "Change my password (the current one required; policy and history apply).",
            access: .signedIn([]), body: .json(Schema.ref("ChangePasswordRequest")), status: 204, answer: .empty,
            errors: ["current_password_wrong", "password_reused"] + newPasswordCodes),
        Op(
            .get, "/v1/subaccounts", id: "listSubAccounts", summary: "The organisation's sub-accounts.", access: .signedIn(owners),
            parameters: [.page, .pageSize], answer: .json(Schema.page(of: "SubAccount")), errors: managerCodes + ["page_invalid"]),
        Op(
            .post, "/v1/subaccounts", id: "createSubAccount",
            summary: "Add a sub-account; its username is fixed forever, its phone unique in the organisation.",
            access: .signedIn(owners), body: .json(Schema.ref("SubAccountCreate")), status: 201, answer: .json(Schema.ref("SubAccount")),
            errors: managerCodes + usernameCodes + newPasswordCodes
                + ["phone_invalid", "email_invalid", "permission_invalid", "subaccount_limit", "username_taken", "phone_taken", "not_found"]),
        Op(
            .get, "/v1/subaccounts/{id}", id: "subAccount", summary: "One sub-account of the organisation.", access: .signedIn(owners),
            answer: .json(Schema.ref("SubAccount")), errors: managerCodes + ["not_found"]),
        Op(
            .patch, "/v1/subaccounts/{id}", id: "updateSubAccount", summary: "Edit a sub-account's phone and e-mail.", access: .signedIn(owners),
            body: .json(Schema.ref("SubAccountUpdate")), answer: .json(Schema.ref("SubAccount")),
            errors: managerCodes + ["not_found", "username_immutable", "phone_invalid", "email_invalid", "phone_taken"]),
        Op(
            .delete, "/v1/subaccounts/{id}", id: "deleteSubAccount", summary: "Delete a sub-account.", access: .signedIn(owners),
            status: 204, answer: .empty, errors: managerCodes + ["not_found"]),
        Op(
            .put, "/v1/subaccounts/{id}/password", id: "resetSubAccountPassword", summary: "Reset a sub-account's password.",
            access: .signedIn(owners), body: .json(Schema.ref("SubAccountPassword")), status: 204, answer: .empty,
            errors: managerCodes + newPasswordCodes + ["password_reused", "not_found"]),
        Op(
            .put, "/v1/subaccounts/{id}/permissions", id: "setSubAccountPermissions", summary: "A sub-account's menu permissions (应用内权限配置).",
            access: .signedIn(owners), body: .json(Schema.ref("SubAccountPermissions")), answer: .json(Schema.ref("SubAccount")),
            errors: managerCodes + ["permission_invalid", "not_found"]),
    ]

    /// `ApprovalsController`: the inbox (我的待办).
    static let approvalOperations: [OpenAPIOperation] = {
        let filters: [Op.Parameter] = [
            .query("createdFrom", Schema.time, "Created at or after this time."),
            .query("createdTo", Schema.time, "Created before this time."),
            .query("title", ["type": "string", "maxLength": 100], "Part of the application's title."),
            .query("applicant", ["type": "string", "maxLength": 100], "Part of the applicant's name."),
            .page, .pageSize,
        ]
        let listCodes = ["page_invalid", "time_invalid", "filter_invalid"]
        // Approving runs the application's effect: certification, a payment's capture, a refund, a redemption step.
        let decideCodes = [
            "not_found", "application_closed", "not_your_stage", "reason_too_long",
            "certification_state_conflict", "order_state_conflict", "batch_state_conflict",
        ]
        return [
            Op(
                .get, "/v1/approvals/waiting", id: "approvalsWaiting", summary: "Pending applications whose current stage is my role (待我审批).",
                access: .signedIn([]), parameters: filters, answer: .json(Schema.page(of: "Approval")), errors: listCodes),
            Op(
                .get, "/v1/approvals/mine", id: "approvalsMine", summary: "Applications I filed (我的申请).",
                access: .signedIn([]), parameters: filters, answer: .json(Schema.page(of: "Approval")), errors: listCodes),
            Op(
                .get, "/v1/approvals/history", id: "approvalsHistory", summary: "Applications I decided on or withdrew.",
                access: .signedIn([]), parameters: filters, answer: .json(Schema.page(of: "Approval")), errors: listCodes),
            Op(
                .get, "/v1/approvals/{id}", id: "approval",
                summary: "One application with its stages and decisions (its organisation's, or in my role's chain).",
                access: .signedIn([]), answer: .json(Schema.ref("Approval")), errors: ["not_found"]),
            Op(
                .post, "/v1/approvals/{id}/approve", id: "approveApplication",
                summary: "Approve the current stage (its role only; one stage a person, four-eyes); the last stage applies the effect.",
                access: .signedIn(ApprovalsController.deciderRoles + ApprovalsController.confirmingRoles),
                body: .json(Schema.ref("ApprovalDecision")),
                answer: .json(Schema.ref("Approval")), errors: decideCodes + ["four_eyes_required", "order_redeemed"]),
            Op(
                .post, "/v1/approvals/{id}/reject", id: "rejectApplication",
                summary: "Reject at the current stage, with a reason the applicant can act on.",
                access: .signedIn(ApprovalsController.deciderRoles + ApprovalsController.confirmingRoles),
                body: .json(Schema.ref("ApprovalDecision")),
                answer: .json(Schema.ref("Approval")), errors: decideCodes + ["reason_missing"]),
            Op(
                .post, "/v1/approvals/{id}/withdraw", id: "withdrawApplication", summary: "Withdraw (撤销) my pending application.",
                access: .signedIn([]), answer: .json(Schema.ref("Approval")),
                errors: ["not_found", "not_applicant", "application_closed"]),
        ]
    }()
}
