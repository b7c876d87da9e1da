/// The catalogue's Chinese substring search, as pure rules (the migration 0012 says why).
///
/// A product is indexed by the unigrams and bigrams of its searchable fields (name, product names,
/// tags); a query term of one character needs its unigram, a longer term every one of its bigrams.
/// Every substring of a field therefore finds its product through the index (no false negatives;
/// `CatalogueSearchTests` holds this as a property), and the database rechecks the candidates with
/// `strpos` on `searchText`, so a false positive of the grams (云平 and 平台 in 云…平台) never shows.
///
/// Grams are Unicode scalars, as PostgreSQL's `strpos` counts characters, and lowercased, so a
/// Latin query finds its product in either case. No gram holds whitespace: a term never does.
public enum CatalogueSearch {
    /// The most terms a query may have; each costs one index lookup.
    public static let termsMax = 5
    /// The most characters (Unicode scalars) of a whole query.
    public static let queryScalarsMax = 50

    /// The lowercased fields, one per line: what `strpos` rechecks a term against.
    public static func searchText(fields: [String]) -> String {
        fields.map { normalise($0) }.joined(separator: "\n")
    }

    /// Every unigram and bigram of the fields, sorted and without duplicates.
    public static func indexGrams(fields: [String]) -> [String] {
        var grams = Set<String>()
        for field in fields {
            let scalars = Array(normalise(field).unicodeScalars)
            for (index, scalar) in scalars.enumerated() where !scalar.properties.isWhitespace {
                grams.insert(String(scalar))
                if index + 1 < scalars.count, !scalars[index + 1].properties.isWhitespace {
                    grams.insert(String(String.UnicodeScalarView([scalar, scalars[index + 1]])))
                }
            }
        }
        return grams.sorted()
    }

    /// The grams the index must hold for a product to contain `term` (a normalised term without
    /// whitespace): its one unigram, or all its bigrams.
    public static func queryGrams(term: String) -> [String] {
        let scalars = Array(term.unicodeScalars)
        guard scalars.count > 1 else { return scalars.map { String($0) } }
        var grams = Set<String>()
        for index in 0..<(scalars.count - 1) { grams.insert(String(String.UnicodeScalarView([scalars[index], scalars[index + 1]]))) }
        return grams.sorted()
    }

    /// Why a query cannot be searched; the caller says what to send instead.
    public enum QueryProblem: Error, Sendable, Equatable {
        case tooLong
        case tooManyTerms
    }

    /// The normalised terms of a query (split at whitespace, duplicates dropped), or none for a
    /// blank query, which matches every product.
    public static func terms(_ query: String) throws(QueryProblem) -> [String] {
        guard query.unicodeScalars.count <= queryScalarsMax else { throw .tooLong }
        var terms: [String] = []
        for piece in normalise(query).unicodeScalars.split(whereSeparator: { $0.properties.isWhitespace }) {
            let term = String(String.UnicodeScalarView(piece))
            if !terms.contains(term) { terms.append(term) }
        }
        guard terms.count <= termsMax else { throw .tooManyTerms }
        return terms
    }

    /// The reference meaning of a search, without an index: every term is a substring of one of
    /// the fields. The database answers exactly this; the tests compare the two.
    public static func matches(fields: [String], terms: [String]) -> Bool {
        let lines = fields.map { Array(normalise($0).unicodeScalars) }
        return terms.allSatisfy { term in
            let needle = Array(term.unicodeScalars)
            return lines.contains { line in contains(line, needle) }
        }
    }

    static func normalise(_ text: String) -> String { text.lowercased() }

    private static func contains(_ haystack: [Unicode.Scalar], _ needle: [Unicode.Scalar]) -> Bool {
        guard !needle.isEmpty else { return true }
        guard haystack.count >= needle.count else { return false }
        for start in 0...(haystack.count - needle.count) where haystack[start..<(start + needle.count)].elementsEqual(needle) { return true }
        return false
    }
}
