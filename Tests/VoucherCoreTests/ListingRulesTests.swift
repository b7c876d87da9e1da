import PropertyBased
import Testing

@testable import VoucherCore

@Suite("Listing rules")
struct ListingRulesTests {
    static let study = ListingContent.CaseStudy(
        customer: "某制造企业", annualOutputCentiWan: 123_456, salesCentiWan: 5_000, deliveryMonths: 3, contactName: nil, contactTitle: nil,
        contactPhone: nil, documentFileId: "doc")

    static let valid = ListingContent(
        name: "企业数字化诊断", category: .diagnosticConsulting, productNames: ["诊断平台"], tags: ["诊断"], imageFileId: "img",
        solutionClasses: ["研发设计"], industries: ["制造业"], priceLowFen: 100, priceHighFen: 200, deliveryCycleDays: 30, personDays: 20,
        caseStudies: [study, study, study], contact: .init(companyName: nil, name: "张三", phone: "13200000000", email: nil),
        intro: .init(
            bannerTitle: "诊断", bannerText: "一站式", bannerImageFileId: "img", highlights: ["快"], description: "说明",
            modules: [.init(title: "截图", text: "界面", mediaFileIds: ["img", "video"])],
            afterSales: .init(hours: "9-18", scope: "远程", hotline: "400", email: nil)))

    static func code(_ content: ListingContent) -> String? {
        do {
            try content.validate()
            return nil
        } catch {
            return error.code
        }
    }

    @Test func theGuidesBoundsDecideAlone() async {
        // Proves, for any counts of solution classes, industries and case studies and any two
        // prices, that validation passes exactly when 1–5 classes, 1–3 industries, three case
        // studies and 0 ≤ low ≤ high hold, and otherwise names the first broken rule.
        let prices = Gen.int64(in: -5...5)
        await propertyCheck(count: 1_000, input: Gen.int(in: 0...8), Gen.int(in: 0...6), Gen.int(in: 0...5), prices, prices) {
            classes, industries, studies, low, high in
            var content = Self.valid
            content.solutionClasses = (0..<classes).map { "类\($0)" }
            content.industries = (0..<industries).map { "业\($0)" }
            content.caseStudies = Array(repeating: Self.study, count: studies)
            content.priceLowFen = low
            content.priceHighFen = high
            let expected: String? =
                if classes > 5 { "solution_classes_too_many" } else if classes == 0 { "listing_invalid" } else if industries > 3 {
                    "industries_too_many"
                } else if industries == 0 { "listing_invalid" } else if low < 0 || high < 0 || low > high {
                    "price_range_invalid"
                } else if studies
                    != 3
                { "case_studies_missing" } else { nil }
            #expect(Self.code(content) == expected, "\(classes) classes, \(industries) industries, \(studies) studies, \(low)…\(high)")
        }
    }

    @Test func filesAreNamedWithTheKindTheyNeed() {
        // Proves the display and banner images must be images, case documents documents, and a
        // module's media either kind.
        let references = Self.valid.fileReferences
        #expect(references.filter { $0.fileID == "img" }.allSatisfy { $0.kinds.contains(.image) })
        #expect(references.filter { $0.fileID == "doc" }.map(\.kinds) == Array(repeating: [.document], count: 3))
        #expect(references.first { $0.fileID == "video" }?.kinds == [.image, .document])
        #expect(Self.code(Self.valid) == nil)
    }
}
