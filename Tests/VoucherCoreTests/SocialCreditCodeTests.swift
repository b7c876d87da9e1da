import Foundation
import PropertyBased
import Testing

@testable import VoucherCore

@Suite("Unified social credit codes")
struct SocialCreditCodeTests {
    static let alphabet = SocialCreditCode.alphabet.map { Character(Unicode.Scalar($0)) }
    /// Random valid codes: 17 random characters plus their check character.
    static let validCodes = Gen<Character?>.element(of: alphabet).map { $0! }.string(of: 17).map { body in
        body + String(SocialCreditCode.checkCharacter(forBody: body)!)
    }

    @Test(arguments: ["91350100M000100Y43", "91110000600037341L", "91440300708461136T", "914403001922038216"])
    func acceptsPublishedCodes(code: String) throws {
        // Proves the implementation agrees with codes printed on real licences, including GB 32100's own example.
        #expect(try SocialCreditCode(validating: code).value == code)
    }

    @Test func weightsAreThePowersOfThree() {
        // Proves the weight table is 3^i mod 31, the standard's definition, entry by entry.
        var power = 1
        for weight in SocialCreditCode.weights {
            #expect(weight == power)
            power = power * 3 % SocialCreditCode.alphabet.count
        }
        #expect(SocialCreditCode.weights.count == SocialCreditCode.length - 1)
    }

    @Test func lowerCaseIsAcceptedAndStoredUpperCase() throws {
        // Proves a code typed in lower case is accepted and normalised.
        #expect(try SocialCreditCode(validating: "91350100m000100y43").value == "91350100M000100Y43")
    }

    @Test(arguments: [
        ("", SocialCreditCodeError.invalidLength), ("91350100M000100Y4", .invalidLength), ("91350100M000100Y433", .invalidLength),
        ("91350100M000100I43", .invalidCharacter(position: 16)), ("O1350100M000100Y43", .invalidCharacter(position: 1)),
        ("91350100M000100Y4-", .invalidCharacter(position: 18)), ("91350100M000100Y44", .checkMismatch),
        ("91350100M000100Y4３", .invalidCharacter(position: 18)),
    ])
    func rejectsWithTheMatchingError(code: String, error: SocialCreditCodeError) {
        // Proves wrong lengths, letters outside the alphabet (I, O…) and a wrong check character are told apart.
        #expect(throws: error) { try SocialCreditCode(validating: code) }
    }

    @Test func everySingleCharacterChangeIsRejected() async throws {
        // Proves the check catches every substitution of one character by any other of the alphabet, at all 18 positions.
        await propertyCheck(count: 100, input: Self.validCodes) { code in
            _ = try SocialCreditCode(validating: code)
            let characters = Array(code)
            for position in characters.indices {
                for replacement in Self.alphabet where replacement != characters[position] {
                    var changed = characters
                    changed[position] = replacement
                    #expect(throws: SocialCreditCodeError.checkMismatch) { try SocialCreditCode(validating: String(changed)) }
                }
            }
        }
    }

    @Test func everyAdjacentTranspositionIsRejected() async throws {
        // Proves swapping two different neighbouring characters, the other common typo, is always caught.
        await propertyCheck(count: 200, input: Self.validCodes) { code in
            _ = try SocialCreditCode(validating: code)
            let characters = Array(code)
            for position in characters.indices.dropLast() where characters[position] != characters[position + 1] {
                var swapped = characters
                swapped.swapAt(position, position + 1)
                #expect(throws: SocialCreditCodeError.checkMismatch) { try SocialCreditCode(validating: String(swapped)) }
            }
        }
    }

    @Test func decodingValidates() throws {
        // Proves a code cannot enter through JSON without passing the check.
        #expect(throws: SocialCreditCodeError.checkMismatch) {
            try JSONDecoder().decode([SocialCreditCode].self, from: Data(#"["91350100M000100Y44"]"#.utf8))
        }
        let decoded = try JSONDecoder().decode([SocialCreditCode].self, from: Data(#"["91350100M000100Y43"]"#.utf8))
        #expect(decoded.first?.value == "91350100M000100Y43")
    }
}
