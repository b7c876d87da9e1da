import PostgresStore
import VoucherServices

private typealias Op = OpenAPIOperation

private let contentCodes = [
    "announcement_title_empty", "announcement_title_too_long", "announcement_content_empty", "announcement_content_too_long",
    "announcement_category_invalid", "announcement_audience_invalid",
]
private let categoryParameter = Op.Parameter.query(
    "category", Schema.oneOf(AnnouncementsController.categoryCodes),
    "Only this category: notice 通知, bulletin 公告, policy 政策, news 资讯 (the portal's 政策资讯 tabs).")

extension OpenAPIDocument {
    /// `AnnouncementsController`: operators write; the portal and the workbench read.
    static let announcementOperations: [OpenAPIOperation] = [
        Op(
            .post, "/v1/platform/announcements", id: "createAnnouncement", summary: "Draft an announcement (operators).",
            access: .signedIn([.operator]), body: .json(Schema.ref("AnnouncementInput")), status: 201,
            answer: .json(Schema.ref("Announcement")), errors: contentCodes),
        Op(
            .get, "/v1/platform/announcements", id: "platformAnnouncements",
            summary: "Every announcement in every state, pinned first, then the latest published (drafts by creation).",
            access: .signedIn([.operator]),
            parameters: [
                .query("state", Schema.oneOf(AnnouncementState.allCases.map(\.rawValue)), "Only announcements in this state now."),
                .query("audience", Schema.oneOf(AnnouncementsController.audiences), "Only announcements for this audience."),
                categoryParameter, .page, .pageSize,
            ],
            answer: .json(Schema.page(of: "Announcement")), errors: ["page_invalid", "filter_invalid"]),
        Op(
            .get, "/v1/platform/announcements/{id}", id: "platformAnnouncement", summary: "One announcement in any state (operators).",
            access: .signedIn([.operator]), answer: .json(Schema.ref("Announcement")), errors: ["announcement_not_found"]),
        Op(
            .put, "/v1/platform/announcements/{id}", id: "updateAnnouncement",
            summary: "Replace the text, category and audience of a draft or scheduled announcement; a published or withdrawn one is 409.",
            access: .signedIn([.operator]), body: .json(Schema.ref("AnnouncementInput")), answer: .json(Schema.ref("Announcement")),
            errors: contentCodes + ["announcement_not_found", "announcement_state_conflict"]),
        Op(
            .post, "/v1/platform/announcements/{id}/publish", id: "publishAnnouncement",
            summary: "Publish a draft or scheduled announcement now, or schedule it (publishAt in the future; readers see it from then on).",
            access: .signedIn([.operator]), body: .json(Schema.ref("AnnouncementPublish")), answer: .json(Schema.ref("Announcement")),
            errors: ["time_invalid", "announcement_not_found", "announcement_state_conflict"]),
        Op(
            .post, "/v1/platform/announcements/{id}/pin", id: "pinAnnouncement",
            summary: "Pin (pinned first in every list) or unpin an announcement that is not withdrawn.",
            access: .signedIn([.operator]), body: .json(Schema.ref("AnnouncementPin")), answer: .json(Schema.ref("Announcement")),
            errors: ["announcement_not_found", "announcement_state_conflict"]),
        Op(
            .post, "/v1/platform/announcements/{id}/withdraw", id: "withdrawAnnouncement",
            summary: "Withdraw a scheduled or published announcement: no reader sees it any more.",
            access: .signedIn([.operator]), answer: .json(Schema.ref("Announcement")),
            errors: ["announcement_not_found", "announcement_state_conflict"]),
        Op(
            .get, "/v1/public/announcements", id: "publicAnnouncements",
            summary: "The portal's 政策资讯: published announcements for everyone, pinned first, then the latest. No token needed.",
            access: .anyone, parameters: [categoryParameter, .page, .pageSize],
            answer: .json(Schema.page(of: "PublicAnnouncement")), errors: ["page_invalid", "filter_invalid"]),
        Op(
            .get, "/v1/public/announcements/{id}", id: "publicAnnouncement",
            summary: "One published announcement for everyone. No token needed; any other is 404.", access: .anyone,
            answer: .json(Schema.ref("PublicAnnouncement")), errors: ["announcement_not_found"]),
        Op(
            .get, "/v1/announcements", id: "myAnnouncements",
            summary: "The workbench's 公告: published announcements for my audience (enterprises: all and enterprises; providers: all "
                + "and providers; platform roles: every audience), pinned first, each with read, and how many are unread.",
            access: .signedIn([]),
            parameters: [
                categoryParameter, .query("unread", Schema.oneOf(["true", "false"]), "true: only the ones I have not read."), .page, .pageSize,
            ],
            answer: .json(Schema.ref("AnnouncementFeed")), errors: ["page_invalid", "filter_invalid"]),
        Op(
            .get, "/v1/announcements/{id}", id: "myAnnouncement",
            summary: "One published announcement for my audience; opening it marks it read. Another audience's is 404.",
            access: .signedIn([]), answer: .json(Schema.ref("ReaderAnnouncement")), errors: ["announcement_not_found"]),
        Op(
            .post, "/v1/announcements/{id}/read", id: "markAnnouncementRead", summary: "Mark an announcement for my audience read.",
            access: .signedIn([]), status: 204, answer: .empty, errors: ["announcement_not_found"]),
    ]

