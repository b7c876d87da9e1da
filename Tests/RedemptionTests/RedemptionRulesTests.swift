import Foundation
import PostgresStore
import TestSupport
import Testing
import VoucherServices

@testable import API

/// The rules of redemption without I/O: payee-account validation, materials by content,
/// reference codes and CSV fields.
@Suite("Redemption rules")
struct RedemptionRulesTests {
    /// Proves only ABC accounts of 15–19 ASCII digits pass.
    @Test(arguments: [
        ("ABC", "622848040256489", true), ("ABC", "6228480402564890018", true), ("ABC", "62284804025648", false),
        ("ABC", "62284804025648900181", false), ("ABC", "62284804025648900１", false), ("ABC", "6228 4804 0256 4890", false),
        ("ICBC", "6228480402564890018", false), ("abc", "6228480402564890018", false),
    ])
    func payeeValidation(bank: String, number: String, valid: Bool) {
        let passed = (try? PayeeAccountsRepository.validate(bank: bank, accountNumber: number)) != nil
        #expect(passed == valid)
    }

    /// Proves archives and general materials are recognised by their bytes, not a name: a ZIP is
    /// not a DOCX unless it holds `[Content_Types].xml` and `word/`.
    @Test func formatsByContent() {
        #expect(ArchiveFormat.sniff(Files.zip) == "application/zip")
        #expect(ArchiveFormat.sniff(Files.rar) == "application/vnd.rar")
        #expect(ArchiveFormat.sniff(Files.notZip) == nil)
        #expect(ArchiveFormat.sniff([0x50, 0x4B]) == nil)
        #expect(GeneralMaterialFormat.sniff(GeneralRedemptionTests.docx) == GeneralMaterialFormat.docx)
        #expect(GeneralMaterialFormat.sniff(Files.zip) == nil)
        #expect(GeneralMaterialFormat.sniff(Files.png) == "image/png")
        #expect(GeneralMaterialFormat.sniff(GeneralRedemptionTests.pdf) == "application/pdf")
        #expect(GeneralMaterialFormat.sniff(Files.rar) == nil)
    }

    /// Proves reference codes are `RB` and ten RFC 4648 base32 characters, and differ.
    @Test func referenceCodes() {
        let codes = (0..<1000).map { _ in RedemptionRepository.makeReference() }
        #expect(codes.allSatisfy { $0.wholeMatch(of: /RB[A-Z2-7]{10}/) != nil })
        #expect(Set(codes).count == codes.count)
    }

    /// Proves CSV fields are quoted when needed and formulas are defused.
    @Test func csvFields() {
        #expect(CSVField.escape("数字服务商") == "数字服务商")
        #expect(CSVField.escape("a,b") == "\"a,b\"")
        #expect(CSVField.escape("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVField.escape("=SUM(A1)") == "'=SUM(A1)")
    }
}
