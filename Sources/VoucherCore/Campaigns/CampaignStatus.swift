/// Where a campaign stands (SPEC §3). A campaign is drafted, published once, and ended once;
/// nothing moves back, so a published lot's stock and window are the ones enterprises saw.
public enum CampaignStatus: String, Sendable, Codable, CaseIterable {
    /// Being prepared by an operator; invisible to enterprises, nothing can be grabbed.
    case draft
    /// Visible; its grab lots are loaded into Redis and open within the window.
    case published
    /// Closed for good; claims can be verified and archived.
    case ended

    /// The one transition table of campaigns: draft → published → ended.
    public func canMove(to next: CampaignStatus) -> Bool {
        switch (self, next) {
        case (.draft, .published), (.published, .ended): true
        default: false
        }
    }

    /// True when enterprises may see the campaign (anything but a draft).
    public var isVisible: Bool { self != .draft }
}

/// How a lot hands out its vouchers (SPEC §3): first come first served, or by application.
public enum LotMode: String, Sendable, Codable, CaseIterable {
    /// 抢券: the Redis gate decides, in order of arrival, against stock and the per-enterprise limit.
    case grab
    /// 申请: an enterprise applies and an operator approves.
    case apply
}
