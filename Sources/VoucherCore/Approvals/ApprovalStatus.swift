/// Where an application stands in the approvals chain. Only `pending` moves; the others are final.
public enum ApprovalStatus: String, Sendable, Codable, CaseIterable {
    case pending, approved, rejected, withdrawn

    /// True when the application may still be decided or withdrawn.
    public var isOpen: Bool { self == .pending }
}
