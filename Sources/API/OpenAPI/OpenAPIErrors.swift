import VoucherCore
import VoucherServices

/// Every stable problem `code` the API answers, with its status: the document groups an
/// operation's codes by status from here, so a code has one status everywhere it appears.
/// Collected from the `Problem(…)`s of the controllers and the domain errors they map
/// (`OrdersError`, `RedemptionError`, `AccountsStoreError`, the core's validation errors).
enum OpenAPIErrors {
    /// Status by code; a code listed under two statuses stops the process at first use.
    static let statusByCode: [String: Int] = {
        var table: [String: Int] = [:]
        for (status, codes) in byStatus.merging(expertCodesByStatus, uniquingKeysWith: +) {
            for code in codes {
                precondition(table[code] == nil, "problem code \(code) listed under two statuses")
                table[code] = status
            }
        }
        return table
    }()

    /// The old names of codes renamed to the convention (`ErrorCode.aliases`), rendered as the
    /// document's `x-code-aliases`: a problem with such a code also carries them in `aliases`.
    static let aliases: [String: [String]] = ErrorCode.aliases

    /// The codes by status, as written by the controllers and the domain mappings.
    static let byStatus: [Int: [String]] = [
        400: [
            "body_invalid", "text_invalid", "request_malformed", "id_malformed", "page_invalid", "time_invalid", "filter_invalid", "status_invalid",
            "idempotency_key_missing", "idempotency_key_invalid", "file_empty",
            // accounts
            "role_invalid", "consent_required", "password_mismatch", "current_password_wrong",
            "username_too_short", "username_too_long", "username_invalid_character", "username_immutable", "phone_invalid",
            "password_too_short", "password_too_long", "password_invalid_character", "password_too_weak",
            "password_contains_username", "password_contains_phone", "password_reused",
            "credit_code_invalid_length", "credit_code_invalid_character", "credit_code_check_mismatch",
            "field_invalid", "email_invalid", "service_scope_invalid", "company_type_invalid", "permission_invalid", "choice_invalid",
            "sms_code_malformed", "sms_code_missing", "reason_missing", "reason_too_long",
            // campaigns
            "campaign_name_invalid", "window_invalid", "lots_invalid", "lot_kind_invalid",
            "lot_direction_invalid", "lot_face_value_invalid", "lot_stock_invalid", "lot_limit_invalid", "lot_mode_invalid",
            "lot_validity_invalid",
            // orders
            "voucher_not_applicable", "voucher_on_free_order", "quantity_out_of_range", "order_total_too_large", "product_invalid",
            "voucher_duplicate", "vouchers_too_many",
            // listings
            "listing_invalid", "solution_classes_too_many", "industries_too_many", "price_range_invalid", "case_studies_missing",
            "listing_file_unknown", "file_kind_invalid",
            // catalogue (price_range_invalid above serves both)
            "query_invalid", "category_invalid", "voucher_kind_invalid", "voucher_direction_invalid", "sort_invalid",
            // reviews
            "review_stars_invalid", "review_text_too_short", "review_text_too_long",
            // redemption and finance
            "payee_bank_not_allowed", "payee_name_mismatch", "payee_number_invalid", "usages_empty", "usages_too_many",
            "usage_not_redeemable", "transfer_invalid", "redemption_invalid", "period_invalid",
            // reconciliation
            "filename_invalid", "note_missing", "format_invalid", "outcome_unknown",
            // announcements
            "announcement_title_empty", "announcement_title_too_long", "announcement_content_empty", "announcement_content_too_long",
            "announcement_category_invalid", "announcement_audience_invalid",
        ],
        401: [
            "unauthenticated", "token_invalid", "token_expired", "credentials_invalid", "sms_code_invalid",
            "refresh_token_invalid", "refresh_token_reused", "metrics_token_required", "session_revoked",
        ],
        403: [
            "role_forbidden", "main_account_only", "certification_required", "permission_denied", "not_certified",
            "not_your_stage", "not_applicant",
        ],
        404: [
            "not_found", "campaign_not_found", "lot_not_found", "application_not_found", "product_not_found", "spec_not_found",
            "order_not_found", "voucher_not_found", "payee_account_not_found", "usage_not_found", "batch_not_found",
            "statement_not_found", "statement_line_not_found", "file_not_found", "enterprise_not_found",
            "review_not_found",
            "announcement_not_found",
        ],
        409: [
            "username_taken", "phone_taken", "credit_code_taken", "certification_state_conflict", "survey_required",
            "details_missing", "application_closed", "application_pending", "phone_ambiguous", "subaccount_limit",
            "campaign_not_draft", "campaign_not_published", "campaign_ended", "stock_below_issued", "lot_not_grabbable",
            "lot_not_applicable", "sold_out", "not_open", "ended", "limit_reached", "application_decided",
            "order_state_conflict", "proofs_too_many", "proofs_missing", "voucher_expired",
            "payee_account_exists", "usage_in_batch", "batch_state_conflict", "transfer_mismatch",
            "line_not_payout", "batch_not_paid", "match_exceeds_batch", "line_not_decided", "four_eyes_required",
            "listing_state_conflict",
            "order_not_accepted", "review_exists", "review_edit_window_closed", "review_hidden",
            "announcement_state_conflict",
            "order_not_paid", "order_redeemed",
        ],
        413: [
            "payload_too_large", "file_too_large", "proof_too_large", "materials_too_large", "statement_too_large",
            "statement_too_many_lines", "storage_quota_exceeded", "image_too_large", "document_too_large",
        ],
        415: [
            "file_type_unsupported", "proof_unsupported_format", "materials_unsupported_format", "media_type_unsupported",
            "image_unsupported_format", "document_unsupported_format",
        ],
        422: [
            "registration_incomplete", "idempotency_key_reused", "statement_unreadable", "statement_empty", "statement_not_recognised",
            "statement_encoding_unknown", "statement_malformed",
        ],
        429: ["failed_logins_too_many", "sms_rate_limited", "rate_limited", "registration_rate_limited"],
        500: ["internal_error"],
        503: ["not_ready", "lot_not_loaded", "busy", "unavailable", "grab_unconfirmed"],
    ]

    /// The codes an operation shares with every route of its kind, so each operation lists only
    /// its own: any failure can be a 500; a token sent to a `/v1` route is verified even where
    /// none is needed; a signed-in route refuses anonymous callers, other roles and sub-accounts
    /// without the menu; a JSON body can fail to decode or pass `http.bodyBytesMax`; text holding
    /// a NUL or a lone surrogate (in the URI, a header or a JSON body) is `text_invalid`, and a
    /// body whose HTTP framing breaks is `request_malformed`; a path id that does not parse is
    /// 400 `id_malformed` on every route with one.
    static func shared(for operation: OpenAPIOperation) -> [String] {
        var codes = ["internal_error", "text_invalid"]
        if !operation.pathParameters.isEmpty { codes.append("id_malformed") }
        if operation.body != nil { codes.append("request_malformed") }
        if operation.path.hasPrefix("/v1/") { codes += ["token_invalid", "token_expired", "session_revoked", "unavailable"] }
        if case .signedIn(let roles) = operation.access {
            codes.append("unauthenticated")
            if !roles.isEmpty, Set(roles) != Set(Role.allCases) { codes.append("role_forbidden") }
        }
        if !operation.menus.isEmpty { codes.append("permission_denied") }
        if case .json = operation.body { codes += ["body_invalid", "payload_too_large"] }
        return codes
    }
}
