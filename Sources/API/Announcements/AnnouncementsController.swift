import Foundation
import Hummingbird
import PostgresStore
import VoucherCore
import VoucherServices

/// Announcements (公告, guide §1.4.1, §2.4.1; the portal's 政策资讯 tabs, §2.3.1 fig 2-2):
///
/// - operators (`/v1/platform/announcements…`): draft, edit (while draft or scheduled), publish
///   now or at a time (`publishAt`), pin or unpin, withdraw; list every state;
/// - the portal (`/v1/public/announcements…`, no token): published, unwithdrawn announcements
///   for audience `all`, pinned first, filtered by category and paged;
/// - the workbench (`/v1/announcements…`, signed in): the latest for the reader's audience with
///   read/unread per user; opening one (or `POST …/read`) marks it read.
///
/// A scheduled announcement becomes visible when the clock reaches `publishAt` (no job runs).
/// Another audience's announcement, a draft, a scheduled or a withdrawn one is 404 to readers.
struct AnnouncementsController {
    let announcements: AnnouncementsRepository
    let clock: any WallClock

    /// Category codes and the portal's tab labels (通知/公告/政策/资讯).
    static let categories: KeyValuePairs<String, String> = ["notice": "通知", "bulletin": "公告", "policy": "政策", "news": "资讯"]
    static let categoryCodes = categories.map(\.0)
    static let audiences = ["all", "enterprises", "providers"]
    static let titleLengthMax = 100
    static let contentLengthMax = 20_000

    var endpoints: RouteCollection<AppRequestContext> {
        RouteCollection(context: AppRequestContext.self)
            .post("platform/announcements", use: create)
            .get("platform/announcements", use: operatorList)
            .get("platform/announcements/:id", use: operatorDetail)
            .put("platform/announcements/:id", use: update)
            .post("platform/announcements/:id/publish", use: publish)
            .post("platform/announcements/:id/pin", use: pin)
            .post("platform/announcements/:id/withdraw", use: withdraw)
            .get("public/announcements", use: publicList)
            .get("public/announcements/:id", use: publicDetail)
            .get("announcements", use: readerList)
            .get("announcements/:id", use: readerDetail)
            .post("announcements/:id/read", use: markRead)
    }

    // MARK: Operators

    /// The text of an announcement (`AnnouncementInput`): every field but `pinned` required.
    struct ContentInput: Decodable, Sendable {
        let title: String
        let content: String
        let category: String
        let audience: String
        let pinned: Bool?
    }

    struct PublishInput: Decodable, Sendable {
        let publishAt: String?
    }

    struct PinInput: Decodable, Sendable {
        let pinned: Bool
    }

    func create(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.requireIdentity(.operator)
        var request = request
        let input = try await request.decodeJSON(as: ContentInput.self, context: context)
        let record = try await announcements.create(
            id: OpaqueID.make(prefix: "ann"), content: try Self.content(input), pinned: input.pinned ?? false, by: identity.userID,
            now: clock.now())
        return try AnnouncementDTO(record, now: clock.now()).response(from: request, context: context).with(status: .created)
    }

    func operatorList(_ request: Request, _ context: AppRequestContext) async throws -> Page<AnnouncementDTO> {
        _ = try context.requireIdentity(.operator)
        let query = PageRequest.query(request)
        let page = try PageRequest(query)
        let state = try PlatformController.oneOf(query["state"], AnnouncementState.allCases.map(\.rawValue), "state")
        let audience = try PlatformController.oneOf(query["audience"], Self.audiences, "audience")
        let filter = AnnouncementFilter(
            audiences: audience.map { [$0] }, category: try Self.category(query), state: state.flatMap(AnnouncementState.init(rawValue:)))
        let now = clock.now()
        let result = try await announcements.list(filter, reader: nil, now: now, page: page.page, pageSize: page.pageSize)
        return Page(items: result.items.map { AnnouncementDTO($0, now: now) }, page: page.page, pageSize: page.pageSize, total: result.total)
    }

    func operatorDetail(_ request: Request, _ context: AppRequestContext) async throws -> AnnouncementDTO {
        _ = try context.requireIdentity(.operator)
        guard let record = try await announcements.find(id: try Self.id(context)) else { throw Self.notFound }
        return AnnouncementDTO(record, now: clock.now())
    }

    func update(_ request: Request, _ context: AppRequestContext) async throws -> AnnouncementDTO {
        _ = try context.requireIdentity(.operator)
        let id = try Self.id(context)
        var request = request
        let input = try await request.decodeJSON(as: ContentInput.self, context: context)
        let content = try Self.content(input)
        let now = clock.now()
        var result = try await announcements.update(id: id, content: content, now: now)
        if case .done = result, let pinned = input.pinned { result = try await announcements.pin(id: id, pinned: pinned, now: now) }
        return try Self.changed(result, now: now, action: "edited")
    }

