import PropertyBased
import Testing

@testable import VoucherCore

@Suite("Opaque ids")
struct OpaqueIDTests {
    /// A generator that always answers the same word, so an id's text is predictable.
    struct ConstantGenerator: RandomNumberGenerator {
        /// The word every call returns.
        let word: UInt64
        /// Always `word`.
        mutating func next() -> UInt64 { word }
    }

    @Test(arguments: [
        ([UInt8](), ""), (Array("f".utf8), "cr"), (Array("foobar".utf8), "csqpyrk1e8"),
        ([UInt8](repeating: 0, count: 16), "00000000000000000000000000"),
        ([UInt8](repeating: 0xFF, count: 16), "zzzzzzzzzzzzzzzzzzzzzzzzzw"),
    ])
    func base32MatchesRFC4648BitOrder(bytes: [UInt8], expected: String) {
        // Proves the encoder against RFC 4648 test vectors translated to Crockford's lower-case alphabet.
        #expect(OpaqueID.base32(bytes) == expected)
    }

    @Test func idsHaveThePrefixAndAreWellFormed() {
        // Proves a minted id is prefix_ plus 26 alphabet characters and passes its own check, and not another prefix's.
        let id = OpaqueID.make(prefix: "vch")
        #expect(id.hasPrefix("vch_"))
        #expect(id.count == 4 + OpaqueID.encodedLength)
        #expect(OpaqueID.encodedLength == 26)
        #expect(OpaqueID.isWellFormed(id, prefix: "vch"))
        #expect(!OpaqueID.isWellFormed(id, prefix: "ord"))
        #expect(throws: Never.self) { try OpaqueID.validate(id, prefix: "vch") }
        #expect(id.count <= OpaqueID.lengthMax)
    }

    @Test func idsAreDeterministicForAGivenGenerator() {
        // Proves the injected generator is the only source of randomness, so tests can pin ids.
        var zeros = ConstantGenerator(word: 0)
        #expect(OpaqueID.make(prefix: "ord", using: &zeros) == "ord_00000000000000000000000000")
    }

    @Test func freshIdsDoNotCollide() {
        // Proves 10,000 system-random ids are all distinct (128 bits make a collision practically impossible).
        let ids = (0..<10_000).map { _ in OpaqueID.make(prefix: "vch") }
        #expect(Set(ids).count == ids.count)
    }

    @Test(arguments: [
        "", "vch_", "vch_0000000000000000000000000", "vch_000000000000000000000000000",
        "vch_0000000000000000000000000i", "VCH_00000000000000000000000000", "vch-00000000000000000000000000",
        "vch_0000000000000000000000000Z",
    ])
    func malformedIdsAreRejected(id: String) {
        // Proves wrong prefixes, lengths and characters outside the alphabet are not well formed and map to 400 id_malformed.
        #expect(!OpaqueID.isWellFormed(id, prefix: "vch"))
        #expect(throws: OpaqueIDError.malformed(prefix: "vch")) { try OpaqueID.validate(id, prefix: "vch") }
        #expect(OpaqueIDError.malformed(prefix: "vch").kind == .invalidInput)
    }
}
