import Foundation
import Hummingbird
import PostgresStore
import Rush
import Synchronization
import VoucherCore
import VoucherServices

/// 服务券活动 (guide §2.4.6.2): the listed and ended campaigns, and one campaign's lots with their
/// remaining stock (`CampaignsController.remainingStock`, the JSON detail's rule: Redis for grab lots),
/// with 抢券 and 立即申请 for a signed-in enterprise (`WebController+Grab`, `Static/grab.js`).
///
/// Neither page queries PostgreSQL per view: the campaigns come from `CampaignPageCache` (this
/// server's changes at once, other servers' within `CampaignPageCache.freshness`), the remaining
/// stock from `RemainingStockCache` (one Redis read per campaign per 250 ms per server; this
/// server's grabs at once); a signed-in viewer's session check is the only other work.
extension WebController {
    struct CampaignRow {
        let name: String
        let startsAt: String
        let endsAt: String
        let status: String
        let href: String
    }

    struct CampaignsView {
        let chrome: WebChrome
        let campaigns: [CampaignRow]
        let empty: Bool
        let paging: WebPaging
    }

    func campaigns(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let viewer = try await sessions.viewer(request)
        let page = WebPaging.requested(WebForm.query(request))
        let listed = try await services.rush.pages.list(page: page, pageSize: WebPaging.pageSize)
        let (items, total) = (listed.items, listed.total)
        let rows = items.map { campaign in
            CampaignRow(
                name: campaign.name, startsAt: WebLabels.time(campaign.startsAt), endsAt: WebLabels.time(campaign.endsAt),
                status: WebLabels.campaignStatus(campaign, now: services.clock.now()), href: "/campaigns/" + campaign.id)
        }
        return pages.page(
            "campaigns",
            CampaignsView(
                chrome: chrome("服务券活动", viewer: viewer, crumbs: [("首页", "/"), ("服务券活动", "")]), campaigns: rows, empty: rows.isEmpty,
                paging: WebPaging(page: page, total: total, path: "/campaigns", filters: [])))
    }

    struct LotRow {
        let id: String
        let kind: String
        let faceValue: String
        let mode: String
        let stock: Int
        let remaining: String
        let perEnterpriseLimit: Int
        let validityDays: Int
        let isGrab: Bool
        let soldOut: Bool
        let action: String
        /// The no-script form's Idempotency-Key, made at render: that form sent twice grabs once.
        let key: String
        /// What the last action on this lot (a no-script form's redirect) came to.
        let notice: String
    }

    struct CampaignView {
        let chrome: WebChrome
        let id: String
        let name: String
        let startsAt: String
        let endsAt: String
        let status: String
        let lots: [LotRow]
        /// The server's clock at render and the window, in Unix milliseconds, for the countdown
        /// (`grab.js` counts from the server's now on the browser's monotonic clock).
        let serverNowMs: String
        let opensAtMs: Int64
        let closesAtMs: Int64
        let open: Bool
        /// A signed-in enterprise with the 服务券 menu: the lots carry 抢券 / 立即申请.
        let canAct: Bool
        let signedIn: Bool
        let certified: Bool
    }

