/// The one comparison of a receipt with what it should be: used by the matcher for every
/// statement line and by the provider's receipt confirmation (issue #8), so that finance and
/// providers never disagree about whether two sets of details are "the same".
public enum ReceiptComparison {
    /// What a comparison found, in the order it is checked.
    public enum Result: String, Sendable, Hashable, Codable, CaseIterable {
        case same
        /// The amounts differ (checked first: a wrong amount is the more serious finding).
        case amountDiffers = "amount_differs"
        /// The amount is right; the name or the account is not.
        case nameOrAccountDiffers = "name_or_account_differs"
    }

    /// Compares a receipt's amount, name and account with the expected ones. Names compare after
    /// `normalisedName`, accounts after `normalisedAccount`; amounts exactly, in fen. An empty
    /// received name or account is not a match (a receipt must show who was paid).
    public static func compare(
        amountFen: Int64, name: String, account: String,
        expectedAmountFen: Int64, expectedName: String, expectedAccount: String
    ) -> Result {
        guard amountFen == expectedAmountFen else { return .amountDiffers }
        return sameParty(name: name, account: account, expectedName: expectedName, expectedAccount: expectedAccount)
            ? .same : .nameOrAccountDiffers
    }

    /// True when name and account both equal the expected ones after normalising.
    public static func sameParty(name: String, account: String, expectedName: String, expectedAccount: String) -> Bool {
        let account = normalisedAccount(account)
        let name = normalisedName(name)
        return !account.isEmpty && !name.isEmpty && account == normalisedAccount(expectedAccount) && name == normalisedName(expectedName)
    }

    /// An account number as digits and letters only: banks print `6228 4800 …` or `6228-4800-…`.
    public static func normalisedAccount(_ account: String) -> String {
        String(
            String.UnicodeScalarView(
                account.unicodeScalars.compactMap { scalar -> Unicode.Scalar? in
                    let folded = fullWidthFolded(scalar)
                    switch folded.value {
                    case 0x30...0x39, 0x41...0x5A: return folded
                    case 0x61...0x7A: return Unicode.Scalar(folded.value - 0x20)
                    default: return nil
                    }
                }))
    }

    /// A company name without the differences banks introduce: full-width ASCII (（）＆ and
    /// full-width digits) folded to half-width, all whitespace (incl. U+3000) removed, Latin letters
    /// upper-cased. Nothing else is changed: 有限公司 and 有限责任公司 stay different names.
    public static func normalisedName(_ name: String) -> String {
        String(
            String.UnicodeScalarView(
                name.unicodeScalars.compactMap { scalar -> Unicode.Scalar? in
                    let folded = fullWidthFolded(scalar)
                    if folded.properties.isWhitespace { return nil }
                    if (0x61...0x7A).contains(folded.value) { return Unicode.Scalar(folded.value - 0x20) }
                    return folded
                }))
    }

    /// U+FF01…U+FF5E → U+0021…U+007E, U+3000 → space; anything else unchanged.
    static func fullWidthFolded(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        switch scalar.value {
        case 0xFF01...0xFF5E: Unicode.Scalar(scalar.value - 0xFEE0) ?? scalar
        case 0x3000: " "
        default: scalar
        }
    }
}