    func publish(_ request: Request, _ context: AppRequestContext) async throws -> AnnouncementDTO {
        _ = try context.requireIdentity(.operator)
        let id = try Self.id(context)
        var request = request
        let buffer = try await request.collectBody(upTo: AccountsLimits.jsonBodyBytesMax)
        let input =
            buffer.readableBytes == 0
            ? PublishInput(publishAt: nil) : try context.requestDecoder.decode(PublishInput.self, from: Data(buffer.readableBytesView))
        let now = clock.now()
        var publishAt = now
        if let text = input.publishAt {
            guard let time = RFC3339.parse(text) else {
                throw AccountsError.invalid(
                    "time_invalid", "publishAt must be an RFC 3339 time with an offset, such as 2026-12-01T10:00:00+08:00.")
            }
            // A time already past publishes at once: an announcement is never backdated.
            publishAt = max(time, now)
        }
        return try Self.changed(try await announcements.publish(id: id, at: publishAt, now: now), now: now, action: "published")
    }

    func pin(_ request: Request, _ context: AppRequestContext) async throws -> AnnouncementDTO {
        _ = try context.requireIdentity(.operator)
        let id = try Self.id(context)
        var request = request
        let pinned = try await request.decodeJSON(as: PinInput.self, context: context).pinned
        let now = clock.now()
        return try Self.changed(try await announcements.pin(id: id, pinned: pinned, now: now), now: now, action: "pinned")
    }

    func withdraw(_ request: Request, _ context: AppRequestContext) async throws -> AnnouncementDTO {
        _ = try context.requireIdentity(.operator)
        let now = clock.now()
        return try Self.changed(try await announcements.withdraw(id: try Self.id(context), now: now), now: now, action: "withdrawn")
    }

    // MARK: The portal

    func publicList(_ request: Request, _ context: AppRequestContext) async throws -> Page<PublicAnnouncementDTO> {
        let query = PageRequest.query(request)
        let page = try PageRequest(query)
        let filter = AnnouncementFilter.forReaders(audiences: ["all"], category: try Self.category(query))
        let result = try await announcements.list(filter, reader: nil, now: clock.now(), page: page.page, pageSize: page.pageSize)
        return Page(items: result.items.map(PublicAnnouncementDTO.init), page: page.page, pageSize: page.pageSize, total: result.total)
    }

    func publicDetail(_ request: Request, _ context: AppRequestContext) async throws -> PublicAnnouncementDTO {
        let id = try Self.id(context)
        guard let record = try await announcements.published(id: id, audiences: ["all"], reader: nil, now: clock.now()) else {
            throw Self.notFound
        }
        return PublicAnnouncementDTO(record)
    }

    // MARK: The workbench

    func readerList(_ request: Request, _ context: AppRequestContext) async throws -> AnnouncementFeed {
        let identity = try context.requireIdentity()
        let query = PageRequest.query(request)
        let page = try PageRequest(query)
        let unreadOnly = try PlatformController.oneOf(query["unread"], ["true", "false"], "unread") == "true"
        let audiences = Self.audiences(of: identity.role)
        let now = clock.now()
        let filter = AnnouncementFilter.forReaders(audiences: audiences, category: try Self.category(query), unreadOnly: unreadOnly)
        let result = try await announcements.list(filter, reader: identity.userID, now: now, page: page.page, pageSize: page.pageSize)
        let unread = try await announcements.unreadCount(audiences: audiences, reader: identity.userID, now: now)
        return AnnouncementFeed(
            items: result.items.map(ReaderAnnouncementDTO.init), page: page.page, pageSize: page.pageSize, total: result.total, unread: unread)
    }

    func readerDetail(_ request: Request, _ context: AppRequestContext) async throws -> ReaderAnnouncementDTO {
        ReaderAnnouncementDTO(try await read(context))
    }

    func markRead(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try await read(context)
        return Response(status: .noContent)
    }

    /// The published announcement of the path for the reader's audience, recorded as read by them.
    private func read(_ context: AppRequestContext) async throws -> AnnouncementRecord {
        let identity = try context.requireIdentity()
        let id = try Self.id(context)
        guard
            let record = try await announcements.published(
                id: id, audiences: Self.audiences(of: identity.role), reader: identity.userID, now: clock.now())
        else { throw Self.notFound }
        return record
    }

    // MARK: Rules

    /// Enterprises read `all` and `enterprises`, providers `all` and `providers`; the platform's
    /// own roles read every audience (they answer questions about all of them).
    static func audiences(of role: Role) -> [String] {
        switch role {
        case .enterprise: ["all", "enterprises"]
        case .provider: ["all", "providers"]
        default: audiences
        }
    }

    static let notFound = DomainError(
        code: "announcement_not_found", kind: .notFound,
        detail: "No announcement with this id is published for you. Take the id from the announcements list.")