    func campaign(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        // An anonymous view while nothing it shows can have changed: the last render's bytes, with
        // no cache lookups, rows or comparisons (the views of the opening second).
        let id = context.parameters.get("id")
        if request.headers[.cookie] == nil, let id,
            let held = campaignRenders.heldResponse(
                id: id, pages: services.rush.pages, stock: services.rush.gate.stockViews, now: services.clock.now())
        {
            return held
        }
        let pageGeneration = services.rush.pages.generation
        let stockGeneration = services.rush.gate.stockViews.generation
        let viewer = try await sessions.viewer(request)
        // A malformed id is 400 and a well-formed unknown one 404, as on the JSON routes.
        guard let id, OpaqueID.isWellFormed(id, prefix: "cmp") else {
            return errorPage(.badRequest, viewer: viewer, reason: "活动编号格式不正确。")
        }
        guard let campaign = try await services.rush.pages.campaign(id: id), campaign.status.isVisible else {
            return errorPage(.notFound, viewer: viewer, reason: "没有这个服务券活动，或它尚未上架。")
        }
        // How long the render may be served as it is (asked before the stock is read: a snapshot
        // read after this only shortens it).
        let grabLots = campaign.grabLotIDs
        let campaignUntil = services.rush.pages.heldCampaign(id: id).flatMap { $0.record == campaign ? $0.freshUntil : nil }
        let stockUntil = grabLots.isEmpty ? nil : services.rush.gate.stockViews.freshUntil(campaignID: id, lotIDs: grabLots)
        let remaining = await CampaignsController.shownStock(campaign, gate: services.rush.gate)
        let now = services.clock.now()
        let open = campaign.status == .published && now >= campaign.startsAt && now < campaign.endsAt
        let status = WebLabels.campaignStatus(campaign, now: now)
        // The rows, the query (the 抢券 form's answer) and the chrome are built only when the page is
        // rendered: an anonymous view at the opening is served from the last render's bytes.
        func view(serverNowMs: String) -> CampaignView {
            let canAct = viewer.map { $0.identity.role == .enterprise && WebMenu.vouchers.allows($0.identity) } ?? false
            let query = canAct ? WebForm.query(request) : WebForm(fields: [:])
            let lots = campaign.lots.map { lot in
                let left = remaining[lot.id]
                return LotRow(
                    id: lot.id, kind: WebLabels.voucherKind(lot.kind.rawValue), faceValue: WebLabels.money(lot.faceValueFen),
                    mode: lot.mode == .grab ? "抢券" : "申请", stock: lot.stock,
                    remaining: left.map { $0 == 0 ? "0（已抢完）" : String($0) } ?? "—", perEnterpriseLimit: lot.perEnterpriseLimit,
                    validityDays: lot.validityDays, isGrab: lot.mode == .grab, soldOut: left == 0,
                    action: "/campaigns/\(id)/lots/\(lot.id)/" + (lot.mode == .grab ? "grab" : "apply"),
                    key: canAct ? Secrets.randomToken(byteCount: 16) : "",
                    notice: canAct && query["lot"] == lot.id
                        ? WebGrabMessages.text(["code": query["result"] ?? "", "voucherId": query["voucher"] ?? ""]) : "")
            }
            return CampaignView(
                chrome: chrome(campaign.name, viewer: viewer, crumbs: [("首页", "/"), ("服务券活动", "/campaigns"), (campaign.name, "")]),
                id: id, name: campaign.name, startsAt: WebLabels.time(campaign.startsAt), endsAt: WebLabels.time(campaign.endsAt),
                status: status, lots: lots, serverNowMs: serverNowMs, opensAtMs: Self.unixMs(campaign.startsAt),
                closesAtMs: Self.unixMs(campaign.endsAt), open: open, canAct: canAct, signedIn: viewer != nil,
                certified: viewer?.identity.certified ?? false)
        }
        guard viewer == nil else { return pages.page("campaign", view(serverNowMs: String(Self.unixMs(now)))) }
        let shown = CampaignRenders.Shown(campaign: campaign, remaining: remaining, status: status, open: open)
        let validity = campaignUntil.flatMap { campaignUntil -> CampaignRenders.Validity? in
            guard grabLots.isEmpty || stockUntil != nil else { return nil }
            let nowMs = Self.unixMs(now)
            let starts = Self.unixMs(campaign.startsAt)
            let ends = Self.unixMs(campaign.endsAt)
            return CampaignRenders.Validity(
                campaignUntil: campaignUntil, stockUntil: stockUntil, pageGeneration: pageGeneration, stockGeneration: stockGeneration,
                statusChangesAtMs: nowMs < starts ? starts : nowMs < ends ? ends : .max)
        }
        return campaignRenders.response(shown, validity: validity, nowMs: Self.unixMs(now)) {
            pages.library.render(view(serverNowMs: CampaignRenders.nowMarker), withTemplate: "campaign") ?? ""
        }
    }

    static func unixMs(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }
}

