/// Why a change to a campaign or lot was refused. Each case carries what the sentence needs; the
/// API maps the kind to a status in its one place.
public enum CampaignError: DomainErrorConvertible, Equatable {
    case campaignNotFound
    case lotNotFound
    /// Only drafts can be edited or published.
    case notDraft(status: CampaignStatus)
    /// Only a published campaign can end.
    case notPublished(status: CampaignStatus)
    /// An ended campaign's stock is final.
    case ended
    /// A published lot's stock cannot go below what the grab gate issued already.
    case stockBelowIssued(issued: Int64)
    /// The lot is missing from Redis (publish again to reload it).
    case lotNotLoaded

    public var code: String {
        switch self {
        case .campaignNotFound: "campaign_not_found"
        case .lotNotFound: "lot_not_found"
        case .notDraft: "campaign_not_draft"
        case .notPublished: "campaign_not_published"
        case .ended: "campaign_ended"
        case .stockBelowIssued: "stock_below_issued"
        case .lotNotLoaded: "lot_not_loaded"
        }
    }

    public var kind: DomainError.Kind {
        switch self {
        case .campaignNotFound, .lotNotFound: .notFound
        case .notDraft, .notPublished, .ended, .stockBelowIssued: .conflict
        case .lotNotLoaded: .unavailable
        }
    }

    public var detail: String {
        switch self {
        case .campaignNotFound: "No campaign has this id. List campaigns with GET /v1/campaigns."
        case .lotNotFound: "This campaign has no lot with this id. See the campaign's lots with GET /v1/campaigns/{id}."
        case .notDraft(let status): "The campaign is \(status.rawValue), not a draft; only drafts can be edited or published."
        case .notPublished(let status): "The campaign is \(status.rawValue); only a published campaign can end."
        case .ended: "The campaign has ended; its stock can no longer change."
        case .stockBelowIssued(let issued):
            "\(issued) vouchers of this lot are issued already; the stock cannot be set below that."
        case .lotNotLoaded: "The lot is not loaded in Redis; publish the campaign again, then retry."
        }
    }
}
