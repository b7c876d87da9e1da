import Foundation
import Hummingbird
import PostgresStore
import VoucherCore
import VoucherServices

/// The workbench (工作台, guide §1.4.1 and §2.4.1): what the page shows on entry, in one request.
///
/// - `GET /v1/workbench` (any signed-in user) the reader's role and account, the organisation's
///   certification (认证情况), the 待办 counts (待我审批 and my pending applications; only for those
///   holding the inbox menu) and the latest announcements for the reader's audience with the
///   unread count (the same ones `GET /v1/announcements` lists).
struct WorkbenchController {
    let workbench: WorkbenchRepository
    let announcements: AnnouncementsRepository
    let clock: any WallClock

    /// Announcements the summary shows; the full list is `GET /v1/announcements`.
    static let latestAnnouncementsMax = 5

    var endpoints: RouteCollection<AppRequestContext> {
        RouteCollection(context: AppRequestContext.self)
            .get("workbench", use: summary)
    }

    /// Over the service's PostgreSQL and announcements (the JSON route and the 工作台 page share it).
    init(services: Services) {
        self.init(
            workbench: WorkbenchRepository(client: services.stores.postgres, logger: services.logger), announcements: services.announcements,
            clock: services.clock)
    }

    init(workbench: WorkbenchRepository, announcements: AnnouncementsRepository, clock: any WallClock) {
        self.workbench = workbench
        self.announcements = announcements
        self.clock = clock
    }

    func summary(_ request: Request, _ context: AppRequestContext) async throws -> WorkbenchDTO {
        try await summary(for: try context.requireIdentity())
    }

    /// The summary of `identity`'s workbench: the one rule behind `GET /v1/workbench` and the 工作台 page.
    func summary(for identity: Identity) async throws -> WorkbenchDTO {
        guard let organisation = try await workbench.organisation(id: identity.orgID) else { throw AuthProblem.invalidToken }
        var inbox: WorkbenchDTO.Inbox?
        if identity.may(.inbox) {
            let organisationScoped = identity.role == .enterprise || identity.role == .provider
            let counts = try await workbench.inboxCounts(
                userID: identity.userID, role: identity.role.rawValue, orgID: identity.orgID, organisationScoped: organisationScoped)
            inbox = WorkbenchDTO.Inbox(waiting: counts.waiting, minePending: counts.minePending)
        }
        let audiences = AnnouncementsController.audiences(of: identity.role)
        let now = clock.now()
        let latest = try await announcements.list(
            .forReaders(audiences: audiences), reader: identity.userID, now: now, page: 1, pageSize: Self.latestAnnouncementsMax)
        let unread = try await announcements.unreadCount(audiences: audiences, reader: identity.userID, now: now)
        return WorkbenchDTO(
            role: identity.role.rawValue, mainAccount: identity.isMainAccount, organisation: .init(organisation), inbox: inbox,
            announcements: .init(latest: latest.items.map(ReaderAnnouncementDTO.init), unread: unread, total: latest.total))
    }
}

/// The workbench summary (WorkbenchController).
struct WorkbenchDTO: ResponseEncodable, Sendable {
    struct Organisation: Encodable, Sendable {
        let id: String
        let name: String
        let kind: String
        let certification: String

        init(_ record: WorkbenchOrganisation) {
            id = record.id
            name = record.name
            kind = record.kind
            certification = record.certification
        }
    }

    struct Inbox: Encodable, Sendable {
        let waiting: Int
        let minePending: Int
    }

    struct Announcements: Encodable, Sendable {
        let latest: [ReaderAnnouncementDTO]
        let unread: Int
        let total: Int
    }

    let role: String
    let mainAccount: Bool
    let organisation: Organisation
    /// Absent for a sub-account without the inbox menu.
    let inbox: Inbox?
    let announcements: Announcements
}
