import Logging
import PostgresStore
import Rush
import VoucherCore

/// The campaign use cases that cross PostgreSQL and Redis: edit a draft, publish, end and
/// restock. Each runs the PostgreSQL change and the Redis change in one transaction under the
/// row lock (a failed Redis load leaves the campaign as it was), then refreshes this server's
/// lot directory. Refusals are `CampaignError`s; the HTTP mapping is the API's business.
public struct CampaignPublisher: Sendable {
    let campaigns: CampaignsRepository
    let loader: LotLoader
    let directory: LotDirectory
    let gate: GrabGate
    /// The pages' cache, told of every change made here (nil: no pages in this process).
    let pages: CampaignPageCache?
    let logger: Logger

    public init(
        campaigns: CampaignsRepository, loader: LotLoader, directory: LotDirectory, gate: GrabGate, pages: CampaignPageCache? = nil,
        logger: Logger = Logger(label: "voucher.campaigns")
    ) {
        self.logger = logger
        self.campaigns = campaigns
        self.pages = pages
        self.loader = loader
        self.directory = directory
        self.gate = gate
    }

    /// Replaces a draft's name, window and lots.
    public func replaceDraft(_ record: CampaignRecord) async throws {
        try await Self.mapped { try await campaigns.replaceDraft(record) }
        pages?.forget(campaignID: record.id)
    }

    /// 上架: the campaign becomes visible and its grab lots are loaded into Redis in the same
    /// transaction, so a failed load leaves it a draft to publish again.
    public func publish(campaignID: String) async throws -> CampaignRecord {
        try await move(campaignID, to: .published)
    }

    /// Ends a campaign early: grabs answer `ended` from then on.
    public func end(campaignID: String) async throws -> CampaignRecord {
        try await move(campaignID, to: .ended)
    }

    private func move(_ campaignID: String, to status: CampaignStatus) async throws -> CampaignRecord {
        let loader = self.loader
        let record = try await Self.mapped {
            try await campaigns.transition(campaignID, to: status) { record in try await loader.load(record) }
        }
        directory.remember(record)
        pages?.forget(campaignID: campaignID)
        await gate.announceChange(campaignID: campaignID, lotIDs: record.lots.map(\.id), logger: logger)
        return record
    }

    /// Changes a lot's stock: freely on a draft; after publishing, never below what was issued
    /// (Redis decides that atomically while PostgreSQL holds the lot's row lock); never once ended.
    public func restock(campaignID: String, lotID: String, stock: Int) async throws -> CampaignRecord {
        guard let campaign = try await campaigns.campaign(id: campaignID) else { throw CampaignError.campaignNotFound }
        guard let lot = campaign.lots.first(where: { $0.id == lotID }) else { throw CampaignError.lotNotFound }
        guard campaign.status != .ended else { throw CampaignError.ended }
        let gate = self.gate
        let published = campaign.status == .published && lot.mode == .grab
        try await Self.mapped {
            try await campaigns.setStock(lotID: lotID, stock: stock) {
                guard published else { return }
                switch try await gate.restock(campaignID: campaignID, lotID: lotID, stock: stock) {
                case .ok: return
                case .belowIssued(let issued): throw CampaignError.stockBelowIssued(issued: issued)
                case .unknownLot: throw CampaignError.lotNotLoaded
                }
            }
        }
        guard let updated = try await campaigns.campaign(id: campaignID) else { throw CampaignError.campaignNotFound }
        directory.remember(updated)
        pages?.forget(campaignID: campaignID)
        if published { await gate.announceChange(campaignID: campaignID, lotIDs: [lotID], logger: logger) }
        return updated
    }

    /// The store's state refusals as the domain's campaign errors.
    private static func mapped<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as CampaignStateError {
            switch error {
            case .notFound: throw CampaignError.campaignNotFound
            case .notDraft(let status): throw CampaignError.notDraft(status: status)
            case .notPublished(let status): throw CampaignError.notPublished(status: status)
            }
        }
    }
}
