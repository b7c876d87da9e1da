import Foundation
import PropertyBased
import Testing

@testable import VoucherCore

@Suite("Review rules")
struct ReviewRulesTests {
    /// Proves stars are whole numbers from 1 to 5 and the text is 5 to 500 Unicode scalars after
    /// trimming, each refusal with its own code, status kind and the limits in its sentence.
    @Test func contentBounds() throws {
        for stars in 1...5 { #expect(try ReviewRules.content(stars: stars, text: "交付很及时。").stars == stars) }
        for stars in [nil, 0, 6, -1, Int.max] as [Int?] {
            #expect(throws: ReviewError.starsInvalid) { try ReviewRules.content(stars: stars, text: "交付很及时。") }
        }
        #expect(try ReviewRules.content(stars: 3, text: "  五个字够了  \n").text == "五个字够了")
        #expect(throws: ReviewError.textTooShort(length: 0)) { try ReviewRules.content(stars: 3, text: " \n ") }
        #expect(throws: ReviewError.textTooShort(length: 4)) { try ReviewRules.content(stars: 3, text: "四个字呀") }
        #expect(try ReviewRules.content(stars: 3, text: String(repeating: "好", count: 500)).text.count == 500)
        #expect(throws: ReviewError.textTooLong(length: 501)) { try ReviewRules.content(stars: 3, text: String(repeating: "好", count: 501)) }
        // A family emoji is one character to a person but five scalars, as PostgreSQL's char_length counts it.
        #expect(throws: ReviewError.textTooLong(length: 505)) { try ReviewRules.content(stars: 3, text: String(repeating: "👨‍👩‍👧", count: 101)) }
        #expect(ReviewError.starsInvalid.domainError.detail.contains("1 to 5"))
        #expect(ReviewError.textTooLong(length: 501).domainError.detail.contains("500"))
        #expect(ReviewError.textTooShort(length: 0).domainError.detail.contains("5 to 500"))
        #expect(ReviewError.textTooShort(length: 0).kind == .invalidInput && ReviewError.reviewExists(reviewID: "r").kind == .conflict)
        #expect(ReviewError.notFound.kind == .notFound && ReviewError.editWindowClosed(until: Date()).kind == .conflict)
    }

    /// Proves the edit window is seven days on the given clock, its last second included, and a
    /// hide needs a reason of 1 to 500 characters.
    @Test func editWindowAndHideReason() throws {
        let written = Date(timeIntervalSince1970: 1_780_000_000)
        #expect(ReviewRules.isEditable(createdAt: written, now: written))
        #expect(ReviewRules.isEditable(createdAt: written, now: written.addingTimeInterval(7 * 86_400)))
        #expect(!ReviewRules.isEditable(createdAt: written, now: written.addingTimeInterval(7 * 86_400 + 1)))
        #expect(try ReviewRules.hideReason(" 辱骂 ") == "辱骂")
        #expect(throws: ReviewError.reasonMissing) { try ReviewRules.hideReason("  ") }
        #expect(throws: ReviewError.reasonMissing) { try ReviewRules.hideReason(nil) }
        #expect(throws: ReviewError.reasonTooLong) { try ReviewRules.hideReason(String(repeating: "x", count: 501)) }
    }

    /// Proves the average in tenths on worked values: unrated is nil, halves go to the even tenth.
    @Test func averageTenthsExamples() {
        #expect(ReviewRules.averageTenths(sum: 0, count: 0) == nil)
        #expect(ReviewRules.averageTenths(sum: 4, count: 1) == 40)
        #expect(ReviewRules.averageTenths(sum: 13, count: 3) == 43)  // 4.333…
        #expect(ReviewRules.averageTenths(sum: 14, count: 3) == 47)  // 4.666…
        #expect(ReviewRules.averageTenths(sum: 17, count: 4) == 42)  // 4.25 → 4.2 (even)
        #expect(ReviewRules.averageTenths(sum: 35, count: 8) == 44)  // 4.375 → 4.4
        #expect(ReviewRules.averageTenths(sum: 87, count: 20) == 44)  // 4.35 → 4.4 (even)
    }

    /// Proves for any count and any possible sum that the average lies within half a tenth of the
    /// exact sum / count, and between 1 and 5 stars, in integers only.
    @Test func averageTenthsIsTheRoundedRational() async {
        let counts = Gen.oneOf(Gen.int(in: 1...20), Gen.int(in: 1...10_000_000))
        await propertyCheck(count: 1_000, input: counts, Gen.int64(in: 0...1_000_000)) { count, offset in
            let sum = Int64(count) + offset % (4 * Int64(count) + 1)
            let tenths = try #require(ReviewRules.averageTenths(sum: sum, count: count))
            #expect((10...50).contains(tenths))
            // |tenths − 10·sum/count| ≤ 1/2  ⇔  |2·tenths·count − 20·sum| ≤ count
            #expect(abs(2 * tenths * Int64(count) - 20 * sum) <= Int64(count))
        }
    }
}