    /// The announcements' schemas.
    static let announcementSchemas: [String: OpenAPIJSON] = [
        "AnnouncementInput": Schema.object(
            [
                "title": ["type": "string", "minLength": 1, "maxLength": .int(Int64(AnnouncementsController.titleLengthMax))],
                "content": ["type": "string", "minLength": 1, "maxLength": .int(Int64(AnnouncementsController.contentLengthMax))],
                "category": categorySchema, "audience": Schema.oneOf(AnnouncementsController.audiences), "pinned": Schema.bool,
            ], optional: ["pinned"], description: "AnnouncementsController.ContentInput; pinned only on creation or to change it."),
        "AnnouncementPublish": Schema.object(
            ["publishAt": Schema.time.merging(["description": "When readers see it; absent or past: now."])], optional: ["publishAt"],
            description: "AnnouncementsController.PublishInput; an empty body publishes now."),
        "AnnouncementPin": Schema.object(["pinned": Schema.bool], description: "AnnouncementsController.PinInput"),
        "Announcement": Schema.object(
            [
                "id": Schema.id, "title": Schema.string, "content": Schema.string, "category": categorySchema, "categoryLabel": categoryLabel,
                "audience": Schema.oneOf(AnnouncementsController.audiences), "pinned": Schema.bool,
                "state": Schema.oneOf(AnnouncementState.allCases.map(\.rawValue), "At the moment of the answer."),
                "publishAt": Schema.time, "withdrawnAt": Schema.time, "createdAt": Schema.time, "updatedAt": Schema.time,
            ], optional: ["publishAt", "withdrawnAt"], description: "AnnouncementDTO (operators)."),
        "PublicAnnouncement": Schema.object(
            [
                "id": Schema.id, "title": Schema.string, "content": Schema.string, "category": categorySchema, "categoryLabel": categoryLabel,
                "pinned": Schema.bool, "publishedAt": Schema.time,
            ], description: "PublicAnnouncementDTO: no audience, author or state."),
        "ReaderAnnouncement": Schema.object(
            [
                "id": Schema.id, "title": Schema.string, "content": Schema.string, "category": categorySchema, "categoryLabel": categoryLabel,
                "audience": Schema.oneOf(AnnouncementsController.audiences), "pinned": Schema.bool, "publishedAt": Schema.time,
                "read": Schema.bool,
            ], description: "ReaderAnnouncementDTO: read says whether this user opened it."),
        "AnnouncementFeed": Schema.object(
            [
                "items": Schema.array(Schema.ref("ReaderAnnouncement")), "page": ["type": "integer", "minimum": 1],
                "pageSize": ["type": "integer", "minimum": 1, "maximum": 100], "total": ["type": "integer", "minimum": 0],
                "unread": ["type": "integer", "minimum": 0, "description": "Published announcements for me that I have not read."],
            ], description: "AnnouncementFeed"),
    ]

    private static let categorySchema = Schema.oneOf(
        AnnouncementsController.categoryCodes, "notice 通知, bulletin 公告, policy 政策, news 资讯.")
    private static let categoryLabel = Schema.oneOf(AnnouncementsController.categories.map(\.1), "The Chinese label of category.")
}