/// The anonymous views of a campaign page at the opening: rendered once per state of what they
/// show (the campaign, each lot's remaining stock, the status) and then served as bytes, with only
/// the server's clock (`data-server-now`, for the countdown) written in per view. The remaining
/// stock comes from `RemainingStockCache` (see `CampaignsController.shownStock`); a signed-in
/// viewer's page (forms, CSRF token, keys) is always rendered.
///
/// A render also carries how long it may be served without asking the caches at all (`Validity`):
/// while the campaign and the stock snapshot it showed are both fresh in their caches, nothing was
/// forgotten or learned since (a grab or restock on this server, an edit), and the status cannot
/// have flipped (opening, end). Within that, a view is one lock and a copy (`heldResponse`); the
/// staleness bounds stay the caches' own.
final class CampaignRenders: Sendable {
    /// What an anonymous page shows besides the clock; a view renders again when it differs.
    struct Shown: Sendable, Equatable {
        let campaign: CampaignRecord
        let remaining: [String: Int64]
        let status: String
        let open: Bool
    }

    /// Until when a render shows what a full view would: the campaign's and the snapshot's
    /// freshness (each on its cache's clock; no snapshot when the campaign has no grab lot), the
    /// caches' generations when they were read, and the wall-clock instant the status flips.
    struct Validity: Sendable {
        let campaignUntil: ContinuousClock.Instant
        let stockUntil: ContinuousClock.Instant?
        let pageGeneration: Int
        let stockGeneration: Int
        let statusChangesAtMs: Int64

        func holds(pages: CampaignPageCache, stock: RemainingStockCache, nowMs: Int64) -> Bool {
            nowMs < statusChangesAtMs && stock.generation == stockGeneration && pages.generation == pageGeneration
                && pages.instant() < campaignUntil && stockUntil.map { stock.instant() < $0 } ?? true
        }
    }

    struct Entry: Sendable {
        let shown: Shown
        let head: ByteBuffer
        let tail: ByteBuffer
        var validity: Validity?
    }

    /// Bound on remembered campaigns; past it everything is forgotten.
    static let campaignsMax = 1_000
    /// Stands for the server's clock in the rendered page (digits and letters: escaping keeps it).
    static let nowMarker = "SERVERNOWMS0000000000"

    /// A page's headers, built once (the security headers are added by `SecurityHeadersMiddleware`).
    static let headers: HTTPFields = [.contentType: "text/html; charset=utf-8", .contentSecurityPolicy: WebPages.contentSecurityPolicy]

    /// Campaign id → its last anonymous render. Guarded by the mutex.
    private let entries = Mutex<[String: Entry]>([:])

    init() {}

    /// The last render of campaign `id` at `now`, when its `Validity` still holds; else nil (the
    /// caller takes the full path, which renders or re-arms).
    func heldResponse(id: String, pages: CampaignPageCache, stock: RemainingStockCache, now: Date) -> Response? {
        guard let entry = entries.withLock({ $0[id] }), let validity = entry.validity else { return nil }
        let nowMs = WebController.unixMs(now)
        guard validity.holds(pages: pages, stock: stock, nowMs: nowMs) else { return nil }
        return Self.response(entry, nowMs: nowMs)
    }

    /// The page for `shown` at `nowMs`: from the last render when it showed the same, else `render`
    /// (with `nowMarker` where the clock goes), remembered for the next views with `validity`.
    func response(_ shown: Shown, validity: Validity?, nowMs: Int64, render: () -> String) -> Response {
        let id = shown.campaign.id
        var entry: Entry
        if let cached = entries.withLock({ $0[id] }), cached.shown == shown {
            entry = cached
        } else {
            let html = render()
            guard let marker = html.range(of: Self.nowMarker) else { preconditionFailure("campaign.mustache lost data-server-now") }
            entry = Entry(
                shown: shown, head: ByteBuffer(string: String(html[..<marker.lowerBound])),
                tail: ByteBuffer(string: String(html[marker.upperBound...])), validity: nil)
        }
        entry.validity = validity
        entries.withLock { [entry] entries in
            if entries.count >= Self.campaignsMax, entries[id] == nil { entries.removeAll() }
            entries[id] = entry
        }
        return Self.response(entry, nowMs: nowMs)
    }

    private static func response(_ entry: Entry, nowMs: Int64) -> Response {
        var body = ByteBufferAllocator().buffer(capacity: entry.head.readableBytes + 20 + entry.tail.readableBytes)
        body.writeImmutableBuffer(entry.head)
        body.writeString(String(nowMs))
        body.writeImmutableBuffer(entry.tail)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
    }
}
