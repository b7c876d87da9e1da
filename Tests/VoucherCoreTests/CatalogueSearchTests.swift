import PropertyBased
import Testing

@testable import VoucherCore

@Suite("Catalogue search grams")
struct CatalogueSearchTests {
    /// A small alphabet, so that repeats and shared bigrams are frequent: CJK, Latin in both cases,
    /// a digit, and whitespace (which no gram may hold).
    static let character = Gen<Character?>.element(of: Array("数字化转型云平台智能制造Ab c1 ") as [Character]).map { $0! }
    static let field = character.string(of: 0...12)
    static let fields = field.array(of: 1...4)

    @Test func everySubstringOfAFieldFindsItsProductThroughTheGrams() async {
        // Proves the index has no false negatives: for any fields and any substring of one of them
        // (a term without whitespace), the term's grams are all among the product's index grams.
        await propertyCheck(count: 1_000, input: Self.fields, Gen.int(in: 0...1_000), Gen.int(in: 1...6)) { fields, seed, length in
            let line = Array(CatalogueSearch.searchText(fields: [fields[seed % fields.count]]).unicodeScalars)
            guard !line.isEmpty else { return }
            let start = seed % line.count
            let piece = line[start..<min(line.count, start + length)]
            guard !piece.contains(where: { $0.properties.isWhitespace }) else { return }
            let term = String(String.UnicodeScalarView(piece))
            let index = Set(CatalogueSearch.indexGrams(fields: fields))
            #expect(Set(CatalogueSearch.queryGrams(term: term)).isSubset(of: index), "term \(term) in \(fields)")
            #expect(CatalogueSearch.matches(fields: fields, terms: [term]))
        }
    }

    @Test func gramsNeverHoldWhitespaceAndAreOneOrTwoScalars() async {
        // Proves the index grams are unigrams and bigrams without whitespace, sorted and unique.
        await propertyCheck(count: 500, input: Self.fields) { fields in
            let grams = CatalogueSearch.indexGrams(fields: fields)
            #expect(grams == Array(Set(grams)).sorted())
            for gram in grams {
                #expect((1...2).contains(gram.unicodeScalars.count))
                #expect(!gram.unicodeScalars.contains { $0.properties.isWhitespace })
            }
        }
    }

    @Test(arguments: [
        ("云", ["云"]),
        ("数字", ["数字"]),
        ("数字化", ["字化", "数字"]),
        ("ERP", ["er", "rp"]),
    ])
    func aTermNeedsItsUnigramOrAllItsBigrams(term: String, grams: [String]) throws {
        // Proves a one-character term looks up its unigram and a longer one all its bigrams, lowercased.
        let terms = try CatalogueSearch.terms(term)
        #expect(terms.count == 1)
        #expect(CatalogueSearch.queryGrams(term: terms[0]) == grams)
    }

    @Test func queriesSplitAtWhitespaceAndHaveBounds() throws {
        // Proves a query becomes its distinct lowercased terms, a blank one none, and too long or too many terms are refused.
        #expect(try CatalogueSearch.terms("  云  ERP 云\u{3000}数字 ") == ["云", "erp", "数字"])
        #expect(try CatalogueSearch.terms(" \t ") == [])
        #expect(throws: CatalogueSearch.QueryProblem.tooManyTerms) { try CatalogueSearch.terms("a b c d e f") }
        #expect(throws: CatalogueSearch.QueryProblem.tooLong) { try CatalogueSearch.terms(String(repeating: "云", count: 51)) }
    }

    @Test func aTermDoesNotMatchAcrossTwoFields() {
        // Proves the fields stay apart: the end of the name and the start of a tag do not make a match.
        #expect(!CatalogueSearch.matches(fields: ["上云", "平台"], terms: ["云平"]))
        #expect(CatalogueSearch.matches(fields: ["上云", "平台"], terms: ["云", "平台"]))
        #expect(!CatalogueSearch.indexGrams(fields: ["上云", "平台"]).contains("云平"))
    }
}