    static func id(_ context: AppRequestContext) throws -> String { try PathID.check(context.parameters.get("id") ?? "", "id") }

    static func category(_ query: [String: String]) throws -> String? {
        try PlatformController.oneOf(query["category"], categoryCodes, "category")
    }

    /// The text, category and audience of an input, each checked; the first fault is answered.
    static func content(_ input: ContentInput) throws -> AnnouncementContent {
        let title = input.title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !title.isEmpty else {
            throw AccountsError.invalid("announcement_title_empty", "Give the announcement a title (1 to \(titleLengthMax) characters).")
        }
        guard title.count <= titleLengthMax else {
            throw AccountsError.invalid(
                "announcement_title_too_long", "The title has \(title.count) characters; shorten it to at most \(titleLengthMax).")
        }
        let content = input.content
        guard !content.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw AccountsError.invalid(
                "announcement_content_empty", "Write the announcement's text in content (1 to \(contentLengthMax) characters).")
        }
        guard content.count <= contentLengthMax else {
            throw AccountsError.invalid(
                "announcement_content_too_long", "The text has \(content.count) characters; shorten it to at most \(contentLengthMax).")
        }
        guard categoryCodes.contains(input.category) else {
            throw AccountsError.invalid(
                "announcement_category_invalid", "category must be one of \(categories.map { "\($0.0) (\($0.1))" }.joined(separator: ", ")).")
        }
        guard audiences.contains(input.audience) else {
            throw AccountsError.invalid("announcement_audience_invalid", "audience must be one of \(audiences.joined(separator: ", ")).")
        }
        return AnnouncementContent(title: title, body: content, category: input.category, audience: input.audience)
    }

    /// The answer of an operator's change, or its refusal.
    static func changed(_ change: AnnouncementChange, now: Date, action: String) throws -> AnnouncementDTO {
        switch change {
        case .done(let record): return AnnouncementDTO(record, now: now)
        case .notFound: throw DomainError(code: "announcement_not_found", kind: .notFound, detail: "No announcement with this id. Check the id.")
        case .conflict(let state):
            throw DomainError(
                code: "announcement_state_conflict", kind: .conflict,
                detail: "A \(state.rawValue) announcement cannot be \(action). Drafts and scheduled ones are edited and published; "
                    + "scheduled and published ones are withdrawn; withdrawn ones change no more. Write a new announcement instead.")
        }
    }
}

/// An announcement as operators see it, with its state at the moment of the answer.
struct AnnouncementDTO: ResponseEncodable, Sendable {
    let id: String
    let title: String
    let content: String
    let category: String
    let categoryLabel: String
    let audience: String
    let pinned: Bool
    let state: String
    let publishAt: Date?
    let withdrawnAt: Date?
    let createdAt: Date
    let updatedAt: Date

    init(_ record: AnnouncementRecord, now: Date) {
        id = record.id
        title = record.content.title
        content = record.content.body
        category = record.content.category
        categoryLabel = AnnouncementsController.label(record.content.category)
        audience = record.content.audience
        pinned = record.pinned
        state = record.state(at: now).rawValue
        publishAt = record.publishAt
        withdrawnAt = record.withdrawnAt
        createdAt = record.createdAt
        updatedAt = record.updatedAt
    }
}

/// What the portal shows of a published announcement: no audience, no author, no state.
struct PublicAnnouncementDTO: ResponseEncodable, Sendable {
    let id: String
    let title: String
    let content: String
    let category: String
    let categoryLabel: String
    let pinned: Bool
    let publishedAt: Date

    init(_ record: AnnouncementRecord) {
        id = record.id
        title = record.content.title
        content = record.content.body
        category = record.content.category
        categoryLabel = AnnouncementsController.label(record.content.category)
        pinned = record.pinned
        publishedAt = record.publishAt ?? record.createdAt
    }
}

/// A published announcement in the workbench, with whether this user has read it.
struct ReaderAnnouncementDTO: ResponseEncodable, Sendable {
    let id: String
    let title: String
    let content: String
    let category: String
    let categoryLabel: String
    let audience: String
    let pinned: Bool
    let publishedAt: Date
    let read: Bool

    init(_ record: AnnouncementRecord) {
        id = record.id
        title = record.content.title
        content = record.content.body
        category = record.content.category
        categoryLabel = AnnouncementsController.label(record.content.category)
        audience = record.content.audience
        pinned = record.pinned
        publishedAt = record.publishAt ?? record.createdAt
        read = record.read
    }
}

/// The workbench's list: a page and how many of the reader's announcements are unread.
struct AnnouncementFeed: ResponseEncodable, Sendable {
    let items: [ReaderAnnouncementDTO]
    let page: Int
    let pageSize: Int
    let total: Int
    let unread: Int
}

extension AnnouncementsController {
    static func label(_ category: String) -> String { categories.first { $0.0 == category }?.1 ?? category }
}
