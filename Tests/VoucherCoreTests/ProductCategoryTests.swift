import Testing
import VoucherCore

/// The category rule of SPEC §3, exhaustively: which voucher kind/direction pays for which category.
@Suite("Product categories")
struct ProductCategoryTests {
    static let kinds: [(VoucherKind, VoucherDirection?)] = [
        (.diagnostic, nil), (.general, .cloud), (.general, .dtStandard), (.general, .integrationStandard), (.general, .dcmm),
    ]

    /// Proves each voucher-bearing category accepts exactly one kind/direction, and the others none.
    @Test(arguments: ProductCategory.allCases)
    func exactlyOneMatch(category: ProductCategory) {
        let accepted = Self.kinds.filter { category.accepts(kind: $0.0, direction: $0.1) }
        #expect(accepted.count == (category.voucherMatch == nil ? 0 : 1))
        #expect(!category.accepts(kind: .diagnostic, direction: .cloud))
        #expect(!category.accepts(kind: .general, direction: nil))
    }

    /// Proves the guide's mapping: 诊断咨询 takes diagnostic vouchers, 上云用云 general/cloud.
    @Test func guideMapping() {
        #expect(ProductCategory.diagnosticConsulting.accepts(kind: .diagnostic, direction: nil))
        #expect(ProductCategory.cloud.accepts(kind: .general, direction: .cloud))
        #expect(ProductCategory.dcmm.accepts(kind: .general, direction: .dcmm))
        #expect(!ProductCategory.softwareApplication.accepts(kind: .diagnostic, direction: nil))
    }
}
