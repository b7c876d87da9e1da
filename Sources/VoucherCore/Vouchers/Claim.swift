/// One claim as the grab script appended it to the stream.
public struct Claim: Sendable, Equatable {
    /// The stream entry id (`1732771200000-0`).
    public let entryID: String
    public let voucherID: String
    public let lotID: String
    public let orgID: String
    /// The enterprise's n-th voucher of the lot.
    public let sequence: Int
    /// Redis's clock when the grab was granted, in Unix milliseconds.
    public let grantedAtMs: Int64

    public init(entryID: String, voucherID: String, lotID: String, orgID: String, sequence: Int, grantedAtMs: Int64) {
        self.entryID = entryID
        self.voucherID = voucherID
        self.lotID = lotID
        self.orgID = orgID
        self.sequence = sequence
        self.grantedAtMs = grantedAtMs
    }

    /// The claim a stream entry's fields carry (`v`, `lot`, `ent`, `n`, `at`, as `grab.lua`
    /// writes them), or nil when a field is missing or malformed: such an entry is dead-lettered.
    public init?(entryID: String, fields: [String: String]) {
        guard let voucher = fields["v"], !voucher.isEmpty,
            let lot = fields["lot"], !lot.isEmpty,
            let org = fields["ent"], !org.isEmpty,
            let sequence = fields["n"].flatMap(Int.init), sequence >= 1,
            let at = fields["at"].flatMap(Int64.init), at > 0
        else { return nil }
        self.init(entryID: entryID, voucherID: voucher, lotID: lot, orgID: org, sequence: sequence, grantedAtMs: at)
    }
}
